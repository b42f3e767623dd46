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
import java.util.stream.Collectors;
import org.cbhealth.bench.MachineDescription;

/**
 * The Markdown result of an end-to-end referral run: what was run on which machine; a summary table with a row per
 * channel (MLLP, REST, JMS); the hub's start-up time and memory beside the goals (heap &lt; 1 GB, start-up &lt;
 * 20 s); the throughput and p99 of each channel beside the goals (≥ 200 referrals/s end to end with p99 &lt; 250 ms
 * on 2 cores); then a section per channel with its counts (sent, acknowledged, refused, delivered, missing,
 * duplicated), latency percentiles, CPU, memory peaks and refusals.
 *
 * @param when when the run started (UTC)
 * @param command the command line that produced it
 * @param hubCommit the repository's commit when the run started (the hub jar is built from it), or "unknown"
 * @param options the run's settings
 * @param machine the machine
 * @param database which database the hub stored in
 * @param channels each channel's phase, in the order they ran
 * @param unknownDeliveries messages on the receiver's queue that matched no referral of the run
 * @param memory the hub's start-up and memory
 * @param hub the hub at the end of the run
 * @param loadBefore the machine's load averages (1, 5, 15 min) before the hub started
 * @param notes anything else the reader must know (broker problems, delivery not available)
 */
