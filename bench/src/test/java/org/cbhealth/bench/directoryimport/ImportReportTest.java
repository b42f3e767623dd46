package org.cbhealth.bench.directoryimport;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.cbhealth.bench.MachineDescription;
import org.junit.jupiter.api.Test;

class ImportReportTest {

    private static final MachineDescription MACHINE =
            new MachineDescription(2, 8L << 30, "Test CPU", "Linux 6 amd64", "OpenJDK 17");

    private static ImportPhase phase(String name, int created, int updated, int unchanged, int versions, int prov) {
        return new ImportPhase(
                name,
                1000,
                created,
                updated,
                unchanged,
                0,
                0,
                40,
                prov > 0 ? "Provenance/7" : null,
                versions,
                prov,
                1000,
                Duration.ofSeconds(8),
                Duration.ofSeconds(6),
                130.0,
                Duration.ofMillis(9_500),
                300L << 20,
                "1.00, 2.00, 3.00",
                "1.50, 2.00, 3.00");
    }

    private static ImportReport report(List<ImportPhase> phases) {
        List<ImportReport.Check> checks = new ArrayList<>();
        for (int i = 0; i < phases.size(); i++) {
            checks.addAll(ImportReport.checksOf(phases.get(i), i + 1, 1000));
        }
        return new ImportReport(
                OffsetDateTime.parse("2026-11-25T12:00:00Z"),
                "java -jar bench/target/cbhealth-bench.jar import --rows 1000",
                "abc1234",
                MACHINE,
                "PostgreSQL 15",
                Duration.ofSeconds(30),
                1000,
                20260517L,
                120_000,
                501,
                phases,
                checks,
                400L << 20,
                1200L << 20,
                null);
    }

    @Test
    void shouldWriteOneRowPerImportWithTheFiguresAndPassWhenNothingWasWrittenAgain() {
        ImportReport report = report(List.of(
                phase("first import", 1000, 0, 0, 1000, 1),
                phase("unchanged re-import", 0, 0, 1000, 0, 0),
                phase("one row changed", 0, 1, 999, 1, 1)));

        String md = report.markdown();

        assertThat(report.failures()).isEmpty();
        List<String> table =
                md.lines().dropWhile(l -> !l.startsWith("| phase |")).limit(5).toList();
        assertThat(table).allSatisfy(row -> assertThat(row.split("\\|", -1)).hasSize(22));
        assertThat(md)
                .contains("| first import | 1000 | 1000 | 0 | 0 | 0 | 0 | 40 | 1000 | 1 | 8.0 s | 6.0 s | 125 | 125 |"
                        + " 130 | 9.5 s | 9.5 ms | 300 MiB | 1.00, 2.00, 3.00 | 1.50, 2.00, 3.00 |")
                .contains("| unchanged re-import | 1000 | 0 | 0 | 1000 | 0 | 0 | 40 | 0 | 0 | 8.0 s |")
                .contains("| directory import ≥ 1,000 records/s | first import of 1,000 rows: 125 rows/s, drop to"
                        + " done | missed: 0.13× the goal |")
                .contains("| re-import of an unchanged export writes nothing | 0 new versions, 0 new Provenances;"
                        + " report: 0 created, 0 updated, 1,000 unchanged | met |")
                .contains("All checks passed.");
    }

    @Test
    void shouldTakeTheSecondHalfRateFromTheFirstProgressAtHalfTheRows() {
        long s = 1_000_000_000L;
        List<long[]> progress =
                List.of(new long[] {0, 0}, new long[] {2 * s, 400}, new long[] {4 * s, 520}, new long[] {6 * s, 800});
        assertThat(ImportBenchmark.secondHalf(progress, 1000, 8 * s)).isEqualTo(120.0);
        assertThat(ImportBenchmark.secondHalf(List.of(new long[] {s, 1000}), 1000, 2 * s))
                .isNull();
        assertThat(ImportBenchmark.secondHalf(List.of(), 1000, 2 * s)).isNull();
    }

    @Test
    void shouldFailWhenTheUnchangedReImportWroteAVersion() {
        ImportReport report = report(
                List.of(phase("first import", 1000, 0, 0, 1000, 1), phase("unchanged re-import", 0, 1, 999, 1, 1)));

        assertThat(report.failures())
                .extracting(c -> c.what() + ": " + c.expected() + " / " + c.measured())
                .containsExactly(
                        "created, updated, unchanged: 0, 0, 1000 / 0, 1, 999",
                        "new versions (`_history`): 0 / 1",
                        "new Provenance: 0 / 1",
                        "Provenance in the report: none / one");
        assertThat(report.markdown())
                .contains("| re-import of an unchanged export writes nothing | 1 new versions, 1 new Provenances;"
                        + " report: 0 created, 1 updated, 999 unchanged | **FAILED** |")
                .contains("**4 check(s) failed**");
    }
}
