package org.cbhealth.bench.faults;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** MLLP framing (HL7 v2 transport): start block 0x0B, the message in UTF-8, end block 0x1C, carriage return. */
final class MllpFrames {

    private static final int START_BLOCK = 0x0b;
    private static final int END_BLOCK = 0x1c;
    private static final int CARRIAGE_RETURN = 0x0d;

    private MllpFrames() {}

    static byte[] frame(String message) {
        byte[] body = message.getBytes(StandardCharsets.UTF_8);
        byte[] frame = new byte[body.length + 3];
        frame[0] = START_BLOCK;
        System.arraycopy(body, 0, frame, 1, body.length);
        frame[body.length + 1] = END_BLOCK;
        frame[body.length + 2] = CARRIAGE_RETURN;
        return frame;
    }

    /** The next framed message's text, or null when the peer closed the connection between messages. */
    static String read(InputStream input) throws IOException {
        int b = input.read();
        while (b == '\n' || b == '\r') {
            b = input.read();
        }
        if (b < 0) {
            return null;
        }
        if (b != START_BLOCK) {
            throw new IOException("frame without a start block");
        }
        ByteArrayOutputStream message = new ByteArrayOutputStream(1024);
        while ((b = input.read()) != END_BLOCK) {
            if (b < 0) {
                throw new IOException("connection closed inside a frame");
            }
            message.write(b);
        }
        if (input.read() != CARRIAGE_RETURN) {
            throw new IOException("frame not ended by a carriage return");
        }
        return message.toString(StandardCharsets.UTF_8);
    }
}
