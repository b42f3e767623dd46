package org.cbhealth.bench;

import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs one benchmark suite with JMH and writes its results, with the machine described, as Markdown to
 * {@code bench/results/<suite>.md}. Usage: {@code java -jar bench/target/cbhealth-bench.jar <suite>}; the
 * suites are listed in {@link #SUITES}. {@code -Dbench.quick=true} shortens the run for a smoke check.
 */
public final class BenchmarkMain {

    /** A hub operation and the baseline it is compared with (time per operation, lower is better). */
    public record Ratio(String label, String hubBenchmark, String baselineBenchmark) {}

    /** A set of benchmarks reported together. */
    public record Suite(String name, String title, String includeRegex, List<Ratio> ratios) {}

    static final Map<String, Suite> SUITES = Map.of(
            "validation",
            new Suite(
                    "validation",
                    "Profile validation per resource (warm)",
                    "org\\.cbhealth\\.bench\\.ProfileValidationBenchmark\\..*",
                    List.of(
                            new Ratio(
                                    "Organization: validate vs parse+serialise",
                                    "validateOrganization",
                                    "parseAndSerialiseOrganization"),
                            new Ratio(
                                    "Patient: validate vs parse+serialise",
                                    "validatePatient",
                                    "parseAndSerialisePatient"))));

    private BenchmarkMain() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 1 || !SUITES.containsKey(args[0])) {
            System.err.println("usage: java -jar cbhealth-bench.jar <suite>; suites: " + SUITES.keySet());
            System.exit(2);
        }
        Suite suite = SUITES.get(args[0]);
        boolean quick = Boolean.getBoolean("bench.quick");
        Options options = new OptionsBuilder()
                .include(suite.includeRegex())
                .forks(1)
                .warmupIterations(quick ? 1 : 3)
                .warmupTime(TimeValue.seconds(quick ? 1 : 3))
                .measurementIterations(quick ? 2 : 5)
                .measurementTime(TimeValue.seconds(quick ? 1 : 3))
                .timeUnit(TimeUnit.MICROSECONDS)
                .shouldFailOnError(true)
                .build();
        Collection<RunResult> results = new Runner(options).run();
        Path out = Path.of(System.getProperty("bench.results", "bench/results"), suite.name() + ".md");
        new MarkdownReport(suite, results, MachineDescription.current(), quick).writeTo(out);
        System.out.println("Results written to " + out.toAbsolutePath());
    }
}
