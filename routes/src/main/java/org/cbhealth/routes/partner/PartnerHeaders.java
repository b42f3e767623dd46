package org.cbhealth.routes.partner;

/** Camel headers the partner routes set; they travel with a message to the parked queue. */
public final class PartnerHeaders {

    /** The partner's id. */
    public static final String PARTNER = "CBHealthPartner";
    /** The name of the partner's channel the message arrived on. */
    public static final String CHANNEL = "CBHealthChannel";
    /** Why the message was parked. */
    public static final String PARK_REASON = "CBHealthParkReason";
    /** Who must act on a parked message: sender, hub or receiver. */
    public static final String FAILED_BY = "CBHealthFailedBy";
    /**
     * The message's business key where the route knows it (MSH-10, the placer or hub referral number, the file
     * name, a JMS message id): shown with a parked message and used to find it.
     */
    public static final String BUSINESS_KEY = "CBHealthBusinessKey";
    /** The OperationOutcome (FHIR JSON) of a refusal, when the route has one; else the reason is the only text. */
    public static final String OPERATION_OUTCOME = "CBHealthOperationOutcome";
    /** Which way a parked message was going: {@code inbound} (from the partner) or {@code outbound} (to it). */
    public static final String DIRECTION = "CBHealthDirection";
    /**
     * A unique id given to a message when it is parked; the parked store's key, so a parked message consumed twice
     * (a crash between store and commit) is kept once.
     */
    public static final String PARK_ID = "CBHealthParkId";
    /** Set on a message the hub replays from the parked store: the parked message's id. */
    public static final String REPLAY_OF = "CBHealthReplayOf";
    /**
     * What a directory message covers, {@code full} or {@code partial}, as the sender said it (a REST channel's
     * {@code scope} query parameter); the route passes it on as the message attribute {@code
     * cbhealth.directory.scope}.
     */
    public static final String DIRECTORY_SCOPE = "CBHealthDirectoryScope";
    /** The versioned ids of the resources a message produced, comma separated. */
    public static final String STORED_IDS = "CBHealthStoredIds";
    /** The parts of a message refused while the rest was kept, one per line with location and reason. */
    public static final String REFUSED_PARTS = "CBHealthRefusedParts";

    private PartnerHeaders() {}
}
