package org.cbhealth.bench.ingestion;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.cbhealth.bench.MachineDescription;
import org.junit.jupiter.api.Test;

class IngestionReportTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void shouldPutBothServersSideBySideWithTheRatioAgainstTheGoal() {
        String md = report(4, 16, null).markdown();

        assertThat(md)
                .contains("| **Bundles/s** | **4.00** | **16.00** |")
                .contains("| resources/s | 80.0 | 320.0 |")
                .contains("| latency per Bundle p50 | 250.0 ms | 62.0 ms |")
                .contains("| hub ingestion vs plain HAPI JPA (Bundles/s) | ≥ 0.8× | 0.25× (4.00 vs 16.00 Bundles/s) |"
                        + " missed by 69 % (the hub would need 3.2× its throughput) |")
                .contains("| benchmark Organizations stored / expected | 25 / 25 | 85 / 85 |")
                .contains("| heap used after the run | 300 MiB | not measured (no actuator) |")
                .contains("| 1 | hub | 4 | 1.0 s | 4.00 | 250.0 ms | 250.0 ms |")
                .contains("| cores | 2 |")
                .contains("None: every Bundle, warm-up included, was answered 200 by both servers.");
    }

    @Test
    void shouldSplitTheCpuDifferenceAndAttributeValidationByTheRecording() {
        // hub 4 Bundles × 20 resources in 2 s of CPU = 25 ms per resource; plain 16 × 20 in 1.6 s = 5 ms
        String withoutRecording = report(4, 16, null).whereTheTimeGoes();

        assertThat(withoutRecording)
                .contains("The hub's JVM used 25.0 ms of CPU per resource stored, the plain server's 5.0 ms")
                .contains("spends 20.0 ms more per resource (5.0× as much).")
                .doesNotContain("By the recording");

        // 7 of 10 request-thread samples in validation: 17.5 of the hub's 25 ms, 88 % of the 20 ms difference
        JfrSummary jfr = new JfrSummary(
                10,
                3,
                Map.of(
                        JfrSummary.Category.VALIDATION, 7,
                        JfrSummary.Category.STORAGE, 2,
                        JfrSummary.Category.PARSING, 0,
                        JfrSummary.Category.OTHER, 1),
                List.of(),
                List.of());
        assertThat(report(4, 16, jfr).whereTheTimeGoes())
                .contains("70 % of the hub's request-thread samples are in profile validation: about 17.5 ms of CPU"
                        + " per resource here (88 % of the difference;");
    }

    @Test
    void shouldSayTheGoalIsMetAtOrAboveEightyPercent() {
        assertThat(IngestionReport.verdict(0.8)).isEqualTo("met");
        assertThat(IngestionReport.verdict(0.4)).isEqualTo("missed by 50 % (the hub would need 2.0× its throughput)");
        assertThat(IngestionReport.verdict(Double.NaN)).isEqualTo("not measured");
    }

    @Test
    void shouldListErrorsAndTheRecordingWhenThereAreAny() {
        JfrSummary jfr = new JfrSummary(
                10,
                3,
                Map.of(
                        JfrSummary.Category.VALIDATION, 7,
                        JfrSummary.Category.STORAGE, 2,
                        JfrSummary.Category.PARSING, 0,
                        JfrSummary.Category.OTHER, 1),
                List.of(Map.entry("org.hl7.fhir.validation.instance.InstanceValidator.checkElement", 4)),
                List.of(Map.entry("org.hl7.fhir.r5.fhirpath.FHIRPathEngine.<init>", 3)));
        String md = report(4, 16, jfr).markdown();

        assertThat(md)
                .contains(
                        "| profile validation (the hub's interceptor, HAPI's instance validator, FHIRPath) | 7 | 70 % |")
                .contains("| `org.hl7.fhir.validation.instance.InstanceValidator.checkElement` | 4 |")
                .contains("| `org.hl7.fhir.r5.fhirpath.FHIRPathEngine.<init>` | 3 |")
                .contains("70 % of the hub's request-thread samples are in profile validation: about 17.5 ms of CPU"
                        + " per resource")
                .contains("10 request-thread samples, 3 samples of other threads");
    }

    private static IngestionReport report(int hubBundles, int plainBundles, JfrSummary jfr) {
        IngestionOptions options = IngestionOptions.parse(
                List.of("--bundles", Integer.toString(hubBundles), "--rounds", "1", "--warmup", "1"), Path.of("r"));
        ServerFigures hub = figures(hubBundles, 250_000_000L);
        ServerFigures plain = figures(plainBundles, 62_000_000L);
        return new IngestionReport(
                OffsetDateTime.of(2026, 11, 25, 12, 0, 0, 0, ZoneOffset.UTC),
                "java -jar bench/target/cbhealth-bench.jar ingestion",
                "abc1234",
                options,
                new MachineDescription(2, 8L << 30, "test CPU", "Linux", "JDK 17"),
                "PostgreSQL 15",
                new IngestionReport.ServerRun(
                        Duration.ofSeconds(60),
                        figures(1, 1),
                        hub,
                        Duration.ofSeconds(2),
                        25L,
                        25,
                        300L << 20,
                        1L << 30,
                        1L << 30),
                new IngestionReport.ServerRun(
                        Duration.ofSeconds(30),
                        figures(1, 1),
                        plain,
                        Duration.ofMillis(1600),
                        85L,
                        85,
                        null,
                        1L << 29,
                        1L << 29),
                jfr,
                "1.00, 1.00, 1.00",
                "2.00, 2.00, 2.00",
                List.of());
    }

    /** n Bundles in one second, each taking the same time. */
    private static ServerFigures figures(int n, long latencyNanos) {
        long[] latencies = new long[n];
        java.util.Arrays.fill(latencies, latencyNanos);
        return new ServerFigures(List.of(new RoundResult(n, SECOND, latencies, List.of())), 20);
    }
}
