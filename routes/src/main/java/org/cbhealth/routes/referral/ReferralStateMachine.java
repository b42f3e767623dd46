package org.cbhealth.routes.referral;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.Task;

/**
 * The life of a cross-border referral, on the Task's business status (CodeSystem cbh-task-business-status), and
 * the FHIR Task.status each business status implies.
 *
 * <pre>
 * created ──► received ──► accepted ──► scheduled ──► completed
 *    │           │            │                 (re-scheduled: scheduled ──► scheduled)
 *    ├──► accepted, scheduled (scheduling accepts)
 *    │           └──► scheduled               accepted ──► completed
 *    ├──► declined ◄── received
 *    └──► cancelled ◄── received, accepted, scheduled
 * </pre>
 *
 * completed, declined and cancelled are final. Staying in the same status is allowed (a partner repeating its
 * update gets the same answer), except that a change to scheduled may move the date.
 */
public final class ReferralStateMachine {

    public static final String CREATED = "created";
    public static final String RECEIVED = "received";
    public static final String ACCEPTED = "accepted";
    public static final String DECLINED = "declined";
    public static final String SCHEDULED = "scheduled";
    public static final String COMPLETED = "completed";
    public static final String CANCELLED = "cancelled";

    public static final List<String> STATUSES =
            List.of(CREATED, RECEIVED, ACCEPTED, DECLINED, SCHEDULED, COMPLETED, CANCELLED);

    private static final Map<String, Set<String>> NEXT = Map.of(
            CREATED, Set.of(RECEIVED, ACCEPTED, SCHEDULED, DECLINED, CANCELLED),
            RECEIVED, Set.of(ACCEPTED, SCHEDULED, DECLINED, CANCELLED),
            ACCEPTED, Set.of(SCHEDULED, COMPLETED, CANCELLED),
            SCHEDULED, Set.of(SCHEDULED, COMPLETED, CANCELLED),
            DECLINED, Set.of(),
            COMPLETED, Set.of(),
            CANCELLED, Set.of());

    private ReferralStateMachine() {}

    /**
     * Why {@code from → to} is not allowed, or empty when it is.
     *
     * @param from the current business status (null for a Task without one: only creation states are allowed)
     */
    public static Optional<String> refusal(String from, String to) {
        if (to == null || !NEXT.containsKey(to)) {
            return Optional.of("'" + to + "' is not a referral status; expected one of " + STATUSES);
        }
        if (from == null || from.equals(to)) {
            return Optional.empty();
        }
        if (!NEXT.containsKey(from)) {
            return Optional.of("the current status '" + from + "' is not a referral status");
        }
        Set<String> allowed = NEXT.get(from);
        if (allowed.contains(to)) {
            return Optional.empty();
        }
        return Optional.of("a referral that is " + from + " cannot become " + to
                + (allowed.isEmpty()
                        ? " (" + from + " is final)"
                        : "; from " + from + " it can become " + String.join(", ", sorted(allowed))));
    }

    /** The FHIR Task.status that goes with a business status. */
    public static Task.TaskStatus taskStatus(String businessStatus) {
        return switch (businessStatus) {
            case CREATED -> Task.TaskStatus.REQUESTED;
            case RECEIVED -> Task.TaskStatus.RECEIVED;
            case ACCEPTED, SCHEDULED -> Task.TaskStatus.ACCEPTED;
            case DECLINED -> Task.TaskStatus.REJECTED;
            case COMPLETED -> Task.TaskStatus.COMPLETED;
            case CANCELLED -> Task.TaskStatus.CANCELLED;
            default -> throw new IllegalArgumentException("not a referral status: " + businessStatus);
        };
    }

    /** Whether the status is final. */
    public static boolean isFinal(String businessStatus) {
        return NEXT.getOrDefault(businessStatus, Set.of()).isEmpty();
    }

    private static List<String> sorted(Set<String> statuses) {
        return STATUSES.stream().filter(statuses::contains).toList();
    }
}
