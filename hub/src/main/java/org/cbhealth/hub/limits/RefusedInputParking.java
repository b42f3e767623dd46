package org.cbhealth.hub.limits;

import java.util.HashMap;
import java.util.Map;
import org.apache.camel.ProducerTemplate;
import org.cbhealth.hub.partner.PartnerDefinition.ChannelKind;
import org.cbhealth.hub.partner.PartnerRegistry;
import org.cbhealth.routes.partner.PartnerHeaders;

/**
 * Keeps what a partner's REST channel refused before its route saw it (too large, a gzip bomb, a content coding the
 * hub does not read) on the parked queue, with the partner, channel, reason and {@code sender} as who must act — the
 * same headers the channel's route sets on what it parks. Only for a REST channel the partner has: what is sent to
 * an address that is no channel is answered, not kept.
 */
public class RefusedInputParking {

    private final PartnerRegistry registry;
    private final ProducerTemplate producer;
    private final String parkedQueue;

    public RefusedInputParking(PartnerRegistry registry, ProducerTemplate producer, String parkedQueue) {
        this.registry = registry;
        this.producer = producer;
        this.parkedQueue = parkedQueue;
    }

    /**
     * @param kept the raw body, or null when it was too large to keep (then only the reason is kept)
     */
    public void park(String partner, String channel, String reason, String contentType, byte[] kept) {
        boolean channelExists = registry.definition(partner)
                .map(p -> p.inbound().stream().anyMatch(c -> c.name().equals(channel) && c.kind() == ChannelKind.REST))
                .orElse(false);
        if (!channelExists) {
            return;
        }
        Map<String, Object> headers = new HashMap<>();
        headers.put(PartnerHeaders.PARTNER, partner);
        headers.put(PartnerHeaders.CHANNEL, channel);
        headers.put(PartnerHeaders.PARK_REASON, reason);
        headers.put(PartnerHeaders.FAILED_BY, "sender");
        headers.put(PartnerHeaders.DIRECTION, "inbound");
        if (contentType != null) {
            headers.put("Content-Type", contentType);
        }
        producer.sendBodyAndHeaders(
                "jms:queue:" + parkedQueue + "?exchangePattern=InOnly", kept == null ? new byte[0] : kept, headers);
    }
}
