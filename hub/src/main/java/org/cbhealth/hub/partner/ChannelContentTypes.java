package org.cbhealth.hub.partner;

import java.util.List;
import java.util.Locale;
import org.cbhealth.hub.partner.PartnerDefinition.InboundChannel;
import org.cbhealth.hub.partner.PartnerDefinition.MessageFormat;
import org.cbhealth.routes.fhir.InvalidMessageException;

/**
 * The media types a channel's format is sent in, for the content type a queue's sender declares (JMS string
 * property {@code contentType}): one the channel does not take, or a charset other than UTF-8, refuses the
 * message naming both. Without a declaration the channel's format is assumed.
 */
final class ChannelContentTypes {

    private ChannelContentTypes() {}

    static List<String> accepted(MessageFormat format) {
        return switch (format) {
            case FHIR -> List.of(
                    "application/fhir+json", "application/fhir+xml", "application/json", "application/xml");
            case JSON -> List.of("application/json");
            case HL7V2 -> List.of("x-application/hl7-v2+er7", "application/hl7-v2", "text/plain");
            case CSV -> List.of("text/csv", "text/plain");
            case XML -> List.of("application/xml", "text/xml");
        };
    }

    /** @throws InvalidMessageException when the declared type is not one the channel takes */
    static void check(InboundChannel channel, String declared) {
        String[] parts = declared.split(";");
        String type = parts[0].trim().toLowerCase(Locale.ROOT);
        List<String> accepted = accepted(channel.format());
        if (!accepted.contains(type)) {
            throw new InvalidMessageException("content type '" + declared + "' is not taken on channel '"
                    + channel.name() + "' (format " + channel.format().yaml + "); send one of "
                    + String.join(", ", accepted));
        }
        for (int i = 1; i < parts.length; i++) {
            String[] parameter = parts[i].trim().split("=", 2);
            if (parameter.length == 2
                    && parameter[0].trim().equalsIgnoreCase("charset")
                    && !parameter[1].trim().replace("\"", "").equalsIgnoreCase("UTF-8")) {
                throw new InvalidMessageException("content type '" + declared + "': charset " + parameter[1].trim()
                        + " is not read on channel '" + channel.name() + "'; send UTF-8");
            }
        }
    }
}
