package org.cbhealth.bench.ingestion;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.cbhealth.bench.MachineDescription;
import org.cbhealth.bench.ProcessFigures;
import org.cbhealth.bench.RunEnvironment;
import org.cbhealth.bench.referral.HubProcess;
import org.cbhealth.bench.referral.PostgresServer;

/**
 * The ingestion comparison: starts the packaged hub and the plain HAPI FHIR JPA server ({@code bench/plain-hapi}) as
 * JVMs of their own on two fresh databases of the same PostgreSQL server, posts the same directory transaction
 * Bundles to both {@code /fhir} bases in alternating rounds, optionally records the hub with JDK Flight Recorder,
 * and writes {@code bench/results/ingestion.md}. See {@link IngestionOptions} for the command line.
 */
public final class IngestionBenchmark {

    private static final Duration START_TIMEOUT = Duration.ofMinutes(6);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);
    /** Deep enough that a sample inside the validator still shows the interceptor that called it. */
    private static final List<String> JVM_OPTIONS = List.of("-XX:FlightRecorderOptions:stackdepth=512");

    private static final String HUB = "hub";
    private static final String PLAIN = "plain";

    private final IngestionOptions options;
    private final List<String> args;
    private final SecureRandom random = new SecureRandom();
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private IngestionBenchmark(IngestionOptions options, List<String> args) {
        this.options = options;
        this.args = args;
    }

    /** Runs the comparison; {@code args} are the options as given, for the report. Returns the result file. */
    public static Path run(IngestionOptions options, List<String> args) throws Exception {
        return new IngestionBenchmark(options, List.copyOf(args)).run();
    }

    private Path run() throws Exception {
        requireFile(options.hubJar(), "no hub jar at %s; build it first with: mvn -B -DskipTests package");
        requireFile(
                options.plainJar(), "no plain HAPI server jar at %s; build it first with: mvn -B -DskipTests package");
        OffsetDateTime when = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS);
        String commit = RunEnvironment.commit();
        String tag = HexFormat.of().formatHex(random.generateSeed(3));

        log("preparing " + (options.warmup() + options.bundles()) + " Bundles of " + options.entries()
                + " entries per server");
        DirectoryBundles generator = new DirectoryBundles(FhirContext.forR4(), options.seed(), options.entries());
        Map<String, List<byte[]>> warmup = new LinkedHashMap<>();
        Map<String, List<byte[]>> measured = new LinkedHashMap<>();
        for (String server : List.of(HUB, PLAIN)) {
            List<byte[]> w = new ArrayList<>();
            for (int i = 0; i < options.warmup(); i++) {
                // warm-up content differs from the measured content: other indices of the same seed
                w.add(generator.json(server, tag + "w", options.bundles() + i));
            }
            List<byte[]> m = new ArrayList<>();
            for (int i = 0; i < options.bundles(); i++) {
                m.add(generator.json(server, tag, i));
            }
            warmup.put(server, w);
            measured.put(server, m);
        }

        String loadBefore = RunEnvironment.loadAverage();
        PostgresServer postgres = PostgresServer.fromEnvironment();
        String hubDatabase = "cbhealth_bench_ingest_hub_" + tag;
        String plainDatabase = "cbhealth_bench_ingest_plain_" + tag;
        String version;
        try {
            version = postgres.createFresh(hubDatabase);
            postgres.createFresh(plainDatabase);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the databases on PostgreSQL at " + postgres.host() + ":"
                    + postgres.port() + " as " + postgres.user() + ": " + e.getMessage()
                    + " (set CBHEALTH_BENCH_PG_USER / CBHEALTH_BENCH_PG_PASSWORD)");
        }
        String database = "PostgreSQL " + version + " on " + postgres.host() + ":" + postgres.port()
                + ", a fresh database for each server";

        Path root = Files.createTempDirectory("cbhealth-bench-ingestion-");
        Path partnersDir = Files.createDirectories(root.resolve("partners"));
        int[] ports = RunEnvironment.freePorts(3);
        int hubPort = ports[0];
        int plainPort = ports[2];
        String adminPassword = HexFormat.of().formatHex(random.generateSeed(16));
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CBHEALTH_DATA_DIR", root.resolve("data").toString());
        env.put("CBHEALTH_PARTNERS_DIR", partnersDir.toString());
        env.put("CBHEALTH_HTTP_PORT", Integer.toString(hubPort));
        env.put("CBHEALTH_BROKER_ACCEPTOR_PORT", Integer.toString(ports[1]));
        env.put("CBHEALTH_SEED_DEMO_PARTNERS", "false");
        env.put("CBHEALTH_ADMIN_PASSWORD", adminPassword);
        env.put("SPRING_PROFILES_ACTIVE", "postgres");
        env.putAll(postgres.hubDatabaseEnvironment(hubDatabase));

        String hubBase = "http://127.0.0.1:" + hubPort + "/fhir";
        String plainBase = "http://127.0.0.1:" + plainPort + "/fhir";
        log("starting the hub and the plain HAPI server side by side; logs under " + root);
        boolean succeeded = false;
        try (HubProcess hub = HubProcess.start(
                        options.hubJar(), JVM_OPTIONS, env, root.resolve("hub.log"), hubPort, adminPassword);
                PlainHapiProcess plain = PlainHapiProcess.start(
                        options.plainJar(),
                        JVM_OPTIONS,
                        postgres.jdbcUrl(plainDatabase),
                        postgres.user(),
                        postgres.password(),
                        root.resolve("plain-hapi.log"),
                        plainPort)) {
            Duration plainStart = plain.awaitReady(START_TIMEOUT);
            log("plain HAPI server ready in " + IngestionReport.seconds(plainStart));
            Duration hubStart = hub.awaitReady(START_TIMEOUT, List.of());
            log("hub ready in " + IngestionReport.seconds(hubStart));

            BundlePoster poster = new BundlePoster(options.clients());
            log("warm-up: " + options.warmup() + " Bundles to each server");
            RoundResult hubWarmup = poster.post(hubBase, hub.authorization(), warmup.get(HUB));
            RoundResult plainWarmup = poster.post(plainBase, null, warmup.get(PLAIN));
            log(String.format(
                    Locale.ROOT,
                    "warm-up done: hub %.2f Bundles/s (%d errors), plain %.2f Bundles/s (%d errors)",
                    hubWarmup.succeeded() * 1e9 / Math.max(1, hubWarmup.elapsedNanos()),
                    hubWarmup.errors().size(),
                    plainWarmup.succeeded() * 1e9 / Math.max(1, plainWarmup.elapsedNanos()),
                    plainWarmup.errors().size()));

            Path recording = root.resolve("hub.jfr");
            List<String> notes = new ArrayList<>();
            boolean recordingStarted =
                    options.jfr() && jcmd(hub.pid(), "JFR.start", "name=ingestion", "settings=profile");
            if (options.jfr() && !recordingStarted) {
                notes.add("The JDK Flight Recorder recording of the hub could not be started with jcmd.");
            }
            List<RoundResult> hubRounds = new ArrayList<>();
            List<RoundResult> plainRounds = new ArrayList<>();
            Duration hubCpu = Duration.ZERO;
            Duration plainCpu = Duration.ZERO;
            boolean cpuKnown = true;
            int from = 0;
            for (int round = 0; round < options.rounds(); round++) {
                int to = from + options.bundlesInRound(round);
                for (String server : List.of(HUB, PLAIN)) {
                    long pid = HUB.equals(server) ? hub.pid() : plain.pid();
                    Optional<Duration> cpuBefore = ProcessFigures.cpu(pid);
                    RoundResult result = poster.post(
                            HUB.equals(server) ? hubBase : plainBase,
                            HUB.equals(server) ? hub.authorization() : null,
                            measured.get(server).subList(from, to));
                    Optional<Duration> cpuAfter = ProcessFigures.cpu(pid);
                    if (cpuBefore.isPresent() && cpuAfter.isPresent()) {
                        Duration used = cpuAfter.get().minus(cpuBefore.get());
                        if (HUB.equals(server)) {
                            hubCpu = hubCpu.plus(used);
                        } else {
                            plainCpu = plainCpu.plus(used);
                        }
                    } else {
                        cpuKnown = false;
                    }
                    (HUB.equals(server) ? hubRounds : plainRounds).add(result);
                    log(String.format(
                            Locale.ROOT,
                            "round %d/%d %s: %d Bundles in %.1f s, %.2f Bundles/s, %d errors",
                            round + 1,
                            options.rounds(),
                            server,
                            result.bundles(),
                            result.elapsedNanos() / 1e9,
                            result.succeeded() * 1e9 / Math.max(1, result.elapsedNanos()),
                            result.errors().size()));
                }
                from = to;
            }
            String loadAfter = RunEnvironment.loadAverage();

            JfrSummary jfr = null;
            if (recordingStarted) {
                if (jcmd(hub.pid(), "JFR.stop", "name=ingestion", "filename=" + recording.toAbsolutePath())) {
                    try {
                        jfr = JfrSummary.read(recording);
                    } catch (IOException e) {
                        notes.add("The hub's recording could not be read: " + e.getMessage());
                    }
                } else {
                    notes.add("The JDK Flight Recorder recording of the hub could not be written with jcmd.");
                }
            }

            int groups = options.entries() / DirectoryBundles.RESOURCES_PER_GROUP;
            ServerFigures hubFigures = new ServerFigures(hubRounds, options.entries());
            ServerFigures plainFigures = new ServerFigures(plainRounds, options.entries());
            IngestionReport.ServerRun hubRun = new IngestionReport.ServerRun(
                    hubStart,
                    new ServerFigures(List.of(hubWarmup), options.entries()),
                    hubFigures,
                    cpuKnown ? hubCpu : null,
                    storedOrganizations(hubBase, hub.authorization()).orElse(null),
                    (long) (hubWarmup.succeeded() + hubFigures.succeeded()) * groups,
                    hub.heapUsedBytes().orElse(null),
                    ProcessFigures.statusBytes(hub.pid(), "VmRSS").orElse(null),
                    ProcessFigures.statusBytes(hub.pid(), "VmHWM").orElse(null));
            IngestionReport.ServerRun plainRun = new IngestionReport.ServerRun(
                    plainStart,
                    new ServerFigures(List.of(plainWarmup), options.entries()),
                    plainFigures,
                    cpuKnown ? plainCpu : null,
                    storedOrganizations(plainBase, null).orElse(null),
                    (long) (plainWarmup.succeeded() + plainFigures.succeeded()) * groups,
                    null,
                    ProcessFigures.statusBytes(plain.pid(), "VmRSS").orElse(null),
                    ProcessFigures.statusBytes(plain.pid(), "VmHWM").orElse(null));
            hub.stop(STOP_TIMEOUT);
            plain.stop(STOP_TIMEOUT);

            IngestionReport report = new IngestionReport(
                    when,
                    "java -jar bench/target/cbhealth-bench.jar ingestion" + (args.isEmpty() ? "" : " ")
                            + String.join(" ", args),
                    commit,
                    options,
                    MachineDescription.current(),
                    database,
                    hubRun,
                    plainRun,
                    jfr,
                    loadBefore,
                    loadAfter,
                    notes);
            report.writeTo(options.out());
            log(String.format(
                    Locale.ROOT,
                    "hub %.2f Bundles/s (p99 %s), plain %.2f Bundles/s (p99 %s): hub/plain %.2f×",
                    hubFigures.bundlesPerSecond(),
                    IngestionReport.millis(hubFigures.latency().p99Nanos()),
                    plainFigures.bundlesPerSecond(),
                    IngestionReport.millis(plainFigures.latency().p99Nanos()),
                    report.ratio()));
            succeeded = true;
        } finally {
            if (!options.keepData()) {
                for (String name : List.of(hubDatabase, plainDatabase)) {
                    try {
                        postgres.drop(name);
                    } catch (SQLException e) {
                        log("could not drop the database " + name + ": " + e.getMessage());
                    }
                }
            }
            if (succeeded && !options.keepData()) {
                RunEnvironment.deleteTree(root, IngestionBenchmark::log);
            } else {
                log("kept the logs" + (options.jfr() ? " and the recording" : "") + ": " + root
                        + (options.keepData() ? "; and the databases " + hubDatabase + ", " + plainDatabase : ""));
            }
        }
        return options.out();
    }

    /**
     * How many of the benchmark's Organizations the server holds, by a count search on their identifier system;
     * {@code authorization} is the {@code Authorization} header the server needs, or null.
     */
    private Optional<Long> storedOrganizations(String fhirBase, String authorization) {
        String query =
                "identifier=" + URLEncoder.encode(DirectoryBundles.IDENTIFIER_SYSTEM + "|", StandardCharsets.UTF_8)
                        + "&_summary=count";
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(fhirBase + "/Organization?" + query))
                .timeout(Duration.ofSeconds(60))
                .header("Accept", "application/fhir+json")
                .GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return Optional.empty();
            }
            JsonNode total = new ObjectMapper().readTree(response.body()).path("total");
            return total.isNumber() ? Optional.of(total.asLong()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** Runs {@code jcmd <pid> <command> <arguments…>}; whether it succeeded. */
    private static boolean jcmd(long pid, String... command) throws InterruptedException {
        List<String> line = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), Long.toString(pid)));
        line.addAll(List.of(command));
        try {
            Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                return false;
            }
            if (process.exitValue() != 0) {
                log("jcmd " + String.join(" ", command) + " failed: " + out.strip());
                return false;
            }
            return true;
        } catch (IOException e) {
            log("jcmd " + String.join(" ", command) + " failed: " + e.getMessage());
            return false;
        }
    }

    private static void requireFile(Path file, String message) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException(String.format(message, file.toAbsolutePath()));
        }
    }

    private static void log(String line) {
        System.out.println("[ingestion] " + line);
    }
}
