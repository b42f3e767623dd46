package org.cbhealth.hub.security.fhir;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.FlushModeType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
import org.springframework.orm.jpa.EntityManagerFactoryUtils;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Provenance for every resource version an authenticated caller writes through {@code /fhir} (registered on the
 * RestfulServer: the hub's own writes have Provenance of their own), in the same database transaction: one
 * Provenance per transaction (a transaction Bundle of 400 entries gets one, not 400), per activity and per set of
 * referral-access labels, with every version written as a target (at most {@value #MAX_TARGETS} a Provenance).
 * Agent = the partner's Organization or the staff user; labelled like its targets. Provenance and AuditEvent
 * themselves get none.
 */
@Interceptor
public class FhirWriteProvenance {

    static final int MAX_TARGETS = 500;

    private static final Set<String> SKIPPED = Set.of("Provenance", "AuditEvent");

    private final DaoRegistry daos;
    private final PartnerRegistry registry;
    private final PartnerOrganizations organizations;
    private final EntityManagerFactory entityManagerFactory;

    public FhirWriteProvenance(
            DaoRegistry daos,
            PartnerRegistry registry,
            PartnerOrganizations organizations,
            EntityManagerFactory entityManagerFactory) {
        this.daos = daos;
        this.registry = registry;
        this.organizations = organizations;
        this.entityManagerFactory = entityManagerFactory;
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
        Group group = new Group(activity, ReferralAccess.labels(resource));
        String version = resource.getIdElement().toUnqualified().getValue();
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            store(caller.get(), group, List.of(version));
            return;
        }
        Pending pending = (Pending) TransactionSynchronizationManager.getResource(this);
        if (pending == null) {
            pending = new Pending(caller.get());
            TransactionSynchronizationManager.bindResource(this, pending);
            TransactionSynchronizationManager.registerSynchronization(pending);
        }
        pending.targets.computeIfAbsent(group, g -> new ArrayList<>()).add(version);
    }

    private void store(HubPrincipal caller, Group group, List<String> versions) {
        for (int from = 0; from < versions.size(); from += MAX_TARGETS) {
            Provenance provenance = new Provenance();
            versions.subList(from, Math.min(versions.size(), from + MAX_TARGETS))
                    .forEach(version -> provenance.addTarget(new Reference(version)));
            provenance.setRecordedElement(InstantType.now());
            provenance
                    .getActivity()
                    .addCoding()
                    .setSystem("http://terminology.hl7.org/CodeSystem/v3-DataOperation")
                    .setCode(group.activity());
            Provenance.ProvenanceAgentComponent agent = provenance.addAgent();
            agent.getType()
                    .addCoding()
                    .setSystem("http://terminology.hl7.org/CodeSystem/provenance-participant-type")
                    .setCode("author");
            agent.setWho(who(caller));
            ReferralAccess.label(provenance, group.labels());
            daos.getResourceDao(Provenance.class).create(provenance, new SystemRequestDetails());
        }
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

    /** What one Provenance covers: the activity and the referral-access labels its targets carry. */
    private record Group(String activity, Set<String> labels) {}

    /** The versions a transaction wrote, stored as Provenance just before it commits (inside it). */
    private final class Pending implements TransactionSynchronization {

        private final HubPrincipal caller;
        private final Map<Group, List<String>> targets = new LinkedHashMap<>();

        Pending(HubPrincipal caller) {
            this.caller = caller;
        }

        /**
         * Stores the Provenance with the session flushed once and then not before each query: each target's
         * reference is looked up with a query, and an automatic flush before each would dirty-check every entity of
         * the transaction again (a transaction Bundle of 400 entries: 400 flushes of a session of thousands of
         * entities, 44 % of the hub's processor time in the bench search load).
         */
        @Override
        public void beforeCommit(boolean readOnly) {
            TransactionSynchronizationManager.unbindResourceIfPossible(FhirWriteProvenance.this);
            EntityManager session = EntityManagerFactoryUtils.getTransactionalEntityManager(entityManagerFactory);
            if (session == null) {
                targets.forEach((group, versions) -> store(caller, group, versions));
            } else {
                session.flush();
                FlushModeType mode = session.getFlushMode();
                session.setFlushMode(FlushModeType.COMMIT);
                try {
                    targets.forEach((group, versions) -> store(caller, group, versions));
                } finally {
                    session.setFlushMode(mode);
                }
            }
            targets.clear();
        }

        @Override
        public void afterCompletion(int status) {
            TransactionSynchronizationManager.unbindResourceIfPossible(FhirWriteProvenance.this);
        }
    }
}
