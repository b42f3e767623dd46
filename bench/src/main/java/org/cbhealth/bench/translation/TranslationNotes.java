package org.cbhealth.bench.translation;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The part of the translation report the JMH table does not say: each translation against the goal (hub throughput
 * at least {@code goal} × the parse+serialise baseline's), by how much a missed goal is missed, the hub's steps
 * timed alone, and what the profiler saw where the goal is missed. Pure: scores and profile text in, Markdown out.
 */
final class TranslationNotes {

    /**
     * A hub benchmark, its baseline and the benchmarks that time the hub's steps alone.
     *
     * @param steps step benchmark → what the step does
     */
    record Comparison(String label, String hub, String baseline, Map<String, String> steps) {}

    /** What a profiled run saw of one hub benchmark. */
    record Profile(String stack, double hubBytesPerOp, double baselineBytesPerOp) {}

    /** How far the whole hub benchmark and the sum of its steps may differ before the run is called unreliable. */
    static final double TOLERANCE = 0.25;

    private final double goal;
    private final String unit;
    private final Map<String, Double> scores;

    /**
     * @param scores benchmark method → time per operation
     * @param unit unit of the times, e.g. {@code us/op}
     */
    TranslationNotes(double goal, String unit, Map<String, Double> scores) {
        this.goal = goal;
        this.unit = unit;
        this.scores = Map.copyOf(scores);
    }

    /** Hub throughput / baseline throughput (baseline time / hub time), or NaN when either was not measured. */
    double ratio(Comparison comparison) {
        Double hub = scores.get(comparison.hub());
        Double baseline = scores.get(comparison.baseline());
        return hub == null || baseline == null ? Double.NaN : baseline / hub;
    }

    boolean missed(Comparison comparison) {
        return ratio(comparison) < goal;
    }

    /** The goal table and the steps of each comparison, as Markdown sections. */
    String goalAndSteps(List<Comparison> comparisons) {
        StringBuilder md = new StringBuilder();
        md.append(String.format(
                Locale.ROOT, "## Against the goal: translation ≥ %s× the parse+serialise baseline%n%n", fmt(goal)));
        md.append("| translation | hub / baseline | goal | |\n| --- | --- | --- | --- |\n");
        for (Comparison comparison : comparisons) {
            double ratio = ratio(comparison);
            if (Double.isNaN(ratio)) {
                md.append("| ").append(comparison.label()).append(" | not measured | | |\n");
                continue;
            }
            md.append(String.format(
                    Locale.ROOT,
                    "| %s | %.2f× | ≥ %s× | %s |%n",
                    comparison.label(),
                    ratio,
                    fmt(goal),
                    verdict(comparison)));
        }
        md.append(consistency(comparisons));
        md.append("\n## The hub's steps, each timed alone\n\n");
        md.append(
                "The hub benchmark is the sum of these steps; the baseline is the input parsed by the same library and"
                        + " the same output serialised. The share is of the sum of the steps.\n\n");
        md.append("| translation | step | time per operation | share |\n| --- | --- | --- | --- |\n");
        for (Comparison comparison : comparisons) {
            double sum = comparison.steps().keySet().stream()
                    .mapToDouble(step -> scores.getOrDefault(step, Double.NaN))
                    .sum();
            for (Map.Entry<String, String> step : comparison.steps().entrySet()) {
                Double time = scores.get(step.getKey());
                md.append(String.format(
                        Locale.ROOT,
                        "| %s | %s (`%s`) | %s | %s |%n",
                        comparison.label(),
                        step.getValue(),
                        step.getKey(),
                        time == null ? "not measured" : String.format(Locale.ROOT, "%.1f %s", time, unit),
                        time == null || Double.isNaN(sum)
                                ? ""
                                : String.format(Locale.ROOT, "%.0f %%", 100 * time / sum)));
            }
            Double hub = scores.get(comparison.hub());
            if (hub != null && !Double.isNaN(sum)) {
                md.append(String.format(
                        Locale.ROOT,
                        "| %s | sum of the steps (whole hub benchmark: %.1f %s) | %.1f %s | 100 %% |%n",
                        comparison.label(),
                        hub,
                        unit,
                        sum,
                        unit));
            }
        }
        return md.toString();
    }

    /** What the profiler saw of one missed comparison: allocation beside the baseline's, the hottest frames. */
    String profile(Comparison comparison, Profile profile) {
        StringBuilder md = new StringBuilder();
        md.append("### ")
                .append(comparison.label())
                .append(": `")
                .append(comparison.hub())
                .append("` profiled\n\n");
        if (!Double.isNaN(profile.hubBytesPerOp()) && !Double.isNaN(profile.baselineBytesPerOp())) {
            md.append(String.format(
                    Locale.ROOT,
                    "Allocation (JMH `-prof gc`, gc.alloc.rate.norm): %.0f bytes per operation in the hub, %.0f in the"
                            + " baseline (%.1f×).%n%n",
                    profile.hubBytesPerOp(),
                    profile.baselineBytesPerOp(),
                    profile.hubBytesPerOp() / profile.baselineBytesPerOp()));
        }
        md.append("JMH `-prof stack` (thread samples every 10 ms) with JDK and library frames (HAPI, Commons CSV,"
                        + " Jackson) left out: each sample counts at the innermost CBHealth method, that is the method's"
                        + " time including the library calls it makes. Samples without a CBHealth frame (JMH's own"
                        + " threads, the benchmark loop) show as \"stack is empty\".\n\n```\n")
                .append(profile.stack().strip())
                .append("\n```\n");
        return md.toString();
    }

    /**
     * The whole hub benchmark beside the sum of its steps timed alone: they measure the same work, so a gap of more
     * than {@link #TOLERANCE} means the machine's load changed between benchmarks and the ratio is not to be trusted.
     */
    String consistency(List<Comparison> comparisons) {
        StringBuilder md = new StringBuilder("\nCheck of the run: the whole hub benchmark against the sum of its steps"
                + " timed alone (the same work, measured at other times).\n\n");
        for (Comparison comparison : comparisons) {
            Double hub = scores.get(comparison.hub());
            double sum = comparison.steps().keySet().stream()
                    .mapToDouble(step -> scores.getOrDefault(step, Double.NaN))
                    .sum();
            if (hub == null || Double.isNaN(sum)) {
                continue;
            }
            double gap = Math.max(hub, sum) / Math.min(hub, sum);
            md.append(String.format(
                    Locale.ROOT,
                    gap <= 1 + TOLERANCE
                            ? "- %s: %.1f vs %.1f %s, within %.0f %%.%n"
                            : "- %s: %.1f vs %.1f %s, %.1f× apart: **not reliable**, the machine's load changed during"
                                    + " the run.%n",
                    comparison.label(),
                    hub,
                    sum,
                    unit,
                    gap <= 1 + TOLERANCE ? 100 * TOLERANCE : gap));
        }
        return md.toString();
    }

    private String verdict(Comparison comparison) {
        double hub = scores.get(comparison.hub());
        double baseline = scores.get(comparison.baseline());
        double allowed = baseline / goal;
        if (hub <= allowed) {
            return String.format(Locale.ROOT, "met (the goal allows %.1f %s, the hub takes %.1f)", allowed, unit, hub);
        }
        return String.format(
                Locale.ROOT,
                "missed by %.2f: the goal allows %.1f %s, the hub takes %.1f, %.0f %% more",
                goal - baseline / hub,
                allowed,
                unit,
                hub,
                100 * (hub / allowed - 1));
    }

    private static String fmt(double value) {
        return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
    }
}
