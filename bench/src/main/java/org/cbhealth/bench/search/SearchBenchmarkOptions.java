package org.cbhealth.bench.search;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.cbhealth.bench.referral.ReferralBenchmarkOptions.Database;

/**
 * The settings of one directory search run, from the command line:
 * {@code search [--resources N] [--postgres|--h2] [--reuse-database NAME] [--keep-data] [--queries N] [--warmup W]
 * [--concurrency K] [--bundle-units U] [--posters P] [--load-minutes M] [--seed S] [--as integrator|partner]
 * [--no-rest-audit] [--hub-jar PATH] [--out FILE]}.
 *
 * @param resources directory resources in total (default 100,000), rounded down to whole units of
 *     {@value DirectoryGenerator#UNIT_SIZE}
 * @param database where the hub stores: PostgreSQL, H2, or PostgreSQL when a server answers on its port (default)
 * @param reuseDatabase an existing PostgreSQL database to run on (loaded by an earlier run with {@code --keep-data});
 *     it is loaded only when empty, and never dropped; null for a fresh one
 * @param keepData keep the fresh database, the hub's data directory and its log
 * @param queries timed searches per search type (default 200)
 * @param warmup untimed searches per search type before the timed ones (default 30)
 * @param concurrency clients searching at once (default 1: latency without queueing)
 * @param bundleUnits units per transaction Bundle (default 50, i.e. 400 entries)
 * @param posters transactions posted at once while loading (default 2)
 * @param loadMinutes start no further Bundle after this many minutes of loading, and search what was loaded
 *     (default 0: load everything)
 * @param seed the directory generator's seed (default 20260101): same seed, same directory
 * @param caller who searches: the hub's integrator (HTTP Basic; consent is skipped) or a partner system (an OAuth
 *     access token from its signed client assertion; its searches with {@code _include} go through the consent
 *     check of every resource); the directory is always loaded by the integrator
 * @param restAudit whether the hub audits every {@code /fhir} interaction (IHE BALP), as it does by default; {@code
 *     --no-rest-audit} turns it off to measure what it costs
 * @param hubJar the packaged hub (default {@code hub/target/cbhealth-hub.jar})
 * @param out the Markdown result file (default {@code bench/results/search.md})
 */
public record SearchBenchmarkOptions(
        int resources,
        Database database,
        String reuseDatabase,
        boolean keepData,
        int queries,
        int warmup,
        int concurrency,
        int bundleUnits,
        int posters,
        int loadMinutes,
        long seed,
        Caller caller,
        boolean restAudit,
        Path hubJar,
        Path out) {

    /** Who runs the searches. */
    public enum Caller {
        INTEGRATOR,
        PARTNER
    }

    public static final String USAGE = "usage: java -jar bench/target/cbhealth-bench.jar search [--resources N]"
            + " [--postgres|--h2] [--reuse-database NAME] [--keep-data] [--queries N] [--warmup W] [--concurrency K]"
            + " [--bundle-units U] [--posters P] [--load-minutes M] [--seed S] [--as integrator|partner]"
            + " [--no-rest-audit] [--hub-jar PATH] [--out FILE]";

    private static final Pattern DATABASE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    /** The options in {@code args}; an unknown option or a bad value is refused with what is wrong. */
    public static SearchBenchmarkOptions parse(List<String> args, Path defaultResultsDir) {
        int resources = 100_000;
        Database database = Database.AUTO;
        String reuse = null;
        boolean keepData = false;
        int queries = 200;
        int warmup = 30;
        int concurrency = 1;
        int bundleUnits = 50;
        int posters = 2;
        int loadMinutes = 0;
        long seed = 20260101L;
        Caller caller = Caller.INTEGRATOR;
        boolean restAudit = true;
        Path hubJar = Path.of("hub", "target", "cbhealth-hub.jar");
        Path out = defaultResultsDir.resolve("search.md");
        for (int i = 0; i < args.size(); i++) {
            String option = args.get(i);
            switch (option) {
                case "--resources" -> resources =
                        atLeast(option, value(args, ++i, option), DirectoryGenerator.UNIT_SIZE);
                case "--postgres" -> database = Database.POSTGRES;
                case "--h2" -> database = Database.H2;
                case "--reuse-database" -> reuse = value(args, ++i, option);
                case "--keep-data" -> keepData = true;
                case "--queries" -> queries = atLeast(option, value(args, ++i, option), 1);
                case "--warmup" -> warmup = atLeast(option, value(args, ++i, option), 0);
                case "--concurrency" -> concurrency = atLeast(option, value(args, ++i, option), 1);
                case "--bundle-units" -> bundleUnits = atLeast(option, value(args, ++i, option), 1);
                case "--posters" -> posters = atLeast(option, value(args, ++i, option), 1);
                case "--load-minutes" -> loadMinutes = atLeast(option, value(args, ++i, option), 0);
                case "--seed" -> seed = wholeNumber(option, value(args, ++i, option));
                case "--as" -> caller = caller(value(args, ++i, option));
                case "--no-rest-audit" -> restAudit = false;
                case "--hub-jar" -> hubJar = Path.of(value(args, ++i, option));
                case "--out" -> out = Path.of(value(args, ++i, option));
                default -> throw new IllegalArgumentException("unknown option '" + option + "'");
            }
        }
        if (reuse != null) {
            if (database == Database.H2) {
                throw new IllegalArgumentException("--reuse-database needs PostgreSQL, not --h2");
            }
            if (!DATABASE_NAME.matcher(reuse).matches()) {
                throw new IllegalArgumentException(
                        "--reuse-database must be a plain database name, was '" + reuse + "'");
            }
            database = Database.POSTGRES;
        }
        return new SearchBenchmarkOptions(
                resources,
                database,
                reuse,
                keepData,
                queries,
                warmup,
                concurrency,
                bundleUnits,
                posters,
                loadMinutes,
                seed,
                caller,
                restAudit,
                hubJar,
                out);
    }

    /** Whole units of the directory: {@code resources} rounded down. */
    public int units() {
        return resources / DirectoryGenerator.UNIT_SIZE;
    }

    private static Caller caller(String value) {
        return switch (value) {
            case "integrator" -> Caller.INTEGRATOR;
            case "partner" -> Caller.PARTNER;
            default -> throw new IllegalArgumentException("--as must be integrator or partner, was '" + value + "'");
        };
    }

    private static String value(List<String> args, int i, String option) {
        if (i >= args.size()) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args.get(i);
    }

    private static int atLeast(String option, String value, int min) {
        long n = wholeNumber(option, value);
        if (n < min || n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(option + " must be at least " + min + ", was " + value);
        }
        return (int) n;
    }

    private static long wholeNumber(String option, String value) {
        try {
            return Long.parseLong(value.replace("_", "").replace(",", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be a whole number, was '" + value + "'");
        }
    }
}
