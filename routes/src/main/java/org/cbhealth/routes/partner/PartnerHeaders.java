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
