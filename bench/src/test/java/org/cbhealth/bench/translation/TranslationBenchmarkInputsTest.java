package org.cbhealth.bench.translation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.HealthcareService;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;

/**
 * The benchmarks compare like with like: each hub benchmark produces exactly the FHIR output its baseline serialises,
 * and the per-row divisors match the sample files.
 */
class TranslationBenchmarkInputsTest {

    @Test
    void shouldSerialiseTheSameBundleInTheHubAndTheBaseline() throws Exception {
        RefI12TranslationBenchmark benchmark = new RefI12TranslationBenchmark();
        benchmark.setUp();

        String hub = benchmark.refI12Translate();

        assertThat(hub).isEqualTo(benchmark.refI12StepSerialise()).isEqualTo(benchmark.refI12ParseSerialise());
        assertThat(hub).contains("\"resourceType\":\"Bundle\"", "\"type\":\"transaction\"", "Organization/mk-kb-stip");
    }

    @Test
    void shouldTranslateTheSampleExportsToTheResourcesTheBaselineSerialises() {
        CsvDirectoryTranslationBenchmark benchmark = new CsvDirectoryTranslationBenchmark();
        benchmark.setUp();

        for (CsvDirectoryTranslationBenchmark.Export export : List.of(benchmark.bg(), benchmark.mk())) {
            List<Object> hub = new ArrayList<>();
            List<Object> baseline = new ArrayList<>();
            List<Resource> translated = benchmark.translateAndSerialise(export, hub::add);
            benchmark.parseAndSerialise(export, baseline::add);

            assertThat(translated).hasSize(5).allSatisfy(r -> assertThat(r).isInstanceOf(HealthcareService.class));
            assertThat(hub).containsExactlyElementsOf(baseline.subList(baseline.size() - hub.size(), baseline.size()));
        }
        assertThat(benchmark.bg().read().rows()).hasSize(CsvDirectoryTranslationBenchmark.BG_ROWS - 1);
        assertThat(benchmark.bg().read().problems()).isNotEmpty();
        assertThat(benchmark.mk().read().rows()).hasSize(CsvDirectoryTranslationBenchmark.MK_ROWS);
        assertThat(((HealthcareService) benchmark.mk().out().get(0)).getName()).isEqualTo("Одделение за кардиологија");
    }
}
