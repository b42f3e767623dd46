package org.cbhealth.bench.referral;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;

/**
 * The settings of one end-to-end referral run, from the command line:
 * {@code referrals [--channel mllp|rest|jms|all] [--count N] [--connections K] [--rate R|max] [--warmup W] [--postgres|--h2] [--hub-jar PATH]
 * [--out FILE] [--quiet-seconds S] [--keep-data]}.
 *
 * @param count referrals measured per channel (default 2000)
 * @param connections connections sending at once on each channel (default 4)
 * @param ratePerSecond referrals per second over all connections; 0 = as fast as the answers come (default)
 * @param warmup referrals sent first and left out of the figures, so the hub's JIT and caches are warm (default 200)
 * @param database where the hub stores: PostgreSQL, H2, or PostgreSQL when a server answers on its port (default)
 * @param hubJar the packaged hub (default {@code hub/target/cbhealth-hub.jar})
 * @param out the Markdown result file (default {@code bench/results/referral-e2e.md})
 * @param quietSeconds the run ends when no referral has been delivered for this long (default 15)
 * @param keepData keep the hub's data directory (and its log) instead of deleting it
 * @param channels the channels measured, one after the other against the same hub, each with its own warm-up
 *     (default MLLP only)
 */
public record ReferralBenchmarkOptions(
        int count,
        int connections,
        double ratePerSecond,
        int warmup,
        Database database,
        Path hubJar,
        Path out,
        int quietSeconds,
        boolean keepData,
        List<Channel> channels) {

    /** Which database the hub runs on. */
    public enum Database {
        AUTO,
        POSTGRES,
        H2
    }

    public static final String USAGE =
            "usage: java -jar bench/target/cbhealth-bench.jar referrals [--channel mllp|rest|jms|all]"
                    + " [--count N]"
                    + " [--connections K] [--rate R|max] [--warmup W] [--postgres|--h2] [--hub-jar PATH] [--out FILE]"
                    + " [--quiet-seconds S] [--keep-data]";

    /** The options in {@code args}; an unknown option or a bad value is refused with what is wrong. */
    public static ReferralBenchmarkOptions parse(List<String> args, Path defaultResultsDir) {
        int count = 2000;
        int connections = 4;
        double rate = 0;
        int warmup = 200;
        Database database = Database.AUTO;
        Path hubJar = Path.of("hub", "target", "cbhealth-hub.jar");
        Path out = defaultResultsDir.resolve("referral-e2e.md");
        int quiet = 15;
        boolean keepData = false;
        List<Channel> channels = List.of(Channel.MLLP);
        for (int i = 0; i < args.size(); i++) {
            String option = args.get(i);
            switch (option) {
                case "--count" -> count = positive(option, value(args, ++i, option), 1);
                case "--connections" -> connections = positive(option, value(args, ++i, option), 1);
                case "--rate" -> rate = rate(value(args, ++i, option));
                case "--warmup" -> warmup = positive(option, value(args, ++i, option), 0);
                case "--postgres" -> database = Database.POSTGRES;
                case "--h2" -> database = Database.H2;
                case "--hub-jar" -> hubJar = Path.of(value(args, ++i, option));
                case "--out" -> out = Path.of(value(args, ++i, option));
                case "--quiet-seconds" -> quiet = positive(option, value(args, ++i, option), 1);
                case "--keep-data" -> keepData = true;
                case "--channel" -> channels = Channel.parse(value(args, ++i, option));
                default -> throw new IllegalArgumentException("unknown option '" + option + "'");
            }
        }
        if (((long) count + warmup) * channels.size() > BgEgnGenerator.DISTINCT_PEOPLE) {
            throw new IllegalArgumentException("--count plus --warmup, times the channels, must stay below "
                    + BgEgnGenerator.DISTINCT_PEOPLE + " (one synthetic patient each)");
        }
        if (count > 999_999 || warmup > 999_999) {
            throw new IllegalArgumentException(
                    "--count and --warmup must each stay below 1,000,000 (six-digit placer numbers)");
        }
        return new ReferralBenchmarkOptions(
                count, connections, rate, warmup, database, hubJar, out, quiet, keepData, List.copyOf(channels));
    }

    /** "max" or the rate, for the report. */
    public String rateText() {
        return ratePerSecond > 0
                ? BigDecimal.valueOf(ratePerSecond).stripTrailingZeros().toPlainString() + " referrals/s"
                : "max (each connection sends as soon as its last referral is answered)";
    }

    private static String value(List<String> args, int i, String option) {
        if (i >= args.size()) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args.get(i);
    }

    private static int positive(String option, String value, int min) {
        try {
            int n = Integer.parseInt(value);
            if (n < min) {
                throw new IllegalArgumentException(option + " must be at least " + min + ", was " + value);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be a whole number, was '" + value + "'");
        }
    }

    private static double rate(String value) {
        if ("max".equals(value)) {
            return 0;
        }
        try {
            double r = Double.parseDouble(value);
            if (!(r > 0) || Double.isInfinite(r)) {
                throw new IllegalArgumentException("--rate must be a positive number or 'max', was " + value);
            }
            return r;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--rate must be a positive number or 'max', was '" + value + "'");
        }
    }
}
