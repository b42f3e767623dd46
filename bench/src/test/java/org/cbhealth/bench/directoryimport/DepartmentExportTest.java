package org.cbhealth.bench.directoryimport;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.cbhealth.profiles.validation.CbhConformanceResources;
import org.cbhealth.routes.directory.DepartmentTranslator;
import org.cbhealth.routes.directory.SpecialtyMapper;
import org.cbhealth.routes.translate.CsvDirectoryTranslator;
import org.cbhealth.routes.translate.Translation;
import org.cbhealth.routes.translate.TranslationContext;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.HealthcareService;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** The generated export is what the benchmark says: read by the hub's own CSV translator with the partner's layout. */
class DepartmentExportTest {

    @Test
    void shouldGiveTheSameBytesForTheSameSeed() {
        assertThat(DepartmentExport.csv(DepartmentExport.lines(5, 100)))
                .isEqualTo(DepartmentExport.csv(DepartmentExport.lines(5, 100)));
        assertThat(DepartmentExport.lines(6, 100)).isNotEqualTo(DepartmentExport.lines(5, 100));
    }

    @Test
    void shouldBeReadWithoutProblemsOneServicePerRowEveryTwentyFifthUnmapped() {
        byte[] csv = DepartmentExport.csv(DepartmentExport.lines(20260517L, 500));
        assertThat(new String(csv, StandardCharsets.UTF_8)).startsWith(DepartmentExport.HEADER + "\n");

        Translation translation = translate(csv);

        assertThat(translation.rejected()).isEmpty();
        assertThat(translation.resources()).hasSize(500);
        assertThat(translation.unmappedCodes()).hasSize(20);
        assertThat(translation.unmappedCodes().get(0)).startsWith("line 26: ");
        HealthcareService first = (HealthcareService) translation.resources().get(0);
        assertThat(first.getIdentifierFirstRep().getSystem())
                .isEqualTo("https://fhir.cbhealth.eu/sid/partner/bench-directory/department");
        assertThat(first.getIdentifierFirstRep().getValue()).isEqualTo("DEP-00001");
        assertThat(first.getName()).startsWith("Клиника по ");
        assertThat(((HealthcareService) translation.resources().get(1)).getName())
                .startsWith("Clinic of ");
        assertThat(first.getSpecialtyFirstRep().getCoding())
                .extracting(Coding::getSystem)
                .containsExactly(
                        "https://fhir.cbhealth.eu/CodeSystem/bg-nhif-specialty",
                        "https://fhir.cbhealth.eu/CodeSystem/cbh-specialty");
    }

    @Test
    void shouldChangeOnlyThePhoneOfTheChangedRow() {
        List<String> lines = DepartmentExport.lines(1, 30);
        List<String> changed = DepartmentExport.withPhone(lines, 16, "+359 73 999 999");
        for (int i = 0; i < 30; i++) {
            if (i == 15) {
                assertThat(changed.get(i)).contains(";+359 73 999 999;");
                assertThat(changed.get(i)
                                .replace("+359 73 999 999", lines.get(i).split(";")[4]))
                        .isEqualTo(lines.get(i));
            } else {
                assertThat(changed.get(i)).isEqualTo(lines.get(i));
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Translation translate(byte[] csv) {
        Map<String, Object> partner = new Yaml().load(ImportBenchmark.partnerYaml());
        Map<String, Object> channel = ((List<Map<String, Object>>) partner.get("inbound")).get(0);
        FhirContext fhir = FhirContext.forR4Cached();
        CsvDirectoryTranslator translator = new CsvDirectoryTranslator(new DepartmentTranslator(
                new SpecialtyMapper(CbhConformanceResources.load(fhir).all())));
        return translator.translate(
                csv,
                new TranslationContext(
                        ImportBenchmark.PARTNER,
                        ImportBenchmark.CHANNEL,
                        new Reference("Organization/1"),
                        "https://fhir.cbhealth.eu/CodeSystem/bg-nhif-specialty",
                        "bg",
                        (Map<String, Object>) channel.get("settings"),
                        Map.of()));
    }
}
