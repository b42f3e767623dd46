package org.cbhealth.hub.audit;

import java.util.Date;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.springframework.stereotype.Component;

/**
 * Turns each audit record into a FHIR AuditEvent and hands it to the {@link AuditEventWriter}, which stores it in
 * the hub's store in a transaction of its own (a refusal rolls back the caller's transaction; its audit record
 * stays).
 */
@Component
public class FhirHubAudit implements HubAudit {

    static final String DCM = "http://dicom.nema.org/resources/ontology/DCM";

    private final AuditEventWriter writer;

    public FhirHubAudit(AuditEventWriter writer) {
        this.writer = writer;
    }

    @Override
    public void exchange(Exchange exchange) {
        AuditEvent event = event(exchange.step(), exchange.outcome(), exchange.detail());
        boolean inbound = exchange.step() == Step.RECEIVED || exchange.step() == Step.REFUSED;
        event.setType(new Coding(DCM, inbound ? "110107" : "110106", inbound ? "Import" : "Export"));
        event.setAction(inbound ? AuditEvent.AuditEventAction.C : AuditEvent.AuditEventAction.E);
        partnerAgent(event, exchange.partnerId(), inbound);
        AuditEvent.AuditEventEntityComponent message = event.addEntity();
        message.setType(new Coding("http://terminology.hl7.org/CodeSystem/audit-entity-type", "2", "System Object"));
        message.setName(exchange.partnerId() + "/" + exchange.channel());
        if (exchange.businessKey() != null) {
            message.setWhat(new Reference().setIdentifier(new Identifier().setValue(exchange.businessKey())));
        }
        for (String resource : exchange.resources()) {
            event.addEntity().setWhat(new Reference(resource));
        }
        store(event);
    }

    @Override
    public void denied(Denial denial) {
        AuditEvent event = event(Step.DENIED, Outcome.MINOR_FAILURE, denial.reason());
        event.setType(new Coding(DCM, "110113", "Security Alert"));
        event.setAction(AuditEvent.AuditEventAction.E);
        if (denial.action() != null) {
            event.addSubtype(new Coding(STEP_SYSTEM + "/action", denial.action(), null));
        }
        AuditEvent.AuditEventAgentComponent agent;
        if (denial.partnerId() != null) {
            agent = partnerAgent(event, denial.partnerId(), true);
        } else {
            agent = event.addAgent().setRequestor(true);
            if (denial.staffUser() != null) {
                agent.setWho(new Reference()
                        .setIdentifier(new Identifier().setSystem(STAFF_SYSTEM).setValue(denial.staffUser())));
                agent.setAltId(denial.staffUser());
            }
        }
        if (denial.address() != null) {
            agent.getNetwork().setAddress(denial.address()).setType(AuditEvent.AuditEventAgentNetworkType._2);
        }
        AuditEvent.AuditEventEntityComponent target = event.addEntity();
        target.setName(denial.channel() + ":" + denial.target());
        store(event);
    }

    private static AuditEvent event(Step step, Outcome outcome, String detail) {
        AuditEvent event = new AuditEvent();
        event.addSubtype(new Coding(STEP_SYSTEM, step.code(), null));
        event.setRecorded(new Date());
        event.setOutcome(AuditEvent.AuditEventOutcome.fromCode(outcome.code()));
        if (detail != null) {
            event.setOutcomeDesc(detail);
        }
        event.getSource().setSite("cbhealth-hub").setObserver(new Reference().setDisplay("CBHealth Hub"));
        return event;
    }

    private static AuditEvent.AuditEventAgentComponent partnerAgent(
            AuditEvent event, String partnerId, boolean requestor) {
        return event.addAgent()
                .setRequestor(requestor)
                .setAltId(partnerId)
                .setWho(new Reference()
                        .setIdentifier(
                                new Identifier().setSystem(PARTNER_SYSTEM).setValue(partnerId)));
    }

    private void store(AuditEvent event) {
        writer.write(event);
    }
}
