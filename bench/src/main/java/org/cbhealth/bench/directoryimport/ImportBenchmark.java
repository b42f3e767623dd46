package org.cbhealth.bench.directoryimport;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.cbhealth.bench.MachineDescription;
import org.cbhealth.bench.RunEnvironment;
import org.cbhealth.bench.referral.HubProcess;
import org.cbhealth.bench.referral.MemorySampler;
import org.cbhealth.bench.referral.PostgresServer;
import org.cbhealth.bench.search.FhirHttp;
import org.cbhealth.profiles.CbhCanonical;

/**
 * The directory import benchmark: starts the packaged hub as its own JVM with one partner whose CSV inbox takes
 * department exports, on a fresh PostgreSQL database (or H2), and drops a generated export ({@link DepartmentExport})
 * into the inbox three times: as generated, unchanged, and with one row changed. Each time it waits for the import's
 * report on the admin API, counts in the FHIR store what was written, and measures time, hub CPU and heap. Writes
 * {@code bench/results/directory-import.md} ({@link ImportReport}); fails (exit status 1) when a check fails, above
 * all when the unchanged re-import wrote anything. See {@link ImportBenchmarkOptions} for the command line.
 */
public final class ImportBenchmark {

    static final String PARTNER = "bench-directory";
    static final String CHANNEL = "departments";
    static final String SECRET_ENV = "CBHEALTH_PARTNER_BENCH_DIRECTORY_SECRET";
    static final String CHANGED_PHONE = "+359 73 999 999";

    private static final Duration HUB_START_TIMEOUT = Duration.ofMinutes(10);
    private static final int FILE_POLL_MILLIS = 50;
    private static final int PROGRESS_POLL_SECONDS = 5;
    private static final List<String> PHASES = List.of("first import", "unchanged re-import", "one row changed");

    private final ImportBenchmarkOptions options;
    private final List<String> args;
    private final SecureRandom random = new SecureRandom();

    private ImportBenchmark(ImportBenchmarkOptions options, List<String> args) {
        this.options = options;
        this.args = args;
    }

    /** Runs the benchmark; {@code args} are the options as given, for the report. Returns the result file. */
    public static Path run(ImportBenchmarkOptions options, List<String> args) throws Exception {
        return new ImportBenchmark(options, List.copyOf(args)).run();
    }

    /** The partner file: a Bulgarian hospital whose department export arrives as a file, full export each time. */
    static String partnerYaml() {
        return "# Benchmark partner: a Bulgarian hospital dropping its department export (UTF-8 CSV) in its inbox.\n"
                + "id: " + PARTNER + "\n"
                + "names:\n  bg: Болница за тест на импорта\n  en: Directory import benchmark hospital\n"
                + "country: BG\n"
                + "identifiers:\n"
                + "  - system: https://fhir.cbhealth.eu/sid/registry/bg-eik\n"
                + "    value: \"000000019\"\n"
                + "credentials:\n  env: " + SECRET_ENV + "\n"
                + "inbound:\n"
                + "  - name: " + CHANNEL + "\n"
                + "    kind: file\n"
                + "    format: csv\n"
                + "    flow: directory\n"
                + "    settings:\n"
                + "      directory: inbox/" + PARTNER + "\n"
                + "      language: bg\n"
                + DepartmentExport.COLUMNS_YAML
                + "codeMappings:\n"
                + "  - https://fhir.cbhealth.eu/ConceptMap/bg-nhif-specialty-to-cbh\n";
    }

    private Path run() throws Exception {
        if (!Files.isRegularFile(options.hubJar())) {
            throw new IllegalStateException("no hub jar at " + options.hubJar().toAbsolutePath()
                    + "; build it first with: mvn -B -DskipTests package");
        }
        OffsetDateTime when = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS);
        String commit = RunEnvironment.commit();
        int rows = options.rows();
        int changedRow = rows / 2 + 1;
        List<String> lines = DepartmentExport.lines(options.seed(), rows);
        byte[] export = DepartmentExport.csv(lines);
        byte[] changed = DepartmentExport.csv(DepartmentExport.withPhone(lines, changedRow, CHANGED_PHONE));
        log("export: " + rows + " rows, " + export.length + " bytes, seed " + options.seed());

