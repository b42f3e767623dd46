package org.cbhealth.bench.referral;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A hospital system's HL7 v2 sender under load: {@code connections} MLLP connections to the hub, each sending one
 * framed referral and waiting for its acknowledgement before the next (MLLP is request–reply per connection), paced
 * by {@link PacedLoad}. Send and acknowledgement times and the ACK outcome go to the {@link ReferralLedger}; a
 * connection that fails is opened again for the next referral.
 */
final class MllpLoad implements ChannelLoad {

    private static final int START_BLOCK = 0x0b;
    private static final int END_BLOCK = 0x1c;
    private static final int CARRIAGE_RETURN = 0x0d;
    private static final int ANSWER_TIMEOUT_MILLIS = 60_000;

    private final String host;
    private final int port;
    private final int connections;
    private final double ratePerSecond;
    private final List<byte[]> frames;

    /** {@code ratePerSecond} ≤ 0 sends at full speed; {@code messages} are the ledger's referrals, by index. */
    MllpLoad(String host, int port, int connections, double ratePerSecond, List<String> messages) {
        this.host = host;
        this.port = port;
        this.connections = connections;
        this.ratePerSecond = ratePerSecond;
        this.frames = messages.stream().map(MllpLoad::frame).toList();
    }

    @Override
    public void send(ReferralLedger ledger, int from, int to) throws InterruptedException {
        PacedLoad.run("mllp", connections, ratePerSecond, from, to, c -> new MllpConnection(ledger));
    }

    /** One MLLP connection, opened on first use and again after a failure. */
    private final class MllpConnection implements PacedLoad.Connection {

        private final ReferralLedger ledger;
        private final AckReader acks = new AckReader();
        private Socket socket;
        private InputStream in;

        MllpConnection(ReferralLedger ledger) {
            this.ledger = ledger;
        }

        @Override
        public void send(int i) {
            try {
                if (socket == null) {
                    socket = open();
                    in = new BufferedInputStream(socket.getInputStream());
                }
                long sent = System.nanoTime();
                ledger.sent(i, sent);
                OutputStream out = socket.getOutputStream();
                out.write(frames.get(i));
                out.flush();
                String answer = readAnswer(in);
                long acked = System.nanoTime();
                record(ledger, acks, i, acked, answer);
            } catch (IOException e) {
                if (ledger.sentAt(i) == 0) {
                    ledger.sent(i, System.nanoTime());
                }
                ledger.failed(i, System.nanoTime(), "no ACK: " + e.getClass().getSimpleName() + " " + e.getMessage());
                MllpLoad.close(socket);
                socket = null;
            }
        }

        @Override
        public void close() {
            MllpLoad.close(socket);
        }
    }

    private static void record(ReferralLedger ledger, AckReader acks, int i, long acked, String answer) {
        try {
            AckReader.Ack ack = acks.read(answer);
            if (!ledger.placer(i).equals(ack.controlId())) {
                ledger.failed(i, acked, "ACK answers another message (MSA-2 " + ack.controlId() + ")");
            } else {
                ledger.acked(i, acked, ack.code(), ack.error());
            }
        } catch (Exception unreadable) {
            ledger.failed(i, acked, "unreadable ACK: " + unreadable.getMessage());
        }
    }

    private Socket open() throws IOException {
        Socket socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(ANSWER_TIMEOUT_MILLIS);
        socket.connect(new InetSocketAddress(host, port), 10_000);
        return socket;
    }

    /** The MLLP frame of a message: start block, the UTF-8 text, end block, carriage return. */
    static byte[] frame(String message) {
        byte[] body = message.getBytes(StandardCharsets.UTF_8);
        byte[] frame = new byte[body.length + 3];
        frame[0] = START_BLOCK;
        System.arraycopy(body, 0, frame, 1, body.length);
        frame[body.length + 1] = END_BLOCK;
        frame[body.length + 2] = CARRIAGE_RETURN;
        return frame;
    }

    /** Reads one framed answer and returns its text. */
    static String readAnswer(InputStream input) throws IOException {
        int b = input.read();
        if (b != START_BLOCK) {
            throw new IOException(b < 0 ? "connection closed before the answer" : "answer without a start block");
        }
        ByteArrayOutputStream answer = new ByteArrayOutputStream(256);
        while ((b = input.read()) != END_BLOCK) {
            if (b < 0) {
                throw new IOException("connection closed inside the answer");
            }
            answer.write(b);
        }
        if (input.read() != CARRIAGE_RETURN) {
            throw new IOException("answer frame not ended by a carriage return");
        }
        return answer.toString(StandardCharsets.UTF_8);
    }

    private static void close(Socket socket) {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // the connection is dropped either way
            }
        }
    }
}
