package org.cbhealth.bench.translation;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.cbhealth.bench.BenchmarkMain;
import org.cbhealth.bench.RunEnvironment;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.profile.StackProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The {@code translation} suite: the hub's translators (REF^I12 → transaction Bundle, CSV directory export →
 * HealthcareServices) beside their parse+serialise baselines, against the goal "translation ≥ 0.5× the
 * parse+serialise baseline". Where a translation misses the goal, a second, shorter JMH run profiles its hub and
 * baseline benchmarks ({@code -prof stack} and {@code -prof gc}) and the report says where the time goes.
 */
public final class TranslationSuite {

    static final double GOAL = 0.5;

    private static final String PACKAGE = "org\\.cbhealth\\.bench\\.translation\\.";

    /**
     * Frames the stack profile leaves out, so that each sample counts at the innermost CBHealth method: the time of
     * that method including the libraries it calls.
     */
    private static final String LIBRARY_PACKAGES =
            "java.,jdk.,sun.,com.sun.,org.openjdk.jmh.,ca.uhn.,org.hl7.,org.apache.,com.fasterxml.,org.slf4j.";

    static final List<TranslationNotes.Comparison> COMPARISONS = List.of(
            new TranslationNotes.Comparison(
                    "REF^I12 → transaction Bundle (per message)",
                    "refI12Translate",
                    "refI12ParseSerialise",
                    steps(
                            "refI12StepReadAndCheck", "read (HAPI HL7 v2 parse, MSH checks) and check PID",
                            "refI12StepTranslate", "translate to the Bundle",
                            "refI12StepSerialise", "serialise the Bundle to JSON")),
            new TranslationNotes.Comparison(
                    "CSV → HealthcareService, BG export, windows-1251 (per row)",
                    "csvBgTranslate",
                    "csvBgParseSerialise",
                    steps(
                            "csvBgStepRead", "layout, decode, parse and check the rows",
                            "csvBgStepTranslate", "translate the rows",
                            "csvBgStepSerialise", "serialise the resources to JSON")),
            new TranslationNotes.Comparison(
                    "CSV → HealthcareService, MK export, UTF-8 (per row)",
                    "csvMkTranslate",
                    "csvMkParseSerialise",
                    steps(
                            "csvMkStepRead", "layout, decode, parse and check the rows",
                            "csvMkStepTranslate", "translate the rows",
                            "csvMkStepSerialise", "serialise the resources to JSON")));

    public static final BenchmarkMain.Suite SUITE = new BenchmarkMain.Suite(
            "translation",
            "Translation: REF^I12 → FHIR Bundle, CSV row → directory resources (warm)",
            PACKAGE + "(RefI12TranslationBenchmark|CsvDirectoryTranslationBenchmark)\\..*",
            COMPARISONS.stream()
                    .map(c -> new BenchmarkMain.Ratio(
                            c.label() + ": translate vs parse+serialise", c.hub(), c.baseline()))
                    .toList(),
            TranslationSuite::notes);

    private TranslationSuite() {}

    /** The goal, the steps, and for each missed goal a profiled run of the hub and its baseline. */
    static String notes(Collection<RunResult> results, boolean quick) {
        Map<String, Double> scores = new HashMap<>();
        String unit = "us/op";
        for (RunResult result : results) {
            String benchmark = result.getParams().getBenchmark();
            scores.put(
                    benchmark.substring(benchmark.lastIndexOf('.') + 1),
                    result.getPrimaryResult().getScore());
            unit = result.getPrimaryResult().getScoreUnit();
        }
        TranslationNotes notes = new TranslationNotes(GOAL, unit, scores);
        StringBuilder md = new StringBuilder();
        md.append("Per row: each invocation translates the whole sample export (BG: 6 data rows, the last refused for a"
                        + " bad value; MK: 5 rows) and JMH divides the time by the rows. Inputs: `bench/src/main/resources`"
                        + " (copies of the shared partner samples). Other processes may have shared the machine; load"
                        + " average (1, 5, 15 min) at the end of the run: ")
                .append(RunEnvironment.loadAverage())
                .append(".\n\n");
        md.append(notes.goalAndSteps(COMPARISONS));
        List<TranslationNotes.Comparison> missed =
                COMPARISONS.stream().filter(notes::missed).toList();
        if (!missed.isEmpty()) {
            md.append("\n## Where the time goes\n\n");
            try {
                Map<String, TranslationNotes.Profile> profiles = profile(missed, quick);
                for (TranslationNotes.Comparison comparison : missed) {
                    TranslationNotes.Profile profile = profiles.get(comparison.hub());
                    md.append(
                            profile == null
                                    ? "No profile of `" + comparison.hub() + "` was taken.\n\n"
                                    : notes.profile(comparison, profile) + "\n");
                }
            } catch (RunnerException e) {
                md.append("The profiled run failed: ").append(e.getMessage()).append("\n");
            }
        }
        return md.toString();
    }

    /** One short JMH run of the missed comparisons' hub and baseline benchmarks with the stack and GC profilers. */
    private static Map<String, TranslationNotes.Profile> profile(
            List<TranslationNotes.Comparison> missed, boolean quick) throws RunnerException {
        List<String> methods = new ArrayList<>();
        missed.forEach(c -> methods.addAll(List.of(c.hub(), c.baseline())));
        Options options = new OptionsBuilder()
                .include(PACKAGE + ".*\\.("
                        + methods.stream().map(Pattern::quote).collect(Collectors.joining("|")) + ")$")
                .forks(1)
                .warmupIterations(quick ? 1 : 2)
                .warmupTime(TimeValue.seconds(quick ? 1 : 3))
                .measurementIterations(quick ? 1 : 3)
                .measurementTime(TimeValue.seconds(quick ? 1 : 3))
                .timeUnit(TimeUnit.MICROSECONDS)
                .addProfiler(
                        StackProfiler.class,
                        "lines=2;top=10;excludePackages=true;excludePackageNames=" + LIBRARY_PACKAGES)
                .addProfiler(GCProfiler.class)
                .shouldFailOnError(true)
                .build();
        Map<String, String> stacks = new HashMap<>();
        Map<String, Double> allocations = new HashMap<>();
        for (RunResult result : new Runner(options).run()) {
            String benchmark = result.getParams().getBenchmark();
            String method = benchmark.substring(benchmark.lastIndexOf('.') + 1);
            for (String key : result.getSecondaryResults().keySet()) {
                Result<?> secondary = result.getSecondaryResults().get(key);
                if (key.endsWith("stack")) {
                    stacks.put(method, secondary.extendedInfo());
                } else if (key.endsWith("gc.alloc.rate.norm")) {
                    allocations.put(method, secondary.getScore());
                }
            }
        }
        Map<String, TranslationNotes.Profile> profiles = new HashMap<>();
        for (TranslationNotes.Comparison comparison : missed) {
            if (stacks.containsKey(comparison.hub())) {
                profiles.put(
                        comparison.hub(),
                        new TranslationNotes.Profile(
                                stacks.get(comparison.hub()),
                                allocations.getOrDefault(comparison.hub(), Double.NaN),
                                allocations.getOrDefault(comparison.baseline(), Double.NaN)));
            }
        }
        return profiles;
    }

    private static Map<String, String> steps(String... benchmarkAndWhat) {
        Map<String, String> steps = new LinkedHashMap<>();
        for (int i = 0; i < benchmarkAndWhat.length; i += 2) {
            steps.put(benchmarkAndWhat[i], benchmarkAndWhat[i + 1]);
        }
        return steps;
    }
}
