package org.cbhealth.hub.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A partner's HL7 v2 sender: one MLLP-framed message over a real socket, and the framed answer read back. */
public final class MllpClient {

    private static final int START = 0x0b;
    private static final int END = 0x1c;
    private static final int CR = 0x0d;

    private MllpClient() {}

    /** Sends the message and returns the acknowledgement's text (segments separated by carriage returns). */
    public static String send(int port, String message) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(START);
            out.write(message.getBytes(StandardCharsets.UTF_8));
            out.write(END);
            out.write(CR);
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            int b = in.read();
            if (b != START) {
                throw new IOException("answer does not start with an MLLP start block: " + b);
            }
            while ((b = in.read()) != END) {
                if (b < 0) {
                    throw new IOException("connection closed inside the answer");
                }
                answer.write(b);
            }
            return answer.toString(StandardCharsets.UTF_8);
        }
    }
}
