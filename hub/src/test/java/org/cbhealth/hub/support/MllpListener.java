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
 * message, and answers ACK AA (MSA-2 = the message's MSH-10), as a hospital system would; or AE with an ERR
 * segment for a message it is told to refuse. Closing it closes its connections too (the system is down); a new
 * listener on the same port is the system back.
 */
public final class MllpListener implements AutoCloseable {

    private static final int START = 0x0b;
    private static final int END = 0x1c;
    private static final int CR = 0x0d;

    private final ServerSocket server;
    private final BlockingQueue<String> received = new LinkedBlockingQueue<>();
    private final Thread acceptor;
    private final java.util.Set<Socket> connections = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile java.util.function.Predicate<String> refuse = message -> false;
    private volatile String refusalText = "";

    public MllpListener() throws IOException {
        this(0);
    }

    /** A listener on that port of the loopback interface (0: any free port). */
    public MllpListener(int port) throws IOException {
        server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
        acceptor = new Thread(this::accept, "it-mllp-listener-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /**
     * A listener over TLS on any free port of the loopback interface: its certificate and trusted certificates in
     * {@code tls}; with {@code needClientAuth} a client must present a certificate it trusts.
     */
    public MllpListener(javax.net.ssl.SSLContext tls, boolean needClientAuth) throws IOException {
        javax.net.ssl.SSLServerSocket secure =
                (javax.net.ssl.SSLServerSocket) tls.getServerSocketFactory().createServerSocket();
        secure.setNeedClientAuth(needClientAuth);
        server = secure;
        server.setReuseAddress(true);
        server.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        acceptor = new Thread(this::accept, "it-mllp-tls-listener-" + server.getLocalPort());
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

    /** Answers AE, with an ERR segment whose user message (ERR-8) is the text, to the messages that match. */
    public void refuse(java.util.function.Predicate<String> messages, String text) {
        this.refusalText = text;
        this.refuse = messages;
    }

    /** How many messages were received and not yet taken. */
    public int waiting() {
        return received.size();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                connections.add(socket);
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
            socket.setSoLinger(true, 0);
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
                String answer = refuse.test(message) ? refusal(message, refusalText) : ack(message);
                out.write(answer.getBytes(StandardCharsets.UTF_8));
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

    private static String refusal(String message, String text) {
        return ack(message).replace("MSA|AA|", "MSA|AE|") + "ERR||RF1^1^6|207^Application internal error^HL70357|E||||"
                + text + "\r";
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket connection : connections) {
            connection.close();
        }
    }
}
