package org.cbhealth.bench.faults;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Random;

/**
 * What the harness's referrer sends, in which order: referral {@code i} goes on channel {@code i mod channels}; a
 * seeded choice of {@code poison} share is invalid, and a choice of {@code duplicates} share (among the good ones) is
 * sent a second time {@value #DUPLICATE_DISTANCE} sends after its first, once its first send is answered.
 */
final class SendPlan {

    /** How many sends after the first one a duplicate follows. */
    static final int DUPLICATE_DISTANCE = 50;

    /** One send: referral {@code index}, its first send or a duplicate. */
    record Send(int index, boolean duplicate) {}

    private final List<SendChannel> channels;
    private final BitSet poison;
    private final BitSet duplicated;
    private final List<Send> order;

    private SendPlan(List<SendChannel> channels, BitSet poison, BitSet duplicated, List<Send> order) {
        this.channels = List.copyOf(channels);
        this.poison = poison;
        this.duplicated = duplicated;
        this.order = List.copyOf(order);
    }

    static SendPlan of(
            int referrals, List<SendChannel> channels, double poisonShare, double duplicateShare, long seed) {
        Random random = new Random(seed);
        BitSet poison = choose(random, referrals, (int) Math.round(referrals * poisonShare), new BitSet());
        BitSet duplicated = choose(random, referrals, (int) Math.round(referrals * duplicateShare), poison);
        List<Send> order = new ArrayList<>(referrals + duplicated.cardinality());
        for (int i = 0; i < referrals; i++) {
            order.add(new Send(i, false));
            int original = i - DUPLICATE_DISTANCE;
            if (original >= 0 && duplicated.get(original)) {
                order.add(new Send(original, true));
            }
        }
        for (int original = Math.max(0, referrals - DUPLICATE_DISTANCE); original < referrals; original++) {
            if (duplicated.get(original)) {
                order.add(new Send(original, true));
            }
        }
        return new SendPlan(channels, poison, duplicated, order);
    }

    /** {@code count} distinct indexes below {@code bound}, none of {@code excluded}. */
    private static BitSet choose(Random random, int bound, int count, BitSet excluded) {
        BitSet chosen = new BitSet(bound);
        int available = bound - excluded.cardinality();
        int wanted = Math.min(count, available);
        while (chosen.cardinality() < wanted) {
            int i = random.nextInt(bound);
            if (!excluded.get(i)) {
                chosen.set(i);
            }
        }
        return chosen;
    }

    SendChannel channel(int index) {
        return channels.get(index % channels.size());
    }

    boolean poison(int index) {
        return poison.get(index);
    }

    boolean duplicated(int index) {
        return duplicated.get(index);
    }

    int poisonCount() {
        return poison.cardinality();
    }

    int duplicateCount() {
        return duplicated.cardinality();
    }

    List<SendChannel> channels() {
        return channels;
    }

    /** Every send in order: each referral once, the duplicates among them. */
    List<Send> order() {
        return order;
    }
}
