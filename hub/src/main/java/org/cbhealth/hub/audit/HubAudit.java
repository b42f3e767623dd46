package org.cbhealth.hub.audit;

import java.util.List;
import org.cbhealth.profiles.CbhCanonical;

/**
 * The hub's audit trail of exchanges and refused access, kept as FHIR AuditEvents (IHE Basic Audit Log Patterns
 * for the REST interactions on {@code /fhir}; the events here complete it for the partners' channels and for
 * every access the hub refused). Callers never put patient data in {@code detail}: a reason, a location in the
 * message, a business key (MSH-10, a referral number) at most.
 */
public interface HubAudit {

    /** The code system of {@link Step}: each event the hub writes carries one as {@code AuditEvent.subtype}. */
    String STEP_SYSTEM = CbhCanonical.BASE + "/CodeSystem/audit-step";

    /** The identifier system of partner ids, in {@code AuditEvent.agent.who.identifier} (and {@code altId}). */
    String PARTNER_SYSTEM = CbhCanonical.BASE + "/sid/partner";

    /** The identifier system of staff user names, in {@code AuditEvent.agent.who.identifier}. */
    String STAFF_SYSTEM = CbhCanonical.BASE + "/sid/staff";

    /** What happened. */
    enum Step {
        /** A partner's message was accepted on one of its channels (stored, or answered as the original copy). */
        RECEIVED("received"),
        /** A partner's message was refused (bad input, not allowed); it is parked. */
        REFUSED("refused"),
        /** A message was handed to a partner's system on its outbound channel. */
        DELIVERED("delivered"),
        /** A partner's system refused a delivery; the message is parked. */
        DELIVERY_REFUSED("delivery-refused"),
        /** An access was refused: no such right (FHIR, a partner channel, the broker, MLLP). */
        DENIED("denied");

        private final String code;

        Step(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    /** {@code AuditEvent.outcome}. */
    enum Outcome {
        SUCCESS("0"),
        MINOR_FAILURE("4"),
        SERIOUS_FAILURE("8");

        private final String code;

        Outcome(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    /**
     * One step of a partner's message through the hub.
     *
     * @param partnerId the partner that sent (received, refused) or that was sent to (delivered)
     * @param channel the partner's channel name ({@code outbound} for its delivery channel)
     * @param businessKey MSH-10, referral or application number, file name, JMS message id; may be null
     * @param resources references of the stored resources it concerns ({@code Task/12/_history/1}); may be empty
     * @param detail why, for a refusal; never patient data
     */
    record Exchange(
            Step step,
            String partnerId,
            String channel,
            String businessKey,
            List<String> resources,
            Outcome outcome,
            String detail) {

        public Exchange {
            resources = resources == null ? List.of() : List.copyOf(resources);
        }
    }

    /**
     * An access the hub refused.
     *
     * @param partnerId the partner that tried, when known (a partner token, a broker user, an MLLP connection)
     * @param staffUser the staff member that tried, when it was one
     * @param channel where: {@code fhir}, {@code rest}, {@code broker}, {@code mllp}, {@code oauth}, {@code admin}
     * @param action what was tried: a FHIR interaction ({@code read}, {@code search-type}, {@code transaction}...),
     *     {@code send}, {@code consume}, ...
     * @param target what it aimed at: a resource type or id, a queue, a sending facility; never patient data
     * @param reason why it was refused
     * @param address the caller's network address, when known
     */
    record Denial(
            String partnerId,
            String staffUser,
            String channel,
            String action,
            String target,
            String reason,
            String address) {}

    void exchange(Exchange exchange);

    void denied(Denial denial);
}
