package org.cbhealth.bench.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FaultFiguresTest {

    private static final long T = 1_000_000_000L;

    /** Five referrals: 0 and 2 good over MLLP, 1 good over JMS, 3 poison over MLLP, 4 poison over JMS. */
    private static SendLedger ledger() {
        List<SendLedger.Entry> entries = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            entries.add(
                    new SendLedger.Entry(i, "P-" + i, i == 1 || i == 4 ? SendChannel.JMS : SendChannel.MLLP, i >= 3));
        }
        SendLedger ledger = new SendLedger(entries);
        for (int i = 0; i < 5; i++) {
            ledger.sending(i, T + i);
        }
        ledger.retry(0, false, T + 10, "no ACK: ConnectException Connection refused");
        ledger.sending(0, T + 20);
        ledger.answered(0, false, T + 30, true, "AA");
        ledger.answered(1, false, T + 31, true, "broker commit");
        ledger.answered(2, false, T + 32, true, "AA");
        ledger.answered(3, false, T + 33, false, "AE PID-3 102");
        ledger.answered(4, false, T + 34, true, "broker commit");
        ledger.sending(2, T + 40);
        ledger.answered(2, true, T + 41, true, "AA");
        return ledger;
    }

    private static DestinationListener.Receipt receipt(String controlId, String referrer) {
        return new DestinationListener.Receipt(T, controlId, "REF^I12", "7", referrer);
    }

    @Test
    void shouldCountNothingLostNothingTwiceWhenEveryGoodReferralIsStoredAndDeliveredOnce() {
        SendLedger ledger = ledger();
        var state = new HubStateReader.HubState(
                Map.of("P-0", "10", "P-1", "11", "P-2", "12"),
                Map.of("P-0", 1, "P-1", 1, "P-2", 1),
                List.of(
                        new HubStateReader.Parked("q", "faults-referrer", "P-3"),
                        new HubStateReader.Parked("q", "faults-referrer", "P-4")),
                "queue hub.parked",
                List.of());
        var receipts = List.of(
                receipt("CBH-10-1", "P-0"),
                receipt("CBH-11-1", "P-1"),
                receipt("CBH-12-1", "P-2"),
                receipt("CBH-12-1", "P-2"));

        FaultFigures f = FaultFigures.of(ledger.entries(), receipts, state);

        assertThat(f.sent()).isEqualTo(5);
        assertThat(f.attempts()).isEqualTo(7);
        assertThat(f.acknowledged()).isEqualTo(4);
        assertThat(f.refused()).isEqualTo(1);
        assertThat(f.poison()).isEqualTo(2);
        assertThat(f.poisonRefused()).isEqualTo(1);
        assertThat(f.poisonAccepted()).isZero();
        assertThat(f.duplicatesSent()).isEqualTo(1);
        assertThat(f.duplicatesAccepted()).isEqualTo(1);
        assertThat(f.stored()).isEqualTo(3);
        assertThat(f.delivered()).isEqualTo(3);
        assertThat(f.receipts()).isEqualTo(4);
        assertThat(f.duplicateReceipts()).isEqualTo(1);
        assertThat(f.effectiveDuplicates()).isZero();
        assertThat(f.lost()).isZero();
        assertThat(f.duplicatedInStore()).isZero();
        assertThat(f.parked()).isEqualTo(2);
        assertThat(f.parkedPoison()).isEqualTo(2);
        assertThat(f.parkedOther()).isZero();
        assertThat(f.deadLetters()).isZero();
    }

    @Test
    void shouldCountLossesDuplicatesInStoreAndEffectiveDuplicateDeliveries() {
        SendLedger ledger = ledger();
        var state = new HubStateReader.HubState(
                Map.of("P-0", "10", "P-2", "12", "P-4", "14"),
                Map.of("P-0", 2, "P-2", 1, "P-4", 1),
                List.of(
                        new HubStateReader.Parked("t", "faults-referrer", "P-3"),
                        new HubStateReader.Parked("t", "faults-referrer", "P-3"),
                        new HubStateReader.Parked("t", "faults-destination", "P-2")),
                "table cbh_parked_message",
                List.of("hub.outbound.faults-destination"));
        var receipts = List.of(receipt("CBH-10-1", "P-0"), receipt("CBH-10-2", "P-0"), receipt("CBH-10-3", "P-0"));

        FaultFigures f = FaultFigures.of(ledger.entries(), receipts, state);

        assertThat(f.lostNotStored())
                .as("P-1 acknowledged by the broker, never stored")
                .isEqualTo(1);
        assertThat(f.lostNotDelivered()).as("P-2 stored, never delivered").isEqualTo(1);
        assertThat(f.lost()).isEqualTo(2);
        assertThat(f.storedPoison()).isEqualTo(1);
        assertThat(f.duplicatedInStore()).isEqualTo(1);
        assertThat(f.effectiveDuplicates()).isEqualTo(2);
        assertThat(f.duplicateReceipts()).isEqualTo(2);
        assertThat(f.parked()).isEqualTo(3);
        assertThat(f.parkedReferrals()).isEqualTo(2);
        assertThat(f.parkedPoison()).isEqualTo(1);
        assertThat(f.parkedOther()).isEqualTo(1);
        assertThat(f.deadLetters()).isEqualTo(1);
    }

    @Test
    void shouldCountASendWithoutFinalAnswerAsUnanswered() {
        SendLedger ledger = new SendLedger(List.of(new SendLedger.Entry(0, "P-0", SendChannel.MLLP, false)));
        ledger.sending(0, T);
        ledger.retry(0, false, T + 1, "no ACK within 30 s");

        FaultFigures f = FaultFigures.of(
                ledger.entries(),
                List.of(),
                new HubStateReader.HubState(Map.of(), Map.of(), List.of(), "q", List.of()));

        assertThat(f.unanswered()).isEqualTo(1);
        assertThat(f.acknowledged()).isZero();
        assertThat(f.lost()).as("never acknowledged, so not lost").isZero();
        assertThat(ledger.retryOutcomes()).containsExactly(Map.entry("no ACK within 30 s", 1));
    }
}
