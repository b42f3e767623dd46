package org.cbhealth.bench.faults;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.parser.PipeParser;
import ca.uhn.hl7v2.util.Terser;
import ca.uhn.hl7v2.validation.impl.ValidationContextFactory;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The destination hospital's system: an MLLP listener on a fixed loopback port that the hub delivers referrals to.
 * It records every message it receives (MSH-10, message type, the hub's referral number RF1-6, the referrer's number
 * RF1-11, arrival time) before it answers ACK AA, as a receiver that has the message does. {@link #close()} takes it
 * down (server socket and every open connection), {@link #open()} brings it back on the same port: the harness's
 * "destination partner down".
 */
final class DestinationListener implements AutoCloseable {

    /** One message as received. */
    record Receipt(long nanos, String controlId, String messageType, String hubNumber, String referrerNumber) {}

    private static final DateTimeFormatter HL7_TS =
            DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC);

    private final int port;
    private final List<Receipt> receipts = new ArrayList<>();
    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
    private final AtomicLong unreadable = new AtomicLong();
    private final PipeParser parser;
    private volatile ServerSocket server;

    DestinationListener(int port) {
        this.port = port;
        HapiContext hapi = new DefaultHapiContext();
        hapi.setValidationContext(ValidationContextFactory.noValidation());
        this.parser = hapi.getPipeParser();
    }

    int port() {
        return port;
    }

    /** Opens the listener (again) on its port. */
    synchronized void open() throws IOException {
        if (server != null) {
            return;
        }
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
        server = socket;
        Thread acceptor = new Thread(() -> accept(socket), "destination-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Takes the listener down: no new connections, every open one cut. */
    @Override
    public synchronized void close() {
        ServerSocket socket = server;
        server = null;
        quietly(socket);
        for (Socket connection : connections) {
            quietly(connection);
        }
        connections.clear();
    }

    boolean isOpen() {
        return server != null;
    }

    List<Receipt> receipts() {
        synchronized (receipts) {
            return List.copyOf(receipts);
        }
    }

    int receiptCount() {
        synchronized (receipts) {
            return receipts.size();
        }
    }

    /** Frames that were not readable HL7 v2 (answered AR, not recorded as receipts). */
    long unreadable() {
        return unreadable.get();
    }

    private void accept(ServerSocket socket) {
        while (!socket.isClosed()) {
            try {
                Socket connection = socket.accept();
                connections.add(connection);
                if (server != socket) {
                    quietly(connection);
                    return;
                }
                Thread reader = new Thread(() -> serve(connection), "destination-connection");
                reader.setDaemon(true);
                reader.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket connection) {
        try (connection) {
            InputStream in = new BufferedInputStream(connection.getInputStream());
            OutputStream out = connection.getOutputStream();
            String text;
            while ((text = MllpFrames.read(in)) != null) {
                long arrived = System.nanoTime();
                String answer;
                try {
                    Receipt receipt = receipt(arrived, text);
                    synchronized (receipts) {
                        receipts.add(receipt);
                    }
                    answer = ack(receipt.controlId(), "AA");
                } catch (Exception bad) {
                    unreadable.incrementAndGet();
                    answer = ack("", "AR");
                }
                out.write(MllpFrames.frame(answer));
                out.flush();
            }
        } catch (IOException cut) {
            // the hub or close() ended the connection; the hub redelivers what it has no ACK for
        } finally {
            connections.remove(connection);
        }
    }

    /** Reads what the receiver records of one message. */
    Receipt receipt(long nanos, String text) throws Exception {
        Message message = parser.parse(text.replace("\n", "\r"));
        Terser terser = new Terser(message);
        String type = nullToEmpty(terser.get("/MSH-9-1")) + "^" + nullToEmpty(terser.get("/MSH-9-2"));
        String hubNumber = "";
        String referrerNumber = "";
        if (type.startsWith("REF") || type.startsWith("RRI")) {
            hubNumber = nullToEmpty(terser.get("/.RF1-6-1"));
            referrerNumber = nullToEmpty(terser.get("/.RF1-11-1"));
        }
        return new Receipt(nanos, nullToEmpty(terser.get("/MSH-10")), type, hubNumber, referrerNumber);
    }

    private static String ack(String controlId, String code) {
        String now = HL7_TS.format(Instant.now());
        return "MSH|^~\\&|DEST|DESTINATION|CBHUB|CBHEALTH|" + now + "||ACK^I12^ACK|ACK-" + controlId + "|P|2.5.1\rMSA|"
                + code + "|" + controlId + "\r";
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }

    private static void quietly(AutoCloseable closeable) {
        if (closeable != null) {
            try {
                closeable.close();
            } catch (Exception ignored) {
                // down either way
            }
        }
    }
}
