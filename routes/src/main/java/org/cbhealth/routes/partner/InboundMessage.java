package org.cbhealth.routes.partner;

import java.util.Map;
import java.util.Objects;

/**
 * One message as it arrived on a partner's channel: which partner, which channel, the raw bytes, and what the
 * transport knew of them (file name, content type, charset).
 */
public record InboundMessage(String partnerId, String channel, byte[] body, Map<String, String> attributes) {

    /** The content type a queue's sender declared; the handler refuses one the channel's format is not sent in. */
    public static final String DECLARED_CONTENT_TYPE = "declaredContentType";

    public InboundMessage {
        Objects.requireNonNull(partnerId, "partnerId");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(body, "body");
        attributes = Map.copyOf(attributes);
    }

    public String attribute(String name) {
        return attributes.get(name);
    }
}
