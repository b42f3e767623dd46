package org.cbhealth.bench.faults;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The referrer's own record of what it sent: per referral its placer number, channel, whether it is poison, every
 * attempt (time and what came of it) and the final answer of its first send and of its duplicate send, if any. A
 * sender writes here before and after each attempt; the checker reads it after the run. Thread-safe.
 */
final class SendLedger {

    /** One attempt that was not a final answer: connection refused, timeout, AE 207 … */
    record Attempt(long nanos, boolean duplicate, String outcome) {}

    /** The final answer of a send: accepted (AA, broker commit, 2xx) or refused (AE/AR, 4xx), with its code. */
    record Answer(long nanos, boolean accepted, String code) {}

    /** One referral. */
    static final class Entry {
        final int index;
        final String placer;
        final SendChannel channel;
        final boolean poison;
        private final List<Attempt> retries = new ArrayList<>();
        private long firstSend;
        private int attempts;
        private Answer answer;
        private Answer duplicateAnswer;

        Entry(int index, String placer, SendChannel channel, boolean poison) {
            this.index = index;
            this.placer = placer;
            this.channel = channel;
            this.poison = poison;
        }

        synchronized long firstSend() {
            return firstSend;
        }

        synchronized int attempts() {
            return attempts;
        }

        synchronized Answer answer() {
            return answer;
        }

        synchronized Answer duplicateAnswer() {
            return duplicateAnswer;
        }

        synchronized List<Attempt> retries() {
            return List.copyOf(retries);
        }
    }

    private final List<Entry> entries;
    private final AtomicLong lastSend = new AtomicLong();

    SendLedger(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    Entry entry(int index) {
        return entries.get(index);
    }

    List<Entry> entries() {
        return entries;
    }

    int size() {
        return entries.size();
    }

    /** An attempt is about to be made. */
    void sending(int index, long nanos) {
        Entry e = entries.get(index);
        synchronized (e) {
            if (e.firstSend == 0) {
                e.firstSend = nanos;
            }
            e.attempts++;
        }
        lastSend.accumulateAndGet(nanos, Math::max);
    }

    /** The attempt got no final answer; the sender will try again. */
    void retry(int index, boolean duplicate, long nanos, String outcome) {
        Entry e = entries.get(index);
        synchronized (e) {
            e.retries.add(new Attempt(nanos, duplicate, outcome));
        }
    }

    /** The send got its final answer. */
    void answered(int index, boolean duplicate, long nanos, boolean accepted, String code) {
        Entry e = entries.get(index);
        synchronized (e) {
            Answer a = new Answer(nanos, accepted, code);
            if (duplicate) {
                e.duplicateAnswer = a;
            } else {
                e.answer = a;
            }
        }
    }

    /** When the last attempt of any referral was made (System.nanoTime), 0 before the first. */
    long lastSend() {
        return lastSend.get();
    }

    /** How many first sends have their final answer. */
    int answeredCount() {
        int n = 0;
        for (Entry e : entries) {
            if (e.answer() != null) {
                n++;
            }
        }
        return n;
    }

    /** Retried attempts by outcome, for the report. */
    Map<String, Integer> retryOutcomes() {
        Map<String, Integer> counts = new TreeMap<>();
        for (Entry e : entries) {
            for (Attempt a : e.retries()) {
                counts.merge(a.outcome(), 1, Integer::sum);
            }
        }
        return counts;
    }
}