public record ReferralReport(
        OffsetDateTime when,
        String command,
        String hubCommit,
        ReferralBenchmarkOptions options,
        MachineDescription machine,
        String database,
        List<ChannelResult> channels,
        long unknownDeliveries,
        MemoryFigures memory,
        HubFigures hub,
        String loadBefore,
        List<String> notes) {

    /** The goal from the brief: end-to-end referrals per second. */
    public static final double GOAL_PER_SECOND = 200;
    /** The goal from the brief: end-to-end p99 below this many milliseconds. */
    public static final double GOAL_P99_MILLIS = 250;

    /**
     * The hub at the end of the run.
     *
     * @param outbox the referral outbox after the run: sent, pending, failing
     * @param stop SIGTERM → exit; null when it had to be killed or was not stopped yet
     */
    public record HubFigures(String outbox, Duration stop) {}

    public String markdown() {
        StringBuilder md = new StringBuilder();
        String names = channels.stream().map(c -> c.channel().name()).collect(Collectors.joining(", "));
        md.append("# End-to-end referrals: REF^I12 over ").append(names).append(" → hub → receiver's JMS queue\n\n");
        md.append("Written by `")
                .append(command)
                .append("` on ")
                .append(when)
                .append(" (repository at commit ")
                .append(hubCommit)
                .append(" when the run started).\n\n");
        md.append("A load generator in its own JVM sends the BG→MK sample referral, each with a placer number")
                .append(" and a patient (valid EGN) of its own, to the packaged hub, a second JVM")
                .append(" (`java -Xmx1g -jar hub/target/cbhealth-hub.jar`, fresh data directory, two partner files:")
                .append(" a sender with an MLLP, a REST and a JMS channel, all HL7 v2 REF^I12, and a JMS receiver).")
                .append(" The channels run one after the other against the same hub, each with its own warm-up. The")
                .append(" generator records the time of each send and of its acknowledgement, and consumes the")
                .append(" receiver's queue on the hub's Artemis over TCP (CORE), matching each message to its referral")
                .append(" by the `CBHealthReferrerNumber` property. Latencies are measured in the load generator from")
                .append(" just before the referral is written. A channel's phase ends when nothing has been delivered")
                .append(" for ")
                .append(options.quietSeconds())
                .append(" s.\n\n");
        md.append("Other processes (other engineers' builds and tests) may have been running on this machine at the")
                .append(" same time. Load average (1, 5, 15 min) before the hub started: ")
                .append(loadBefore)
                .append(channels.stream()
                        .map(c -> "; after " + c.channel().name() + ": " + c.loadAfter())
                        .collect(Collectors.joining()))
                .append(".\n\n");
        md.append(machine.asMarkdown()).append('\n');

        md.append("| setting | value |\n| --- | --- |\n");
        row(md, "channels", names);
        row(
                md,
                "referrals measured per channel",
                options.count() + " (after " + options.warmup() + " warm-up referrals, not counted)");
        row(md, "connections per channel", Integer.toString(options.connections()));
        row(md, "rate", options.rateText());
        row(md, "database", database);
        row(md, "broker", "the hub's embedded Artemis (persistent journal), used over TCP (CORE)");
        md.append('\n');

        md.append("## Summary\n\n")
                .append("| channel | sent | acknowledged | refused | no answer | delivered | missing | duplicates |")
                .append(" end to end | ack p99 | end-to-end p50 | p95 | p99 |\n")
                .append("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        for (ChannelResult c : channels) {
            RunFigures f = c.figures();
            md.append("| ")
                    .append(c.channel().name())
                    .append(" | ")
                    .append(f.sent())
                    .append(" | ")
                    .append(f.accepted())
                    .append(" | ")
                    .append(f.refused())
                    .append(" | ")
                    .append(f.failed())
                    .append(" | ")
                    .append(f.delivered())
                    .append(" | ")
                    .append(f.missing())
                    .append(" | ")
                    .append(f.duplicates())
                    .append(" | ")
                    .append(f.delivered() == 0 ? "—" : format("%.1f/s", f.deliveredPerSecond()))
                    .append(" | ")
                    .append(
                            f.ackLatency().count() == 0
                                    ? "—"
                                    : millis(f.ackLatency().p99Nanos()))
                    .append(" | ")
                    .append(
                            f.endToEnd().count() == 0
                                    ? "—"
                                    : millis(f.endToEnd().p50Nanos()))
                    .append(" | ")
                    .append(
                            f.endToEnd().count() == 0
                                    ? "—"
                                    : millis(f.endToEnd().p95Nanos()))
                    .append(" | ")
                    .append(
                            f.endToEnd().count() == 0
                                    ? "—"
                                    : millis(f.endToEnd().p99Nanos()))
                    .append(" |\n");
        }
        md.append('\n');
        md.append("Acknowledged means: ");
        md.append(channels.stream()
                .map(c -> c.channel().name() + " " + c.channel().acknowledged)
                .collect(Collectors.joining("; ")));
        md.append(
                ". End to end is first send → last delivery on the receiver's queue, latency is send → delivery.\n\n");

        memory(md);
        goals(md);
        for (ChannelResult c : channels) {
            channel(md, c);
        }

        md.append("## The hub after the run\n\n| figure | value |\n| --- | --- |\n");
        row(md, "messages on the receiver's queue matching no referral of the run", Long.toString(unknownDeliveries));
        row(md, "referral outbox after the run", hub.outbox());
        row(md, "graceful stop on SIGTERM", hub.stop() == null ? "did not exit in time (killed)" : seconds(hub.stop()));
        md.append('\n');
        if (!notes.isEmpty()) {
            md.append("## Notes\n\n");
            for (String note : notes) {
                md.append("- ").append(note).append('\n');
            }
        }
        return md.toString();
    }

    private void memory(StringBuilder md) {
        MemoryFigures m = memory;
        md.append("## Memory and start-up\n\n| figure | value |\n| --- | --- |\n");
        row(
                md,
                "start-up: process start → `/actuator/health` UP and the partners' routes Started",
                m.ready() == null ? "unknown" : seconds(m.ready()));
        row(
                md,
                "of which: JVM start → Spring Boot \"Started\" (its log, \"process running for\")",
                m.springStarted() == null ? "not in the log" : seconds(m.springStarted()));
        row(md, "heap used right after start (before any referral)", mib(m.heapAfterStart()));
        row(md, "RSS right after start", mib(m.rssAfterStart()));
        row(md, "heap used after a full GC, idle (" + m.fullGc() + ")", mib(m.heapIdleAfterGc()));
        row(md, "RSS after that full GC, idle", mib(m.rssIdleAfterGc()));
        row(md, "heap used under load, peak (sampled every second, max heap 1 GiB)", mib(m.peakHeapUnderLoad()));
        row(md, "RSS under load, peak (sampled every second)", mib(m.peakRssUnderLoad()));
        row(md, "RSS peak of the process (`VmHWM`, end of run)", mib(m.peakRssEver()));
        row(md, "heap used after a full GC once all channels were done", mib(m.heapAfterRunGc()));
        row(md, "RSS then", mib(m.rssAfterRun()));
        md.append('\n');
    }

    private void goals(StringBuilder md) {
        md.append("## Against the goals\n\n| goal | target | measured | |\n| --- | --- | --- | --- |\n");
        for (ChannelResult c : channels) {
            RunFigures f = c.figures();
            String name = c.channel().name();
            if (f.delivered() == 0) {
                md.append("| ").append(name).append(" end-to-end throughput | ≥ 200 referrals/s on 2 cores |");
                md.append(" not measured | — |\n");
                md.append("| ").append(name).append(" end-to-end p99 | < 250 ms | not measured | — |\n");
                continue;
            }
            double p99 = f.endToEnd().p99Nanos() / 1e6;
            md.append("| ")
                    .append(name)
                    .append(" end-to-end throughput | ≥ 200 referrals/s on 2 cores | ")
                    .append(format("%.1f referrals/s", f.deliveredPerSecond()))
                    .append(" | ")
                    .append(verdict(
                            f.deliveredPerSecond() >= GOAL_PER_SECOND, f.deliveredPerSecond() / GOAL_PER_SECOND))
                    .append(" |\n");
            md.append("| ")
                    .append(name)
                    .append(" end-to-end p99 | < 250 ms | ")
                    .append(format("%.1f ms", p99))
                    .append(" | ")
                    .append(verdict(p99 < GOAL_P99_MILLIS, p99 / GOAL_P99_MILLIS))
                    .append(" |\n");
        }
        MemoryFigures m = memory;
        Long heap = m.peakHeapUnderLoad();
        md.append("| heap | < 1 GB | ");
        if (heap == null) {
            md.append("not measured | — |\n");
        } else {
            md.append(mib(heap))
                    .append(" peak in use under load (the hub runs with `-Xmx1g`, so it cannot use more);")
                    .append(" live after full GC ")
                    .append(mib(m.heapIdleAfterGc()))
                    .append(" idle, ")
                    .append(mib(m.heapAfterRunGc()))
                    .append(" after the load | ")
                    .append(heap < MemoryFigures.GOAL_HEAP_BYTES ? "met" : "missed")
                    .append(" |\n");
        }
        md.append("| start-up | < 20 s | ");
        if (m.ready() == null) {
            md.append("not measured | — |\n");
        } else {
            double ratio = m.ready().toNanos() / (double) MemoryFigures.GOAL_START.toNanos();
            md.append(seconds(m.ready()))
                    .append(" | ")
                    .append(verdict(m.ready().compareTo(MemoryFigures.GOAL_START) < 0, ratio))
                    .append(" |\n");
        }
        md.append('\n');
    }

    /** "met", or "missed" with how far off: the measured figure as a multiple of (or fraction of) the goal. */
    private static String verdict(boolean met, double measuredOverGoal) {
        if (met) {
            return "met";
        }
        return measuredOverGoal < 1
                ? format("missed (%.1f %% of the goal)", measuredOverGoal * 100)
                : format("missed (%.1f× the goal)", measuredOverGoal);
    }

    private void channel(StringBuilder md, ChannelResult c) {
        Channel ch = c.channel();
        RunFigures f = c.figures();
        RunFigures w = c.warmup();
        md.append("## ").append(ch.name()).append("\n\n");
        md.append("Sent over ").append(ch.transport).append(". Acknowledged: ").append(ch.acknowledged);
        md.append(". Refused: ")
                .append(ch.refused)
                .append(". No acknowledgement: ")
                .append(ch.failed)
                .append(".\n\n");
        md.append("| figure | value |\n| --- | --- |\n");
        row(
                md,
                "warm-up",
                w.sent() + " sent, " + w.accepted() + " acknowledged, " + w.refused() + " refused, " + w.failed()
                        + " no answer, " + w.delivered() + " delivered");
        row(md, "sent", Integer.toString(f.sent()));
        row(md, "acknowledged", Integer.toString(f.accepted()));
        row(md, "refused", Integer.toString(f.refused()));
        row(md, "no acknowledgement", Integer.toString(f.failed()));
        row(md, "delivered to the receiver's queue", Integer.toString(f.delivered()));
        row(md, "missing (acknowledged, never delivered)", Integer.toString(f.missing()));
        row(md, "duplicates (deliveries beyond the first)", Long.toString(f.duplicates()));
        row(md, "delivered without acknowledgement", Integer.toString(f.deliveredWithoutAa()));
        row(
                md,
                "throughput end to end",
                f.delivered() == 0
                        ? "not measured (nothing delivered)"
                        : format("%.1f referrals/s", f.deliveredPerSecond()) + " (" + f.delivered() + " in "
                                + format("%.2f s", f.deliverySeconds()) + ", first send → last delivery)");
        row(
                md,
                "throughput of acknowledgements",
                format("%.1f referrals/s", f.answeredPerSecond()) + " (" + (f.accepted() + f.refused()) + " in "
                        + format("%.2f s", f.ackSeconds()) + ", first send → last acknowledgement)");
        row(
                md,
                "CPU used by the hub during the measured phase",
                c.hubCpu() == null
                        ? "unknown"
                        : seconds(c.hubCpu()) + " ("
                                + format("%.1f ms", c.hubCpu().toNanos() / 1e6 / Math.max(1, f.sent()))
                                + " per referral)");
        row(
                md,
                "CPU used by the load generator during the measured phase",
                c.benchCpu() == null ? "unknown" : seconds(c.benchCpu()));
        row(md, "hub heap used, peak during warm-up and measured phase", mib(c.peakHeapBytes()) + " (max heap 1 GiB)");
        row(md, "hub RSS, peak during warm-up and measured phase", mib(c.peakRssBytes()));
        row(md, "the sender's counters on the hub during the measured phase", c.hubCounters());
        md.append('\n');
        md.append("| latency | count | p50 | p95 | p99 | max |\n| --- | --- | --- | --- | --- | --- |\n");
        latencyRow(md, ch.ackLatency, f.ackLatency());
        latencyRow(md, "send → delivery on the receiver's queue", f.endToEnd());
        md.append('\n');
        if (!f.problems().isEmpty() || !w.problems().isEmpty()) {
            md.append("| ").append(ch.name()).append(" refusals and failures | count | phase |\n| --- | --- | --- |\n");
            problemRows(md, "warm-up", w.problems());
            problemRows(md, "measured", f.problems());
            md.append('\n');
        }
    }

    public void writeTo(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Files.writeString(file, markdown(), StandardCharsets.UTF_8);
    }

    private static void problemRows(StringBuilder md, String phase, Map<String, Integer> problems) {
        for (Map.Entry<String, Integer> problem : problems.entrySet()) {
            md.append("| ")
                    .append(problem.getKey().replace("|", "\\|").replace("\n", " "))
                    .append(" | ")
                    .append(problem.getValue())
                    .append(" | ")
                    .append(phase)
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
