package org.cbhealth.hub.referral;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.cbhealth.hub.partner.PartnerOrganizations;
import org.cbhealth.hub.security.fhir.ReferralAccess;
import org.cbhealth.profiles.CbhCanonical;
import org.cbhealth.routes.fhir.InputProblem;
import org.cbhealth.routes.fhir.InvalidMessageException;
import org.cbhealth.routes.referral.ReferralStateMachine;
import org.cbhealth.routes.referral.StatusUpdate;
import org.hl7.fhir.r4.model.Annotation;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Task;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Applies a partner's status update to its referral's Task: finds the referral (hub number or referrer's number),
 * checks that the partner may change it (the destination; the referrer only to cancel), and stores the new Task
 * version — with the outcome document, both labelled for the referral's parties and with a Provenance naming the
 * partner that sent the status ({@link ReferralRecords}), in one transaction. The state machine and the notice to the other side
 * are the store's ({@link ReferralWorkflowInterceptor}); a refused change comes back as an
 * {@link InvalidMessageException} naming the transition.
 */
@Component
public class ReferralStatusService {

    private final DaoRegistry daos;
    private final PartnerOrganizations organizations;
    private final JdbcTemplate jdbc;
    private final ReferralRecords records;

    public ReferralStatusService(
            DaoRegistry daos, PartnerOrganizations organizations, JdbcTemplate jdbc, ReferralRecords records) {
        this.records = records;
        this.daos = daos;
        this.organizations = organizations;
        this.jdbc = jdbc;
    }

    /** @return the ids stored: the Task's new version, and the outcome document if one came */
    public List<String> apply(String partnerId, StatusUpdate update) {
        Task task = find(update);
        String taskId = task.getIdElement().getIdPart();
        String owner = organizations.partnerOf(task.getOwner()).orElse(null);
        String requester = organizations.partnerOf(task.getRequester()).orElse(null);
        boolean cancelling = ReferralStateMachine.CANCELLED.equals(update.status());
        if (!(partnerId.equals(owner) || (cancelling && partnerId.equals(requester)))) {
            throw new InvalidMessageException(
                    "status update refused",
                    List.of(new InputProblem(
                            "referral",
                            "partner '" + partnerId + "' may not change referral " + taskId + ": only its destination '"
                                    + owner + "' updates it (and its referrer '" + requester
                                    + "' may cancel it)")));
        }
        if (repeats(task, update)) {
            // the same update again: the same answer, nothing stored
            return List.of(task.getIdElement().toUnqualified().getValue());
        }
        Task updated = task.copy();
        updated.setBusinessStatus(new CodeableConcept()
                .addCoding(new Coding(CbhCanonical.CS_TASK_BUSINESS_STATUS, update.status(), null)));
        if (ReferralStateMachine.STATUSES.contains(update.status())) {
            updated.setStatus(ReferralStateMachine.taskStatus(update.status()));
        }
        if (update.reason() != null) {
            updated.setStatusReason(new CodeableConcept().setText(update.reason()));
        }
        if (update.scheduledStart() != null) {
            updated.getRestriction().getPeriod().setStartElement(new DateTimeType(update.scheduledStart()));
        }
        Reference author = cancelling && partnerId.equals(requester) ? task.getRequester() : task.getOwner();
        if (update.note() != null) {
            updated.addNote(new Annotation()
                    .setText(update.note())
                    .setAuthor(author.copy())
                    .setTimeElement(DateTimeType.now()));
        }
        updated.setLastModifiedElement(DateTimeType.now());
        Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        if (update.outcome() != null) {
            DocumentReference document = outcomeDocument(partnerId, taskId, task, update.outcome());
            String fullUrl = "urn:uuid:"
                    + java.util.UUID.nameUUIDFromBytes(
                            ("outcome|" + taskId).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            transaction
                    .addEntry()
                    .setFullUrl(fullUrl)
                    .setResource(document)
                    .getRequest()
                    .setMethod(Bundle.HTTPVerb.POST)
                    .setUrl("DocumentReference")
                    .setIfNoneExist("identifier="
                            + java.net.URLEncoder.encode(
                                    document.getIdentifierFirstRep().getSystem() + "|"
                                            + document.getIdentifierFirstRep().getValue(),
                                    java.nio.charset.StandardCharsets.UTF_8));
            updated.getOutput().removeIf(o -> o.getValue() instanceof Reference);
            updated.addOutput()
                    .setType(new CodeableConcept().setText("outcome document"))
                    .setValue(new Reference(fullUrl));
        }
        updated.setMeta(null);
        // the new version stays visible to the referral's parties (labels), whatever the store does with meta
        transaction
                .addEntry()
                .setFullUrl("Task/" + taskId)
                .setResource(updated.setId("Task/" + taskId))
                .getRequest()
                .setMethod(Bundle.HTTPVerb.PUT)
                .setUrl("Task/" + taskId);
        Set<String> labels = new LinkedHashSet<>(ReferralAccess.labels(task));
        Optional.ofNullable(owner).ifPresent(labels::add);
        Optional.ofNullable(requester).ifPresent(labels::add);
        return records.store(
                transaction,
                labels,
                new ReferralRecords.Author(
                        partnerId, partnerId.equals(requester) ? task.getRequester() : task.getOwner()),
                null,
                CbhCanonical.BASE + "/partner/" + partnerId + "/status",
                ReferralRecords.Activity.UPDATE);
    }

    /** Whether the update only repeats what the Task already says. */
    private static boolean repeats(Task task, StatusUpdate update) {
        String current = ReferralWorkflowInterceptor.businessStatus(task);
        return update.status().equals(current)
                && update.outcome() == null
                && update.note() == null
                && (update.reason() == null
                        || update.reason().equals(task.getStatusReason().getText()))
                && (update.scheduledStart() == null
                        || update.scheduledStart()
                                .equals(task.getRestriction()
                                        .getPeriod()
                                        .getStartElement()
                                        .getValueAsString()));
    }

    private Task find(StatusUpdate update) {
        String taskId = update.referral();
        String location = "referral";
        if (taskId == null) {
            location = "placer";
            taskId = jdbc
                    .queryForList(
                            "SELECT task_id FROM cbh_referral_key WHERE identifier_system = ? AND identifier_value = ?",
                            String.class,
                            taskSystem(update.placerSystem()),
                            update.placerValue())
                    .stream()
                    .findFirst()
                    .orElse(null);
        }
        Optional<Task> task = Optional.empty();
        if (taskId != null) {
            try {
                task = Optional.of(daos.getResourceDao(Task.class)
                        .read(new IdType("Task", new IdType(taskId).getIdPart()), new SystemRequestDetails()));
            } catch (ResourceNotFoundException | ResourceGoneException missing) {
                task = Optional.empty();
            }
        }
        final String where = location;
        return task.orElseThrow(() -> new InvalidMessageException(
                "status update refused",
                List.of(new InputProblem(
                        where,
                        "no referral "
                                + (update.referral() != null
                                        ? update.referral()
                                        : update.placerSystem() + "|" + update.placerValue())
                                + " at the hub"))));
    }

    /**
     * The referral Task's identifier system for a referrer's number: partners may quote the ServiceRequest's
     * ({@code …/<partner>/referral}) or the Task's ({@code …/<partner>/referral-task}) namespace; both name one
     * referral.
     */
    static String taskSystem(String placerSystem) {
        return placerSystem != null && placerSystem.endsWith("/referral") ? placerSystem + "-task" : placerSystem;
    }

    private static DocumentReference outcomeDocument(
            String partnerId, String taskId, Task task, StatusUpdate.Outcome outcome) {
        DocumentReference document = new DocumentReference();
        document.addIdentifier()
                .setSystem(CbhCanonical.partnerIdentifierSystem(partnerId, "outcome-document"))
                .setValue(taskId + "/outcome");
        document.setStatus(Enumerations.DocumentReferenceStatus.CURRENT);
        document.setSubject(task.getFor().copy());
        document.setDateElement(new org.hl7.fhir.r4.model.InstantType(new java.util.Date()));
        document.addAuthor(task.getOwner().copy());
        document.setDescription(outcome.title());
        var attachment = document.addContent().getAttachment();
        attachment.setContentType(outcome.contentType());
        attachment.setTitle(outcome.title());
        if (outcome.data() != null) {
            attachment.setData(outcome.data());
        }
        if (outcome.url() != null) {
            attachment.setUrl(outcome.url());
        }
        return document;
    }
}
