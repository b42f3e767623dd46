package org.cbhealth.routes.inbound;

import jakarta.jms.BytesMessage;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;
import java.nio.charset.StandardCharsets;
import org.cbhealth.routes.fhir.InvalidMessageException;

/**
 * Takes the text out of a JMS message without ever deserialising Java objects: only text and bytes
 * messages are accepted (bytes as UTF-8); an ObjectMessage or any other kind is refused by name.
 */
public class JmsPayloadReader {

    private final int maxBytes;

    public JmsPayloadReader(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    public String text(Message message) throws JMSException {
        if (message instanceof TextMessage text) {
            String body = text.getText();
            if (body != null && body.length() > maxBytes) {
                throw new InvalidMessageException(
                        "Message body of " + body.length() + " characters exceeds the limit of " + maxBytes);
            }
            return body;
        }
        if (message instanceof BytesMessage bytes) {
            long length = bytes.getBodyLength();
            if (length > maxBytes) {
                throw new InvalidMessageException(
                        "Message body of " + length + " bytes exceeds the limit of " + maxBytes);
            }
            byte[] buffer = new byte[(int) length];
            bytes.readBytes(buffer);
            return new String(buffer, StandardCharsets.UTF_8);
        }
        String kind = message == null ? "null" : message.getClass().getSimpleName();
        throw new InvalidMessageException(
                "Unsupported JMS message kind " + kind + ": send a TextMessage or BytesMessage with FHIR JSON or XML");
    }

    /**
     * What a parked message keeps of a refused body: the text if it was read, else nothing (a refused
     * object message is never deserialised, so there is no text to keep).
     */
    public String keepable(Object body) {
        return body instanceof String text ? text : "";
    }
}
