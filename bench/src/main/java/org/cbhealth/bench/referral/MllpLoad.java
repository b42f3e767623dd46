package org.cbhealth.bench.referral;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A hospital system's HL7 v2 sender under load: {@code connections} MLLP connections to the hub, each sending one
 * framed referral and waiting for its acknowledgement before the next (MLLP is request–reply per connection). At a
 * fixed rate, referral i of the phase is due at start + i / rate; at full speed each connection sends as soon as the
 * previous answer is in. Send and acknowledgement times and the ACK outcome go to the {@link ReferralLedger}.
 */
final class MllpLoad {

    private static final int START_BLOCK = 0x0b;
    private static final int END_BLOCK = 0x1c;
    private static final int CARRIAGE_RETURN = 0x0d;
    private static final int ANSWER_TIMEOUT_MILLIS = 60_000;

    private final String host;
    private final int port;
    private final int connections;
    private final double ratePerSecond;

    /** {@code ratePerSecond} ≤ 0 sends at full speed. */
    MllpLoad(String host, int port, int connections, double ratePerSecond) {
        this.host = host;
        this.port = port;
        this.connections = connections;
        this.ratePerSecond = ratePerSecond;
    }

    /**
     * Sends the referrals {@code from} (inclusive) to {@code to} (exclusive) of {@code frames} (see {@link #frame}) and
     * returns when all are answered or have failed.
     */
    void send(ReferralLedger ledger, List<byte[]> frames, int from, int to) throws InterruptedException {
        AtomicInteger next = new AtomicInteger(from);
        long start = System.nanoTime();
        long periodNanos = ratePerSecond > 0 ? (long) (1_000_000_000L / ratePerSecond) : 0;
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            Thread thread = new Thread(
                    () -> connection(ledger, frames, next, to, from, start, periodNanos), "bench-mllp-" + (c + 1));
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
    }

    private void connection(
            ReferralLedger ledger,
            List<byte[]> frames,
            AtomicInteger next,
            int to,
            int from,
            long start,
            long periodNanos) {
        AckReader acks = new AckReader();
        Socket socket = null;
        InputStream in = null;
        try {
            for (int i = next.getAndIncrement(); i < to; i = next.getAndIncrement()) {
                if (periodNanos > 0) {
                    long due = start + (i - from) * periodNanos;
                    for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                        LockSupport.parkNanos(wait);
                    }
                }
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
                    ledger.failed(
                            i, System.nanoTime(), "no ACK: " + e.getClass().getSimpleName() + " " + e.getMessage());
                    close(socket);
                    socket = null;
                }
            }
        } finally {
            close(socket);
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
