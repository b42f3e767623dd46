package org.cbhealth.hub.referral;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.cbhealth.hub.partner.PartnerDefinition;
import org.cbhealth.hub.partner.PartnerOrganizations;
import org.cbhealth.hub.partner.PartnerRegistry;
import org.cbhealth.profiles.CbhCanonical;
import org.cbhealth.routes.referral.ReferralStateMachine;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Task;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The referral workflow, enforced in the FHIR store itself so that every path — a partner's channel, a Task or
 * transaction posted to {@code /fhir}, a staff member's update — obeys it:
 *
 * <ul>
 *   <li>a new referral Task (requester and owner are partner organizations) must be between partners allowed to
 *       exchange referrals, start as {@code created}, and carry the referrer's referral number; the number is
 *       registered under a database unique constraint, so the same referral can never be stored twice;
 *   <li>a change of a referral Task follows {@link ReferralStateMachine}; its parties and focus never change;
 *   <li>in the same transaction, a delivery (new referral, to the owner) or a status notice (to the other side) is
 *       written to the {@link ReferralOutbox} and relayed after commit.
 * </ul>
 */
@Interceptor
public class ReferralWorkflowInterceptor {

    private final PartnerOrganizations organizations;
    private final PartnerRegistry registry;
    private final JdbcTemplate jdbc;
    private final ReferralOutbox outbox;
    private final Runnable afterCommit;

    public ReferralWorkflowInterceptor(
            PartnerOrganizations organizations,
            PartnerRegistry registry,
            JdbcTemplate jdbc,
            ReferralOutbox outbox,
            Runnable afterCommit) {
        this.organizations = organizations;
        this.registry = registry;
        this.jdbc = jdbc;
        this.outbox = outbox;
        this.afterCommit = afterCommit;
    }

