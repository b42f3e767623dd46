package org.cbhealth.routes.partner;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.cbhealth.routes.hl7.Hl7v2Reader;

/**
 * The sender's own id of a message, by which its copies are recognised (idempotent consumption): MSH-10 of an HL7
 * v2 message, {@code applicationNumber} of a JSON treatment-abroad application. Read without parsing the whole
 * message; empty when the message has none (it is then refused by its format's checks) or one longer than
 * {@value #MAX_LENGTH} characters.
 */
public final class MessageKeys {

    public static final int MAX_LENGTH = 255;

    private static final JsonFactory JSON = new JsonFactory();

    private MessageKeys() {}

    /** MSH-10 of an HL7 v2 message. */
    public static Optional<String> hl7v2(byte[] body) {
        return usable(Hl7v2Reader.controlIdOf(new String(body, StandardCharsets.UTF_8)));
    }

    /** The top-level {@code applicationNumber} of a JSON application (streamed: the rest is not read). */
    public static Optional<String> applicationNumber(byte[] body) {
        try (JsonParser parser = JSON.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return Optional.empty();
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("applicationNumber".equals(name)) {
                    return value == JsonToken.VALUE_STRING ? usable(parser.getText()) : Optional.empty();
                }
                parser.skipChildren();
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> usable(String key) {
        return key == null || key.isBlank() || key.length() > MAX_LENGTH ? Optional.empty() : Optional.of(key);
    }
}
