package org.cbhealth.bench.referral;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.cbhealth.bench.MachineDescription;

/**
 * The end-to-end referral benchmark: starts the packaged hub as its own JVM with two partners (an MLLP sender and a
 * JMS receiver) on a fresh data directory and a fresh database, sends referrals over MLLP, consumes the receiver's
 * queue, and writes the counts, throughput and latency percentiles with the machine to
 * {@code bench/results/referral-e2e.md}. See {@link ReferralBenchmarkOptions} for the command line.
 */
public final class ReferralBenchmark {

    private static final Duration HUB_START_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration HUB_STOP_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration DRAIN_LIMIT = Duration.ofMinutes(10);
    private static final Duration POLL = Duration.ofMillis(50);

    private final ReferralBenchmarkOptions options;
    private final List<String> args;
    private final SecureRandom random = new SecureRandom();

    private ReferralBenchmark(ReferralBenchmarkOptions options, List<String> args) {
        this.options = options;
        this.args = args;
    }

    /**
     * Runs the benchmark; {@code args} are the command-line options {@code options} were parsed from, for the
     * report. Returns the result file.
     */
    public static Path run(ReferralBenchmarkOptions options, List<String> args) throws Exception {
        return new ReferralBenchmark(options, List.copyOf(args)).run();
    }

    private Path run() throws Exception {
        if (!Files.isRegularFile(options.hubJar())) {
            throw new IllegalStateException("no hub jar at " + options.hubJar().toAbsolutePath()
                    + "; build it first with: mvn -B -DskipTests package");
        }
        OffsetDateTime when = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS);
        String commit = hubCommit();
        String tag = HexFormat.of().formatHex(random.generateSeed(2));
        int warmup = options.warmup();
        int total = warmup + options.count();

        log("preparing " + total + " referrals (" + warmup + " warm-up)");
        RefI12Messages messages = RefI12Messages.fromSample();
        List<String> placers = new ArrayList<>(total);
        List<byte[]> frames = new ArrayList<>(total);
        for (int i = 0; i < total; i++) {
            String placer = i < warmup
                    ? RefI12Messages.placer("WARMUP-" + tag, i)
                    : RefI12Messages.placer("BENCH-" + tag, i - warmup);
            placers.add(placer);
            frames.add(MllpLoad.frame(messages.referral(placer, BgEgnGenerator.person(i))));
        }
        ReferralLedger ledger = new ReferralLedger(placers);

        String loadBefore = loadAverage();
        Path root = Files.createTempDirectory("cbhealth-bench-");
        Path partnersDir = Files.createDirectories(root.resolve("partners"));
        int[] ports = freePorts(3);
        int httpPort = ports[0];
        int brokerPort = ports[1];
        int mllpPort = ports[2];
        new BenchPartners(mllpPort).writeTo(partnersDir);

        String adminPassword = HexFormat.of().formatHex(random.generateSeed(16));
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CBHEALTH_DATA_DIR", root.resolve("data").toString());
        env.put("CBHEALTH_PARTNERS_DIR", partnersDir.toString());
        env.put("CBHEALTH_HTTP_PORT", Integer.toString(httpPort));
        env.put("CBHEALTH_BROKER_ACCEPTOR_PORT", Integer.toString(brokerPort));
        env.put("CBHEALTH_SEED_DEMO_PARTNERS", "false");
        env.put("CBHEALTH_ADMIN_PASSWORD", adminPassword);
        env.put(BenchPartners.SENDER_SECRET_ENV, HexFormat.of().formatHex(random.generateSeed(16)));
        env.put(BenchPartners.RECEIVER_SECRET_ENV, HexFormat.of().formatHex(random.generateSeed(16)));