    /** The two partners of a referral Task. */
    record Parties(String requester, String owner) {}

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED)
    public void creating(IBaseResource resource) {
        if (!(resource instanceof Task task)) {
            return;
        }
        Optional<Parties> parties = parties(task, true);
        if (parties.isEmpty()) {
            return;
        }
        String status = businessStatus(task);
        if (!ReferralStateMachine.CREATED.equals(status)) {
            throw refused(
                    "Task.businessStatus",
                    "a new referral starts as 'created', not '" + status + "'; its status changes come afterwards");
        }
        if (task.getStatus() != Task.TaskStatus.REQUESTED) {
            throw refused(
                    "Task.status",
                    "a new referral has status 'requested', not '"
                            + (task.getStatus() == null
                                    ? null
                                    : task.getStatus().toCode()) + "'");
        }
        Identifier number = task.getIdentifier().stream()
                .filter(i -> i.hasSystem() && i.hasValue() && !CbhCanonical.SID_HUB_REFERRAL.equals(i.getSystem()))
                .findFirst()
                .orElseThrow(() -> refused(
                        "Task.identifier",
                        "a referral Task carries the referrer's referral number (an identifier with system and"
                                + " value)"));
        try {
            jdbc.update(
                    "INSERT INTO cbh_referral_key (identifier_system, identifier_value, created_at) VALUES (?, ?, ?)",
                    number.getSystem(),
                    number.getValue(),
                    Timestamp.from(Instant.now()));
        } catch (DuplicateKeyException duplicate) {
            throw new ResourceVersionConflictException("the referral " + number.getSystem() + "|" + number.getValue()
                    + " from partner '" + parties.get().requester()
                    + "' is stored already; send it as a conditional create (If-None-Exist) to get the stored one");
        }
    }

    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_CREATED)
    public void created(IBaseResource resource) {
        if (!(resource instanceof Task task)) {
            return;
        }
        parties(task, false).ifPresent(parties -> {
            String id = task.getIdElement().getIdPart();
            task.getIdentifier().stream()
                    .filter(i -> i.hasSystem() && i.hasValue() && !CbhCanonical.SID_HUB_REFERRAL.equals(i.getSystem()))
                    .findFirst()
                    .ifPresent(number -> jdbc.update(
                            "UPDATE cbh_referral_key SET task_id = ? WHERE identifier_system = ? AND identifier_value = ?",
                            id,
                            number.getSystem(),
                            number.getValue()));
            outbox.enqueue(ReferralOutbox.Kind.REFERRAL, parties.owner(), id, version(task));
            relayAfterCommit();
        });
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED)
    public void updating(IBaseResource previous, IBaseResource updated) {
        if (!(previous instanceof Task before) || !(updated instanceof Task after)) {
            return;
        }
        if (parties(before, false).isEmpty()) {
            return;
        }
        unchanged("Task.requester", before.getRequester(), after.getRequester());
        unchanged("Task.owner", before.getOwner(), after.getOwner());
        unchanged("Task.focus", before.getFocus(), after.getFocus());
        unchanged("Task.for", before.getFor(), after.getFor());
        String from = businessStatus(before);
        String to = businessStatus(after);
        ReferralStateMachine.refusal(from, to).ifPresent(reason -> {
            throw refused("Task.businessStatus", "Task/" + before.getIdElement().getIdPart() + ": " + reason);
        });
        Task.TaskStatus expected = ReferralStateMachine.taskStatus(to);
        if (after.getStatus() != expected) {
            throw refused(
                    "Task.status",
                    "status '"
                            + (after.getStatus() == null
                                    ? null
                                    : after.getStatus().toCode()) + "' does not go with business status '" + to
                            + "'; expected '" + expected.toCode() + "'");
        }
        if ((ReferralStateMachine.DECLINED.equals(to) || ReferralStateMachine.CANCELLED.equals(to))
                && !after.hasStatusReason()) {
            throw refused("Task.statusReason", "a " + to + " referral says why (Task.statusReason)");
        }
        if (ReferralStateMachine.SCHEDULED.equals(to)
                && !(after.hasRestriction()
                        && after.getRestriction().getPeriod().hasStart())) {
            throw refused("Task.restriction.period.start", "a scheduled referral has its appointment date");
        }
    }

    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_UPDATED)
    public void updated(IBaseResource previous, IBaseResource updated) {
        if (!(previous instanceof Task before) || !(updated instanceof Task after)) {
            return;
        }
        parties(before, false).ifPresent(parties -> {
            String from = businessStatus(before);
            String to = businessStatus(after);
            boolean rescheduled = ReferralStateMachine.SCHEDULED.equals(to)
                    && !Objects.equals(
                            before.getRestriction()
                                    .getPeriod()
                                    .getStartElement()
                                    .getValueAsString(),
                            after.getRestriction().getPeriod().getStartElement().getValueAsString());
            if (Objects.equals(from, to) && !rescheduled) {
                return;
            }
            // the referrer cancels and tells the destination; every other change is the destination's, for the referrer
            String recipient = ReferralStateMachine.CANCELLED.equals(to) ? parties.owner() : parties.requester();
            outbox.enqueue(
                    ReferralOutbox.Kind.STATUS, recipient, after.getIdElement().getIdPart(), version(after));
            relayAfterCommit();
        });
    }

    /**
     * The partners of a Task whose requester and owner are both partner organizations; empty for any other Task.
     * With {@code check}, partners that may not exchange referrals are refused.
     */
    private Optional<Parties> parties(Task task, boolean check) {
        Optional<String> requester = organizations.partnerOf(task.getRequester());
        Optional<String> owner = organizations.partnerOf(task.getOwner());
        if (requester.isEmpty() && owner.isEmpty()) {
            return Optional.empty();
        }
        if (check) {
            if (requester.isEmpty()) {
                throw refused(
                        "Task.requester",
                        "the referral's owner is partner '" + owner.get() + "' but its requester "
                                + describe(task.getRequester()) + " is not a partner organization of the hub");
            }
            if (owner.isEmpty()) {
                throw refused(
                        "Task.owner",
                        "the referral's destination " + describe(task.getOwner())
                                + " is not a partner organization of the hub");
            }
            PartnerDefinition from = registry.definition(requester.get()).orElse(null);
            PartnerDefinition to = registry.definition(owner.get()).orElse(null);
            if (from == null
                    || to == null
                    || !from.referralPartners().contains(to.id())
                    || !to.referralPartners().contains(from.id())) {
                throw refused(
                        "Task.owner",
                        "partners '" + requester.get() + "' and '" + owner.get()
                                + "' may not exchange referrals: each must list the other in referralPartners");
            }
        } else if (requester.isEmpty() || owner.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Parties(requester.get(), owner.get()));
    }

    private void relayAfterCommit() {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    afterCommit.run();
                }
            });
        }
    }

    static String businessStatus(Task task) {
        return task.getBusinessStatus().getCoding().stream()
                .filter(c -> CbhCanonical.CS_TASK_BUSINESS_STATUS.equals(c.getSystem()))
                .map(Coding::getCode)
                .findFirst()
                .orElse(null);
    }

    private static long version(Task task) {
        Long version = task.getIdElement().getVersionIdPartAsLong();
        if (version == null && task.getMeta().hasVersionId()) {
            version = Long.valueOf(task.getMeta().getVersionId());
        }
        return version == null ? 1L : version;
    }

    private static void unchanged(String path, Reference before, Reference after) {
        if (!Objects.equals(key(before), key(after))) {
            throw refused(path, "the parties and subject of a referral never change (was " + describe(before) + ")");
        }
    }

    private static String key(Reference reference) {
        if (reference == null || reference.isEmpty()) {
            return null;
        }
        if (reference.hasReference()) {
            return new org.hl7.fhir.r4.model.IdType(reference.getReference())
                    .toUnqualifiedVersionless()
                    .getValue();
        }
        return reference.getIdentifier().getSystem() + "|"
                + reference.getIdentifier().getValue();
    }

    private static String describe(Reference reference) {
        if (reference == null || reference.isEmpty()) {
            return "(none)";
        }
        return reference.hasReference()
                ? reference.getReference()
                : "identifier " + reference.getIdentifier().getSystem() + "|"
                        + reference.getIdentifier().getValue();
    }

    static UnprocessableEntityException refused(String path, String reason) {
        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue()
                .setSeverity(OperationOutcome.IssueSeverity.ERROR)
                .setCode(OperationOutcome.IssueType.BUSINESSRULE)
                .setDiagnostics(reason)
                .addExpression(path);
        return new UnprocessableEntityException(path + ": " + reason, outcome);
    }
}
