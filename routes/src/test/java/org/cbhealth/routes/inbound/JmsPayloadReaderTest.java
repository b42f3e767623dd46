package org.cbhealth.routes.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.jms.BytesMessage;
import jakarta.jms.Message;
import jakarta.jms.ObjectMessage;
import java.lang.reflect.Proxy;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.cbhealth.routes.fhir.InvalidMessageException;
import org.junit.jupiter.api.Test;

class JmsPayloadReaderTest {

    private final JmsPayloadReader reader = new JmsPayloadReader(64);

    @Test
    void shouldReadUtf8Bytes() throws Exception {
        assertThat(reader.text(bytesMessage("Штип".getBytes(StandardCharsets.UTF_8))))
                .isEqualTo("Штип");
    }

    @Test
    void shouldRefuseBytesThatAreNotUtf8NamingTheFirstBadByteAndKeepThemRaw() {
        byte[] cyrillic = "ok Штип".getBytes(Charset.forName("ISO-8859-5"));
        BytesMessage message = bytesMessage(cyrillic);

        assertThatThrownBy(() -> reader.text(message))
                .isInstanceOf(InvalidMessageException.class)
                .hasMessage("BytesMessage body is not UTF-8 text (byte 3 is not): send FHIR JSON or XML, HL7 v2"
                        + " or CSV encoded in UTF-8");
        assertThat((byte[]) reader.keepableOf(null, message)).isEqualTo(cyrillic);
    }

    @Test
    void shouldRefuseABodyOverTheLimit() {
        assertThatThrownBy(() -> reader.text(bytesMessage(new byte[65])))
                .isInstanceOf(InvalidMessageException.class)
                .hasMessage("Message body of 65 bytes exceeds the limit of 64");
    }

    @Test
    void shouldRefuseAnObjectMessageByKindWithoutReadingIt() {
        ObjectMessage object = (ObjectMessage) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {ObjectMessage.class}, (proxy, method, args) -> {
                    throw new AssertionError("an object message was touched: " + method.getName());
                });

        assertThatThrownBy(() -> reader.text(object))
                .isInstanceOf(InvalidMessageException.class)
                .hasMessageStartingWith("Unsupported JMS message kind ");
        assertThat(reader.keepableOf(null, object)).isEqualTo("");
    }

    /** A bytes message over an array: body length, reading from a cursor, reset. */
    private static BytesMessage bytesMessage(byte[] body) {
        int[] cursor = {0};
        return (BytesMessage) Proxy.newProxyInstance(
                JmsPayloadReaderTest.class.getClassLoader(),
                new Class<?>[] {BytesMessage.class, Message.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getBodyLength" -> (long) body.length;
                    case "reset" -> {
                        cursor[0] = 0;
                        yield null;
                    }
                    case "readBytes" -> {
                        byte[] into = (byte[]) args[0];
                        int n = Math.min(into.length, body.length - cursor[0]);
                        System.arraycopy(body, cursor[0], into, 0, n);
                        cursor[0] += n;
                        yield n;
                    }
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