        PostgresServer postgres = PostgresServer.fromEnvironment();
        boolean usePostgres =
                switch (options.database()) {
                    case POSTGRES -> true;
                    case H2 -> false;
                    case AUTO -> postgres.accepting();
                };
        String databaseName = "cbhealth_bench_" + tag;
        String database;
        if (usePostgres) {
            String version;
            try {
                version = postgres.createFresh(databaseName);
            } catch (SQLException e) {
                throw new IllegalStateException("cannot create the database " + databaseName + " on PostgreSQL at "
                        + postgres.host() + ":" + postgres.port() + " as " + postgres.user() + ": " + e.getMessage()
                        + " (set CBHEALTH_BENCH_PG_USER / CBHEALTH_BENCH_PG_PASSWORD, or run with --h2)");
            }
            env.put("SPRING_PROFILES_ACTIVE", "postgres");
            env.put("CBHEALTH_DB_URL", postgres.jdbcUrl(databaseName));
            env.put("CBHEALTH_DB_USER", postgres.user());
            env.put("CBHEALTH_DB_PASSWORD", postgres.password());
            database = "PostgreSQL " + version + " on " + postgres.host() + ":" + postgres.port()
                    + " (`postgres` profile, fresh database)";
        } else {
            database = "H2 file database under the data directory (embedded default)";
        }

