package org.cbhealth.bench.referral;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.cbhealth.bench.MachineDescription;

/**
 * The Markdown result of an end-to-end referral run: what was run on which machine, the counts (sent, acknowledged,
 * delivered, missing, duplicated), throughput, latency percentiles, the hub's memory and CPU, and the figures beside
 * the goals (≥ 200 referrals/s end to end with p99 &lt; 250 ms on 2 cores).
 *
 * @param when when the run started (UTC)
 * @param command the command line that produced it
 * @param hubCommit the repository's commit when the run started (the hub jar is built from it), or "unknown"
 * @param options the run's settings
 * @param machine the machine
 * @param database which database the hub stored in
 * @param hubStart process start → health UP and partner routes Started
 * @param warmup the warm-up phase (not in the figures)
 * @param figures the measured phase
 * @param unknownDeliveries messages on the receiver's queue that matched no referral of the run
 * @param hub the hub's resources after the run
 * @param loadBefore the machine's load averages (1, 5, 15 min) before the hub started
 * @param loadAfter the same after the measured phase
 * @param notes anything else the reader must know (broker problems, delivery not available)
 */
public record ReferralReport(
        OffsetDateTime when,
        String command,
        String hubCommit,
        ReferralBenchmarkOptions options,
        MachineDescription machine,
        String database,
        Duration hubStart,
        RunFigures warmup,
        RunFigures figures,
        long unknownDeliveries,
        HubFigures hub,
        String loadBefore,
        String loadAfter,
        List<String> notes) {

    /** The goal from the brief: end-to-end referrals per second. */
    public static final double GOAL_PER_SECOND = 200;
    /** The goal from the brief: end-to-end p99 below this many milliseconds. */
    public static final double GOAL_P99_MILLIS = 250;

    /**
     * What the hub used; null where it could not be read.
     *
     * @param heapUsedBytes {@code jvm.memory.used} (area heap) after the run
     * @param rssBytes resident memory after the run ({@code VmRSS})
     * @param peakRssBytes peak resident memory ({@code VmHWM})
     * @param hubCpu CPU the hub used during the measured phase
     * @param benchCpu CPU the load generator used during the measured phase
     * @param outbox the referral outbox after the run: sent, pending, failing
     * @param stop SIGTERM → exit; null when it had to be killed or was not stopped yet
     */
    public record HubFigures(
            Long heapUsedBytes,
            Long rssBytes,
            Long peakRssBytes,
            Duration hubCpu,
            Duration benchCpu,
            String outbox,
            Duration stop) {}

    public String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("# End-to-end referrals: REF^I12 over MLLP → hub → receiver's JMS queue\n\n");
        md.append("Written by `")
                .append(command)
                .append("` on ")
                .append(when)
                .append(" (repository at commit ")
                .append(hubCommit)
                .append(" when the run started).\n\n");
        md.append("A load generator in its own JVM sends the BG→MK sample referral, each with a placer number")
                .append(" and a patient (valid EGN) of its own, over MLLP connections to the packaged hub, a second")
                .append(" JVM (`java -Xmx1g -jar hub/target/cbhealth-hub.jar`, fresh data directory, two partner")
                .append(" files: an MLLP sender and a JMS receiver). It records the time of each send and of its")
                .append(" ACK, and consumes the receiver's queue on the hub's Artemis over TCP (CORE), matching each")
                .append(" message to its referral by the `CBHealthReferrerNumber` property. Latencies are measured")
                .append(" in the load generator from just before the frame is written. The run ends when nothing")
                .append(" has been delivered for ")
                .append(options.quietSeconds())
                .append(" s.\n\n");
        md.append("Other processes (other engineers' builds and tests) may have been running on this machine at the")
                .append(" same time. Load average (1, 5, 15 min) before the hub started: ")
                .append(loadBefore)
                .append("; after the measured phase: ")
                .append(loadAfter)
                .append(".\n\n");
        md.append(machine.asMarkdown()).append('\n');

        md.append("| setting | value |\n| --- | --- |\n");
        row(
                md,
                "referrals measured",
                options.count() + " (after " + options.warmup() + " warm-up referrals, not counted)");
        row(md, "MLLP connections", Integer.toString(options.connections()));
        row(md, "rate", options.rateText());
        row(md, "database", database);
        row(md, "broker", "the hub's embedded Artemis (persistent journal), consumed over TCP (CORE)");
        row(
                md,
                "hub start",
                seconds(hubStart) + " (process start → `/actuator/health` UP and both partners' routes Started)");
        row(
                md,
                "warm-up",
                warmup.sent() + " sent, " + warmup.accepted() + " AA, " + warmup.refused() + " AE/AR, "
                        + warmup.failed() + " not answered, " + warmup.delivered() + " delivered");
        md.append('\n');

        md.append("## Results\n\n| figure | value |\n| --- | --- |\n");
        row(md, "sent", Integer.toString(figures.sent()));
        row(md, "answered AA", Integer.toString(figures.accepted()));
        row(md, "answered AE/AR", Integer.toString(figures.refused()));
        row(md, "not answered (connection, timeout, unreadable ACK)", Integer.toString(figures.failed()));
        row(md, "delivered to the receiver's queue", Integer.toString(figures.delivered()));
        row(md, "missing (AA, never delivered)", Integer.toString(figures.missing()));
        row(md, "duplicates (deliveries beyond the first)", Long.toString(figures.duplicates()));
        row(md, "delivered without AA", Integer.toString(figures.deliveredWithoutAa()));
        row(md, "messages matching no referral of the run", Long.toString(unknownDeliveries));
        row(
                md,
                "throughput end to end",
                figures.delivered() == 0
                        ? "not measured (nothing delivered)"
                        : format("%.1f referrals/s", figures.deliveredPerSecond()) + " ("
                                + figures.delivered() + " in " + format("%.2f s", figures.deliverySeconds())
                                + ", first send → last delivery)");
        row(
                md,
                "throughput of acknowledgements",
                format("%.1f referrals/s", figures.answeredPerSecond()) + " ("
                        + (figures.accepted() + figures.refused()) + " in " + format("%.2f s", figures.ackSeconds())
                        + ", first send → last ACK)");
        md.append('\n');

        md.append("| latency | count | p50 | p95 | p99 | max |\n| --- | --- | --- | --- | --- | --- |\n");
        latencyRow(md, "send → ACK (AA, AE, AR)", figures.ackLatency());
        latencyRow(md, "send → delivery on the receiver's queue", figures.endToEnd());
        md.append('\n');

        md.append("| the hub | value |\n| --- | --- |\n");
        row(md, "heap used after the run (`jvm.memory.used`, area heap; max heap 1 GiB)", mib(hub.heapUsedBytes()));
        row(md, "resident memory (RSS) after the run, peak", mib(hub.rssBytes()) + ", peak " + mib(hub.peakRssBytes()));
        row(
                md,
                "CPU used by the hub during the measured phase",
                hub.hubCpu() == null
                        ? "unknown"
                        : seconds(hub.hubCpu()) + " ("
                                + format("%.1f ms", hub.hubCpu().toNanos() / 1e6 / Math.max(1, figures.sent()))
                                + " per referral)");
        row(
                md,
                "CPU used by the load generator during the measured phase",
                hub.benchCpu() == null ? "unknown" : seconds(hub.benchCpu()));
        row(md, "referral outbox after the run", hub.outbox());
        row(md, "graceful stop on SIGTERM", hub.stop() == null ? "did not exit in time (killed)" : seconds(hub.stop()));
        md.append('\n');

        md.append("## Against the goals\n\n| goal | target | measured | |\n| --- | --- | --- | --- |\n");
        if (figures.delivered() == 0) {
            md.append("| end-to-end throughput | ≥ 200 referrals/s on 2 cores | not measured | — |\n");
            md.append("| end-to-end p99 | < 250 ms | not measured | — |\n");
        } else {
            double p99 = figures.endToEnd().p99Nanos() / 1e6;
            md.append("| end-to-end throughput | ≥ 200 referrals/s on 2 cores | ")
                    .append(format("%.1f referrals/s", figures.deliveredPerSecond()))
                    .append(" | ")
                    .append(figures.deliveredPerSecond() >= GOAL_PER_SECOND ? "met" : "missed")
                    .append(" |\n");
            md.append("| end-to-end p99 | < 250 ms | ")
                    .append(format("%.1f ms", p99))
                    .append(" | ")
                    .append(p99 < GOAL_P99_MILLIS ? "met" : "missed")
                    .append(" |\n");
        }
        md.append('\n');

        if (!figures.problems().isEmpty() || !warmup.problems().isEmpty()) {
            md.append("## Refusals and failures\n\n| phase | count | ACK code and first ERR, or problem |\n")
                    .append("| --- | --- | --- |\n");
            problemRows(md, "warm-up", warmup.problems());
            problemRows(md, "measured", figures.problems());
            md.append('\n');
        }
        if (!notes.isEmpty()) {
            md.append("## Notes\n\n");
            for (String note : notes) {
                md.append("- ").append(note).append('\n');
            }
        }
        return md.toString();
    }

    public void writeTo(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Files.writeString(file, markdown(), StandardCharsets.UTF_8);
    }

    private static void problemRows(StringBuilder md, String phase, Map<String, Integer> problems) {
        for (Map.Entry<String, Integer> problem : problems.entrySet()) {
            md.append("| ")
                    .append(phase)
                    .append(" | ")
                    .append(problem.getValue())
                    .append(" | ")
                    .append(problem.getKey().replace("|", "\\|").replace("\n", " "))
                    .append(" |\n");
        }
    }

    private static void latencyRow(StringBuilder md, String label, LatencyStats stats) {
        if (stats.count() == 0) {
            md.append("| ").append(label).append(" | 0 | — | — | — | — |\n");
            return;
        }
        md.append("| ")
                .append(label)
                .append(" | ")
                .append(stats.count())
                .append(" | ")
                .append(millis(stats.p50Nanos()))
                .append(" | ")
                .append(millis(stats.p95Nanos()))
                .append(" | ")
                .append(millis(stats.p99Nanos()))
                .append(" | ")
                .append(millis(stats.maxNanos()))
                .append(" |\n");
    }

    private static void row(StringBuilder md, String label, String value) {
        md.append("| ").append(label).append(" | ").append(value).append(" |\n");
    }

    static String millis(long nanos) {
        return format("%.1f ms", nanos / 1e6);
    }

    static String seconds(Duration duration) {
        return format("%.1f s", duration.toNanos() / 1e9);
    }

    static String mib(Long bytes) {
        return bytes == null ? "unknown" : format("%d MiB", bytes / (1024 * 1024));
    }

    private static String format(String pattern, Object... args) {
        return String.format(Locale.ROOT, pattern, args);
    }
}
