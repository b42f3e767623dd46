package org.cbhealth.bench.faults;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The checker's arithmetic: from the referrer's ledger, the destination's receipts and what the store, the parked
 * store and the broker hold, the counts of issue #7. A referral is <em>good</em> when it is not poison; it is
 * <em>acknowledged</em> when its first send got an accepting answer (AA, broker commit, 2xx).
 *
 * <ul>
 *   <li>lost = acknowledged good referrals not stored + stored good referrals not delivered;
 *   <li>duplicated in store = Task resources beyond the first under one referrer's number;
 *   <li>duplicate receipts = referral messages received beyond the first per referral (a redelivery of the same
 *       MSH-10, which a receiver deduplicating on MSH-10 drops); effective duplicate deliveries = distinct MSH-10s
 *       beyond the first per referral (the receiver would process it twice);
 *   <li>parked = entries in the parked store; parked referrals = distinct referrals among them.
 * </ul>
 */
record FaultFigures(
        int referrals,
        int sent,
        long attempts,
        int acknowledged,
        int refused,
        int unanswered,
        int goodRefused,
        int poison,
        int poisonRefused,
        int poisonAccepted,
        int duplicatesSent,
        int duplicatesAccepted,
        int stored,
        int storedPoison,
        int duplicatedInStore,
        int delivered,
        int receipts,
        int duplicateReceipts,
        int effectiveDuplicates,
        int lostNotStored,
        int lostNotDelivered,
        int parked,
        int parkedReferrals,
        int parkedPoison,
        int parkedOther,
        int deadLetters) {

    int lost() {
        return lostNotStored + lostNotDelivered;
    }

    static FaultFigures of(
            List<SendLedger.Entry> entries, List<DestinationListener.Receipt> receipts, HubStateReader.HubState state) {
        int sent = 0;
        long attempts = 0;
        int acknowledged = 0;
        int refused = 0;
        int unanswered = 0;
        int goodRefused = 0;
        int poison = 0;
        int poisonRefused = 0;
        int poisonAccepted = 0;
        int duplicatesSent = 0;
        int duplicatesAccepted = 0;
        int stored = 0;
        int storedPoison = 0;
        int lostNotStored = 0;
        int lostNotDelivered = 0;
        Set<String> poisonPlacers = new HashSet<>();
        Set<String> placers = new HashSet<>();

        Map<String, Integer> receiptsPer = new HashMap<>();
        Map<String, Set<String>> controlIdsPer = new HashMap<>();
        int referralReceipts = 0;
        for (DestinationListener.Receipt r : receipts) {
            if (!r.messageType().startsWith("REF") || r.referrerNumber().isEmpty()) {
                continue;
            }
            referralReceipts++;
            receiptsPer.merge(r.referrerNumber(), 1, Integer::sum);
            controlIdsPer
                    .computeIfAbsent(r.referrerNumber(), k -> new HashSet<>())
                    .add(r.controlId());
        }

        for (SendLedger.Entry e : entries) {
            placers.add(e.placer);
            if (e.firstSend() != 0) {
                sent++;
            }
            attempts += e.attempts();
            SendLedger.Answer answer = e.answer();
            boolean isStored = state.referralKeys().containsKey(e.placer);
            boolean isDelivered = receiptsPer.containsKey(e.placer);
            if (e.poison) {
                poison++;
                poisonPlacers.add(e.placer);
                if (isStored) {
                    storedPoison++;
                }
            }
            if (answer == null) {
                unanswered++;
            } else if (answer.accepted()) {
                acknowledged++;
                if (e.poison && e.channel != SendChannel.JMS) {
                    poisonAccepted++;
                }
            } else {
                refused++;
                if (e.poison) {
                    poisonRefused++;
                } else {
                    goodRefused++;
                }
            }
            if (e.duplicateAnswer() != null || e.retries().stream().anyMatch(SendLedger.Attempt::duplicate)) {
                duplicatesSent++;
                if (e.duplicateAnswer() != null && e.duplicateAnswer().accepted()) {
                    duplicatesAccepted++;
                }
            }
            if (!e.poison) {
                if (isStored) {
                    stored++;
                }
                if (answer != null && answer.accepted() && !isStored) {
                    lostNotStored++;
                }
                if (isStored && !isDelivered) {
                    lostNotDelivered++;
                }
            }
        }

        int duplicatedInStore = 0;
        for (int tasks : state.tasksPerNumber().values()) {
            duplicatedInStore += Math.max(0, tasks - 1);
        }
        int delivered = 0;
        int duplicateReceipts = 0;
        int effectiveDuplicates = 0;
        for (Map.Entry<String, Integer> r : receiptsPer.entrySet()) {
            if (placers.contains(r.getKey())) {
                delivered++;
            }
            duplicateReceipts += r.getValue() - 1;
            effectiveDuplicates += controlIdsPer.get(r.getKey()).size() - 1;
        }
        Set<String> parkedPlacers = new HashSet<>();
        for (HubStateReader.Parked p : state.parked()) {
            if (placers.contains(p.placer())) {
                parkedPlacers.add(p.placer());
            }
        }
        int parkedPoison =
                (int) parkedPlacers.stream().filter(poisonPlacers::contains).count();
        // entries that are not a poison referral: a good referral, or anything else (a dead letter, no MSH-10)
        int parkedOther = (int) state.parked().stream()
                .filter(p -> !poisonPlacers.contains(p.placer()))
                .count();
        return new FaultFigures(
                entries.size(),
                sent,
                attempts,
                acknowledged,
                refused,
                unanswered,
                goodRefused,
                poison,
                poisonRefused,
                poisonAccepted,
                duplicatesSent,
                duplicatesAccepted,
                stored,
                storedPoison,
                duplicatedInStore,
                delivered,
                referralReceipts,
                duplicateReceipts,
                effectiveDuplicates,
                lostNotStored,
                lostNotDelivered,
                state.parked().size(),
                parkedPlacers.size(),
                parkedPoison,
                parkedOther,
                state.deadLetters().size());
    }
}
