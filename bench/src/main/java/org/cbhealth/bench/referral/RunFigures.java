package org.cbhealth.bench.referral;

import java.util.Map;
import java.util.stream.LongStream;

/**
 * The figures of one measured phase, counted from the {@link ReferralLedger} once the run is quiet.
 *
 * @param sent referrals sent
 * @param accepted answered AA
 * @param refused answered AE or AR
 * @param failed not answered (connection problem, timeout, unreadable or mismatched ACK)
 * @param delivered referrals that reached the receiver's queue at least once
 * @param missing answered AA but never delivered
 * @param deliveredWithoutAa delivered although not answered AA
 * @param duplicates deliveries beyond the first of a referral
 * @param problems each distinct refusal or failure and how often
 * @param ackLatency send → ACK, over every answered referral (AA, AE, AR)
 * @param endToEnd send → first delivery, over every delivered referral
 * @param deliverySeconds first send → last first-delivery, in seconds (0 when nothing was delivered)
 * @param ackSeconds first send → last answer, in seconds
 */
public record RunFigures(
        int sent,
        int accepted,
        int refused,
        int failed,
        int delivered,
        int missing,
        int deliveredWithoutAa,
        long duplicates,
        Map<String, Integer> problems,
        LatencyStats ackLatency,
        LatencyStats endToEnd,
        double deliverySeconds,
        double ackSeconds) {

    /** The figures of the ledger's referrals {@code from} (inclusive) to {@code to} (exclusive). */
    public static RunFigures of(ReferralLedger ledger, int from, int to) {
        int sent = 0;
        int accepted = 0;
        int refused = 0;
        int failed = 0;
        int delivered = 0;
        int missing = 0;
        int deliveredWithoutAa = 0;
        long duplicates = 0;
        long firstSend = Long.MAX_VALUE;
        long lastAck = Long.MIN_VALUE;
        long lastDelivery = Long.MIN_VALUE;
        LongStream.Builder ack = LongStream.builder();
        LongStream.Builder endToEnd = LongStream.builder();
        for (int i = from; i < to; i++) {
            long sentAt = ledger.sentAt(i);
            if (sentAt == 0) {
                continue;
            }
            sent++;
            firstSend = Math.min(firstSend, sentAt);
            ReferralLedger.AckOutcome outcome = ledger.outcome(i);
            switch (outcome) {
                case AA -> accepted++;
                case REFUSED -> refused++;
                default -> failed++;
            }
            if (outcome == ReferralLedger.AckOutcome.AA || outcome == ReferralLedger.AckOutcome.REFUSED) {
                ack.add(ledger.ackedAt(i) - sentAt);
                lastAck = Math.max(lastAck, ledger.ackedAt(i));
            }
            int deliveries = ledger.deliveries(i);
            if (deliveries > 0) {
                delivered++;
                duplicates += deliveries - 1;
                endToEnd.add(ledger.firstDeliveredAt(i) - sentAt);
                lastDelivery = Math.max(lastDelivery, ledger.firstDeliveredAt(i));
                if (outcome != ReferralLedger.AckOutcome.AA) {
                    deliveredWithoutAa++;
                }
            } else if (outcome == ReferralLedger.AckOutcome.AA) {
                missing++;
            }
        }
        return new RunFigures(
                sent,
                accepted,
                refused,
                failed,
                delivered,
                missing,
                deliveredWithoutAa,
                duplicates,
                ledger.problems(from, to),
                LatencyStats.of(ack.build().toArray()),
                LatencyStats.of(endToEnd.build().toArray()),
                delivered == 0 ? 0 : seconds(lastDelivery - firstSend),
                lastAck == Long.MIN_VALUE ? 0 : seconds(lastAck - firstSend));
    }

    /** Referrals delivered per second, first send to last delivery; 0 when nothing was delivered. */
    public double deliveredPerSecond() {
        return deliverySeconds > 0 ? delivered / deliverySeconds : 0;
    }

    /** Referrals answered (AA, AE, AR) per second, first send to last answer. */
    public double answeredPerSecond() {
        return ackSeconds > 0 ? (accepted + refused) / ackSeconds : 0;
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }
}
