package org.cbhealth.hub.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A partner's HL7 v2 receiver on a real socket: reads MLLP frames on any number of connections, keeps each
 * message, and answers ACK AA (MSA-2 = the message's MSH-10), as a hospital system would.
 */
public final class MllpListener implements AutoCloseable {

    private static final int START = 0x0b;
    private static final int END = 0x1c;
    private static final int CR = 0x0d;

    private final ServerSocket server;
    private final BlockingQueue<String> received = new LinkedBlockingQueue<>();
    private final Thread acceptor;

    public MllpListener() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = new Thread(this::accept, "it-mllp-listener-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** The next message received, waiting at most the given time; null when none came. */
    public String next(long timeout, TimeUnit unit) throws InterruptedException {
        return received.poll(timeout, unit);
    }

    /** How many messages were received and not yet taken. */
    public int waiting() {
        return received.size();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                Thread connection = new Thread(() -> serve(socket), "it-mllp-connection");
                connection.setDaemon(true);
                connection.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            while (true) {
                int b = in.read();
                if (b < 0) {
                    return;
                }
                if (b != START) {
                    continue;
                }
                ByteArrayOutputStream frame = new ByteArrayOutputStream();
                while ((b = in.read()) != END) {
                    if (b < 0) {
                        return;
                    }
                    frame.write(b);
                }
                in.read(); // the CR after the end block
                String message = frame.toString(StandardCharsets.UTF_8);
                received.add(message);
                out.write(START);
                out.write(ack(message).getBytes(StandardCharsets.UTF_8));
                out.write(END);
                out.write(CR);
                out.flush();
            }
        } catch (SocketException closed) {
            // the hub closed the connection
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String ack(String message) {
        String msh = message.split("\r", 2)[0];
        String[] fields = msh.split("\\|", -1);
        String controlId = fields.length > 9 ? fields[9] : "";
        return "MSH|^~\\&|PARTNER|PARTNER|CBHEALTH-HUB|CBHEALTH|20261125120000||ACK|ACK-" + controlId
                + "|P|2.5.1\rMSA|AA|" + controlId + "\r";
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
