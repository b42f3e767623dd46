package org.cbhealth.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;

/** Writes one suite's JMH results, their hub/baseline ratios and the machine as a Markdown file. */
final class MarkdownReport {

    private final BenchmarkMain.Suite suite;
    private final Map<String, Result<?>> byMethod = new LinkedHashMap<>();
    private final MachineDescription machine;
    private final boolean quick;
    private final String notes;

    MarkdownReport(
            BenchmarkMain.Suite suite, Collection<RunResult> results, MachineDescription machine, boolean quick) {
        this(suite, results, machine, quick, "");
    }

    /** @param notes Markdown appended after the tables (the suite's own sections), may be empty */
    MarkdownReport(
            BenchmarkMain.Suite suite,
            Collection<RunResult> results,
            MachineDescription machine,
            boolean quick,
            String notes) {
        this.suite = suite;
        this.machine = machine;
        this.quick = quick;
        this.notes = notes == null ? "" : notes;
        results.stream()
                .sorted(Comparator.comparing(r -> r.getParams().getBenchmark()))
                .forEach(r -> byMethod.put(methodName(r.getParams().getBenchmark()), r.getPrimaryResult()));
    }

    void writeTo(Path file) throws IOException {
        StringBuilder md = new StringBuilder();
        md.append("# ").append(suite.title()).append("\n\n");
        md.append("Written by `java -jar bench/target/cbhealth-bench.jar ")
                .append(suite.name())
                .append("` on ")
                .append(OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS))
                .append(
                        quick
                                ? ". JMH, 1 fork, 1 × 1 s warm-up, 2 × 1 s measurement"
                                : ". JMH, 1 fork, 3 × 3 s warm-up, 5 × 3 s measurement")
                .append(", average time per operation.\n\n");
        md.append(machine.asMarkdown()).append('\n');
        md.append("| benchmark | time per operation | error (99.9%) |\n| --- | --- | --- |\n");
        byMethod.forEach((method, result) -> md.append(String.format(
                Locale.ROOT,
                "| %s | %.1f %s | ± %.1f |%n",
                method,
                result.getScore(),
                result.getScoreUnit(),
                result.getScoreError())));
        md.append("\n| comparison | hub / baseline throughput |\n| --- | --- |\n");
        for (BenchmarkMain.Ratio ratio : suite.ratios()) {
            Result<?> hub = byMethod.get(ratio.hubBenchmark());
            Result<?> baseline = byMethod.get(ratio.baselineBenchmark());
            if (hub != null && baseline != null) {
                md.append(String.format(
                        Locale.ROOT,
                        "| %s | %.3g× (hub %.1f vs baseline %.1f %s) |%n",
                        ratio.label(),
                        baseline.getScore() / hub.getScore(),
                        hub.getScore(),
                        baseline.getScore(),
                        hub.getScoreUnit()));
            }
        }
        if (!notes.isBlank()) {
            md.append('\n').append(notes.strip()).append('\n');
        }
        Files.createDirectories(file.getParent());
        Files.writeString(file, md.toString());
    }

    private static String methodName(String benchmark) {
        return benchmark.substring(benchmark.lastIndexOf('.') + 1);
    }
}
