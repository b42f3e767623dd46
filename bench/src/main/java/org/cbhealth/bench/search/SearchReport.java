package org.cbhealth.bench.search;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;
import org.cbhealth.bench.MachineDescription;
import org.cbhealth.bench.referral.LatencyStats;

/**
 * The Markdown result of a directory search run: what was run on which machine and database, the generated
 * directory, how fast it was loaded through {@code /fhir}, the database's size, and per search type the latency
 * percentiles and result counts, beside the goal (search p95 &lt; 50 ms at 100,000 resources on 2 cores).
 *
 * @param when when the run started (UTC)
 * @param command the command line
 * @param hubCommit the repository's commit, or "unknown"
 * @param options the run's settings
 * @param machine the machine
 * @param database which database the hub stored in
 * @param hubStart process start → health UP
 * @param totals the generated directory, counted
 * @param load the load through {@code /fhir}; null when an already loaded database was reused
 * @param databaseBytes {@code pg_database_size} after the load; null on H2 or when unreadable
 * @param pageSize the {@code _count} of every timed search
 * @param types the figures per search type
 * @param heapUsedBytes the hub's heap in use after the searches; null when unreadable
 * @param rssBytes the hub's resident memory after the searches; null when unreadable
 * @param loadBefore the machine's load averages before the hub started
 * @param loadAfter the same after the searches
 * @param notes what else the reader must know
 */
