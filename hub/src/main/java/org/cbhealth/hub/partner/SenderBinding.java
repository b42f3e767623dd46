package org.cbhealth.hub.partner;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.security.auth.x500.X500Principal;
import org.cbhealth.hub.audit.HubAudit;
import org.cbhealth.hub.partner.PartnerDefinition.InboundChannel;
import org.cbhealth.routes.hl7.Hl7Error;
import org.cbhealth.routes.hl7.Hl7v2Reader;
import org.cbhealth.routes.hl7.Hl7v2RejectedException;
import org.cbhealth.routes.partner.InboundMessage;
import org.springframework.stereotype.Component;

/**
 * Binds what a message says about its sender to the channel it came in on: an HL7 v2 message's MSH-4 (sending
 * facility) must be one of the channel's {@code sendingFacilities} (by default the partner's id and registry
 * identifier values) and no other partner's, and on an MLLP channel with {@code tls.clientSubject} the client
 * certificate must have that subject. A message in another's name is refused AR with ERR and audited as denied.
 */
@Component
public class SenderBinding {

    /** The channel setting listing the MSH-4 values a channel may send as. */
    public static final String SENDING_FACILITIES = "sendingFacilities";

    /** Attributes the MLLP route gives the handler: the peer's address and its TLS client certificate's subject. */
    public static final String REMOTE_ADDRESS = "remoteAddress";

    public static final String CLIENT_SUBJECT = "clientSubject";

    private final PartnerRegistry registry;
    private final HubAudit audit;

    public SenderBinding(PartnerRegistry registry, HubAudit audit) {
        this.registry = registry;
        this.audit = audit;
    }

    /**
     * Refuses a message whose sender is not the channel's partner.
     *
     * @throws Hl7v2RejectedException AR naming MSH-4 (or MSH, for a wrong client certificate)
     */
    public void check(PartnerDefinition partner, InboundChannel channel, InboundMessage message) {
        if (channel.kind() == PartnerDefinition.ChannelKind.MLLP) {
            checkClientSubject(partner, channel, message);
        }
        if (channel.format() != PartnerDefinition.MessageFormat.HL7V2) {
            return;
        }
        String text = new String(message.body(), StandardCharsets.UTF_8);
        try {
            checkSendingFacility(partner, channel, text);
        } catch (Hl7v2RejectedException refused) {
            audit.denied(new HubAudit.Denial(
                    partner.id(),
                    null,
                    auditChannel(channel),
                    "send",
                    "MSH-4 " + mshField4(text),
                    refused.errors().get(0).text(),
                    message.attribute(REMOTE_ADDRESS)));
            throw refused;
        }
    }

    /**
     * Refuses an HL7 v2 message whose MSH-4 is not one this channel may send as, or is another partner's; nothing is
     * audited (the admin dry-run checks a sample this way).
     *
     * @throws Hl7v2RejectedException AR naming MSH-4
     */
    public void checkSendingFacility(PartnerDefinition partner, InboundChannel channel, String text) {
        Set<String> bound = sendingFacilities(partner, channel);
        Map<String, String> foreign = new HashMap<>();
        for (PartnerRegistry.Running running : registry.partners().values()) {
            PartnerDefinition other = running.definition();
            if (!other.id().equals(partner.id())) {
                for (InboundChannel otherChannel : other.inbound()) {
                    sendingFacilities(other, otherChannel).forEach(f -> foreign.putIfAbsent(f, other.id()));
                }
            }
        }
        // the partner's own identity is never another's (two partners may share a registry value by mistake)
        foreign.keySet().removeAll(bound);
        Hl7v2Reader.checkSendingFacility(text, bound, foreign, partner.id());
    }

    /** The channel's sending facilities: its {@code sendingFacilities}, else the partner's id and registry values. */
    public static Set<String> sendingFacilities(PartnerDefinition partner, InboundChannel channel) {
        Set<String> facilities = new LinkedHashSet<>();
        if (channel.settings().get(SENDING_FACILITIES) instanceof List<?> listed) {
            listed.forEach(f -> facilities.add(String.valueOf(f)));
            return facilities;
        }
        facilities.add(partner.id());
        partner.identifiers().forEach(i -> facilities.add(i.value()));
        return facilities;
    }

    private void checkClientSubject(PartnerDefinition partner, InboundChannel channel, InboundMessage message) {
        String expected = MllpTls.clientSubject(channel.settings());
        if (expected == null) {
            return;
        }
        String presented = message.attribute(CLIENT_SUBJECT);
        if (presented != null && sameSubject(expected, presented)) {
            return;
        }
        String reason = presented == null
                ? "no client certificate was presented; this connection of partner " + partner.id()
                        + " requires the partner's certificate"
                : "client certificate '" + presented + "' is not the certificate of partner " + partner.id();
        audit.denied(new HubAudit.Denial(
                partner.id(),
                null,
                "mllp",
                "send",
                "client certificate " + presented,
                reason,
                message.attribute(REMOTE_ADDRESS)));
        throw new Hl7v2RejectedException(
                Hl7v2RejectedException.AckCode.AR,
                List.of(new Hl7Error("MSH", 1, 0, Hl7Error.UNKNOWN_KEY_IDENTIFIER, reason)));
    }

    /** Where, in the audit's words: the transport of the channel ({@code broker} for a partner's queue). */
    private static String auditChannel(InboundChannel channel) {
        return channel.kind() == PartnerDefinition.ChannelKind.JMS ? "broker" : channel.kind().yaml;
    }

    /** Distinguished names compared as X.500 names (spacing and attribute-name case do not matter). */
    static boolean sameSubject(String expected, String presented) {
        try {
            return new X500Principal(expected).equals(new X500Principal(presented));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String mshField4(String text) {
        if (!text.startsWith("MSH") || text.length() < 8) {
            return "";
        }
        String header = text.split("[\r\n]", 2)[0];
        String[] fields = header.split(java.util.regex.Pattern.quote(String.valueOf(text.charAt(3))), -1);
        return fields.length > 3 ? fields[3] : "";
    }
}
