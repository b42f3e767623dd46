package org.cbhealth.bench.referral;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.cbhealth.bench.MachineDescription;
import org.junit.jupiter.api.Test;

class ReferralReportTest {

    private static final long MS = 1_000_000L;
    private static final ReferralBenchmarkOptions OPTIONS =
            ReferralBenchmarkOptions.parse(List.of(), Path.of("bench", "results"));
    private static final RunFigures WARMUP = new RunFigures(
            200,
            197,
            3,
            0,
            197,
            0,
            0,
            0,
            Map.of("AE MSH-0 207: the hub could not take the message now; send it again", 3),
            LatencyStats.of(new long[] {5 * MS}),
            LatencyStats.of(new long[] {9 * MS}),
            1.0,
            1.0);

    private static RunFigures measured(int delivered, long p99Millis) {
        return new RunFigures(
                2000,
                2000,
                0,
                0,
                delivered,
                2000 - delivered,
                0,
                0,
                Map.of(),
                new LatencyStats(2000, 20 * MS, 60 * MS, 90 * MS, 150 * MS),
                delivered == 0
                        ? LatencyStats.of(new long[0])
                        : new LatencyStats(delivered, 40 * MS, 120 * MS, p99Millis * MS, 300 * MS),
                delivered == 0 ? 0 : 8.0,
                7.5);
    }

    private static ReferralReport report(RunFigures figures, List<String> notes) {
        return new ReferralReport(
                OffsetDateTime.parse("2026-11-25T10:00:00Z"),
                "java -jar bench/target/cbhealth-bench.jar referrals",
                "1a2b3c4",
                OPTIONS,
                new MachineDescription(2, 24L << 30, "AMD EPYC", "Linux 6.18 amd64", "OpenJDK 17.0.15"),
                "PostgreSQL 15.20 on 127.0.0.1:5432 (`postgres` profile, fresh database)",
                Duration.ofMillis(45_250),
                WARMUP,
                figures,
                0,
                new ReferralReport.HubFigures(
                        512L << 20,
                        1300L << 20,
                        1400L << 20,
                        Duration.ofMillis(12_300),
                        Duration.ofMillis(900),
                        "sent 2200, pending 0, failing 0",
                        Duration.ofMillis(2_300)),
                "1.50, 1.20, 0.90",
                "2.10, 1.60, 1.00",
                notes);
    }

    @Test
    void shouldReportThroughputLatencyAndGoalsMet() {
        String md = report(measured(2000, 180), List.of()).markdown();

        assertThat(md)
                .startsWith("# End-to-end referrals: REF^I12 over MLLP → hub → receiver's JMS queue\n\n"
                        + "Written by `java -jar bench/target/cbhealth-bench.jar referrals` on 2026-11-25T10:00Z"
                        + " (repository at commit 1a2b3c4 when the run started).")
                .contains("Load average (1, 5, 15 min) before the hub started: 1.50, 1.20, 0.90;"
                        + " after the measured phase: 2.10, 1.60, 1.00.")
                .contains("| cores | 2 |\n")
                .contains("| referrals measured | 2000 (after 200 warm-up referrals, not counted) |\n")
                .contains("| hub start | 45.3 s (process start → `/actuator/health` UP and both partners' routes"
                        + " Started) |\n")
                .contains("| warm-up | 200 sent, 197 AA, 3 AE/AR, 0 not answered, 197 delivered |\n")
                .contains("| delivered to the receiver's queue | 2000 |\n")
                .contains("| missing (AA, never delivered) | 0 |\n")
                .contains(
                        "| throughput end to end | 250.0 referrals/s (2000 in 8.00 s, first send → last delivery) |\n")
                .contains(
                        "| throughput of acknowledgements | 266.7 referrals/s (2000 in 7.50 s, first send → last ACK) |\n")
                .contains("| send → ACK (AA, AE, AR) | 2000 | 20.0 ms | 60.0 ms | 90.0 ms | 150.0 ms |\n")
                .contains(
                        "| send → delivery on the receiver's queue | 2000 | 40.0 ms | 120.0 ms | 180.0 ms | 300.0 ms |\n")
                .contains("| heap used after the run (`jvm.memory.used`, area heap; max heap 1 GiB) | 512 MiB |\n")
                .contains("| resident memory (RSS) after the run, peak | 1300 MiB, peak 1400 MiB |\n")
                .contains("| CPU used by the hub during the measured phase | 12.3 s (6.2 ms per referral) |\n")
                .contains("| graceful stop on SIGTERM | 2.3 s |\n")
                .contains("| end-to-end throughput | ≥ 200 referrals/s on 2 cores | 250.0 referrals/s | met |\n")
                .contains("| end-to-end p99 | < 250 ms | 180.0 ms | met |\n")
                .contains("| warm-up | 3 | AE MSH-0 207: the hub could not take the message now; send it again |\n")
                .doesNotContain("## Notes");
    }

    @Test
    void shouldMarkAGoalMissed() {
        String md = report(measured(2000, 400), List.of()).markdown();

        assertThat(md).contains("| end-to-end p99 | < 250 ms | 400.0 ms | missed |\n");
    }

    @Test
    void shouldSayWhenNothingWasDelivered() {
        String md = report(measured(0, 0), List.of("No referral reached the queue."))
                .markdown();

        assertThat(md)
                .contains("| throughput end to end | not measured (nothing delivered) |\n")
                .contains("| missing (AA, never delivered) | 2000 |\n")
                .contains("| send → delivery on the receiver's queue | 0 | — | — | — | — |\n")
                .contains("| end-to-end throughput | ≥ 200 referrals/s on 2 cores | not measured | — |\n")
                .contains("## Notes\n\n- No referral reached the queue.\n");
    }
}
