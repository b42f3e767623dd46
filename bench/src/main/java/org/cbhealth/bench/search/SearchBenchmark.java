package org.cbhealth.bench.search;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
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
import org.cbhealth.bench.MachineDescription;
import org.cbhealth.bench.RunEnvironment;
import org.cbhealth.bench.partner.PartnerCredentials;
import org.cbhealth.bench.partner.PartnerTokens;
import org.cbhealth.bench.referral.HubProcess;
import org.cbhealth.bench.referral.PostgresServer;

/**
 * The directory search benchmark: starts the packaged hub as its own JVM (no partners but, with {@code --as partner},
 * the one that searches) on a fresh PostgreSQL database,
 * loads a synthetic cross-border directory ({@link DirectoryGenerator}) through {@code /fhir}, checks the hub's totals
 * against the generator's, times the searches of a {@link SearchPlan} and writes {@code bench/results/search.md}
 * ({@link SearchReport}). See {@link SearchBenchmarkOptions} for the command line.
 */
public final class SearchBenchmark {

    private static final Duration HUB_START_TIMEOUT = Duration.ofMinutes(5);
    private static final int PAGE_SIZE = 20;
    /** The partner system that searches with {@code --as partner}. */
    static final String SEARCH_PARTNER = "bench-search-partner";
    /** Its registry identifier: the hub publishes an Organization for it, which is not the directory's. */
    private static final String SEARCH_PARTNER_SYSTEM = "https://fhir.cbhealth.eu/sid/registry/pl-rpwdl";

    private static final String SEARCH_PARTNER_REGISTRY = "PL-RPWDL-000000099999";

    private final SearchBenchmarkOptions options;
    private final List<String> args;
    private final SecureRandom random = new SecureRandom();

    private SearchBenchmark(SearchBenchmarkOptions options, List<String> args) {
        this.options = options;
        this.args = args;
    }

    /** Runs the benchmark; {@code args} are the options as given, for the report. Returns the result file. */
    public static Path run(SearchBenchmarkOptions options, List<String> args) throws Exception {
        return new SearchBenchmark(options, List.copyOf(args)).run();
    }

    private Path run() throws Exception {
        if (!Files.isRegularFile(options.hubJar())) {
            throw new IllegalStateException("no hub jar at " + options.hubJar().toAbsolutePath()
                    + "; build it first with: mvn -B -DskipTests package");
        }
        OffsetDateTime when = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS);
        String commit = RunEnvironment.commit();
        int units = options.units();
        DirectoryGenerator generator = new DirectoryGenerator(options.seed(), "s" + options.seed());
        DirectoryGenerator.Totals totals = generator.count(units, List.of());
        log("directory: " + totals.resources() + " resources (" + units + " hospitals, " + totals.services()
                + " HealthcareServices), seed " + options.seed());

        String loadBefore = RunEnvironment.loadAverage();
        Path root = Files.createTempDirectory("cbhealth-bench-search-");
        Path partnersDir = Files.createDirectories(root.resolve("partners"));
        int[] ports = RunEnvironment.freePorts(2);
        String adminPassword = HexFormat.of().formatHex(random.generateSeed(16));
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CBHEALTH_DATA_DIR", root.resolve("data").toString());
        env.put("CBHEALTH_PARTNERS_DIR", partnersDir.toString());
        env.put("CBHEALTH_HTTP_PORT", Integer.toString(ports[0]));
        env.put("CBHEALTH_BROKER_ACCEPTOR_PORT", Integer.toString(ports[1]));
        env.put("CBHEALTH_SEED_DEMO_PARTNERS", "false");
        env.put("CBHEALTH_ADMIN_PASSWORD", adminPassword);
        if (!options.restAudit()) {
            env.put("CBHEALTH_AUDIT_RESTINTERACTIONS", "false");
        }
        PartnerCredentials searcher = null;
        if (options.caller() == SearchBenchmarkOptions.Caller.PARTNER) {
            searcher = PartnerCredentials.generate(SEARCH_PARTNER, Files.createDirectories(root.resolve("secrets")));
            PartnerCredentials.writePartnerFile(partnersDir, SEARCH_PARTNER + ".yaml", searchPartnerYaml(searcher));
        }

        PostgresServer postgres = PostgresServer.fromEnvironment();
        boolean usePostgres =
                switch (options.database()) {
                    case POSTGRES -> true;
                    case H2 -> false;
                    case AUTO -> postgres.accepting();
                };
        boolean reuse = options.reuseDatabase() != null;
        String databaseName = reuse
                ? options.reuseDatabase()
                : "cbhealth_bench_search_" + HexFormat.of().formatHex(random.generateSeed(3));
        String database;
        if (usePostgres) {
            String version = reuse ? serverVersion(postgres) : createDatabase(postgres, databaseName);
            env.put("SPRING_PROFILES_ACTIVE", "postgres");
            env.put("CBHEALTH_DB_URL", postgres.jdbcUrl(databaseName));
            env.put("CBHEALTH_DB_USER", postgres.user());
            env.put("CBHEALTH_DB_PASSWORD", postgres.password());
            database = "PostgreSQL " + version + " on " + postgres.host() + ":" + postgres.port() + " (`postgres`"
                    + " profile, " + (reuse ? "reused database" : "fresh database") + ")";
        } else {
            database = "H2 file database under the data directory (embedded default)";
        }

