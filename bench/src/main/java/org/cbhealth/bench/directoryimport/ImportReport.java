package org.cbhealth.bench.directoryimport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.cbhealth.bench.MachineDescription;

/**
 * The Markdown result of a directory import run: the machine and database, the export, one row per import (first,
 * unchanged, one row changed) with the report's counts, the versions and Provenances the FHIR store gained, time,
 * throughput, hub CPU and heap, the goals, and every check with its expected and measured value.
 *
 * @param when when the run started (UTC)
 * @param command the command line
 * @param commit the repository's commit, or "unknown"
 * @param machine the machine
 * @param database which database the hub stored in
 * @param hubStart process start → health UP and the partner's route started
 * @param rows rows of the export
 * @param seed the generator's seed
 * @param exportBytes size of the export file
 * @param changedRow the row whose phone number the third export changes
 * @param phases the three imports, in order
 * @param checks what was checked after each import
 * @param heapAfterBytes the hub's heap in use after the last import; null when unreadable
 * @param rssPeakBytes the hub's peak resident memory ({@code VmHWM}); null when unreadable
 * @param databaseBytes {@code pg_database_size} after the run; null on H2 or when unreadable
 */
public record ImportReport(
        OffsetDateTime when,
        String command,
        String commit,
        MachineDescription machine,
        String database,
        Duration hubStart,
        int rows,
        long seed,
        long exportBytes,
        int changedRow,
        List<ImportPhase> phases,
        List<Check> checks,
        Long heapAfterBytes,
        Long rssPeakBytes,
        Long databaseBytes) {

    /** The goal of issue 9 for the directory import. */
    public static final double GOAL_RECORDS_PER_SECOND = 1000;

    /** One thing the run checked, with the value it expected and the one it found. */
    public record Check(String phase, String what, String expected, String measured) {
        public boolean ok() {
            return expected.equals(measured);
        }
    }

    /** The checks that failed. */
    public List<Check> failures() {
        return checks.stream().filter(c -> !c.ok()).toList();
    }

    public String markdown() {
        StringBuilder md = new StringBuilder();
        md.append(format("# Directory import of a %,d-row CSV export%n%n", rows));
        md.append("Written by `")
                .append(command)
                .append("` on ")
                .append(when)
                .append(" (commit ")
                .append(commit)
                .append("). The hub ran as its own JVM (`-Xmx1g`) on the same machine as this benchmark and the"
                        + " database, which may be shared with other work: the load averages say how busy it was.\n\n");
        md.append(machine.asMarkdown());
        md.append("| database | ").append(database).append(" |\n");
        md.append("| hub start (process → health UP, partner's route started) | ")
                .append(seconds(hubStart))
                .append(" |\n\n");

        ImportPhase first = phases.get(0);
        md.append("## Goals\n\n| goal | measured | |\n| --- | --- | --- |\n");
        md.append(format(
                "| directory import ≥ 1,000 records/s | first import of %,d rows: %.0f rows/s, drop to done |"
                        + " %s |%n",
                rows,
                first.rowsPerSecond(),
                first.rowsPerSecond() >= GOAL_RECORDS_PER_SECOND
                        ? "met"
                        : format("missed: %.2f× the goal", first.rowsPerSecond() / GOAL_RECORDS_PER_SECOND)));
        if (phases.size() > 1) {
            ImportPhase same = phases.get(1);
            md.append(format(
                    "| re-import of an unchanged export writes nothing | %d new versions, %d new Provenances;"
                            + " report: %d created, %d updated, %,d unchanged | %s |%n",
                    same.newVersions(),
                    same.newProvenances(),
                    same.created(),
                    same.updated(),
                    same.unchanged(),
                    same.wroteAnything() ? "**FAILED**" : "met"));
        }
        if (phases.size() > 2) {
            ImportPhase changed = phases.get(2);
            boolean one = changed.newVersions() == 1 && changed.updated() == 1 && changed.created() == 0;
            md.append(format(
                    "| a changed record produces one new version | %d new version(s), report: %d updated | %s |%n",
                    changed.newVersions(), changed.updated(), one ? "met" : "**FAILED**"));
        }
        md.append('\n');

        md.append("## Imports\n\n");
        md.append("Each export is written to a hidden file in the partner's inbox and moved into place, as a partner's"
                + " transfer would; the clock runs from that move until the hub's file route has moved the file to"
                + " `.done/` (which it does once the import is over and its report says `done`), watched on the file"
                + " system every 50 ms. It includes the file route's pick-up (a poll every 500 ms and a"
                + " `readLock=changed` check of 500 ms). *In the importer* is the report's own start to end, which"
                + " begins after the file was read and translated. *New versions* are counted in the FHIR store, not"
                + " taken from the report: `HealthcareService/_history?_since=<the drop>`, the partner's entries."
                + " Resources/s counts those versions and the new Provenance. *Rows/s, second half* is read from the"
                + " report's progress (`processed`, asked every 5 s: each admin API call costs the hub a bcrypt check"
                + " of the password): from the first look at half the rows or more to the end, when the hub's JIT"
                + " compiler has warmed up; \"–\" when no look fell in the second half.\n\n");
        md.append("| phase | rows | created | updated | unchanged | deactivated | rejected | unmapped | new versions"
                + " | new Provenance | drop → done | in the importer | rows/s | resources/s | rows/s, second half | hub CPU"
                + " | hub CPU per row | heap peak | load before | load after |\n");
        md.append("|").append(" --- |".repeat(20)).append('\n');
        for (ImportPhase p : phases) {
            md.append(format(
                    "| %s | %d | %d | %d | %d | %d | %d | %d | %d | %d | %s | %s | %.0f | %.0f | %s | %s | %s | %s | %s | %s"
                            + " |%n",
                    p.name(),
                    p.rows(),
                    p.created(),
                    p.updated(),
                    p.unchanged(),
                    p.deactivated(),
                    p.rejected(),
                    p.unmapped(),
                    p.newVersions(),
                    p.newProvenances(),
                    seconds(p.wall()),
                    seconds(p.inImporter()),
                    p.rowsPerSecond(),
                    p.resourcesPerSecond(),
                    p.secondHalfRowsPerSecond() == null ? "–" : format("%.0f", p.secondHalfRowsPerSecond()),
                    p.hubCpu() == null ? "unknown" : seconds(p.hubCpu()),
                    p.hubCpu() == null
                            ? "unknown"
                            : format("%.1f ms", p.hubCpu().toNanos() / 1e6 / p.rows()),
                    mib(p.heapPeakBytes()),
                    p.loadBefore(),
                    p.loadAfter()));
        }
        md.append('\n');
        md.append(format(
                "The hub after the last import: heap in use %s; peak resident memory (`VmHWM`) %s. Database size"
                        + " (`pg_database_size`) after the run: %s.%n%n",
                mib(heapAfterBytes), mib(rssPeakBytes), mib(databaseBytes)));

        md.append("## The export\n\n");
        md.append(format(
                "%,d rows, %,d bytes, UTF-8, `;`-separated, Bulgarian headers, from seed %d (`DepartmentExport`): one"
                        + " department per row (code `DEP-00001` …), named in Cyrillic (odd rows) or Latin script (even"
                        + " rows), with an NHIF specialty code; every %dth row has a code the partner's ConceptMap"
                        + " does not map (kept as the partner's coding, counted as unmapped). Each row becomes one"
                        + " `cbh-healthcareservice`, validated against its profile when stored. The third export"
                        + " differs from the first in row %d's phone number only.%n%n",
                rows, exportBytes, seed, DepartmentExport.UNMAPPED_EVERY, changedRow));

        md.append("## Checks\n\n| after | what | expected | measured | |\n| --- | --- | --- | --- | --- |\n");
        for (Check c : checks) {
            md.append(format(
                    "| %s | %s | %s | %s | %s |%n",
                    c.phase(), c.what(), c.expected(), c.measured(), c.ok() ? "ok" : "**FAILED**"));
        }
        md.append('\n');
        List<Check> failed = failures();
        md.append(
                failed.isEmpty()
                        ? "All checks passed.\n"
                        : format("**%d check(s) failed**; the run exits with status 1.%n", failed.size()));
        return md.toString();
    }

    public void writeTo(Path file) throws IOException {
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        Files.writeString(file, markdown(), StandardCharsets.UTF_8);
    }

    /** The checks of one phase against what an import of {@code rows} rows must show. */
    static List<Check> checksOf(ImportPhase p, int ordinal, int rows) {
        int unmapped = rows / DepartmentExport.UNMAPPED_EVERY;
        List<Check> checks = new ArrayList<>();
        switch (ordinal) {
            case 1 -> {
                checks.add(check(p, "created, updated, unchanged", rows + ", 0, 0", counts(p)));
                checks.add(check(p, "HealthcareServices of the partner", rows, p.servicesAfter()));
                checks.add(check(p, "new versions (`_history`)", rows, p.newVersions()));
                checks.add(check(p, "new Provenance", 1, p.newProvenances()));
            }
            case 2 -> {
                checks.add(check(p, "created, updated, unchanged", "0, 0, " + rows, counts(p)));
                checks.add(check(p, "new versions (`_history`)", 0, p.newVersions()));
                checks.add(check(p, "new Provenance", 0, p.newProvenances()));
                checks.add(check(p, "Provenance in the report", "none", p.provenanceId() == null ? "none" : "one"));
            }
            default -> {
                checks.add(check(p, "created, updated, unchanged", "0, 1, " + (rows - 1), counts(p)));
                checks.add(check(p, "new versions (`_history`)", 1, p.newVersions()));
                checks.add(check(p, "new Provenance", 1, p.newProvenances()));
            }
        }
        checks.add(check(p, "deactivated, rejected", "0, 0", p.deactivated() + ", " + p.rejected()));
        checks.add(check(p, "unmapped codes", unmapped, p.unmapped()));
        return checks;
    }

    private static String counts(ImportPhase p) {
        return p.created() + ", " + p.updated() + ", " + p.unchanged();
    }

    private static Check check(ImportPhase p, String what, Object expected, Object measured) {
        return new Check(p.name(), what, String.valueOf(expected), String.valueOf(measured));
    }

    static String seconds(Duration d) {
        return d == null ? "unknown" : format("%.1f s", d.toNanos() / 1e9);
    }

    static String mib(Long bytes) {
        return bytes == null ? "unknown" : format("%.0f MiB", bytes / (1024.0 * 1024.0));
    }

    private static String format(String pattern, Object... args) {
        return String.format(Locale.ROOT, pattern, args);
    }
}
