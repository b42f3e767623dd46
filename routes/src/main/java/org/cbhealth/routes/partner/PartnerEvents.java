package org.cbhealth.routes.partner;

/**
 * What the partner routes report about their messages, for the counters of the admin API and metrics and for the
 * hub's audit trail.
 */
public interface PartnerEvents {

    /** A message was parked (kept with its reason) instead of processed. */
    void parked(String partnerId);

    /** A message was handed to the partner's system on its outbound channel. */
    void delivered(String partnerId);

    /**
     * A message was handed to the partner's system on its outbound channel: what the delivery routes report (the
     * default counts it as {@link #delivered(String)}).
     *
     * @param businessKey the hub's referral number of the message, else its outbox key or JMS message id; null
     *     when none is known. Never patient data.
     */
    default void delivered(String partnerId, String businessKey) {
        delivered(partnerId);
    }

    /** A delivery attempt failed; the message stays queued for redelivery. */
    void deliveryFailed(String partnerId);

    /** A poll of the partner's system brought nothing (not reachable, a fault, incomplete); the next poll asks again. */
    default void pollFailed(String partnerId) {}
}
