package org.cbhealth.hub.parking;

import java.time.Instant;
import java.util.Map;

/**
 * One entry of the parked-message store, as kept in {@code cbh_parked_message}.
 *
 * @param headers the message's own string properties (partner, referral number, duplicate id...), without the
 *     park headers (they are the other fields) and without Camel and JMS internals
 */
public record ParkedMessage(
        String parkId,
        String partnerId,
        String channel,
        String direction,
        String failedBy,
        String reason,
        String outcomeJson,
        String businessKey,
        String contentType,
        byte[] raw,
        boolean rawIsText,
        Map<String, String> headers,
        String originalAddress,
        Instant parkedAt,
        String state,
        int replayCount,
        Instant lastReplayAt,
        String lastReplayResult,
        Instant purgedAt,
        String purgedBy,
        String purgeReason) {

    public static final String PARKED = "parked";
    public static final String REPLAYING = "replaying";
    public static final String REPLAYED = "replayed";
    public static final String PURGED = "purged";

    public ParkedMessage {
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }
}
