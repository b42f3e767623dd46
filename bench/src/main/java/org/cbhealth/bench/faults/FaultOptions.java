package org.cbhealth.bench.faults;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The command line of {@code java -jar cbhealth-bench.jar faults}: how many referrals at which rate on which
 * channels, and the faults (hub kills, destination outage, duplicate sends, poison share).
 *
 * @param referrals distinct referrals sent (good and poison)
 * @param channels the senders' channel kinds, each referral on one of them in turn
 * @param ratePerSecond first sends per second over all channels
 * @param kills kill -9s of the hub, spread evenly over the sending phase
 * @param outage how long the destination's listener is closed, from the middle of the sending phase (0: none)
 * @param duplicates share of referrals sent once more after their acknowledgement
 * @param poison share of referrals that are invalid (an EGN with a wrong check digit)
 * @param drainLimit how long the checker waits for every acknowledged referral to be delivered
 * @param quietSeconds how long nothing more may arrive before the checker counts
 * @param outboundMaxDeliveryAttempts the standalone broker's max delivery attempts for {@code hub.outbound.#}
 * @param seed seed of the choice of poison and duplicate referrals
 */
public record FaultOptions(
        int referrals,
        List<SendChannel> channels,
        double ratePerSecond,
        int kills,
        Duration outage,
        double duplicates,
        double poison,
        Duration drainLimit,
        int quietSeconds,
        int outboundMaxDeliveryAttempts,
        long seed,
        Path hubJar,
        Path out,
        boolean keepData) {

    public static final String USAGE =
            """
            usage: java -jar bench/target/cbhealth-bench.jar faults [options]
              --referrals N        distinct referrals (default 10000)
              --channels LIST      mllp,jms[,rest] (default mllp,jms)
              --rate R             first sends per second over all channels (default 20)
              --kills K            kill -9s of the hub during the sending phase (default 5)
              --outage D           destination listener closed for D from mid-run, e.g. 60s, 2m, 0 (default 60s)
              --duplicates F       share of acknowledged referrals sent again (default 0.01)
              --poison F           share of invalid referrals (default 0.01)
              --drain-limit D      longest wait for deliveries after the last send (default 10m)
              --quiet-seconds S    nothing new for S seconds before counting (default 10)
              --outbound-max-delivery-attempts A   broker setting for hub.outbound.# (default 1000, as the hub's embedded broker)
              --seed S             choice of poison and duplicates (default 20261207)
              --hub-jar PATH       (default hub/target/cbhealth-hub.jar)
              --out FILE           (default bench/results/fault-injection.md)
              --keep-data          keep the data directories, logs and database""";

    public FaultOptions {
        channels = List.copyOf(channels);
    }

    public static FaultOptions parse(List<String> args, Path resultsDirectory) {
        int referrals = 10_000;
        List<SendChannel> channels = List.of(SendChannel.MLLP, SendChannel.JMS);
        double rate = 20;
        int kills = 5;
        Duration outage = Duration.ofSeconds(60);
        double duplicates = 0.01;
        double poison = 0.01;
        Duration drainLimit = Duration.ofMinutes(10);
        int quietSeconds = 10;
        int outboundAttempts = 1000;
        long seed = 20261207L;
        Path hubJar = Path.of("hub/target/cbhealth-hub.jar");
        Path out = resultsDirectory.resolve("fault-injection.md");
        boolean keepData = false;
        for (int i = 0; i < args.size(); i++) {
            String option = args.get(i);
            if (option.equals("--keep-data")) {
                keepData = true;
                continue;
            }
            if (i + 1 >= args.size()) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            String value = args.get(++i);
            switch (option) {
                case "--referrals" -> referrals = integer(option, value, 1, 999_999);
                case "--channels" -> channels = channels(value);
                case "--rate" -> rate = decimal(option, value, 0.1, 10_000);
                case "--kills" -> kills = integer(option, value, 0, 100);
                case "--outage" -> outage = duration(option, value);
                case "--duplicates" -> duplicates = decimal(option, value, 0, 1);
                case "--poison" -> poison = decimal(option, value, 0, 0.5);
                case "--drain-limit" -> drainLimit = duration(option, value);
                case "--quiet-seconds" -> quietSeconds = integer(option, value, 0, 3600);
                case "--outbound-max-delivery-attempts" -> outboundAttempts = integer(option, value, -1, 1000);
                case "--seed" -> seed = longValue(option, value);
                case "--hub-jar" -> hubJar = Path.of(value);
                case "--out" -> out = Path.of(value);
                default -> throw new IllegalArgumentException("unknown option " + option);
            }
        }
        return new FaultOptions(
                referrals,
                channels,
                rate,
                kills,
                outage,
                duplicates,
                poison,
                drainLimit,
                quietSeconds,
                outboundAttempts,
                seed,
                hubJar,
                out,
                keepData);
    }

    private static List<SendChannel> channels(String value) {
        Set<SendChannel> chosen = new LinkedHashSet<>();
        for (String name : value.split(",")) {
            String trimmed = name.strip().toUpperCase(Locale.ROOT);
            try {
                chosen.add(SendChannel.valueOf(trimmed));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "--channels: unknown channel '" + name.strip() + "' (mllp, jms, rest)");
            }
        }
        if (chosen.isEmpty()) {
            throw new IllegalArgumentException("--channels: name at least one of mllp, jms, rest");
        }
        return new ArrayList<>(chosen);
    }

    /** A duration: {@code 60s}, {@code 2m}, {@code 500ms}, {@code 1h}, or plain seconds ({@code 0}). */
    static Duration duration(String option, String value) {
        String v = value.strip().toLowerCase(Locale.ROOT);
        try {
            if (v.endsWith("ms")) {
                return nonNegative(option, Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2))));
            }
            if (v.endsWith("s")) {
                return nonNegative(option, Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1))));
            }
            if (v.endsWith("m")) {
                return nonNegative(option, Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1))));
            }
            if (v.endsWith("h")) {
                return nonNegative(option, Duration.ofHours(Long.parseLong(v.substring(0, v.length() - 1))));
            }
            return nonNegative(option, Duration.ofSeconds(Long.parseLong(v)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + ": '" + value + "' is not a duration (60s, 2m, 500ms)");
        }
    }

    private static Duration nonNegative(String option, Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException(option + " must not be negative");
        }
        return d;
    }

    static int integer(String option, String value, int min, int max) {
        try {
            int n = Integer.parseInt(value.strip());
            if (n < min || n > max) {
                throw new IllegalArgumentException(option + " must be " + min + "–" + max + ", was " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + ": '" + value + "' is not a whole number");
        }
    }

    private static long longValue(String option, String value) {
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + ": '" + value + "' is not a whole number");
        }
    }

    private static double decimal(String option, String value, double min, double max) {
        try {
            double d = Double.parseDouble(value.strip());
            if (!(d >= min && d <= max)) {
                throw new IllegalArgumentException(option + " must be " + min + "–" + max + ", was " + value);
            }
            return d;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + ": '" + value + "' is not a number");
        }
    }
}
