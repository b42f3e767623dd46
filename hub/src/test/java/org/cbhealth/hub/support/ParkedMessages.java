package org.cbhealth.hub.support;

import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/**
 * What the hub has parked, as tests see it: one place to ask, whatever keeps parked messages. ITs assert parking
 * through this class only, so the way parked messages are kept can change without touching them.
 *
 * <p>Now it browses the parked queue {@code hub.parked}.
 */
public final class ParkedMessages {

    /** One parked message: who sent it on which channel, which way it went, who must act, why, and its raw text. */
    public record Parked(
            String partner,
            String channel,
            String direction,
            String failedBy,
            String reason,
            String businessKey,
            String raw) {}

    private final String brokerUrl;

    public ParkedMessages(String brokerUrl) {
        this.brokerUrl = brokerUrl;
    }

    /** Every parked message of the partner, oldest first. */
    public List<Parked> of(String partner) {
        try (var connection = new ActiveMQConnectionFactory(brokerUrl).createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            connection.start();
            List<Parked> parked = new ArrayList<>();
            try (QueueBrowser browser = session.createBrowser(
                    session.createQueue("hub.parked"), "CBHealthPartner = '" + partner.replace("'", "''") + "'")) {
                for (Object element : Collections.list(browser.getEnumeration())) {
                    Message message = (Message) element;
                    parked.add(new Parked(
                            message.getStringProperty("CBHealthPartner"),
                            message.getStringProperty("CBHealthChannel"),
                            message.getStringProperty("CBHealthDirection"),
                            message.getStringProperty("CBHealthFailedBy"),
                            message.getStringProperty("CBHealthParkReason"),
                            message.getStringProperty("CBHealthBusinessKey"),
                            raw(message)));
                }
            }
            return parked;
        } catch (JMSException e) {
            throw new IllegalStateException("could not browse the parked messages", e);
        }
    }

    /** The text kept; bytes kept as they came (not text in UTF-8) one character per byte (ISO-8859-1). */
    private static String raw(Message message) throws JMSException {
        if (message instanceof TextMessage text) {
            return text.getText();
        }
        if (message instanceof jakarta.jms.BytesMessage) {
            byte[] bytes = message.getBody(byte[].class);
            return bytes == null ? "" : new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
        }
        return message.getBody(String.class);
    }

    /** How many messages of the partner are parked. */
    public int count(String partner) {
        return of(partner).size();
    }

    /** How many messages of the partner are parked with that party to act ({@code sender}, {@code hub}, {@code receiver}). */
    public int count(String partner, String failedBy) {
        return (int)
                of(partner).stream().filter(p -> failedBy.equals(p.failedBy())).count();
    }
}
