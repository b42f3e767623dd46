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
        return send(port, message.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends the bytes as they are, framed, and returns the acknowledgement's text (read as UTF-8). */
    public static String send(int port, byte[] message) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(START);
            out.write(message);
            out.write(END);
            out.write(CR);
            out.flush();
            return readAnswer(socket.getInputStream());
        }
    }

    /**
     * Sends the message over TLS (the client's keys and trusted certificates in {@code tls}) and returns the
     * acknowledgement's text; an {@link IOException} when the handshake is refused or no answer comes.
     */
    public static String sendTls(int port, String message, javax.net.ssl.SSLContext tls) throws IOException {
        try (javax.net.ssl.SSLSocket socket =
                (javax.net.ssl.SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            socket.startHandshake();
            OutputStream out = socket.getOutputStream();
            out.write(START);
            out.write(message.getBytes(StandardCharsets.UTF_8));
            out.write(END);
            out.write(CR);
            out.flush();
            return readAnswer(socket.getInputStream());
        }
    }

    /**
     * Writes raw bytes (no framing added) and waits for the hub's answer: the acknowledgement's text, or null when
     * the hub closed or reset the connection without one.
     */
    public static String answerOrClose(int port, byte[] raw) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(60_000);
            try {
                socket.getOutputStream().write(raw);
                socket.getOutputStream().flush();
                return readAnswer(socket.getInputStream());
            } catch (java.net.SocketException | java.io.EOFException closed) {
                return null;
            }
        }
    }

    /** Writes raw bytes and closes the connection at once, as a sender that crashed mid-frame. */
    public static void cutAfter(int port, byte[] raw) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.getOutputStream().write(raw);
            socket.getOutputStream().flush();
        }
    }

    /** An MLLP start block followed by the text, without the end block. */
    public static byte[] unterminated(String text) {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        byte[] raw = new byte[body.length + 1];
        raw[0] = START;
        System.arraycopy(body, 0, raw, 1, body.length);
        return raw;
    }

    private static String readAnswer(InputStream in) throws IOException {
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        int b = in.read();
        if (b < 0) {
            throw new java.io.EOFException("closed without an answer");
        }
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
