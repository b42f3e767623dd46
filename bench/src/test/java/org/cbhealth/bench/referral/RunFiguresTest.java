package org.cbhealth.bench.referral;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunFiguresTest {

    private static final long MS = 1_000_000L;
    private static final long T0 = 1_000 * MS;

    /** One warm-up referral (index 0) and four measured ones, each with a different fate. */
    private static ReferralLedger ledger() {
        ReferralLedger ledger =
                new ReferralLedger(List.of("WARMUP-0", "BENCH-000001", "BENCH-000002", "BENCH-000003", "BENCH-000004"));
        ledger.sent(0, T0 - 500 * MS);
        ledger.acked(0, T0 - 400 * MS, "AA", "");
        // accepted, delivered twice
        ledger.sent(1, T0);
        ledger.acked(1, T0 + 10 * MS, "AA", "");
        ledger.delivered("BENCH-000001", T0 + 100 * MS);
        ledger.delivered("BENCH-000001", T0 + 500 * MS);
        // accepted, never delivered
        ledger.sent(2, T0 + 20 * MS);
        ledger.acked(2, T0 + 50 * MS, "AA", "");
        // refused
        ledger.sent(3, T0 + 30 * MS);
        ledger.acked(3, T0 + 40 * MS, "AE", "PID-7 102: impossible birth date 19750231");
        // no answer, yet delivered
        ledger.sent(4, T0 + 60 * MS);
        ledger.failed(4, T0 + 70 * MS, "no ACK: SocketTimeoutException Read timed out");
        ledger.delivered("BENCH-000004", T0 + 300 * MS);
        // a message of no referral of the run
        ledger.delivered("OTHER-1", T0 + 200 * MS);
        return ledger;
    }

    @Test
    void shouldCountEachFateOfTheMeasuredReferrals() {
        RunFigures figures = RunFigures.of(ledger(), 1, 5);

        assertThat(figures.sent()).isEqualTo(4);
        assertThat(figures.accepted()).isEqualTo(2);
        assertThat(figures.refused()).isEqualTo(1);
        assertThat(figures.failed()).isEqualTo(1);
        assertThat(figures.delivered()).isEqualTo(2);
        assertThat(figures.missing()).isEqualTo(1);
        assertThat(figures.deliveredWithoutAa()).isEqualTo(1);
        assertThat(figures.duplicates()).isEqualTo(1);
        assertThat(figures.problems())
                .containsExactly(
                        Map.entry("AE PID-7 102: impossible birth date 19750231", 1),
                        Map.entry("no ACK: SocketTimeoutException Read timed out", 1));
    }

    @Test
    void shouldMeasureLatenciesFromTheSendToTheAnswerAndToTheFirstDelivery() {
        RunFigures figures = RunFigures.of(ledger(), 1, 5);

        // answered: 10, 30, 10 ms
        assertThat(figures.ackLatency()).isEqualTo(new LatencyStats(3, 10 * MS, 30 * MS, 30 * MS, 30 * MS));
        // delivered: 100 ms (its duplicate does not count), 240 ms
        assertThat(figures.endToEnd()).isEqualTo(new LatencyStats(2, 100 * MS, 240 * MS, 240 * MS, 240 * MS));
    }

    @Test
    void shouldTakeThroughputFromTheFirstSendToTheLastFirstDelivery() {
        RunFigures figures = RunFigures.of(ledger(), 1, 5);

        assertThat(figures.deliverySeconds()).isCloseTo(0.300, within(1e-9));
        assertThat(figures.deliveredPerSecond()).isCloseTo(6.667, within(0.001));
        assertThat(figures.ackSeconds()).isCloseTo(0.050, within(1e-9));
        assertThat(figures.answeredPerSecond()).isCloseTo(60.0, within(1e-9));
    }

    @Test
    void shouldKeepTheWarmUpApart() {
        RunFigures warmup = RunFigures.of(ledger(), 0, 1);

        assertThat(warmup.sent()).isEqualTo(1);
        assertThat(warmup.accepted()).isEqualTo(1);
        assertThat(warmup.missing()).isEqualTo(1);
        assertThat(warmup.problems()).isEmpty();
        assertThat(warmup.ackLatency()).isEqualTo(new LatencyStats(1, 100 * MS, 100 * MS, 100 * MS, 100 * MS));
        assertThat(warmup.deliveredPerSecond()).isZero();
    }

    @Test
    void shouldCountMessagesOfNoReferralAndTheLastDelivery() {
        ReferralLedger ledger = ledger();

        assertThat(ledger.unknownDeliveries()).isEqualTo(1);
        assertThat(ledger.lastDeliveryAt()).contains(T0 + 500 * MS);
        assertThat(ledger.accepted(1, 5)).isEqualTo(2);
        assertThat(ledger.acceptedAndDelivered(1, 5)).isEqualTo(1);
    }

    @Test
    void shouldRefuseAPlacerNumberUsedTwice() {
        assertThatThrownBy(() -> new ReferralLedger(List.of("BENCH-000001", "BENCH-000001")))
                .hasMessage("placer number BENCH-000001 is used twice");
    }

    @Test
    void shouldKeepEachChannelsRangeOfOneLedgerApart() {
        ReferralLedger ledger =
                new ReferralLedger(List.of("BENCH-M1-000000", "BENCH-M1-000001", "BENCH-R1-000000", "BENCH-R1-000001"));
        // MLLP phase
        ledger.sent(0, T0);
        ledger.acked(0, T0 + 5 * MS, "AA", "");
        ledger.delivered("BENCH-M1-000000", T0 + 50 * MS);
        ledger.sent(1, T0 + 10 * MS);
        ledger.acked(1, T0 + 15 * MS, "AA", "");
        ledger.delivered("BENCH-M1-000001", T0 + 60 * MS);
        // REST phase: one stored, one refused; a late duplicate of an MLLP referral arrives meanwhile
        ledger.sent(2, T0 + 1000 * MS);
        ledger.accepted(2, T0 + 1020 * MS);
        ledger.delivered("BENCH-R1-000000", T0 + 1100 * MS);
        ledger.delivered("BENCH-M1-000001", T0 + 1150 * MS);
        ledger.sent(3, T0 + 1010 * MS);
        ledger.refused(3, T0 + 1030 * MS, "HTTP 422: PID-7: impossible birth date");

        RunFigures mllp = RunFigures.of(ledger, 0, 2);
        RunFigures rest = RunFigures.of(ledger, 2, 4);

        assertThat(mllp.accepted()).isEqualTo(2);
        assertThat(mllp.duplicates()).isEqualTo(1);
        assertThat(mllp.deliverySeconds()).isEqualTo(0.06);
        assertThat(rest.sent()).isEqualTo(2);
        assertThat(rest.accepted()).isEqualTo(1);
        assertThat(rest.refused()).isEqualTo(1);
        assertThat(rest.duplicates()).isZero();
        assertThat(rest.missing()).isZero();
        assertThat(rest.problems()).containsExactly(Map.entry("HTTP 422: PID-7: impossible birth date", 1));
        assertThat(rest.ackLatency().maxNanos()).isEqualTo(20 * MS);
        assertThat(rest.endToEnd().p50Nanos()).isEqualTo(100 * MS);
    }
}
