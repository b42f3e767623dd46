package org.cbhealth.bench.referral;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.cbhealth.bench.MachineDescription;
import org.cbhealth.bench.RunEnvironment;
import org.cbhealth.bench.partner.PartnerTokens;

/**
 * The end-to-end referral benchmark: starts the packaged hub as its own JVM with two partners (a sender with MLLP,
 * REST and JMS channels, and a JMS receiver) on a fresh data directory and a fresh database, measures its start-up
 * and idle memory, sends referrals over each chosen channel in turn, consumes the receiver's queue, and writes the
 * counts, throughput, latency percentiles and memory with the machine to {@code bench/results/referral-e2e.md}. See
 * {@link ReferralBenchmarkOptions} for the command line.
 */
public final class ReferralBenchmark {

    private static final Duration HUB_START_TIMEOUT = Duration.ofMinutes(10);
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
        String commit = RunEnvironment.commit();
        String tag = HexFormat.of().formatHex(random.generateSeed(2));
        int warmup = options.warmup();
        int perChannel = warmup + options.count();
        List<Channel> channels = options.channels();

        log("preparing " + perChannel + " referrals (" + warmup + " warm-up) for each of " + channels);
        RefI12Messages messages = RefI12Messages.fromSample();
        List<String> placers = new ArrayList<>(perChannel * channels.size());
        List<String> texts = new ArrayList<>(perChannel * channels.size());
        for (Channel channel : channels) {
            for (int i = 0; i < perChannel; i++) {
                String placer = i < warmup
                        ? RefI12Messages.placer("WARMUP-" + channel.letter() + tag, i)
                        : RefI12Messages.placer("BENCH-" + channel.letter() + tag, i - warmup);
                placers.add(placer);
                texts.add(messages.referral(placer, BgEgnGenerator.person(placers.size() - 1)));
            }
        }
        ReferralLedger ledger = new ReferralLedger(placers);

        String loadBefore = RunEnvironment.loadAverage();
        Path root = Files.createTempDirectory("cbhealth-bench-");
        Path partnersDir = Files.createDirectories(root.resolve("partners"));
        int[] ports = RunEnvironment.freePorts(3);
        int httpPort = ports[0];
        int brokerPort = ports[1];
        int mllpPort = ports[2];
        BenchPartners partners = BenchPartners.generate(mllpPort, root.resolve("secrets"));
        partners.writeTo(partnersDir);

        String adminPassword = HexFormat.of().formatHex(random.generateSeed(16));
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CBHEALTH_DATA_DIR", root.resolve("data").toString());
        env.put("CBHEALTH_PARTNERS_DIR", partnersDir.toString());
        env.put("CBHEALTH_HTTP_PORT", Integer.toString(httpPort));
        env.put("CBHEALTH_BROKER_ACCEPTOR_PORT", Integer.toString(brokerPort));
        env.put("CBHEALTH_SEED_DEMO_PARTNERS", "false");
        env.put("CBHEALTH_ADMIN_PASSWORD", adminPassword);

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
            String version = postgres.createFreshOrExplain(databaseName);
            env.put("SPRING_PROFILES_ACTIVE", "postgres");
            env.putAll(postgres.hubDatabaseEnvironment(databaseName));
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
            Long heapAfterStart = hub.heapUsedBytes().orElse(null);
            Long rssAfterStart = hub.procStatusBytes("VmRSS").orElse(null);
            Duration springStarted =
                    StartupLog.processRunningWhenStarted(hub.logText()).orElse(null);
            String fullGc = hub.fullGc();
            Long heapIdleAfterGc = hub.heapUsedBytes().orElse(null);
            Long rssIdleAfterGc = hub.procStatusBytes("VmRSS").orElse(null);
            log("idle after full GC: heap " + ReferralReport.mib(heapIdleAfterGc) + ", RSS "
                    + ReferralReport.mib(rssIdleAfterGc));

