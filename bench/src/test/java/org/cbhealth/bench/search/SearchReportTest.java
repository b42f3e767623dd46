package org.cbhealth.bench.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.cbhealth.bench.MachineDescription;
import org.cbhealth.bench.referral.LatencyStats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SearchReportTest {

    private static final long MS = 1_000_000L;

    private static SearchReport report(DirectoryLoader.LoadFigures load, String... reuse) {
        return report(load, reuse.length == 0 ? List.of() : List.of("--reuse-database", reuse[0]));
    }

    private static SearchReport report(DirectoryLoader.LoadFigures load, List<String> args) {
        return new SearchReport(
                OffsetDateTime.parse("2026-11-25T10:00:00Z"),
                "java -jar bench/target/cbhealth-bench.jar search",
                "abc1234",
                SearchBenchmarkOptions.parse(args, Path.of("bench", "results")),
                new MachineDescription(2, 8L << 30, "Test CPU", "Linux", "JDK 17"),
                "PostgreSQL 16 on 127.0.0.1:5432",
                Duration.ofMillis(45_300),
                new DirectoryGenerator.Totals(
                        100_000, 12_500, 62_500, Map.of(), Map.of(), Map.of(), Map.of(), Map.of()),
                load,
                512L << 20,
                20,
                List.of(
                        new SearchRunner.TypeFigures(
                                "specialty, system and code",
                                "specialty=a%7Cb",
                                26,
                                26,
                                2100,
                                2600,
                                0,
                                0,
                                new LatencyStats(200, 12 * MS, 30 * MS, 44 * MS, 60 * MS)),
                        new SearchRunner.TypeFigures(
                                "include",
                                "specialty=a%7Cb&location.address-country=BG&_include=HealthcareService:organization",
                                286,
                                0,
                                150,
                                260,
                                20,
                                40,
                                new LatencyStats(200, 40 * MS, 80 * MS, 95 * MS, 120 * MS))),
                700L << 20,
                1100L << 20,
                "1.00, 1.50, 2.00",
                "2.50, 2.00, 1.90",
                List.of("Search by language is not timed."));
    }

    @Test
    void shouldSayWhoSearchedAndWhetherEveryInteractionWasAudited() {
        assertThat(report(null, List.of()).markdown())
                .contains("| searches by | the integrator (HTTP Basic; consent skipped) |")
                .contains("| every `/fhir` interaction audited (IHE BALP AuditEvent) | yes (the default) |");
        assertThat(report(null, List.of("--as", "partner", "--no-rest-audit")).markdown())
                .contains("| searches by | a partner system (OAuth access token; consent checked on searches with"
                        + " `_include`) |")
                .contains("| every `/fhir` interaction audited (IHE BALP AuditEvent) | no (`--no-rest-audit`) |");
    }

    @Test
    void shouldSayByHowMuchTheGoalIsMetOrMissed() {
        assertThat(SearchReport.verdict(30.0)).isEqualTo("met, 20.0 ms to spare");
        assertThat(SearchReport.verdict(80.0)).isEqualTo("missed by 30.0 ms (1.60× the goal)");
        assertThat(SearchReport.verdict(50.0)).startsWith("missed by 0.0 ms");
    }

    @Test
    void shouldJudgeTheGoalByTheWorstP95() {
        String md = report(new DirectoryLoader.LoadFigures(100_000, 250, 50, 2, Duration.ofSeconds(400)))
                .markdown();
        assertThat(md)
                .contains("# Directory search at 100,000 resources")
                .contains("| search p95 < 50 ms at 100,000 resources | worst p95 80.0 ms (include) at 100,000"
                        + " resources | missed by 30.0 ms (1.60× the goal) |")
                .contains("| … specialty, system and code | p95 30.0 ms | met, 20.0 ms to spare |");
    }

    @Test
    void shouldReportTheLoadThroughputBesideTheImportGoal() {
        String md = report(new DirectoryLoader.LoadFigures(100_000, 250, 50, 2, Duration.ofSeconds(400)))
                .markdown();
        assertThat(md)
                .contains("250 transaction Bundles of 50 units (400 entries) each, 2 posted at once: 100,000 resources"
                        + " in 400.0 s, **250 resources/s**")
                .contains("| 250 resources/s | missed: 0.25× the goal |");
    }

    @Test
    void shouldTableEachSearchTypeWithCountsAndPercentiles() {
        String md = report(null, "db1").markdown();
        assertThat(md)
                .contains("| specialty, system and code | `specialty=a\\|b` | 26 | 26 | 2,100–2,600 | – | 200 | 12.0 ms"
                        + " | 30.0 ms | 44.0 ms | 60.0 ms |")
                .contains("| 20–40 | 200 | 40.0 ms | 80.0 ms | 95.0 ms | 120.0 ms |")
                .contains("| HealthcareService | 62,500 |")
                .contains("| database size (`pg_database_size`) | 512 MiB |")
                .contains("heap in use 700 MiB, resident memory 1,100 MiB")
                .contains("| load average (1, 5, 15 min) before | 1.00, 1.50, 2.00 |");
    }

    @Test
    void shouldSayWhenTheLoadWasNotMeasured() {
        assertThat(report(null, "db1").markdown())
                .contains("Not measured in this run: it reused the database `db1`")
                .doesNotContain("resources/s");
    }

    @Test
    void shouldWriteTheFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("results").resolve("search.md");
        report(null, "db1").writeTo(file);
        assertThat(Files.readString(file)).contains("## Searches").contains("- Search by language is not timed.");
    }
}