public record SearchReport(
        OffsetDateTime when,
        String command,
        String hubCommit,
        SearchBenchmarkOptions options,
        MachineDescription machine,
        String database,
        Duration hubStart,
        DirectoryGenerator.Totals totals,
        DirectoryLoader.LoadFigures load,
        Long databaseBytes,
        int pageSize,
        List<SearchRunner.TypeFigures> types,
        Long heapUsedBytes,
        Long rssBytes,
        String loadBefore,
        String loadAfter,
        List<String> notes) {

    /** The goal from the brief: search p95 below this many milliseconds at 100,000 resources. */
    public static final double GOAL_P95_MILLIS = 50;

    public String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("# Directory search at ")
                .append(format("%,d", totals.resources()))
                .append(" resources\n\n");
        md.append("Written by `")
                .append(command)
                .append("` on ")
                .append(when)
                .append(" (commit ")
                .append(hubCommit)
                .append("). The hub ran as its own JVM (`-Xmx1g`) on the same machine as this client, which is shared"
                        + " with other builds: the load averages below say how busy it was.\n\n");
        md.append(machine.asMarkdown());
        md.append("| load average (1, 5, 15 min) before | ").append(loadBefore).append(" |\n");
        md.append("| load average after | ").append(loadAfter).append(" |\n");
        md.append("| database | ").append(database).append(" |\n");
        md.append("| searches by | ")
                .append(
                        options.caller() == SearchBenchmarkOptions.Caller.PARTNER
                                ? "a partner system (OAuth access token; consent checked on searches with `_include`)"
                                : "the integrator (HTTP Basic; consent skipped)")
                .append(" |\n");
        md.append("| every `/fhir` interaction audited (IHE BALP AuditEvent) | ")
                .append(options.restAudit() ? "yes (the default)" : "no (`--no-rest-audit`)")
                .append(" |\n");
        md.append("| hub start (process → health UP) | ")
                .append(seconds(hubStart))
                .append(" |\n\n");

        md.append("## Goal\n\n");
        md.append("| goal | measured | |\n| --- | --- | --- |\n");
        SearchRunner.TypeFigures worst = types.stream()
                .max((a, b) -> Long.compare(a.latency().p95Nanos(), b.latency().p95Nanos()))
                .orElseThrow();
        double worstP95 = worst.latency().p95Nanos() / 1e6;
        md.append(format(
                "| search p95 < %.0f ms at 100,000 resources | worst p95 %.1f ms (%s) at %,d resources | %s |%n",
                GOAL_P95_MILLIS, worstP95, worst.type(), totals.resources(), verdict(worstP95)));
        for (SearchRunner.TypeFigures type : types) {
            double p95 = type.latency().p95Nanos() / 1e6;
            md.append(format("| … %s | p95 %.1f ms | %s |%n", type.type(), p95, verdict(p95)));
        }
        if (load != null) {
            md.append(format(
                    "| (directory import ≥ 1,000 records/s; here transaction Bundles on `/fhir`, not the CSV route) |"
                            + " %.0f resources/s | %s |%n",
                    load.resourcesPerSecond(),
                    load.resourcesPerSecond() >= 1000
                            ? "met"
                            : format("missed: %.2f× the goal", load.resourcesPerSecond() / 1000)));
        }
        md.append('\n');

        md.append("## The directory\n\n");
        md.append("Synthetic, from seed ")
                .append(options.seed())
                .append(": each unit is one hospital of BG, MK, SI, AT, UA, PL, LT, LV, EE, RU or BY — an Organization"
                        + " named in its country's script, a Location with `address.country`, a FHIR Endpoint and "
                        + DirectoryGenerator.SERVICES_PER_UNIT
                        + " HealthcareServices, each with one shared `cbh-specialty` code, a name in the country's"
                        + " language (Cyrillic for BG, MK, UA, RU, BY), the country's languages in `communication`,"
                        + " the cross-border referral extension, the location and the endpoint. Every resource passed"
                        + " the hub's profile validation on write. No PractitionerRoles.\n\n");
        md.append("| resources | count |\n| --- | --- |\n");
        md.append(format("| Organization | %,d |%n", totals.organizations()));
        md.append(format("| Location | %,d |%n", totals.organizations()));
        md.append(format("| Endpoint | %,d |%n", totals.organizations()));
        md.append(format("| HealthcareService | %,d |%n", totals.services()));
        md.append(format("| **total** | **%,d** |%n", totals.resources()));
        md.append(format("| database size (`pg_database_size`) | %s |%n%n", mib(databaseBytes)));

        md.append("## Load through `/fhir`\n\n");
        if (load == null) {
            md.append("Not measured in this run: it reused the database `")
                    .append(options.reuseDatabase())
                    .append("`, loaded by an earlier run (`--keep-data`) with the same seed and size.\n\n");
        } else {
            md.append(format(
                    "%,d transaction Bundles of %d units (%d entries) each, %d posted at once: %,d resources in %s,"
                            + " **%.0f resources/s** (each validated against its profile, stored and indexed).%n%n",
                    load.bundles(),
                    load.unitsPerBundle(),
                    load.unitsPerBundle() * DirectoryGenerator.UNIT_SIZE,
                    load.posters(),
                    load.resources(),
                    seconds(load.elapsed()),
                    load.resourcesPerSecond()));
        }

        md.append("## Searches\n\n");
        md.append(format(
                "`GET /fhir/HealthcareService?…&_count=%d`, %d client(s) at once; per type %d untimed warm-up searches,"
                        + " then %d timed ones, cycling through the type's values. Latency is from sending the request"
                        + " to having read the whole answer. Before timing, `_summary=count` of every value (except"
                        + " the `_include` searches) had to equal the generator's own total; during timing, every first"
                        + " page had to hold min(%d, total) matches, and the `_include` searches included resources.%n%n",
                pageSize, options.concurrency(), options.warmup(), options.queries(), pageSize));
        md.append("| search | example | values | totals checked | matches per value | included per page | searches"
                + " | p50 | p95 | p99 | max |\n");
        md.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        for (SearchRunner.TypeFigures type : types) {
            LatencyStats l = type.latency();
            md.append(format(
                    "| %s | `%s` | %d | %d | %,d–%,d | %s | %d | %s | %s | %s | %s |%n",
                    type.type(),
                    URLDecoder.decode(type.exampleQuery(), StandardCharsets.UTF_8)
                            .replace("|", "\\|"),
                    type.values(),
                    type.countsVerified(),
                    type.minExpected(),
                    type.maxExpected(),
                    type.maxIncluded() == 0 ? "–" : type.minIncluded() + "–" + type.maxIncluded(),
                    l.count(),
                    millis(l.p50Nanos()),
                    millis(l.p95Nanos()),
                    millis(l.p99Nanos()),
                    millis(l.maxNanos())));
        }
        md.append('\n');
        md.append(format(
                "The hub after the searches: heap in use %s, resident memory %s.%n%n",
                mib(heapUsedBytes), mib(rssBytes)));
        if (!notes.isEmpty()) {
            md.append("## Notes\n\n");
            notes.forEach(n -> md.append("- ").append(n).append('\n'));
            md.append('\n');
        }
        return md.toString();
    }

    public void writeTo(Path file) throws IOException {
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        Files.writeString(file, markdown(), StandardCharsets.UTF_8);
    }

    /** "met, 12.3 ms to spare" or "missed by 30.0 ms (1.60× the goal)". */
    static String verdict(double p95Millis) {
        return p95Millis < GOAL_P95_MILLIS
                ? format("met, %.1f ms to spare", GOAL_P95_MILLIS - p95Millis)
                : format(
                        "missed by %.1f ms (%.2f× the goal)", p95Millis - GOAL_P95_MILLIS, p95Millis / GOAL_P95_MILLIS);
    }

    static String millis(long nanos) {
        return format("%.1f ms", nanos / 1e6);
    }

    static String seconds(Duration duration) {
        return duration == null ? "unknown" : format("%.1f s", duration.toNanos() / 1e9);
    }

    static String mib(Long bytes) {
        return bytes == null ? "unknown" : format("%,d MiB", bytes / (1024 * 1024));
    }

    private static String format(String pattern, Object... args) {
        return String.format(Locale.ROOT, pattern, args);
    }
}
