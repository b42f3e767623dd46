package org.cbhealth.bench.ingestion;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.cbhealth.bench.MachineDescription;
import org.cbhealth.bench.referral.LatencyStats;

/**
 * Writes the ingestion comparison as Markdown: the setup, both servers' figures side by side, the hub/plain ratio
 * against the goal, where the hub's time goes, what differs between the two servers, and the errors.
 *
 * @param when when the run started (UTC)
 * @param command the command line of the run
 * @param commit the repository's commit when the run started
 * @param options the run's settings
 * @param machine what it ran on
 * @param database the PostgreSQL server both databases were on
 * @param hub the hub's run
 * @param plain the plain HAPI JPA server's run
 * @param jfr where the hub's request threads spent their time, or null when not recorded
 * @param loadBefore load averages before the servers started
 * @param loadAfter load averages after the measured rounds
 * @param notes anything else the reader must know
 */
record IngestionReport(
        OffsetDateTime when,
        String command,
        String commit,
        IngestionOptions options,
        MachineDescription machine,
        String database,
        ServerRun hub,
        ServerRun plain,
        JfrSummary jfr,
        String loadBefore,
        String loadAfter,
        List<String> notes) {

    static final double GOAL_RATIO = 0.8;

    /**
     * One server's run.
     *
     * @param start process start → ready
     * @param warmup the warm-up Bundles' figures
     * @param measured the measured rounds' figures
     * @param cpu CPU the server's JVM used during its measured rounds, or null when the OS does not tell
     * @param storedOrganizations the benchmark's Organizations the server holds afterwards, or null when not known
     * @param expectedOrganizations Organizations in the Bundles it answered 200 (warm-up included)
     * @param heapBytes heap in use after the run, or null when not available
     * @param rssBytes resident memory after the run, or null
     * @param peakRssBytes peak resident memory, or null
     */
    record ServerRun(
            Duration start,
            ServerFigures warmup,
            ServerFigures measured,
            Duration cpu,
            Long storedOrganizations,
            long expectedOrganizations,
            Long heapBytes,
            Long rssBytes,
            Long peakRssBytes) {

        /** CPU milliseconds per Bundle answered 200 in the measured rounds, or NaN. */
        double cpuMillisPerBundle() {
            return cpu == null || measured.succeeded() == 0 ? Double.NaN : cpu.toNanos() / 1e6 / measured.succeeded();
        }
    }

    double ratio() {
        return ServerFigures.ratio(hub.measured(), plain.measured());
    }

    void writeTo(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, markdown());
    }

    String markdown() {
        StringBuilder md = new StringBuilder();
        int groups = options.entries() / DirectoryBundles.RESOURCES_PER_GROUP;
        md.append(
                "# Ingestion: transaction Bundles through the hub's `/fhir` and through a plain HAPI FHIR JPA server\n\n");
        md.append("Written by `")
                .append(command)
                .append("` on ")
                .append(when)
                .append(" (repository at commit ")
                .append(commit)
                .append(" when the run started).\n\n");
        md.append("The same directory transaction Bundles (")
                .append(options.entries())
                .append(" entries each: ")
                .append(groups)
                .append(groups == 1 ? " group" : " groups")
                .append(" of Organization, Location, HealthcareService and Endpoint referring to each other by"
                        + " `urn:uuid`, generated from seed ")
                .append(options.seed())
                .append(", conforming to the hub's profiles) are posted to the packaged hub and to a plain HAPI FHIR"
                        + " JPA server (`bench/plain-hapi`), each a JVM of its own with `-Xmx1g`, each on a fresh"
                        + " database of the same PostgreSQL server. Only the organizations' business identifiers differ"
                        + " between the two servers. After ")
                .append(options.warmup())
                .append(" warm-up Bundles per server, the measured rounds alternate: hub, plain, hub, plain… In a"
                        + " server's round ")
                .append(options.clients())
                .append(options.clients() == 1 ? " client posts" : " clients post")
                .append(
                        " Bundles one after another as fast as they are answered, while the other server is idle."
                                + " Latency is taken in the load generator from just before the request is sent to the full"
                                + " answer; throughput counts Bundles answered 200 over the time of the server's own rounds.\n\n");
        md.append("Other processes (other engineers' builds and tests) may have been running on this shared machine at"
                        + " the same time, and PostgreSQL runs on it too. Load average (1, 5, 15 min) before the servers"
                        + " started: ")
                .append(loadBefore)
                .append("; after the measured rounds: ")
                .append(loadAfter)
                .append(".\n\n");
        md.append(machine.asMarkdown()).append('\n');

        md.append("| setting | value |\n| --- | --- |\n");
        row(md, "Bundles measured per server", options.bundles() + " in " + options.rounds() + " rounds");
        row(md, "entries per Bundle", Integer.toString(options.entries()));
        row(md, "warm-up Bundles per server (not counted)", Integer.toString(options.warmup()));
        row(md, "clients posting at once", Integer.toString(options.clients()));
        row(md, "database", database);
        row(md, "hub start (both servers starting at the same time)", seconds(hub.start()));
        row(md, "plain HAPI start (both servers starting at the same time)", seconds(plain.start()));
        row(
                md,
                "warm-up errors (hub / plain)",
                hub.warmup().errors() + " / " + plain.warmup().errors());
        md.append('\n');

        md.append("## Results\n\n");
        md.append("| figure | hub `/fhir` | plain HAPI JPA |\n| --- | --- | --- |\n");
        both(md, "Bundles posted", r -> Integer.toString(r.measured().bundles()));
        both(md, "answered 200", r -> Integer.toString(r.measured().succeeded()));
        both(md, "errors", r -> Integer.toString(r.measured().errors()));
        both(
                md,
                "time in its own rounds",
                r -> seconds(Duration.ofNanos(r.measured().elapsedNanos())));
        both(md, "**Bundles/s**", r -> format("**%.2f**", r.measured().bundlesPerSecond()));
        both(md, "resources/s", r -> format("%.1f", r.measured().resourcesPerSecond()));
        both(md, "latency per Bundle p50", r -> millis(r.measured().latency().p50Nanos()));
        both(md, "latency per Bundle p95", r -> millis(r.measured().latency().p95Nanos()));
        both(md, "latency per Bundle p99", r -> millis(r.measured().latency().p99Nanos()));
        both(md, "latency per Bundle max", r -> millis(r.measured().latency().maxNanos()));
        both(md, "CPU of the server's JVM per Bundle", r -> format("%.0f ms", r.cpuMillisPerBundle()));
        both(
                md,
                "CPU of the server's JVM per resource",
                r -> format("%.1f ms", r.cpuMillisPerBundle() / options.entries()));
        both(
                md,
                "benchmark Organizations stored / expected",
                r -> (r.storedOrganizations() == null
                                ? "unknown"
                                : r.storedOrganizations().toString()) + " / " + r.expectedOrganizations());
        both(md, "heap used after the run", r -> mebibytes(r.heapBytes(), "not measured (no actuator)"));
        both(
                md,
                "resident memory (RSS) after the run, peak",
                r -> mebibytes(r.rssBytes(), "unknown") + ", peak " + mebibytes(r.peakRssBytes(), "unknown"));
        md.append('\n');

        md.append(
                "| round | server | Bundles | time | Bundles/s | p50 | p99 |\n| --- | --- | --- | --- | --- | --- | --- |\n");
        for (int r = 0; r < options.rounds(); r++) {
            roundRow(md, r, "hub", hub.measured().rounds(), r);
            roundRow(md, r, "plain", plain.measured().rounds(), r);
        }
        md.append('\n');

        md.append("## Against the goal\n\n");
        md.append("| goal | target | measured | |\n| --- | --- | --- | --- |\n");
        double ratio = ratio();
        md.append(format(
                "| hub ingestion vs plain HAPI JPA (Bundles/s) | ≥ %.1f× | %.2f× (%.2f vs %.2f Bundles/s) | %s |%n",
                GOAL_RATIO,
                ratio,
                hub.measured().bundlesPerSecond(),
                plain.measured().bundlesPerSecond(),
                verdict(ratio)));
        md.append('\n');

        md.append("## Where the hub's time goes\n\n");
        md.append(whereTheTimeGoes());
        if (jfr != null) {
            md.append("\nJDK Flight Recorder on the hub during the measured rounds (`jcmd <pid> JFR.start"
                            + " settings=profile`, execution samples of the threads serving HTTP requests, each"
                            + " counted in the first category any frame of its stack belongs to): ")
                    .append(jfr.requestSamples())
                    .append(" request-thread samples, ")
                    .append(jfr.otherSamples())
                    .append(" samples of other threads (routes, broker, pools).\n\n");
            md.append("| where (request threads) | samples | share |\n| --- | --- | --- |\n");
            for (JfrSummary.Category category : JfrSummary.Category.values()) {
                md.append(format(
                        "| %s | %d | %.0f %% |%n",
                        category.label, jfr.byCategory().getOrDefault(category, 0), 100 * jfr.share(category)));
            }
            md.append("\n| method on top of the stack (self time, request threads) | samples |\n| --- | --- |\n");
            for (Map.Entry<String, Integer> frame : jfr.topFrames()) {
                md.append("| `")
                        .append(frame.getKey())
                        .append("` | ")
                        .append(frame.getValue())
                        .append(" |\n");
            }
            md.append("\n| first method outside the JDK on the stack (request threads) | samples |\n| --- | --- |\n");
            for (Map.Entry<String, Integer> frame : jfr.topOwnFrames()) {
                md.append("| `")
                        .append(frame.getKey())
                        .append("` | ")
                        .append(frame.getValue())
                        .append(" |\n");
            }
        }
        md.append('\n');

        md.append("## What differs between the two servers\n\n");
        md.append("Both embed HAPI FHIR 8.8 JPA (R4) with the same HAPI configuration classes (`JpaR4Config`,"
                + " `HapiJpaConfig`, Batch2, subscription channels), the same Hibernate properties (dialect"
                + " `HapiFhirPostgresDialect`, schema by `hbm2ddl.auto=update`, JDBC batch size 20, no second-level"
                + " cache), a Hikari pool of 20, JSON answers without narratives, `-Xmx1g`, and the same PostgreSQL"
                + " server.\n\n");
        md.append("- **The hub adds** what it is: every resource written, each transaction entry included, is validated"
                + " against its CBHealth profile by `ProfileValidatingInterceptor` (HAPI's instance validator on the"
                + " `fhir-profiles` support chain, national-identifier checks) before storage; the referral workflow"
                + " interceptor; Spring Security (the admin API; `/fhir` is open); Actuator and Micrometer; the"
                + " embedded Artemis broker and the Camel context with its routes (no partners configured in this"
                + " run); its conformance resources loaded into the store at start.\n");
        md.append("- **Storage settings**: the hub sets `JpaStorageSettings` explicitly (no external references, no"
                + " multiple delete, no expunge, no placeholder reference targets, referential integrity on write"
                + " and delete, alphanumeric client ids, missing fields not indexed, no reuse of cached search"
                + " results); the plain server keeps `new JpaStorageSettings()`, HAPI's defaults, which differ only in"
                + " reusing cached search results for 60 s — a setting that plain POSTs in a transaction do not"
                + " touch.\n");
        md.append(
                "- **Left out of the plain server** (it is not the hapi-fhir-jpaserver-starter itself): its tester UI,"
                        + " narratives, Elasticsearch, subscriptions being delivered, and any interceptor.\n\n");

        md.append("## Errors\n\n");
        if (hub.measured().errors()
                        + plain.measured().errors()
                        + hub.warmup().errors()
                        + plain.warmup().errors()
                == 0) {
            md.append("None: every Bundle, warm-up included, was answered 200 by both servers.\n");
        } else {
            md.append("| server | phase | count | answer |\n| --- | --- | --- | --- |\n");
            errors(md, "hub", "warm-up", hub.warmup());
            errors(md, "hub", "measured", hub.measured());
            errors(md, "plain", "warm-up", plain.warmup());
            errors(md, "plain", "measured", plain.measured());
        }
        if (!notes.isEmpty()) {
            md.append("\n## Notes\n\n");
            notes.forEach(n -> md.append("- ").append(n).append('\n'));
        }
        return md.toString();
    }

    /**
     * The CPU comparison, worked out: what the hub spends per resource beyond plain HAPI, and, from the recording,
     * how much of it is profile validation (the warm single-thread cost is in {@code bench/results/validation.md}).
     */
    String whereTheTimeGoes() {
        double hubPerResource = hub.cpuMillisPerBundle() / options.entries();
        double plainPerResource = plain.cpuMillisPerBundle() / options.entries();
        if (Double.isNaN(hubPerResource) || Double.isNaN(plainPerResource)) {
            return "The servers' CPU time was not available, so it cannot be split here.\n";
        }
        double extra = hubPerResource - plainPerResource;
        String sampled = jfr == null || jfr.requestSamples() == 0
                ? ""
                : format(
                        " By the recording below, %.0f %% of the hub's request-thread samples are in profile"
                                + " validation: about %.1f ms of CPU per resource here (%.0f %% of the difference;"
                                + " `bench/results/validation.md` has the warm single-thread cost).",
                        100 * jfr.share(JfrSummary.Category.VALIDATION),
                        jfr.share(JfrSummary.Category.VALIDATION) * hubPerResource,
                        extra > 0
                                ? Math.min(
                                        100, 100 * jfr.share(JfrSummary.Category.VALIDATION) * hubPerResource / extra)
                                : 0);
        return format(
                "The hub's JVM used %.1f ms of CPU per resource stored, the plain server's %.1f ms: the hub spends"
                        + " %.1f ms more per resource (%.1f× as much).%s PostgreSQL's own CPU is not counted in"
                        + " either figure.%n",
                hubPerResource, plainPerResource, extra, hubPerResource / plainPerResource, sampled);
    }

    static String verdict(double ratio) {
        if (Double.isNaN(ratio)) {
            return "not measured";
        }
        if (ratio >= GOAL_RATIO) {
            return "met";
        }
        return format(
                "missed by %.0f %% (the hub would need %.1f× its throughput)",
                100 * (GOAL_RATIO - ratio) / GOAL_RATIO, GOAL_RATIO / ratio);
    }

    private void both(StringBuilder md, String label, Function<ServerRun, String> value) {
        md.append("| ")
                .append(label)
                .append(" | ")
                .append(value.apply(hub))
                .append(" | ")
                .append(value.apply(plain))
                .append(" |\n");
    }

    private static void roundRow(StringBuilder md, int round, String server, List<RoundResult> rounds, int index) {
        if (index >= rounds.size()) {
            return;
        }
        RoundResult r = rounds.get(index);
        LatencyStats latency = LatencyStats.of(r.latencyNanos());
        md.append(format(
                "| %d | %s | %d | %s | %.2f | %s | %s |%n",
                round + 1,
                server,
                r.bundles(),
                seconds(Duration.ofNanos(r.elapsedNanos())),
                r.elapsedNanos() == 0 ? 0 : r.succeeded() * 1e9 / r.elapsedNanos(),
                millis(latency.p50Nanos()),
                millis(latency.p99Nanos())));
    }

    private static void errors(StringBuilder md, String server, String phase, ServerFigures figures) {
        figures.errorCounts().forEach((text, count) -> md.append("| ")
                .append(server)
                .append(" | ")
                .append(phase)
                .append(" | ")
                .append(count)
                .append(" | ")
                .append(text.replace("|", "\\|"))
                .append(" |\n"));
    }

    private static void row(StringBuilder md, String label, String value) {
        md.append("| ").append(label).append(" | ").append(value).append(" |\n");
    }

    static String seconds(Duration duration) {
        return duration == null ? "unknown" : format("%.1f s", duration.toMillis() / 1000.0);
    }

    static String millis(long nanos) {
        return format("%.1f ms", nanos / 1e6);
    }

    private static String mebibytes(Long bytes, String otherwise) {
        return bytes == null ? otherwise : bytes / (1024 * 1024) + " MiB";
    }

    private static String format(String pattern, Object... args) {
        return String.format(Locale.ROOT, pattern, args);
    }
}
