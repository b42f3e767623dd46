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
    private static final long MIB = 1L << 20;
    private static final ReferralBenchmarkOptions OPTIONS =
            ReferralBenchmarkOptions.parse(List.of("--channel", "all"), Path.of("bench", "results"));
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

    private static RunFigures measured(int delivered, long p99Millis, Map<String, Integer> problems) {
        int refused = problems.values().stream().mapToInt(Integer::intValue).sum();
        return new RunFigures(
                2000,
                2000 - refused,
                refused,
                0,
                delivered,
                2000 - refused - delivered,
                0,
                1,
                problems,
                new LatencyStats(2000, 20 * MS, 60 * MS, 90 * MS, 150 * MS),
                delivered == 0
                        ? LatencyStats.of(new long[0])
                        : new LatencyStats(delivered, 40 * MS, 120 * MS, p99Millis * MS, 300 * MS),
                delivered == 0 ? 0 : 8.0,
                7.5);
    }

    private static ChannelResult channel(Channel channel, RunFigures figures) {
        return new ChannelResult(
                channel,
                WARMUP,
                figures,
                Duration.ofMillis(12_300),
                Duration.ofMillis(900),
                700 * MIB,
                1500 * MIB,
                "received 2000, stored 18000, failed 0, parked 0",
                "2.10, 1.60, 1.00");
    }

    private static MemoryFigures memory(Duration ready) {
        return new MemoryFigures(
                ready,
                Duration.ofMillis(38_400),
                300 * MIB,
                1100 * MIB,
                "`jcmd <pid> GC.run`",
                150 * MIB,
                1090 * MIB,
                700 * MIB,
                1500 * MIB,
                1600 * MIB,
                180 * MIB,
                1450 * MIB);
    }

    private static ReferralReport report(List<ChannelResult> channels, MemoryFigures memory, List<String> notes) {
        return new ReferralReport(
                OffsetDateTime.parse("2026-11-25T10:00:00Z"),
                "java -jar bench/target/cbhealth-bench.jar referrals --channel all",
                "1a2b3c4",
                OPTIONS,
                new MachineDescription(2, 24L << 30, "AMD EPYC", "Linux 6.18 amd64", "OpenJDK 17.0.15"),
                "PostgreSQL 15.20 on 127.0.0.1:5432 (`postgres` profile, fresh database)",
                channels,
                0,
                memory,
                new ReferralReport.HubFigures("sent 6600, pending 0, failing 0", Duration.ofMillis(2_300)),
                "1.50, 1.20, 0.90",
                notes);
    }

    @Test
    void shouldSummariseEachChannelInARowAndGiveItASection() {
        String md = report(
                        List.of(
                                channel(Channel.MLLP, measured(2000, 180, Map.of())),
                                channel(Channel.REST, measured(1998, 300, Map.of("HTTP 422: PID-7: bad date", 2))),
                                channel(Channel.JMS, measured(2000, 200, Map.of()))),
                        memory(Duration.ofMillis(45_250)),
                        List.of())
                .markdown();

        assertThat(md)
                .startsWith("# End-to-end referrals: REF^I12 over MLLP, REST, JMS → hub → receiver's JMS queue\n\n"
                        + "Written by `java -jar bench/target/cbhealth-bench.jar referrals --channel all` on"
                        + " 2026-11-25T10:00Z (repository at commit 1a2b3c4 when the run started).")
                .contains("Load average (1, 5, 15 min) before the hub started: 1.50, 1.20, 0.90; after MLLP:"
                        + " 2.10, 1.60, 1.00; after REST: 2.10, 1.60, 1.00; after JMS: 2.10, 1.60, 1.00.")
                .contains("| cores | 2 |\n")
                .contains("| referrals measured per channel | 2000 (after 200 warm-up referrals, not counted) |\n")
                .contains("| MLLP | 2000 | 2000 | 0 | 0 | 2000 | 0 | 1 | 250.0/s | 90.0 ms | 40.0 ms | 120.0 ms"
                        + " | 180.0 ms |\n")
                .contains("| REST | 2000 | 1998 | 2 | 0 | 1998 | 0 | 1 | 249.8/s | 90.0 ms | 40.0 ms | 120.0 ms"
                        + " | 300.0 ms |\n")
                .contains(
                        "## MLLP\n\nSent over MLLP. Acknowledged: ACK AA. Refused: ACK AE/AR. No acknowledgement: connection lost,"
                                + " 60 s timeout or unreadable ACK.\n")
                .contains("## JMS\n\nSent over JMS (TextMessage to `bench.sender.referrals` over CORE, persistent,"
                        + " synchronous send).")
                .contains("| send → send completed | 2000 | 20.0 ms | 60.0 ms | 90.0 ms | 150.0 ms |\n")
                .contains("| send → HTTP answer (any status) | 2000 |")
                .contains("| HTTP 422: PID-7: bad date | 2 | measured |\n")
                .contains("| CPU used by the hub during the measured phase | 12.3 s (6.2 ms per referral) |\n")
                .contains("| the sender's counters on the hub during the measured phase | received 2000, stored"
                        + " 18000, failed 0, parked 0 |\n")
                .contains("| MLLP end-to-end throughput | ≥ 200 referrals/s on 2 cores | 250.0 referrals/s | met |\n")
                .contains("| MLLP end-to-end p99 | < 250 ms | 180.0 ms | met |\n")
                .contains("| REST end-to-end p99 | < 250 ms | 300.0 ms | missed (1.2× the goal) |\n")
                .contains("| graceful stop on SIGTERM | 2.3 s |\n")
                .doesNotContain("## Notes");
    }

    @Test
    void shouldReportStartUpAndMemoryBesideTheGoals() {
        String md = report(
                        List.of(channel(Channel.MLLP, measured(2000, 180, Map.of()))),
                        memory(Duration.ofMillis(82_600)),
                        List.of())
                .markdown();

        assertThat(md)
                .contains("## Memory and start-up\n\n")
                .contains("| start-up: process start → `/actuator/health` UP and the partners' routes Started"
                        + " | 82.6 s |\n")
                .contains("| of which: JVM start → Spring Boot \"Started\" (its log, \"process running for\") | 38.4 s"
                        + " |\n")
                .contains("| heap used right after start (before any referral) | 300 MiB |\n")
                .contains("| heap used after a full GC, idle (`jcmd <pid> GC.run`) | 150 MiB |\n")
                .contains("| heap used under load, peak (sampled every second, max heap 1 GiB) | 700 MiB |\n")
                .contains("| RSS peak of the process (`VmHWM`, end of run) | 1600 MiB |\n")
                .contains("| heap used after a full GC once all channels were done | 180 MiB |\n")
                .contains("| heap | < 1 GB | 700 MiB peak in use under load (the hub runs with `-Xmx1g`, so it"
                        + " cannot use more); live after full GC 150 MiB idle, 180 MiB after the load | met |\n")
                .contains("| start-up | < 20 s | 82.6 s | missed (4.1× the goal) |\n");
    }

    @Test
    void shouldSayWhenNothingWasDeliveredAndWhatIsUnknown() {
        MemoryFigures unknown = new MemoryFigures(
                Duration.ofSeconds(15),
                null,
                null,
                null,
                "not available (no jcmd)",
                null,
                null,
                null,
                null,
                null,
                null,
                null);
        String md = report(
                        List.of(channel(Channel.JMS, measured(0, 0, Map.of()))),
                        unknown,
                        List.of("No JMS referral reached the queue."))
                .markdown();

        assertThat(md)
                .contains("| throughput end to end | not measured (nothing delivered) |\n")
                .contains("| missing (acknowledged, never delivered) | 2000 |\n")
                .contains("| send → delivery on the receiver's queue | 0 | — | — | — | — |\n")
                .contains("| JMS end-to-end throughput | ≥ 200 referrals/s on 2 cores | not measured | — |\n")
                .contains("| of which: JVM start → Spring Boot \"Started\" (its log, \"process running for\") |"
                        + " not in the log |\n")
                .contains("| heap | < 1 GB | not measured | — |\n")
                .contains("| start-up | < 20 s | 15.0 s | met |\n")
                .contains("## Notes\n\n- No JMS referral reached the queue.\n");
    }
}
