package org.cbhealth.bench;

import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.cbhealth.bench.directoryimport.ImportBenchmark;
import org.cbhealth.bench.directoryimport.ImportBenchmarkOptions;
import org.cbhealth.bench.faults.FaultInjectionRun;
import org.cbhealth.bench.faults.FaultOptions;
import org.cbhealth.bench.ingestion.IngestionBenchmark;
import org.cbhealth.bench.ingestion.IngestionOptions;
import org.cbhealth.bench.referral.ReferralBenchmark;
import org.cbhealth.bench.referral.ReferralBenchmarkOptions;
import org.cbhealth.bench.search.SearchBenchmark;
import org.cbhealth.bench.search.SearchBenchmarkOptions;
import org.cbhealth.bench.translation.TranslationSuite;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs one benchmark suite with JMH and writes its results, with the machine described, as Markdown to
 * {@code bench/results/<suite>.md}. Usage: {@code java -jar bench/target/cbhealth-bench.jar <suite>}; the
 * suites are listed in {@link #SUITES}. {@code -Dbench.quick=true} shortens the run for a smoke check.
 *
 * <p>{@code java -jar bench/target/cbhealth-bench.jar referrals [options]} runs the end-to-end referral benchmark
 * instead ({@link ReferralBenchmark}): the packaged hub as a separate process, driven over MLLP, REST and JMS.
 */
public final class BenchmarkMain {

    /** A hub operation and the baseline it is compared with (time per operation, lower is better). */
    public record Ratio(String label, String hubBenchmark, String baselineBenchmark) {}

    /** A set of benchmarks reported together; {@code notes} adds sections of its own after the tables. */
    public record Suite(String name, String title, String includeRegex, List<Ratio> ratios, Notes notes) {

        public Suite(String name, String title, String includeRegex, List<Ratio> ratios) {
            this(name, title, includeRegex, ratios, (results, quick) -> "");
        }
    }

    /** Markdown a suite writes after its tables, from its results (it may run further, profiled benchmarks). */
    @FunctionalInterface
    public interface Notes {
        String write(Collection<RunResult> results, boolean quick) throws Exception;
    }

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
                                    "parseAndSerialisePatient"))),
            TranslationSuite.SUITE.name(),
            TranslationSuite.SUITE);

    private BenchmarkMain() {}

    /** The end-to-end mode, beside the JMH suites. */
    static final String REFERRALS = "referrals";

    /** The ingestion comparison, hub vs plain HAPI JPA ({@link IngestionBenchmark}). */
    static final String INGESTION = "ingestion";

    /** The directory search benchmark ({@link SearchBenchmark}): the packaged hub on PostgreSQL, searched over HTTP. */
    static final String SEARCH = "search";

    /** The directory import benchmark ({@link ImportBenchmark}): a CSV export dropped in a partner's inbox, thrice. */
    static final String IMPORT = "import";

    /** The fault-injection harness of issue #7 ({@link FaultInjectionRun}). */
    static final String FAULTS = "faults";

    public static void main(String[] args) throws Exception {
        if (args.length >= 1 && FAULTS.equals(args[0])) {
            runFaults(List.of(args).subList(1, args.length));
            return;
        }
        if (args.length >= 1 && REFERRALS.equals(args[0])) {
            runReferrals(List.of(args).subList(1, args.length));
            return;
        }
        if (args.length >= 1 && INGESTION.equals(args[0])) {
            runIngestion(List.of(args).subList(1, args.length));
            return;
        }
        if (args.length >= 1 && SEARCH.equals(args[0])) {
            runSearch(List.of(args).subList(1, args.length));
            return;
        }
        if (args.length >= 1 && IMPORT.equals(args[0])) {
            runImport(List.of(args).subList(1, args.length));
            return;
        }
        if (args.length != 1 || !SUITES.containsKey(args[0])) {
            System.err.println("usage: java -jar cbhealth-bench.jar <suite>; suites: " + SUITES.keySet()
                    + "; or: java -jar cbhealth-bench.jar " + REFERRALS + "|" + INGESTION + "|" + SEARCH + "|" + IMPORT
                    + "|" + FAULTS + " [options]");
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
        String notes = suite.notes().write(results, quick);
        new MarkdownReport(suite, results, MachineDescription.current(), quick, notes).writeTo(out);
        System.out.println("Results written to " + out.toAbsolutePath());
    }

    private static void runReferrals(List<String> args) throws Exception {
        ReferralBenchmarkOptions options;
        try {
            options =
                    ReferralBenchmarkOptions.parse(args, Path.of(System.getProperty("bench.results", "bench/results")));
        } catch (IllegalArgumentException badOption) {
            System.err.println(badOption.getMessage());
            System.err.println(ReferralBenchmarkOptions.USAGE);
            System.exit(2);
            return;
        }
        try {
            Path out = ReferralBenchmark.run(options, args);
            System.out.println("Results written to " + out.toAbsolutePath());
        } catch (IllegalStateException cannotRun) {
            System.err.println("referral benchmark failed: " + cannotRun.getMessage());
            System.exit(1);
        }
    }

    private static void runSearch(List<String> args) throws Exception {
        SearchBenchmarkOptions options;
        try {
            options = SearchBenchmarkOptions.parse(args, Path.of(System.getProperty("bench.results", "bench/results")));
        } catch (IllegalArgumentException badOption) {
            System.err.println(badOption.getMessage());
            System.err.println(SearchBenchmarkOptions.USAGE);
            System.exit(2);
            return;
        }
        try {
            Path out = SearchBenchmark.run(options, args);
            System.out.println("Results written to " + out.toAbsolutePath());
        } catch (IllegalStateException cannotRun) {
            System.err.println("search benchmark failed: " + cannotRun.getMessage());
            System.exit(1);
        }
    }

    private static void runIngestion(List<String> args) throws Exception {
        IngestionOptions options;
        try {
            options = IngestionOptions.parse(args, Path.of(System.getProperty("bench.results", "bench/results")));
        } catch (IllegalArgumentException badOption) {
            System.err.println(badOption.getMessage());
            System.err.println(IngestionOptions.USAGE);
            System.exit(2);
            return;
        }
        try {
            Path out = IngestionBenchmark.run(options, args);
            System.out.println("Results written to " + out.toAbsolutePath());
        } catch (IllegalStateException cannotRun) {
            System.err.println("ingestion benchmark failed: " + cannotRun.getMessage());
            System.exit(1);
        }
    }

    private static void runFaults(List<String> args) throws Exception {
        FaultOptions options;
        try {
            options = FaultOptions.parse(args, Path.of(System.getProperty("bench.results", "bench/results")));
        } catch (IllegalArgumentException badOption) {
            System.err.println(badOption.getMessage());
            System.err.println(FaultOptions.USAGE);
            System.exit(2);
            return;
        }
        try {
            boolean passed = FaultInjectionRun.run(options, args);
            System.out.println("Results written to " + options.out().toAbsolutePath() + (passed ? "" : " (FAILED)"));
            System.exit(passed ? 0 : 1);
        } catch (IllegalStateException cannotRun) {
            System.err.println("fault-injection harness failed: " + cannotRun.getMessage());
            System.exit(1);
        }
    }

    private static void runImport(List<String> args) throws Exception {
        ImportBenchmarkOptions options;
        try {
            options = ImportBenchmarkOptions.parse(args, Path.of(System.getProperty("bench.results", "bench/results")));
        } catch (IllegalArgumentException badOption) {
            System.err.println(badOption.getMessage());
            System.err.println(ImportBenchmarkOptions.USAGE);
            System.exit(2);
            return;
        }
        try {
            Path out = ImportBenchmark.run(options, args);
            System.out.println("Results written to " + out.toAbsolutePath());
        } catch (IllegalStateException cannotRun) {
            System.err.println("directory import benchmark failed: " + cannotRun.getMessage());
            System.exit(1);
        }
    }
}