        Path log = root.resolve("hub.log");
        log("starting the hub (" + (usePostgres ? "PostgreSQL, database " + databaseName : "H2") + "), log: " + log);
        boolean succeeded = false;
        try (HubProcess hub = HubProcess.start(options.hubJar(), env, log, ports[0], adminPassword)) {
            Duration started =
                    hub.awaitReady(HUB_START_TIMEOUT, searcher == null ? List.of() : List.of(SEARCH_PARTNER));
            log("hub ready in " + SearchReport.seconds(started));
            String fhirBase = "http://127.0.0.1:" + ports[0] + "/fhir";
            FhirHttp fhir = new FhirHttp(fhirBase, hub.authorization());
            FhirHttp searching = fhir;
            if (searcher != null) {
                PartnerTokens tokens = new PartnerTokens(searcher, "http://127.0.0.1:" + ports[0]);
                searching = new FhirHttp(fhirBase, tokens::authorization);
            }
            List<String> notes = new ArrayList<>();

            DirectoryLoader.LoadFigures load = null;
            if (!reuse || alreadyLoaded(fhir, totals) == 0) {
                log("loading " + totals.resources() + " resources in bundles of " + options.bundleUnits() + " units, "
                        + options.posters() + " posters");
                Duration limit =
                        options.loadMinutes() > 0 ? Duration.ofMinutes(options.loadMinutes()) : Duration.ofDays(1);
                Optional<Duration> cpuBefore = hub.cpuTime();
                load = new DirectoryLoader(fhir, generator, SearchBenchmark::log)
                        .load(units, options.bundleUnits(), options.posters(), limit);
                Optional<Duration> cpuAfter = hub.cpuTime();
                if (cpuBefore.isPresent() && cpuAfter.isPresent()) {
                    notes.add(String.format(
                            java.util.Locale.ROOT,
                            "The hub used %.1f s of CPU while loading: %.1f ms per resource (validation, storage,"
                                    + " indexing, HTTP and JSON).",
                            cpuAfter.get().minus(cpuBefore.get()).toNanos() / 1e9,
                            cpuAfter.get().minus(cpuBefore.get()).toNanos() / 1e6 / load.resources()));
                }
                if (load.units() < units) {
                    notes.add(String.format(
                            java.util.Locale.ROOT,
                            "Asked for %,d resources, but the load was stopped after %d minutes (`--load-minutes`)"
                                    + " with %,d loaded: the searches ran on those. Rerun the searches on them with"
                                    + " `--reuse-database <name> --resources %d` after a run with `--keep-data`.",
                            totals.resources(),
                            options.loadMinutes(),
                            load.resources(),
                            load.resources()));
                    units = load.units();
                    totals = generator.count(units, List.of());
                }
                log(String.format(
                        java.util.Locale.ROOT,
                        "loaded in %s: %.0f resources/s",
                        SearchReport.seconds(load.elapsed()),
                        load.resourcesPerSecond()));
            } else {
                log("the database already holds the directory; not loading");
            }
            Long databaseBytes = usePostgres ? databaseSize(postgres, databaseName) : null;
            notes.add(languageNote(fhir));
            SearchPlan plan = SearchPlan.of(generator, units);

            SearchRunner runner = new SearchRunner(searching, PAGE_SIZE, SearchBenchmark::log);
            List<SearchRunner.TypeFigures> figures = new ArrayList<>();
            for (Map.Entry<String, List<SearchQuery>> type : plan.byType().entrySet()) {
                log("checking totals: " + type.getKey());
                int verified = runner.verifyTotals(type.getValue());
                figures.add(runner.run(
                        type.getKey(),
                        type.getValue(),
                        options.warmup(),
                        options.queries(),
                        options.concurrency(),
                        verified));
            }
            Long heap = hub.heapUsedBytes().orElse(null);
            Long rss = hub.procStatusBytes("VmRSS").orElse(null);
            String loadAfter = RunEnvironment.loadAverage();
            hub.stop(Duration.ofSeconds(60));
            SearchReport report = new SearchReport(
                    when,
                    "java -jar bench/target/cbhealth-bench.jar search" + (args.isEmpty() ? "" : " ")
                            + String.join(" ", args),
                    commit,
                    options,
                    MachineDescription.current(),
                    database,
                    started,
                    totals,
                    load,
                    databaseBytes,
                    PAGE_SIZE,
                    figures,
                    heap,
                    rss,
                    loadBefore,
                    loadAfter,
                    notes);
            report.writeTo(options.out());
            succeeded = true;
        } finally {
            boolean keepDatabase = reuse || options.keepData();
            if (usePostgres && !keepDatabase) {
                try {
                    postgres.drop(databaseName);
                } catch (SQLException e) {
                    log("could not drop the database " + databaseName + ": " + e.getMessage());
                }
            } else if (usePostgres) {
                log("kept the database " + databaseName + "; rerun the searches with --reuse-database " + databaseName
                        + " (drop it with: DROP DATABASE " + databaseName + ")");
            }
            if (succeeded && !options.keepData()) {
                RunEnvironment.deleteTree(root, SearchBenchmark::log);
            } else {
                log("kept the hub's data directory and log: " + root);
            }
        }
        return options.out();
    }

    /**
     * The partner that searches with {@code --as partner}: it authenticates with its key and has one REST channel
     * (the hub lists a partner as started when its routes are).
     */
    static String searchPartnerYaml(PartnerCredentials credentials) {
        return """
                # Search benchmark: a partner system searching the shared directory.
                id: %s
                names:
                  en: Search benchmark partner
                country: PL
                identifiers:
                  - system: %s
                    value: "%s"
                %sinbound:
                  - name: directory
                    kind: rest
                    format: fhir
                    flow: directory
                """
                .formatted(SEARCH_PARTNER, SEARCH_PARTNER_SYSTEM, SEARCH_PARTNER_REGISTRY, credentials.yaml());
    }

    private static String createDatabase(PostgresServer postgres, String name) {
        try {
            return postgres.createFresh(name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the database " + name + " on PostgreSQL at "
                    + postgres.host() + ":" + postgres.port() + " as " + postgres.user() + ": " + e.getMessage()
                    + " (set CBHEALTH_BENCH_PG_USER / CBHEALTH_BENCH_PG_PASSWORD, or run with --h2)");
        }
    }

    /**
     * How many HealthcareServices a reused database holds: 0 (load it) or exactly the directory's (and as many
     * Organizations); anything else fails, since the searches' expected totals would be wrong.
     */
    private static long alreadyLoaded(FhirHttp fhir, DirectoryGenerator.Totals totals) throws Exception {
        long services =
                fhir.get("HealthcareService?_summary=count").path("total").asLong();
        // the Organization the hub published for the searching partner (--as partner, now or before) is not the
        // directory's
        long organizations =
                fhir.get("Organization?_summary=count").path("total").asLong()
                        - fhir.get("Organization?identifier=" + SEARCH_PARTNER_SYSTEM + "%7C" + SEARCH_PARTNER_REGISTRY
                                        + "&_summary=count")
                                .path("total")
                                .asLong();
        if (services == 0) {
            return 0;
        }
        if (services != totals.services() || organizations != totals.organizations()) {
            throw new IllegalStateException("the reused database holds " + services + " HealthcareServices and "
                    + organizations + " Organizations, the directory of this seed and size has " + totals.services()
                    + " and " + totals.organizations() + "; rerun with the --resources and --seed it was loaded with");
        }
        return services;
    }

    /** Whether the hub's CapabilityStatement offers a language search on HealthcareService, as a note. */
    private static String languageNote(FhirHttp fhir) {
        try {
            JsonNode metadata = fhir.get("metadata");
            List<String> names = new ArrayList<>();
            for (JsonNode rest : metadata.path("rest")) {
                for (JsonNode resource : rest.path("resource")) {
                    if ("HealthcareService".equals(resource.path("type").asText())) {
                        resource.path("searchParam")
                                .forEach(p -> names.add(p.path("name").asText()));
                    }
                }
            }
            boolean language = names.stream().anyMatch(n -> n.contains("language") || n.contains("communication"));
            return language
                    ? "The hub declares a language search parameter on HealthcareService (" + names
                            + "); this benchmark does not time it yet."
                    : "Search by language is not timed: the hub's CapabilityStatement declares no search parameter"
                            + " on `HealthcareService.communication` (FHIR R4 defines none; the hub adds none). Its"
                            + " HealthcareService search parameters: " + String.join(", ", names) + ".";
        } catch (Exception e) {
            return "The CapabilityStatement could not be read (" + e.getMessage() + "), so whether a language search"
                    + " exists is unknown; it is not timed.";
        }
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

    private static String serverVersion(PostgresServer postgres) {
        try (Connection c = DriverManager.getConnection(
                        postgres.jdbcUrl("postgres"), postgres.user(), postgres.password());
                Statement sql = c.createStatement();
                ResultSet version = sql.executeQuery("SHOW server_version")) {
            version.next();
            return version.getString(1);
        } catch (SQLException e) {
            return "(version unknown)";
        }
    }

    private static void log(String line) {
        System.out.println("[search] " + line);
    }
}
