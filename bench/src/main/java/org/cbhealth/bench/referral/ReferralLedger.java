package org.cbhealth.bench.referral;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * What happened to each referral of a run, by its placer number: when it was sent, when and how the hub acknowledged
 * it (AA, AE/AR, or no acknowledgement; over REST and JMS their counterparts, see {@link Channel}), when it was first delivered to the receiver and how many times. Times are
 * {@link System#nanoTime()} of this process; 0 means "not yet". Senders and the delivery consumer write from their
 * own threads.
 */
public final class ReferralLedger {

    /** The acknowledgement outcome of one referral. */
    public enum AckOutcome {
        NONE,
        AA,
        REFUSED,
        FAILED
    }

    private final List<String> placers;
    private final Map<String, Integer> indexByPlacer;
    private final AtomicLongArray sentAt;
    private final AtomicLongArray ackedAt;
    private final AtomicReferenceArray<AckOutcome> outcome;
    private final AtomicLongArray firstDeliveredAt;
    private final AtomicIntegerArray deliveries;
    private final AtomicReferenceArray<String> problem;
    private final AtomicLong unknownDeliveries = new AtomicLong();
    private final AtomicLong lastDeliveryAt = new AtomicLong();

    public ReferralLedger(List<String> placers) {
        this.placers = List.copyOf(placers);
        this.indexByPlacer = new HashMap<>();
        for (int i = 0; i < placers.size(); i++) {
            if (indexByPlacer.put(placers.get(i), i) != null) {
                throw new IllegalArgumentException("placer number " + placers.get(i) + " is used twice");
            }
        }
        int n = placers.size();
        sentAt = new AtomicLongArray(n);
        ackedAt = new AtomicLongArray(n);
        outcome = new AtomicReferenceArray<>(n);
        firstDeliveredAt = new AtomicLongArray(n);
        deliveries = new AtomicIntegerArray(n);
        problem = new AtomicReferenceArray<>(n);
        for (int i = 0; i < n; i++) {
            outcome.set(i, AckOutcome.NONE);
        }
    }

    public int size() {
        return placers.size();
    }

    public String placer(int index) {
        return placers.get(index);
    }

    public void sent(int index, long nanos) {
        sentAt.set(index, nanos);
    }

    /** The hub answered over MLLP; {@code code} is MSA-1, {@code problem} what the ERR said when it refused. */
    public void acked(int index, long nanos, String code, String problem) {
        if ("AA".equals(code)) {
            accepted(index, nanos);
        } else {
            refused(index, nanos, code + " " + problem);
        }
    }

    /** The channel acknowledged the referral (ACK AA, a stored OperationOutcome, a completed persistent send). */
    public void accepted(int index, long nanos) {
        ackedAt.set(index, nanos);
        outcome.set(index, AckOutcome.AA);
    }

    /** The hub answered with a refusal ({@code problem}: AE/AR with the ERR, or the HTTP status and issue). */
    public void refused(int index, long nanos, String problem) {
        ackedAt.set(index, nanos);
        outcome.set(index, AckOutcome.REFUSED);
        this.problem.set(index, problem);
    }

    /** No acknowledgement could be had (connection refused or cut, timeout, unreadable answer). */
    public void failed(int index, long nanos, String problem) {
        ackedAt.set(index, nanos);
        outcome.set(index, AckOutcome.FAILED);
        this.problem.set(index, problem);
    }

    /** A message for this placer number reached the receiver's queue; false when no referral has that number. */
    public boolean delivered(String placer, long nanos) {
        lastDeliveryAt.accumulateAndGet(nanos, Math::max);
        Integer index = placer == null ? null : indexByPlacer.get(placer);
        if (index == null) {
            unknownDeliveries.incrementAndGet();
            return false;
        }
        if (deliveries.getAndIncrement(index) == 0) {
            firstDeliveredAt.set(index, nanos);
        }
        return true;
    }

    public long sentAt(int index) {
        return sentAt.get(index);
    }

    public long ackedAt(int index) {
        return ackedAt.get(index);
    }

    public AckOutcome outcome(int index) {
        return outcome.get(index);
    }

    public long firstDeliveredAt(int index) {
        return firstDeliveredAt.get(index);
    }

    public int deliveries(int index) {
        return deliveries.get(index);
    }

    public long unknownDeliveries() {
        return unknownDeliveries.get();
    }

    /** The latest delivery of any message, or empty when none has arrived. */
    public Optional<Long> lastDeliveryAt() {
        long last = lastDeliveryAt.get();
        return last == 0 ? Optional.empty() : Optional.of(last);
    }

    /** How many referrals among {@code from} (inclusive) to {@code to} (exclusive) were answered AA and delivered. */
    public int acceptedAndDelivered(int from, int to) {
        int count = 0;
        for (int i = from; i < to; i++) {
            if (outcome(i) == AckOutcome.AA && deliveries(i) > 0) {
                count++;
            }
        }
        return count;
    }

    /** How many referrals among {@code from} to {@code to} were answered AA. */
    public int accepted(int from, int to) {
        int count = 0;
        for (int i = from; i < to; i++) {
            if (outcome(i) == AckOutcome.AA) {
                count++;
            }
        }
        return count;
    }

    /**
     * Each distinct refusal or failure among {@code from} to {@code to} (ACK code and first ERR, or the I/O problem)
     * and how often it happened.
     */
    public Map<String, Integer> problems(int from, int to) {
        Map<String, Integer> counts = new TreeMap<>();
        for (int i = from; i < to; i++) {
            String p = problem.get(i);
            if (p != null) {
                counts.merge(p, 1, Integer::sum);
            }
        }
        return counts;
    }
}
