package org.cbhealth.hub.parking;

import jakarta.jms.BytesMessage;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.cbhealth.hub.messaging.BrokerProperties;
import org.cbhealth.hub.partner.PartnerDefinition;
import org.cbhealth.hub.partner.PartnerRegistry;
import org.cbhealth.routes.partner.PartnerHeaders;
import org.cbhealth.routes.partner.PartnerRouteTemplates;
import org.springframework.stereotype.Component;

/**
 * Turns a message taken from the parked queue or the broker's dead-letter queue into an entry of the
 * {@link ParkedMessageStore}. A parked message says everything in its park headers. A dead letter (the broker gave
 * up after the maximum delivery attempts) is described from where it came from ({@code _AMQ_ORIG_ADDRESS}): a
 * partner's delivery queue {@code hub.outbound.<p>} makes it an outbound message of p, a partner's own inbound
 * queue an inbound message of that partner; the hub is named as the one to act. Bodies are never deserialised
 * (an ObjectMessage keeps no body).
 */
@Component
public class ParkedMessageIntake {

    /** The broker's property naming the address a dead letter was first sent to. */
    static final String ORIGINAL_ADDRESS = "_AMQ_ORIG_ADDRESS";
    /** The broker's duplicate id, kept so an outbound replay can derive a new one. */
    static final String DUPLICATE_ID = "_AMQ_DUPL_ID";
    /** How Camel's JMS binding writes the {@code Content-Type} header as a JMS property. */
    static final String CONTENT_TYPE = "Content_HYPHEN_Type";

    private static final Set<String> PARK_HEADERS = Set.of(
            PartnerHeaders.CHANNEL,
            PartnerHeaders.PARK_REASON,
            PartnerHeaders.FAILED_BY,
            PartnerHeaders.BUSINESS_KEY,
            PartnerHeaders.OPERATION_OUTCOME,
            PartnerHeaders.DIRECTION,
            PartnerHeaders.PARK_ID,
            PartnerHeaders.STORED_IDS,
            PartnerHeaders.REFUSED_PARTS);

    private final PartnerRegistry registry;
    private final BrokerProperties broker;

    public ParkedMessageIntake(PartnerRegistry registry, BrokerProperties broker) {
        this.registry = registry;
        this.broker = broker;
    }

    /** An entry of a message from the parked queue. */
    public ParkedMessage fromParkedQueue(Message message) throws JMSException {
        return entry(message, false);
    }

    /** An entry of a message from the dead-letter queue. */
    public ParkedMessage fromDeadLetters(Message message) throws JMSException {
        return entry(message, true);
    }

    private ParkedMessage entry(Message message, boolean deadLetter) throws JMSException {
        String originalAddress = message.getStringProperty(ORIGINAL_ADDRESS);
        String partner = message.getStringProperty(PartnerHeaders.PARTNER);
        String direction = message.getStringProperty(PartnerHeaders.DIRECTION);
        String channel = message.getStringProperty(PartnerHeaders.CHANNEL);
        String reason = message.getStringProperty(PartnerHeaders.PARK_REASON);
        String failedBy = message.getStringProperty(PartnerHeaders.FAILED_BY);
        String parkId = message.getStringProperty(PartnerHeaders.PARK_ID);
        if (deadLetter) {
            Origin origin = origin(originalAddress);
            partner = partner != null ? partner : origin.partner();
            channel = channel != null ? channel : origin.channel();
            direction = origin.direction() != null ? origin.direction() : direction;
            failedBy = "hub";
            reason = "gave up after " + broker.maxDeliveryAttempts() + " delivery attempts on "
                    + (originalAddress == null ? "an unknown queue" : originalAddress)
                    + (reason == null ? "" : "; parked before: " + reason);
        }
        if (parkId == null) {
            parkId = message.getJMSMessageID();
        }
        Body body = body(message);
        if (body.note() != null) {
            reason = (reason == null ? "" : reason + "; ") + body.note();
        }
        return new ParkedMessage(
                parkId,
                partner,
                channel,
                direction == null ? "inbound" : direction,
                failedBy == null ? "hub" : failedBy,
                reason == null ? "no reason given" : reason,
                message.getStringProperty(PartnerHeaders.OPERATION_OUTCOME),
                businessKey(message),
                message.getStringProperty(CONTENT_TYPE),
                body.bytes(),
                body.text(),
                headers(message),
                originalAddress,
                Instant.now(),
                ParkedMessage.PARKED,
                0,
                null,
                null,
                null,
                null,
                null);
    }

    /** Which partner, channel and direction a queue belongs to. */
    record Origin(String partner, String channel, String direction) {}

    Origin origin(String address) {
        if (address == null) {
            return new Origin(null, null, null);
        }
        String outbound = PartnerRouteTemplates.deliveryQueue("");
        if (address.startsWith(outbound) && address.length() > outbound.length()) {
            return new Origin(address.substring(outbound.length()), "outbound", "outbound");
        }
        for (PartnerDefinition partner : registry.partners().values().stream()
                .map(PartnerRegistry.Running::definition)
                .toList()) {
            for (PartnerDefinition.InboundChannel channel : partner.inbound()) {
                if (channel.kind() == PartnerDefinition.ChannelKind.JMS
                        && address.equals(String.valueOf(channel.settings().get("queue")))) {
                    return new Origin(partner.id(), channel.name(), "inbound");
                }
            }
        }
        return new Origin(null, null, null);
    }

    private static String businessKey(Message message) throws JMSException {
        String key = message.getStringProperty(PartnerHeaders.BUSINESS_KEY);
        if (key == null) {
            key = message.getStringProperty(DUPLICATE_ID);
        }
        return key != null ? key : message.getJMSMessageID();
    }

    private record Body(byte[] bytes, boolean text, String note) {}

    private static Body body(Message message) throws JMSException {
        if (message instanceof TextMessage text) {
            String body = text.getText();
            return new Body(body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8), true, null);
        }
        if (message instanceof BytesMessage bytes) {
            byte[] body = new byte[(int) bytes.getBodyLength()];
            bytes.readBytes(body);
            return new Body(body, false, null);
        }
        return new Body(
                null, false, "a " + message.getClass().getSimpleName() + " body is not kept (only text and bytes are)");
    }

    /** String properties of the message's own, without park headers and Camel, JMS and broker internals. */
    @SuppressWarnings("unchecked")
    private static Map<String, String> headers(Message message) throws JMSException {
        Map<String, String> headers = new TreeMap<>();
        for (String name : Collections.list((java.util.Enumeration<String>) message.getPropertyNames())) {
            if (PARK_HEADERS.contains(name)
                    || name.startsWith("JMS")
                    || name.startsWith("Camel")
                    || name.startsWith("breadcrumb")
                    || (name.startsWith("_AMQ") && !DUPLICATE_ID.equals(name))
                    || name.startsWith("__AMQ")) {
                continue;
            }
            Object value = message.getObjectProperty(name);
            if (value instanceof String text) {
                headers.put(name, text);
            } else if (value instanceof byte[] bytes && DUPLICATE_ID.equals(name)) {
                headers.put(name, new String(bytes, StandardCharsets.UTF_8));
            }
        }
        String duplicateId = message.getStringProperty(DUPLICATE_ID);
        if (duplicateId != null) {
            headers.put(DUPLICATE_ID, duplicateId);
        }
        return headers;
    }
}