            String brokerUrl = "tcp://127.0.0.1:" + brokerPort;
            List<String> notes = new ArrayList<>();
            List<ChannelResult> results = new ArrayList<>();
            ReferralReport report;
            PartnerTokens senderTokens = new PartnerTokens(partners.sender(), "http://127.0.0.1:" + httpPort);
            try (DeliveryConsumer consumer = new DeliveryConsumer(
                            brokerUrl,
                            BenchPartners.RECEIVER,
                            partners.receiver().secret(),
                            BenchPartners.RECEIVER_QUEUE,
                            ledger);
                    MemorySampler sampler = new MemorySampler(hub)) {
                for (int k = 0; k < channels.size(); k++) {
                    Channel channel = channels.get(k);
                    int base = k * perChannel;
                    int measuredFrom = base + warmup;
                    int to = base + perChannel;
                    ChannelLoad load =
                            switch (channel) {
                                case MLLP -> new MllpLoad(
                                        "127.0.0.1", mllpPort, options.connections(), options.ratePerSecond(), texts);
                                case REST -> new RestLoad(
                                        URI.create("http://127.0.0.1:" + httpPort + "/api/partners/"
                                                + BenchPartners.SENDER + "/" + channel.channelName),
                                        senderTokens,
                                        options.connections(),
                                        options.ratePerSecond(),
                                        texts);
                                case JMS -> new JmsLoad(
                                        brokerUrl,
                                        BenchPartners.SENDER,
                                        partners.sender().secret(),
                                        BenchPartners.SENDER_JMS_QUEUE,
                                        options.connections(),
                                        options.ratePerSecond(),
                                        texts);
                            };
                    sampler.takePeaks();
                    if (warmup > 0) {
                        log(channel.name() + " warm-up: " + warmup + " referrals");
                        load.send(ledger, base, measuredFrom);
                        awaitDeliveries(ledger, base, measuredFrom, hub);
                    }
                    Map<String, Long> countersBefore = senderCounters(hub);
                    Optional<Duration> hubCpuBefore = hub.cpuTime();
                    Optional<Duration> benchCpuBefore = benchCpu();
                    log(channel.name() + " measuring: " + options.count() + " referrals over " + options.connections()
                            + " connections, rate " + options.rateText());
                    load.send(ledger, measuredFrom, to);
                    log(channel.name() + ": all sent and acknowledged or failed; waiting for deliveries");
                    Drained drained = awaitDeliveries(ledger, measuredFrom, to, hub);
                    MemorySampler.Peaks peaks = sampler.takePeaks();
                    ChannelResult result = new ChannelResult(
                            channel,
                            RunFigures.of(ledger, base, measuredFrom),
                            RunFigures.of(ledger, measuredFrom, to),
                            difference(drained.hubCpu(), hubCpuBefore),
                            difference(drained.benchCpu(), benchCpuBefore),
                            peaks.heapBytes(),
                            peaks.rssBytes(),
                            ChannelResult.counterDelta(countersBefore, senderCounters(hub)),
                            drained.loadAverage());
                    results.add(result);
                    printSummary(result);
                }
                if (consumer.brokerProblem() != null) {
                    notes.add("The receiver's broker connection reported a problem: " + consumer.brokerProblem());
                }
            }
            List<ChannelResult> recounted = new ArrayList<>();
            for (int k = 0; k < results.size(); k++) {
                int base = k * perChannel;
                ChannelResult result = results.get(k)
                        .withFigures(
                                RunFigures.of(ledger, base, base + warmup),
                                RunFigures.of(ledger, base + warmup, base + perChannel));
                recounted.add(result);
                if (result.figures().delivered() == 0) {
                    notes.add("No " + result.channel().name() + " referral reached `" + BenchPartners.RECEIVER_QUEUE
                            + "` within " + options.quietSeconds() + " s after the last acknowledgement, so only its"
                            + " acknowledgement figures are measured.");
                }
            }
            Long peakHeap =
                    max(recounted.stream().map(ChannelResult::peakHeapBytes).toList());
            Long peakRss =
                    max(recounted.stream().map(ChannelResult::peakRssBytes).toList());
            Long peakRssEver = hub.procStatusBytes("VmHWM").orElse(null);
            hub.fullGc();
            Long heapAfterRunGc = hub.heapUsedBytes().orElse(null);
            Long rssAfterRun = hub.procStatusBytes("VmRSS").orElse(null);
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
                    recounted,
                    ledger.unknownDeliveries(),
                    new MemoryFigures(
                            started,
                            springStarted,
                            heapAfterStart,
                            rssAfterStart,
                            fullGc,
                            heapIdleAfterGc,
                            rssIdleAfterGc,
                            peakHeap,
                            peakRss,
                            peakRssEver,
                            heapAfterRunGc,
                            rssAfterRun),
                    new ReferralReport.HubFigures(outbox, stop),
                    loadBefore,
                    notes);
            report.writeTo(options.out());
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
                RunEnvironment.deleteTree(root, ReferralBenchmark::log);
            } else {
                log("kept the hub's data directory and log: " + root
                        + (usePostgres && options.keepData() ? " and the database " + databaseName : ""));
            }
        }
        return options.out();
    }

    /** The sender partner's counters on the hub (received, stored, failed, parked …), or null when unavailable. */
    private static Map<String, Long> senderCounters(HubProcess hub) {
        return hub.admin("/api/admin/partners/" + BenchPartners.SENDER)
                .map(p -> p.path("counters"))
                .filter(JsonNode::isObject)
                .map(counters -> {
                    Map<String, Long> values = new LinkedHashMap<>();
                    counters.fields()
                            .forEachRemaining(
                                    e -> values.put(e.getKey(), e.getValue().asLong()));
                    return values;
                })
                .orElse(null);
    }

    private static Long max(List<Long> values) {
        return values.stream().filter(v -> v != null).max(Long::compare).orElse(null);
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
                drained = new Drained(hub.cpuTime(), benchCpu(), RunEnvironment.loadAverage());
            }
            if (now - lastActivity >= quiet) {
                break;
            }
            LockSupport.parkNanos(POLL.toNanos());
        }
        return drained != null ? drained : new Drained(hub.cpuTime(), benchCpu(), RunEnvironment.loadAverage());
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

    private static void printSummary(ChannelResult result) {
        RunFigures f = result.figures();
        log(String.format(
                java.util.Locale.ROOT,
                "%s: sent %d, acknowledged %d, refused %d, no answer %d, delivered %d, missing %d, duplicates %d",
                result.channel().name(),
                f.sent(),
                f.accepted(),
                f.refused(),
                f.failed(),
                f.delivered(),
                f.missing(),
                f.duplicates()));
        log(String.format(
                java.util.Locale.ROOT,
                "%s: end to end %.1f referrals/s, p50 %s, p99 %s; ack p99 %s",
                result.channel().name(),
                f.deliveredPerSecond(),
                ReferralReport.millis(f.endToEnd().p50Nanos()),
                ReferralReport.millis(f.endToEnd().p99Nanos()),
                ReferralReport.millis(f.ackLatency().p99Nanos())));
    }

    private static void log(String line) {
        System.out.println("[referrals] " + line);
    }
}