        Path root = Files.createTempDirectory("cbhealth-bench-import-");
        Path partnersDir = Files.createDirectories(root.resolve("partners"));
        Path dataDir = root.resolve("data");
        Files.writeString(partnersDir.resolve(PARTNER + ".yaml"), partnerYaml(), StandardCharsets.UTF_8);
        int[] ports = RunEnvironment.freePorts(2);
        String adminPassword = HexFormat.of().formatHex(random.generateSeed(16));
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CBHEALTH_DATA_DIR", dataDir.toString());
        env.put("CBHEALTH_PARTNERS_DIR", partnersDir.toString());
        env.put("CBHEALTH_HTTP_PORT", Integer.toString(ports[0]));
        env.put("CBHEALTH_BROKER_ACCEPTOR_PORT", Integer.toString(ports[1]));
        env.put("CBHEALTH_SEED_DEMO_PARTNERS", "false");
        env.put("CBHEALTH_ADMIN_PASSWORD", adminPassword);
        env.put(SECRET_ENV, HexFormat.of().formatHex(random.generateSeed(16)));

        PostgresServer postgres = PostgresServer.fromEnvironment();
        boolean usePostgres =
                switch (options.database()) {
                    case POSTGRES -> true;
                    case H2 -> false;
                    case AUTO -> postgres.accepting();
                };
        String databaseName = "cbhealth_bench_import_" + HexFormat.of().formatHex(random.generateSeed(3));
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
        log("starting the hub (" + (usePostgres ? "PostgreSQL, database " + databaseName : "H2") + "), log: " + log);
        boolean succeeded = false;
        ImportReport report;
        try (HubProcess hub = HubProcess.start(options.hubJar(), env, log, ports[0], adminPassword)) {
            Duration started = hub.awaitReady(HUB_START_TIMEOUT, List.of(PARTNER));
            log("hub ready in " + ImportReport.seconds(started));
            Run run = new Run(
                    hub, new FhirHttp("http://127.0.0.1:" + ports[0] + "/fhir", hub.authorization()), dataDir, rows);
            List<ImportPhase> phases = new ArrayList<>();
            List<ImportReport.Check> checks = new ArrayList<>();
            try (MemorySampler sampler = new MemorySampler(hub)) {
                byte[][] files = {export, export, changed};
                for (int i = 0; i < PHASES.size(); i++) {
                    ImportPhase phase = run.phase(PHASES.get(i), i + 1, files[i], sampler);
                    phases.add(phase);
                    checks.addAll(ImportReport.checksOf(phase, i + 1, rows));
                    log(String.format(
                            java.util.Locale.ROOT,
                            "%s: %d created, %d updated, %d unchanged; %d new versions, %d new Provenance; %s drop to"
                                    + " done, %.0f rows/s",
                            phase.name(),
                            phase.created(),
                            phase.updated(),
                            phase.unchanged(),
                            phase.newVersions(),
                            phase.newProvenances(),
                            ImportReport.seconds(phase.wall()),
                            phase.rowsPerSecond()));
                }
            }
            Long heapAfter = hub.heapUsedBytes().orElse(null);
            Long rssPeak = hub.procStatusBytes("VmHWM").orElse(null);
            Long databaseBytes = usePostgres ? databaseSize(postgres, databaseName) : null;
            hub.stop(Duration.ofSeconds(60));
            report = new ImportReport(
                    when,
                    "java -jar bench/target/cbhealth-bench.jar import" + (args.isEmpty() ? "" : " ")
                            + String.join(" ", args),
                    commit,
                    MachineDescription.current(),
                    database,
                    started,
                    rows,
                    options.seed(),
                    export.length,
                    changedRow,
                    phases,
                    checks,
                    heapAfter,
                    rssPeak,
                    databaseBytes);
            report.writeTo(options.out());
            succeeded = report.failures().isEmpty();
        } finally {
            if (usePostgres && !options.keepData()) {
                try {
                    postgres.drop(databaseName);
                } catch (SQLException e) {
                    log("could not drop the database " + databaseName + ": " + e.getMessage());
                }
            } else if (usePostgres) {
                log("kept the database " + databaseName + " (drop it with: DROP DATABASE " + databaseName + ")");
            }
            if (succeeded && !options.keepData()) {
                RunEnvironment.deleteTree(root, ImportBenchmark::log);
            } else {
                log("kept the hub's data directory and log: " + root);
            }
        }
        if (!succeeded) {
            List<String> failed = report.failures().stream()
                    .map(c -> c.phase() + ": " + c.what() + " expected " + c.expected() + ", measured " + c.measured())
                    .toList();
            throw new IllegalStateException("checks failed (results in " + options.out() + "): " + failed);
        }
        return options.out();
    }

    /** The hub under test and how the benchmark reaches it. */
    private final class Run {
        private final HubProcess hub;
        private final FhirHttp fhir;
        private final Path inbox;
        private final int rows;

        Run(HubProcess hub, FhirHttp fhir, Path dataDir, int rows) {
            this.hub = hub;
            this.fhir = fhir;
            this.inbox = dataDir.resolve("inbox").resolve(PARTNER);
            this.rows = rows;
        }

        ImportPhase phase(String name, int ordinal, byte[] csv, MemorySampler sampler) throws Exception {
            long provenancesBefore = provenances();
            String loadBefore = RunEnvironment.loadAverage();
            Optional<Duration> cpuBefore = hub.cpuTime();
            sampler.takePeaks();
            Instant since = Instant.now();
            String file = "export-" + ordinal + ".csv";
            long start = drop(file, csv);
            List<long[]> progress = new ArrayList<>();
            long end = awaitFiled(file, ordinal, progress);
            Duration wall = Duration.ofNanos(end - start);
            JsonNode batch = report(ordinal);
            Optional<Duration> cpuAfter = hub.cpuTime();
            MemorySampler.Peaks peaks = sampler.takePeaks();
            String loadAfter = RunEnvironment.loadAverage();
            Duration inImporter = Duration.between(
                    Instant.parse(batch.path("startedAt").asText()),
                    Instant.parse(batch.path("finishedAt").asText()));
            return new ImportPhase(
                    name,
                    rows,
                    batch.path("created").asInt(),
                    batch.path("updated").asInt(),
                    batch.path("unchanged").asInt(),
                    batch.path("deactivated").asInt(),
                    batch.path("rejected").asInt(),
                    batch.path("unmapped").asInt(),
                    batch.path("provenance").isTextual()
                            ? batch.path("provenance").asText()
                            : null,
                    versionsSince(since),
                    (int) (provenances() - provenancesBefore),
                    services(),
                    wall,
                    inImporter,
                    secondHalf(progress, rows, end),
                    cpuBefore.isPresent() && cpuAfter.isPresent()
                            ? cpuAfter.get().minus(cpuBefore.get())
                            : null,
                    peaks.heapBytes(),
                    loadBefore,
                    loadAfter);
        }

        /** Writes the export beside the inbox's files under a hidden name and moves it in; returns the time. */
        private long drop(String name, byte[] csv) throws IOException {
            Files.createDirectories(inbox);
            Path temp = inbox.resolve("." + name + ".part");
            Files.write(temp, csv);
            long now = System.nanoTime();
            Files.move(temp, inbox.resolve(name), StandardCopyOption.ATOMIC_MOVE);
            return now;
        }

        /**
         * Waits until the file route has moved {@code name} to {@code .done/} (it does so once the import is over)
         * and returns that moment (nanos). The file system is looked at every {@value #FILE_POLL_MILLIS} ms; the
         * admin API only every {@value #PROGRESS_POLL_SECONDS} s, for the running batch's progress (added to {@code
         * progress} as time and records processed), because each admin call costs the hub a bcrypt check of the
         * password. Fails when the import failed or the hub refused the file.
         */
        private long awaitFiled(String name, int ordinal, List<long[]> progress) throws IOException {
            long deadline = System.nanoTime()
                    + Duration.ofMinutes(options.timeoutMinutes()).toNanos();
            long nextProgress = System.nanoTime()
                    + Duration.ofSeconds(PROGRESS_POLL_SECONDS).toNanos();
            String seen = "no report";
            while (System.nanoTime() < deadline) {
                if (filed(name)) {
                    return System.nanoTime();
                }
                refusedFiles().ifPresent(problems -> {
                    throw new IllegalStateException("the hub refused the export as a whole: " + problems);
                });
                if (System.nanoTime() >= nextProgress) {
                    Optional<JsonNode> batch = newest(ordinal);
                    if (batch.isPresent()) {
                        JsonNode newest = batch.get();
                        progress.add(new long[] {
                            System.nanoTime(), newest.path("processed").asLong()
                        });
                        seen = "batch " + newest.path("id").asText() + " "
                                + newest.path("state").asText() + ", "
                                + newest.path("processed").asText() + " of "
                                + newest.path("total").asText();
                        if ("failed".equals(newest.path("state").asText())) {
                            throw new IllegalStateException("import " + ordinal + " failed: " + newest.path("note"));
                        }
                    }
                    nextProgress = System.nanoTime()
                            + Duration.ofSeconds(PROGRESS_POLL_SECONDS).toNanos();
                }
                LockSupport.parkNanos(Duration.ofMillis(FILE_POLL_MILLIS).toNanos());
            }
            throw new IllegalStateException("import " + ordinal + " was not done within " + options.timeoutMinutes()
                    + " minutes (" + seen + "); the hub's log: " + hub.log());
        }

        /** The report of the {@code ordinal}th batch, once it is done (it is, when its file has been moved). */
        private JsonNode report(int ordinal) {
            for (int attempt = 0; attempt < 100; attempt++) {
                Optional<JsonNode> batch = newest(ordinal);
                if (batch.isPresent() && "done".equals(batch.get().path("state").asText())) {
                    return batch.get();
                }
                LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
            }
            throw new IllegalStateException("the file of import " + ordinal + " was moved to .done, but its report"
                    + " is not done; the hub's log: " + hub.log());
        }

        /** The partner's newest batch, when there are {@code ordinal} of them. */
        private Optional<JsonNode> newest(int ordinal) {
            return hub.admin("/api/admin/imports?partner=" + PARTNER + "&limit=10")
                    .filter(batches -> batches.size() >= ordinal)
                    .map(batches -> batches.get(0));
        }

        /** Whether the file route has moved {@code name} into {@code .done/<date>/}. */
        private boolean filed(String name) throws IOException {
            Path done = inbox.resolve(".done");
            if (!Files.isDirectory(done)) {
                return false;
            }
            try (Stream<Path> files = Files.walk(done, 2)) {
                return files.anyMatch(f -> f.getFileName().toString().equals(name));
            }
        }

        /** The first file of the inbox's {@code .error} folder (an export refused as a whole), if any. */
        private Optional<Path> refusedFiles() throws IOException {
            Path error = inbox.resolve(".error");
            if (!Files.isDirectory(error)) {
                return Optional.empty();
            }
            try (Stream<Path> files = Files.walk(error)) {
                return files.filter(Files::isRegularFile).findFirst();
            }
        }

        /** Versions of the partner's HealthcareServices written since {@code since}, over all history pages. */
        private int versionsSince(Instant since) throws Exception {
            int versions = 0;
            JsonNode page = fhir.get(
                    "HealthcareService/_history?_count=1000&_since=" + encode(since.truncatedTo(ChronoUnit.MILLIS)));
            while (true) {
                for (JsonNode entry : page.path("entry")) {
                    if (entry.path("resource").path("id").asText().startsWith(PARTNER + "-")) {
                        versions++;
                    }
                }
                String next = null;
                for (JsonNode link : page.path("link")) {
                    if ("next".equals(link.path("relation").asText())) {
                        next = link.path("url").asText();
                    }
                }
                if (next == null) {
                    return versions;
                }
                // the hub's paging link, e.g. http://host/fhir?_getpages=…, asked again relative to /fhir
                String rest = next.substring(next.indexOf("/fhir") + "/fhir".length());
                page = fhir.get(rest.startsWith("/") ? rest.substring(1) : rest);
            }
        }

        private long provenances() throws Exception {
            return fhir.get("Provenance?_summary=count&_source="
                            + encode(CbhCanonical.BASE + "/partner/" + PARTNER + "/" + CHANNEL))
                    .path("total")
                    .asLong();
        }

        private long services() throws Exception {
            return fhir.get("HealthcareService?_summary=count&identifier="
                            + encode(CbhCanonical.partnerIdentifierSystem(PARTNER, "department") + "|"))
                    .path("total")
                    .asLong();
        }
    }

    /**
     * Rows per second from the first progress seen at half the rows or more to the end, or null when none was seen
     * (a fast import may be done before the first look).
     */
    static Double secondHalf(List<long[]> progress, int rows, long endNanos) {
        for (long[] seen : progress) {
            if (seen[1] >= rows / 2 && seen[1] < rows && endNanos > seen[0]) {
                return (rows - seen[1]) / ((endNanos - seen[0]) / 1e9);
            }
        }
        return null;
    }

    private static String encode(Object value) {
        return URLEncoder.encode(String.valueOf(value), StandardCharsets.UTF_8);
    }

    private static Long databaseSize(PostgresServer postgres, String name) {
        try (Connection c = DriverManager.getConnection(postgres.jdbcUrl(name), postgres.user(), postgres.password());
                Statement sql = c.createStatement();
                ResultSet size = sql.executeQuery("SELECT pg_database_size(current_database())")) {
            size.next();
            return size.getLong(1);
        } catch (SQLException e) {
            log("could not read the database size: " + e.getMessage());
            return null;
        }
    }

    private static void log(String line) {
        System.out.println("[import] " + line);
    }
}
