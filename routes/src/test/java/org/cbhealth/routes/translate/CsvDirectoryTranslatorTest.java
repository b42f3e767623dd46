package org.cbhealth.routes.translate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import org.cbhealth.profiles.CbhCanonical;
import org.cbhealth.profiles.validation.CbhConformanceResources;
import org.cbhealth.routes.directory.DepartmentTranslator;
import org.cbhealth.routes.directory.SpecialtyMapper;
import org.cbhealth.routes.fhir.InputProblem;
import org.hl7.fhir.r4.model.HealthcareService;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;

class CsvDirectoryTranslatorTest {

    private static final CsvDirectoryTranslator TRANSLATOR =
            new CsvDirectoryTranslator(new DepartmentTranslator(new SpecialtyMapper(
                    CbhConformanceResources.load(FhirContext.forR4Cached()).all())));

    private static Map<String, Object> blagoevgradSettings() {
        Map<String, Object> columns = new LinkedHashMap<>();
        columns.put("department-code", "Код");
        columns.put("department-name", "Отделение");
        columns.put("specialty-code", "Код специалност");
        columns.put("specialty-text", "Специалност");
        columns.put("accepts-cross-border", "Приема пациенти от чужбина");
        return Map.of("charset", "windows-1251", "delimiter", ";", "language", "bg", "columns", columns);
    }

    private static TranslationContext context(Map<String, Object> settings) {
        return new TranslationContext(
                "bg-mbal-blagoevgrad",
                "departments",
                new Reference("Organization/7"),
                CbhCanonical.CS_BG_NHIF_SPECIALTY,
                "bg",
                settings,
                Map.of());
    }

    @Test
    void shouldTranslateTheGoodRowsOfAWindows1251ExportAndRefuseTheBadOneByLine() throws IOException {
        Translation translation = TRANSLATOR.translate(
                sample("directory/bg-mbal-blagoevgrad-departments-cp1251.csv"), context(blagoevgradSettings()));

        assertThat(translation.resources()).hasSize(5);
        HealthcareService cardiology =
                (HealthcareService) translation.resources().get(0);
        assertThat(cardiology.getIdentifierFirstRep().getSystem())
                .isEqualTo("https://fhir.cbhealth.eu/sid/partner/bg-mbal-blagoevgrad/department");
        assertThat(cardiology.getIdentifierFirstRep().getValue()).isEqualTo("KAR");
        assertThat(cardiology.getName()).isEqualTo("Отделение по кардиология");
        assertThat(cardiology.getProvidedBy().getReference()).isEqualTo("Organization/7");
        assertThat(cardiology.getCommunicationFirstRep().getCodingFirstRep().getCode())
                .isEqualTo("bg");
        assertThat(translation.rejected())
                .extracting(InputProblem::location)
                .allSatisfy(location -> assertThat(location).startsWith("line 7"));
    }

    @Test
    void shouldNameTheSettingThatIsWrong() {
        assertThatThrownBy(() -> CsvDirectoryTranslator.layout(Map.of("columns", Map.of("department-code", "Код"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("columns.department-name: required");
        assertThatThrownBy(() -> CsvDirectoryTranslator.layout(Map.of("delimiter", ";;")))
                .hasMessage("delimiter: ';;' must be one character");
        assertThatThrownBy(() -> CsvDirectoryTranslator.layout(Map.of("charset", "klingon")))
                .hasMessage("charset: unknown character set 'klingon'");
        assertThatThrownBy(() -> CsvDirectoryTranslator.layout(Map.of())).hasMessageStartingWith("columns: required");
        assertThat(CsvDirectoryTranslator.layout(blagoevgradSettings()).columns())
                .hasSize(5);
    }

    @Test
    void fhirBundleEntriesAreTakenOneByOneAndAnEmptyEntryIsRefusedByPosition() {
        FhirMessageTranslator fhir =
                new FhirMessageTranslator(new org.cbhealth.routes.fhir.FhirResourceReader(FhirContext.forR4Cached()));
        String bundle = "{\"resourceType\":\"Bundle\",\"type\":\"collection\",\"entry\":["
                + "{\"resource\":{\"resourceType\":\"Organization\",\"name\":\"KB Štip\"}},"
                + "{\"fullUrl\":\"urn:uuid:8d2b8f6e-0f51-4f3b-9e39-1b7f3f0c2a10\"}]}";

        Translation translation =
                fhir.translate(bundle.getBytes(java.nio.charset.StandardCharsets.UTF_8), context(Map.of()));

        assertThat(translation.resources()).hasSize(1);
        assertThat(translation.resources().get(0).fhirType()).isEqualTo("Organization");
        assertThat(translation.rejected())
                .containsExactly(new InputProblem("Bundle.entry[1]", "entry without a resource"));
    }

    private static byte[] sample(String name) throws IOException {
        try (InputStream in = CsvDirectoryTranslatorTest.class.getResourceAsStream("/samples/" + name)) {
            return in.readAllBytes();
        }
    }
}
