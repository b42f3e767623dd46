package org.cbhealth.bench.directoryimport;

import java.time.Duration;

/**
 * What one import of the export did and cost: the hub's report of the batch, what the FHIR store shows afterwards,
 * and the time, CPU and memory it took.
 *
 * @param name the phase ("first import", "unchanged re-import", "one row changed")
 * @param rows rows in the dropped export
 * @param created the report's count of records created
 * @param updated records updated
 * @param unchanged records found unchanged and not written
 * @param deactivated records deactivated
 * @param rejected refused parts
 * @param unmapped unmapped codes
 * @param provenanceId the Provenance the batch wrote, or null when it wrote none
 * @param newVersions versions of the partner's HealthcareServices written during the phase, counted with
 *     {@code HealthcareService/_history?_since=<drop>} (independent of the report)
 * @param newProvenances Provenances of the partner's channel added during the phase ({@code _summary=count})
 * @param servicesAfter the partner's HealthcareServices after the phase ({@code _summary=count})
 * @param wall from the file's move into the inbox to the hub's file route moving it to {@code .done/}, which it does
 *     once the import is over
 * @param inImporter the report's own start to end: the importer's part, after the file was read and translated
 * @param secondHalfRowsPerSecond rows per second over the second half of the import, from the report's progress
 *     (the hub's JIT compiler warm by then); null when the progress was not seen
 * @param hubCpu CPU time the hub's JVM used during the phase (all threads); null when the OS does not tell
 * @param heapPeakBytes the hub's largest heap in use, sampled every second; null when unreadable
 * @param loadBefore the machine's load averages before the drop
 * @param loadAfter the same after the report said done
 */
public record ImportPhase(
        String name,
        int rows,
        int created,
        int updated,
        int unchanged,
        int deactivated,
        int rejected,
        int unmapped,
        String provenanceId,
        int newVersions,
        int newProvenances,
        long servicesAfter,
        Duration wall,
        Duration inImporter,
        Double secondHalfRowsPerSecond,
        Duration hubCpu,
        Long heapPeakBytes,
        String loadBefore,
        String loadAfter) {

    /** Rows of the export handled per second, drop to done. */
    public double rowsPerSecond() {
        return rows / seconds(wall);
    }

    /** Resources written (new HealthcareService versions and Provenances) per second, drop to done. */
    public double resourcesPerSecond() {
        return (newVersions + newProvenances) / seconds(wall);
    }

    /** Whether the phase wrote anything: a version, a Provenance, or a count of created, updated or deactivated. */
    public boolean wroteAnything() {
        return created + updated + deactivated + newVersions + newProvenances > 0 || provenanceId != null;
    }

    static double seconds(Duration d) {
        return Math.max(1, d.toNanos()) / 1e9;
    }
}
