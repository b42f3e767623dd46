package org.cbhealth.routes.referral.out;

import java.util.Map;

/**
 * A message ready for a partner's outbound channel: its text, its content type, and transport headers (for
 * example {@code SOAPAction}). The outbound route only carries it.
 */
public record OutboundMessage(String body, String contentType, Map<String, String> headers) {

    public OutboundMessage {
        headers = Map.copyOf(headers);
    }
}
