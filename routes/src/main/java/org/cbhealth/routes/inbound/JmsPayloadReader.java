package org.cbhealth.routes.inbound;

import jakarta.jms.BytesMessage;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.cbhealth.routes.fhir.InvalidMessageException;

/**
 * Takes the text out of a JMS message without ever deserialising Java objects: only text and bytes
 * messages are accepted (bytes as UTF-8, refused naming the first byte that is not); an ObjectMessage or any other
 * kind is refused by name.
 */
public class JmsPayloadReader {

    /** The string property a sender declares its body's media type in, e.g. {@code application/fhir+json}. */
    public static final String CONTENT_TYPE_PROPERTY = "contentType";

    private final int maxBytes;

    public JmsPayloadReader(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** The largest body accepted, in bytes (characters for a text message). */
    public int maxBytes() {
        return maxBytes;
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
            return utf8(buffer);
        }
        String kind = message == null ? "null" : message.getClass().getSimpleName();
        throw new InvalidMessageException(
                "Unsupported JMS message kind " + kind + ": send a TextMessage or BytesMessage with FHIR JSON or XML");
    }

    /**
     * What a parked message keeps of a refused body: the text if it was read; else the bytes of a bytes message
     * (one that is not UTF-8 is kept as it came); else nothing (a refused object message is never deserialised,
     * so there is no text to keep).
     */
    public Object keepableOf(Object text, Message original) {
        if (text instanceof String read) {
            return read;
        }
        if (original instanceof BytesMessage bytes) {
            try {
                if (bytes.getBodyLength() <= maxBytes) {
                    bytes.reset();
                    byte[] buffer = new byte[(int) bytes.getBodyLength()];
                    bytes.readBytes(buffer);
                    return buffer;
                }
            } catch (JMSException e) {
                return "";
            }
        }
        return "";
    }

    /** What a parked message keeps of a text already read (see {@link #keepableOf}). */
    public String keepable(Object text) {
        return text instanceof String read ? read : "";
    }

    private static String utf8(byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        try {
            return decoder.decode(in).toString();
        } catch (CharacterCodingException e) {
            throw new InvalidMessageException("BytesMessage body is not UTF-8 text (byte " + in.position()
                    + " is not): send FHIR JSON or XML, HL7 v2 or CSV encoded in UTF-8");
        }
    }
}
