package org.cbhealth.bench.referral;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;

/**
 * The pacing shared by all channels: {@code connections} threads, each with a connection of its own, take the next
 * referral of the phase in turn. At a fixed rate, referral i of the phase is due at start + i / rate (a sender that
 * falls behind sends late, and its latency counts from the actual send); at full speed each connection sends as soon
 * as its previous referral is acknowledged.
 */
final class PacedLoad {

    /** One connection of one channel: sends a referral and records its send and acknowledgement in the ledger. */
    interface Connection extends AutoCloseable {

        /** Sends referral {@code index} and records what happened; never throws. */
        void send(int index);

        @Override
        void close();
    }

    private PacedLoad() {}

    /**
     * Sends the referrals {@code from} (inclusive) to {@code to} (exclusive) over connections opened by {@code open}
     * (given the connection's number) and returns when all are acknowledged or have failed. {@code ratePerSecond}
     * ≤ 0 sends at full speed.
     */
    static void run(String name, int connections, double ratePerSecond, int from, int to, IntFunction<Connection> open)
            throws InterruptedException {
        AtomicInteger next = new AtomicInteger(from);
        long start = System.nanoTime();
        long periodNanos = ratePerSecond > 0 ? (long) (1_000_000_000L / ratePerSecond) : 0;
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            int number = c;
            Thread thread = new Thread(
                    () -> {
                        try (Connection connection = open.apply(number)) {
                            for (int i = next.getAndIncrement(); i < to; i = next.getAndIncrement()) {
                                if (periodNanos > 0) {
                                    long due = start + (i - from) * periodNanos;
                                    for (long wait = due - System.nanoTime();
                                            wait > 0;
                                            wait = due - System.nanoTime()) {
                                        LockSupport.parkNanos(wait);
                                    }
                                }
                                connection.send(i);
                            }
                        }
                    },
                    "bench-" + name + "-" + (c + 1));
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
    }
}