        Path log = root.resolve("hub.log");
        log("starting the hub (" + (usePostgres ? "PostgreSQL" : "H2") + "), log: " + log);
        boolean succeeded = false;
        try (HubProcess hub = HubProcess.start(options.hubJar(), env, log, httpPort, adminPassword)) {
            Duration started = hub.awaitReady(HUB_START_TIMEOUT, List.of(BenchPartners.SENDER, BenchPartners.RECEIVER));
            log("hub ready in " + ReferralReport.seconds(started));
            MllpLoad load = new MllpLoad("127.0.0.1", mllpPort, options.connections(), options.ratePerSecond());
            List<String> notes = new ArrayList<>();
            ReferralReport report;
            try (DeliveryConsumer consumer =
                    new DeliveryConsumer("tcp://127.0.0.1:" + brokerPort, BenchPartners.RECEIVER_QUEUE, ledger)) {
                if (warmup > 0) {
                    log("warm-up: " + warmup + " referrals");
                    load.send(ledger, frames, 0, warmup);
                    awaitDeliveries(ledger, 0, warmup, hub);
                }
                Optional<Duration> hubCpuBefore = hub.cpuTime();
                Optional<Duration> benchCpuBefore = benchCpu();
                log("measuring: " + options.count() + " referrals over " + options.connections() + " connections, rate "
                        + options.rateText());
                load.send(ledger, frames, warmup, total);
                log("all answered; waiting for deliveries");
                Drained drained = awaitDeliveries(ledger, warmup, total, hub);
                Duration hubCpu = difference(drained.hubCpu(), hubCpuBefore);
                Duration benchCpu = difference(drained.benchCpu(), benchCpuBefore);
                String loadAfter = drained.loadAverage();
                if (consumer.brokerProblem() != null) {
                    notes.add("The receiver's broker connection reported a problem: " + consumer.brokerProblem());
                }
                RunFigures figures = RunFigures.of(ledger, warmup, total);
                if (figures.delivered() == 0) {
                    notes.add("No referral reached `" + BenchPartners.RECEIVER_QUEUE + "` within "
                            + options.quietSeconds()
                            + " s after the last answer: delivery to the receiver is not available in this hub build,"
                            + " so only the acknowledgement figures are measured.");
                }
                Long heap = hub.heapUsedBytes().orElse(null);
                Long rss = hub.procStatusBytes("VmRSS").orElse(null);
                Long peakRss = hub.procStatusBytes("VmHWM").orElse(null);
                String outbox = hub.admin("/api/admin/referrals/outbox")
                        .map(ReferralBenchmark::outboxText)
                        .orElse("not available");
                Duration stop = hub.stop(HUB_STOP_TIMEOUT).orElse(null);
                report = new ReferralReport(
                        when,
                        "java -jar bench/target/cbhealth-bench.jar referrals" + (args.isEmpty() ? "" : " ")
                                + String.join(" ", args),
                        commit,
                        options,
                        MachineDescription.current(),
                        database,
                        started,
                        RunFigures.of(ledger, 0, warmup),
                        figures,
                        ledger.unknownDeliveries(),
                        new ReferralReport.HubFigures(heap, rss, peakRss, hubCpu, benchCpu, outbox, stop),
                        loadBefore,
                        loadAfter,
                        notes);
            }
            report.writeTo(options.out());
            printSummary(report);
            succeeded = true;
        } finally {
            if (usePostgres && !options.keepData()) {
                try {
                    postgres.drop(databaseName);
                } catch (SQLException e) {
                    log("could not drop the database " + databaseName + ": " + e.getMessage());
                }
            }
            if (succeeded && !options.keepData()) {
                deleteTree(root);
            } else {
                log("kept the hub's data directory and log: " + root
                        + (usePostgres && options.keepData() ? " and the database " + databaseName : ""));
            }
        }
        return options.out();
    }

    /** The moment the phase was drained: the CPU and load figures taken right then. */
    private record Drained(Optional<Duration> hubCpu, Optional<Duration> benchCpu, String loadAverage) {}

    /**
     * Waits until every referral of the phase answered AA has been delivered, then for the quiet period (a duplicate
     * would show up in it); or until nothing has been delivered for the quiet period; at most {@link #DRAIN_LIMIT}.
     * CPU and load are read when the last expected delivery arrived (or when waiting ends without it).
     */
    private Drained awaitDeliveries(ReferralLedger ledger, int from, int to, HubProcess hub) {
        long quiet = TimeUnit.SECONDS.toNanos(options.quietSeconds());
        long start = System.nanoTime();
        long deadline = start + DRAIN_LIMIT.toNanos();
        Drained drained = null;
        while (System.nanoTime() < deadline) {
            long now = System.nanoTime();
            long lastActivity = Math.max(start, ledger.lastDeliveryAt().orElse(start));
            boolean complete = ledger.acceptedAndDelivered(from, to) == ledger.accepted(from, to);
            if (complete && drained == null) {
                drained = new Drained(hub.cpuTime(), benchCpu(), loadAverage());
            }
            if (now - lastActivity >= quiet) {
                break;
            }
            LockSupport.parkNanos(POLL.toNanos());
        }
        return drained != null ? drained : new Drained(hub.cpuTime(), benchCpu(), loadAverage());
    }

    private static Duration difference(Optional<Duration> after, Optional<Duration> before) {
        return after.isPresent() && before.isPresent() ? after.get().minus(before.get()) : null;
    }

    private static Optional<Duration> benchCpu() {
        return ProcessHandle.current().info().totalCpuDuration();
    }

    private static String outboxText(JsonNode outbox) {
        return "sent " + outbox.path("sent").asText("?") + ", pending "
                + outbox.path("pending").asText("?") + ", failing "
                + outbox.path("failing").asText("?");
    }

    /** {@code /proc/loadavg}'s three load averages, or "unknown". */
    public static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).strip().split("\\s+");
            return parts[0] + ", " + parts[1] + ", " + parts[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    public static String hubCommit() {
        try {
            Process git = new ProcessBuilder("git", "rev-parse", "--short", "HEAD")
                    .redirectErrorStream(true)
                    .start();
            String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return git.waitFor() == 0 && out.matches("[0-9a-f]{4,40}") ? out : "unknown";
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    public static int[] freePorts(int n) throws IOException {
        Set<Integer> seen = new HashSet<>();
        int[] ports = new int[n];
        for (int i = 0; i < n; ) {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                if (seen.add(socket.getLocalPort())) {
                    ports[i++] = socket.getLocalPort();
                }
            }
        }
        return ports;
    }

    public static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            log("could not delete " + root + ": " + e.getMessage());
        }
    }

    private static void printSummary(ReferralReport report) {
        RunFigures f = report.figures();
        log(String.format(
                java.util.Locale.ROOT,
                "sent %d, AA %d, AE/AR %d, no answer %d, delivered %d, missing %d, duplicates %d",
                f.sent(),
                f.accepted(),
                f.refused(),
                f.failed(),
                f.delivered(),
                f.missing(),
                f.duplicates()));
        log(String.format(
                java.util.Locale.ROOT,
                "end to end %.1f referrals/s, p50 %s, p99 %s; ACK p99 %s",
                f.deliveredPerSecond(),
                ReferralReport.millis(f.endToEnd().p50Nanos()),
                ReferralReport.millis(f.endToEnd().p99Nanos()),
                ReferralReport.millis(f.ackLatency().p99Nanos())));
    }

    private static void log(String line) {
        System.out.println("[referrals] " + line);
    }
}
