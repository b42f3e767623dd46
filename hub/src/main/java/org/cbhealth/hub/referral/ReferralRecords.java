package org.cbhealth.hub.referral;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.cbhealth.hub.fhir.JpaFhirResourceStore;
import org.cbhealth.hub.partner.PartnerOrganizations;
import org.cbhealth.hub.security.fhir.ReferralAccess;
import org.cbhealth.profiles.CbhCanonical;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.Task;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Stores a referral (or a status update of one) as the hub keeps every referral: each resource labelled for the
 * partners entitled to see it ({@link ReferralAccess}, the referrer and the destination), a resource the transaction
 * matched instead of creating (the Patient of an earlier referral) given the new labels too, and one Provenance naming
 * every version written or matched — all in one database transaction, so there is never a referral resource without
 * its labels or its Provenance.
 */
@Component
public class ReferralRecords {

    /** Who the Provenance names as author: the partner that sent the message, by its Organization. */
    public record Author(String partnerId, Reference organization) {}

    /** The message a referral came in, by business key only (no patient data). */
    public record SourceMessage(String system, String value) {}

    /** {@code Provenance.activity}: a new referral or a change of one. */
    public enum Activity {
        CREATE,
        UPDATE
    }

    private static final String HUB_SYSTEM = CbhCanonical.BASE + "/sid/hub";

    private final JpaFhirResourceStore store;
    private final DaoRegistry daos;
    private final PartnerOrganizations organizations;
    private final TransactionTemplate transactions;

    public ReferralRecords(
            JpaFhirResourceStore store,
            DaoRegistry daos,
            PartnerOrganizations organizations,
            PlatformTransactionManager transactionManager) {
        this.store = store;
        this.daos = daos;
        this.organizations = organizations;
        this.transactions = new TransactionTemplate(transactionManager);
    }

    /** The partners a referral bundle concerns: its Task's requester and owner, else the sender alone. */
    public Set<String> parties(Bundle transaction, String sender) {
        Set<String> parties = new LinkedHashSet<>();
        parties.add(sender);
        for (Bundle.BundleEntryComponent entry : transaction.getEntry()) {
            if (entry.getResource() instanceof Task task) {
                organizations.partnerOf(task.getRequester()).ifPresent(parties::add);
                organizations.partnerOf(task.getOwner()).ifPresent(parties::add);
            }
        }
        return parties;
    }

    /**
     * Stores the transaction labelled for {@code labels}, with its Provenance, in one database transaction.
     *
     * @return the stored (or matched) versions, as the store answers them
     */
    public List<String> store(
            Bundle transaction,
            Collection<String> labels,
            Author author,
            SourceMessage message,
            String source,
            Activity activity) {
        for (Bundle.BundleEntryComponent entry : transaction.getEntry()) {
            if (entry.getResource() != null) {
                ReferralAccess.label(entry.getResource(), labels);
            }
        }
        return transactions.execute(status -> {
            List<String> stored = new ArrayList<>();
            for (String id : store.storeTransactionInCurrent(transaction)) {
                stored.add(relabel(id, labels));
            }
            provenance(stored, labels, author, message, source, activity);
            return stored;
        });
    }

    /** A matched resource (conditional create of one stored before) gets the labels it lacks, as a new version. */
    private String relabel(String id, Collection<String> labels) {
        IdType version = new IdType(id);
        @SuppressWarnings("unchecked")
        IFhirResourceDao<Resource> dao = daos.getResourceDao(version.getResourceType());
        SystemRequestDetails request = new SystemRequestDetails();
        Resource current = dao.read(version.toVersionless(), request);
        if (!ReferralAccess.label(current, labels)) {
            return id;
        }
        return dao.update(current, request).getId().toUnqualified().getValue();
    }

    private void provenance(
            List<String> targets,
            Collection<String> labels,
            Author author,
            SourceMessage message,
            String source,
            Activity activity) {
        Provenance provenance = new Provenance();
        targets.forEach(id -> provenance.addTarget(new Reference(id)));
        provenance.setRecordedElement(InstantType.now());
        provenance
                .getActivity()
                .addCoding()
                .setSystem("http://terminology.hl7.org/CodeSystem/v3-DataOperation")
                .setCode(activity.name());
        Provenance.ProvenanceAgentComponent sender = provenance.addAgent();
        sender.getType()
                .addCoding()
                .setSystem("http://terminology.hl7.org/CodeSystem/provenance-participant-type")
                .setCode("author");
        sender.setWho(
                Optional.ofNullable(author.organization()).map(Reference::copy).orElseGet(() -> new Reference()
                        .setIdentifier(new Identifier()
                                .setSystem(CbhCanonical.BASE + "/sid/partner")
                                .setValue(author.partnerId()))));
        Provenance.ProvenanceAgentComponent hub = provenance.addAgent();
        hub.getType()
                .addCoding()
                .setSystem("http://terminology.hl7.org/CodeSystem/provenance-participant-type")
                .setCode("assembler");
        hub.setWho(new Reference()
                .setIdentifier(new Identifier().setSystem(HUB_SYSTEM).setValue("cbhealth-hub"))
                .setDisplay("CBHealth Hub"));
        if (message != null && message.value() != null) {
            provenance
                    .addEntity()
                    .setRole(Provenance.ProvenanceEntityRole.SOURCE)
                    .setWhat(new Reference()
                            .setIdentifier(
                                    new Identifier().setSystem(message.system()).setValue(message.value())));
        }
        ReferralAccess.label(provenance, labels);
        provenance.getMeta().setSource(source);
        daos.getResourceDao(Provenance.class).create(provenance, new SystemRequestDetails());
    }
}
