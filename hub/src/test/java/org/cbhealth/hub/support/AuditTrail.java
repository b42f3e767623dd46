package org.cbhealth.hub.support;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.TokenParam;
import java.util.List;
import org.cbhealth.hub.audit.AuditEventWriter;
import org.cbhealth.hub.audit.HubAudit;
import org.hl7.fhir.r4.model.AuditEvent;

/** The AuditEvents the hub wrote, read from its store; ITs assert auditing through this only. */
public final class AuditTrail {

    /** The subtype system of IHE BALP AuditEvents: the FHIR REST interaction. */
    public static final String REST_INTERACTION = "http://hl7.org/fhir/restful-interaction";

    private final DaoRegistry daos;
    private final AuditEventWriter writer;

    public AuditTrail(DaoRegistry daos) {
        this(daos, null);
    }

    /** Reads after the writer has stored every event handed to it before each query. */
    public AuditTrail(DaoRegistry daos, AuditEventWriter writer) {
        this.daos = daos;
        this.writer = writer;
    }

    /** Every AuditEvent of the step (subtype) that names the partner as an agent (altId), oldest first. */
    public List<AuditEvent> of(HubAudit.Step step, String partnerId) {
        flush();
        SearchParameterMap query = SearchParameterMap.newSynchronous()
                .add(AuditEvent.SP_SUBTYPE, new TokenParam(HubAudit.STEP_SYSTEM, step.code()));
        if (partnerId != null) {
            query.add(AuditEvent.SP_ALTID, new TokenParam(partnerId));
        }
        IBundleProvider found = daos.getResourceDao(AuditEvent.class).search(query, new SystemRequestDetails());
        return found.getAllResources().stream()
                .map(AuditEvent.class::cast)
                .sorted((a, b) -> a.getRecorded().compareTo(b.getRecorded()))
                .toList();
    }

    /**
     * The IHE BALP AuditEvents of a REST interaction on /fhir ({@code read}, {@code search-type}, {@code create}...)
     * that concern a resource: an entity names it ({@code Task/12}, any version) or the query mentions it.
     */
    public List<AuditEvent> rest(String interaction, String resource) {
        flush();
        SearchParameterMap query = SearchParameterMap.newSynchronous()
                .add(AuditEvent.SP_SUBTYPE, new TokenParam(REST_INTERACTION, interaction));
        String id = resource.substring(resource.indexOf('/') + 1);
        return daos
                .getResourceDao(AuditEvent.class)
                .search(query, new SystemRequestDetails())
                .getAllResources()
                .stream()
                .map(AuditEvent.class::cast)
                .filter(event -> event.getEntity().stream()
                        .anyMatch(entity -> entity.getWhat().getReference() != null
                                        && (entity.getWhat().getReference().equals(resource)
                                                || entity.getWhat()
                                                        .getReference()
                                                        .startsWith(resource + "/"))
                                || entity.hasQuery()
                                        && new String(entity.getQuery(), java.nio.charset.StandardCharsets.UTF_8)
                                                .contains(resource.substring(0, resource.indexOf('/')) + "?_id=" + id)))
                .sorted((a, b) -> a.getRecorded().compareTo(b.getRecorded()))
                .toList();
    }

    /** The agent that made the request ({@code requestor}): its altId, the partner id or staff user. */
    public static String requestor(AuditEvent event) {
        return event.getAgent().stream()
                .filter(AuditEvent.AuditEventAgentComponent::getRequestor)
                .map(AuditEvent.AuditEventAgentComponent::getAltId)
                .findFirst()
                .orElse(null);
    }

    private void flush() {
        if (writer != null && !writer.flush(java.time.Duration.ofSeconds(30))) {
            throw new AssertionError("the audit writer did not store its queue within 30 s");
        }
    }

    /** The denials recorded for the partner (or staff user, by its altId). */
    public List<AuditEvent> denials(String partnerId) {
        return of(HubAudit.Step.DENIED, partnerId);
    }
}
