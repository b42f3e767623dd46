package org.cbhealth.hub.security.fhir;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import java.util.Optional;
import java.util.Set;
import org.cbhealth.hub.audit.HubAudit;
import org.cbhealth.hub.partner.PartnerOrganizations;
import org.cbhealth.hub.partner.PartnerRegistry;
import org.cbhealth.hub.security.HubPrincipal;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Reference;

/**
 * A Provenance for every resource version an authenticated caller writes through {@code /fhir} (registered on the
 * RestfulServer: the hub's own writes have Provenance of their own), in the same database transaction: target = the
 * version, agent = the partner's Organization or the staff user, labelled like the resource. Provenance and
 * AuditEvent themselves get none.
 */
@Interceptor
public class FhirWriteProvenance {

    private static final Set<String> SKIPPED = Set.of("Provenance", "AuditEvent");

    private final DaoRegistry daos;
    private final PartnerRegistry registry;
    private final PartnerOrganizations organizations;

    public FhirWriteProvenance(DaoRegistry daos, PartnerRegistry registry, PartnerOrganizations organizations) {
        this.daos = daos;
        this.registry = registry;
        this.organizations = organizations;
    }

    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_CREATED)
    public void created(IBaseResource resource, RequestDetails request) {
        record(resource, request, "CREATE");
    }

    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_UPDATED)
    public void updated(IBaseResource previous, IBaseResource resource, RequestDetails request) {
        record(resource, request, "UPDATE");
    }

    private void record(IBaseResource resource, RequestDetails request, String activity) {
        if (request == null || request instanceof SystemRequestDetails || SKIPPED.contains(resource.fhirType())) {
            return;
        }
        Optional<HubPrincipal> caller = HubPrincipal.current();
        if (caller.isEmpty()) {
            return;
        }
        Provenance provenance = new Provenance();
        provenance.addTarget(
                new Reference(resource.getIdElement().toUnqualified().getValue()));
        provenance.setRecordedElement(InstantType.now());
        provenance
                .getActivity()
                .addCoding()
                .setSystem("http://terminology.hl7.org/CodeSystem/v3-DataOperation")
                .setCode(activity);
        Provenance.ProvenanceAgentComponent agent = provenance.addAgent();
        agent.getType()
                .addCoding()
                .setSystem("http://terminology.hl7.org/CodeSystem/provenance-participant-type")
                .setCode("author");
        agent.setWho(who(caller.get()));
        ReferralAccess.label(provenance, ReferralAccess.labels(resource));
        daos.getResourceDao(Provenance.class).create(provenance, new SystemRequestDetails());
    }

    private Reference who(HubPrincipal caller) {
        if (caller.isPartner()) {
            return registry.definition(caller.name())
                    .map(organizations::referenceOf)
                    .orElseGet(() -> new Reference()
                            .setIdentifier(new Identifier()
                                    .setSystem(HubAudit.PARTNER_SYSTEM)
                                    .setValue(caller.name())));
        }
        return new Reference()
                .setIdentifier(new Identifier().setSystem(HubAudit.STAFF_SYSTEM).setValue(caller.name()))
                .setDisplay(caller.name());
    }
}
