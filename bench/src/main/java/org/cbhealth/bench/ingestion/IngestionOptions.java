package org.cbhealth.bench.ingestion;

import java.nio.file.Path;
import java.util.List;

/**
 * The settings of one ingestion comparison, from the command line:
 * {@code ingestion [--bundles N] [--entries E] [--rounds R] [--warmup W] [--clients C] [--seed S] [--no-jfr]
 * [--hub-jar PATH] [--plain-jar PATH] [--out FILE] [--keep-data]}.
 *
 * @param bundles transaction Bundles measured per server, over all rounds (default 80)
 * @param entries entries per Bundle, a multiple of 4: each group is an Organization with its Location,
 *     HealthcareService and Endpoint (default 20)
 * @param rounds measured rounds per server; the rounds alternate hub, plain, hub, plain… (default 4)
 * @param warmup Bundles posted to each server first and left out of the figures (default 20)
 * @param clients HTTP clients posting at once to the server whose round it is (default 2)
 * @param seed seed of the generated content, the same for both servers (default 20261125)
 * @param jfr record the hub with JDK Flight Recorder during the measured rounds and summarise where its time goes
 * @param hubJar the packaged hub (default {@code hub/target/cbhealth-hub.jar})
 * @param plainJar the plain HAPI JPA server (default {@code bench/plain-hapi/target/plain-hapi.jar})
 * @param out the Markdown result file (default {@code bench/results/ingestion.md})
 * @param keepData keep both databases, the servers' logs and the recording instead of deleting them
 */
public record IngestionOptions(
        int bundles,
        int entries,
        int rounds,
        int warmup,
        int clients,
        long seed,
        boolean jfr,
        Path hubJar,
        Path plainJar,
        Path out,
        boolean keepData) {

    public static final String USAGE = "usage: java -jar bench/target/cbhealth-bench.jar ingestion [--bundles N]"
            + " [--entries E] [--rounds R] [--warmup W] [--clients C] [--seed S] [--no-jfr] [--hub-jar PATH]"
            + " [--plain-jar PATH] [--out FILE] [--keep-data]";

    /** The options in {@code args}; an unknown option or a bad value is refused with what is wrong. */
    public static IngestionOptions parse(List<String> args, Path defaultResultsDir) {
        int bundles = 80;
        int entries = 20;
        int rounds = 4;
        int warmup = 20;
        int clients = 2;
        long seed = 20261125L;
        boolean jfr = true;
        Path hubJar = Path.of("hub", "target", "cbhealth-hub.jar");
        Path plainJar = Path.of("bench", "plain-hapi", "target", "plain-hapi.jar");
        Path out = defaultResultsDir.resolve("ingestion.md");
        boolean keepData = false;
        for (int i = 0; i < args.size(); i++) {
            String option = args.get(i);
            switch (option) {
                case "--bundles" -> bundles = whole(option, value(args, ++i, option), 1);
                case "--entries" -> entries = whole(option, value(args, ++i, option), 4);
                case "--rounds" -> rounds = whole(option, value(args, ++i, option), 1);
                case "--warmup" -> warmup = whole(option, value(args, ++i, option), 0);
                case "--clients" -> clients = whole(option, value(args, ++i, option), 1);
                case "--seed" -> seed = seed(value(args, ++i, option));
                case "--no-jfr" -> jfr = false;
                case "--hub-jar" -> hubJar = Path.of(value(args, ++i, option));
                case "--plain-jar" -> plainJar = Path.of(value(args, ++i, option));
                case "--out" -> out = Path.of(value(args, ++i, option));
                case "--keep-data" -> keepData = true;
                default -> throw new IllegalArgumentException("unknown option '" + option + "'");
            }
        }
        if (entries % DirectoryBundles.RESOURCES_PER_GROUP != 0) {
            throw new IllegalArgumentException("--entries must be a multiple of " + DirectoryBundles.RESOURCES_PER_GROUP
                    + " (Organization, Location, HealthcareService, Endpoint), was " + entries);
        }
        if (entries > 1000) {
            throw new IllegalArgumentException("--entries must stay at most 1000, was " + entries);
        }
        if (rounds > bundles) {
            throw new IllegalArgumentException(
                    "--rounds (" + rounds + ") must not exceed --bundles (" + bundles + "): each round posts Bundles");
        }
        return new IngestionOptions(
                bundles, entries, rounds, warmup, clients, seed, jfr, hubJar, plainJar, out, keepData);
    }

    /** How many Bundles round {@code round} (0-based) posts to each server: the bundles spread evenly. */
    public int bundlesInRound(int round) {
        return bundles / rounds + (round < bundles % rounds ? 1 : 0);
    }

    private static String value(List<String> args, int i, String option) {
        if (i >= args.size()) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args.get(i);
    }

    private static int whole(String option, String value, int min) {
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

    private static long seed(String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--seed must be a whole number, was '" + value + "'");
        }
    }
}
