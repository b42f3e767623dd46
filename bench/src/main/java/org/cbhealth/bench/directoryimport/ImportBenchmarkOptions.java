package org.cbhealth.bench.directoryimport;

import java.nio.file.Path;
import java.util.List;
import org.cbhealth.bench.referral.ReferralBenchmarkOptions.Database;

/**
 * The settings of one directory import run, from the command line:
 * {@code import [--rows N] [--postgres|--h2] [--seed S] [--timeout-minutes M] [--keep-data] [--hub-jar PATH]
 * [--out FILE]}.
 *
 * @param rows department rows in the export (default 10,000)
 * @param database where the hub stores: PostgreSQL, H2, or PostgreSQL when a server answers on its port (default)
 * @param seed the export generator's seed (default 20260517): same seed and rows, same bytes
 * @param timeoutMinutes how long one import may take, drop to done, before the run fails (default 30 minutes)
 * @param keepData keep the database, the hub's data directory and its log
 * @param hubJar the packaged hub (default {@code hub/target/cbhealth-hub.jar})
 * @param out the Markdown result file (default {@code bench/results/directory-import.md})
 */
public record ImportBenchmarkOptions(
        int rows, Database database, long seed, int timeoutMinutes, boolean keepData, Path hubJar, Path out) {

    public static final String USAGE = "usage: java -jar bench/target/cbhealth-bench.jar import [--rows N]"
            + " [--postgres|--h2] [--seed S] [--timeout-minutes M] [--keep-data] [--hub-jar PATH] [--out FILE]";

    /** The smallest export that still has a row with an unmapped code. */
    public static final int MIN_ROWS = DepartmentExport.UNMAPPED_EVERY;

    /** The options in {@code args}; an unknown option or a bad value is refused with what is wrong. */
    public static ImportBenchmarkOptions parse(List<String> args, Path defaultResultsDir) {
        int rows = 10_000;
        Database database = Database.AUTO;
        long seed = 20260517L;
        int timeoutMinutes = 30;
        boolean keepData = false;
        Path hubJar = Path.of("hub", "target", "cbhealth-hub.jar");
        Path out = defaultResultsDir.resolve("directory-import.md");
        for (int i = 0; i < args.size(); i++) {
            String option = args.get(i);
            switch (option) {
                case "--rows" -> rows = between(option, value(args, ++i, option), MIN_ROWS, 99_999);
                case "--postgres" -> database = Database.POSTGRES;
                case "--h2" -> database = Database.H2;
                case "--seed" -> seed = wholeNumber(option, value(args, ++i, option));
                case "--timeout-minutes" -> timeoutMinutes = between(option, value(args, ++i, option), 1, 24 * 60);
                case "--keep-data" -> keepData = true;
                case "--hub-jar" -> hubJar = Path.of(value(args, ++i, option));
                case "--out" -> out = Path.of(value(args, ++i, option));
                default -> throw new IllegalArgumentException("unknown option '" + option + "'");
            }
        }
        return new ImportBenchmarkOptions(rows, database, seed, timeoutMinutes, keepData, hubJar, out);
    }

    private static String value(List<String> args, int i, String option) {
        if (i >= args.size()) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args.get(i);
    }

    private static int between(String option, String value, int min, int max) {
        long n = wholeNumber(option, value);
        if (n < min || n > max) {
            throw new IllegalArgumentException(option + " must be between " + min + " and " + max + ", was " + value);
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
