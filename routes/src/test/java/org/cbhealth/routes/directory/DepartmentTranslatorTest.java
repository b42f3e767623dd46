package org.cbhealth.routes.directory;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import org.cbhealth.profiles.validation.CbhConformanceResources;
import org.cbhealth.profiles.validation.CbhResourceValidator;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.HealthcareService;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DepartmentTranslatorTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final DepartmentTranslator.Partner STIP = new DepartmentTranslator.Partner(
            "mk-kb-stip",
            new Reference("Organization/mk-kb-stip"),
            "https://fhir.cbhealth.eu/CodeSystem/mk-specialty",
            "mk");
    private static final DepartmentTranslator.Partner BLAGOEVGRAD = new DepartmentTranslator.Partner(
            "bg-mbal-blagoevgrad",
            new Reference("Organization/bg-mbal-blagoevgrad"),
            "https://fhir.cbhealth.eu/CodeSystem/bg-nhif-specialty",
            "bg");

    private static CbhResourceValidator validator;
    private static DepartmentTranslator translator;

    @BeforeAll
    static void setUp() {
        CbhConformanceResources conformance = CbhConformanceResources.load(FHIR);
        validator = new CbhResourceValidator(FHIR, conformance);
        translator = new DepartmentTranslator(new SpecialtyMapper(conformance.all()));
    }

    @Test
    void shouldTranslateMacedonianCardiologyFindingTheLocalCodeByNameAndTheSharedSpecialty() throws IOException {
        DirectoryRow cardiology = rows("mk-kb-stip-departments.csv", DirectoryCsvReaderTest.MK_STIP)
                .get(0);

        DepartmentTranslator.Department department = translator.translate(cardiology, STIP);

        HealthcareService service = department.service();
        assertThat(department.specialtyMapped()).isTrue();
        assertThat(service.getIdentifierFirstRep().getSystem())
                .isEqualTo("https://fhir.cbhealth.eu/sid/partner/mk-kb-stip/department");
        assertThat(service.getIdentifierFirstRep().getValue()).isEqualTo("ODD-01");
        assertThat(service.getName()).isEqualTo("Одделение за кардиологија");
        assertThat(service.getProvidedBy().getReference()).isEqualTo("Organization/mk-kb-stip");
        assertThat(service.getSpecialtyFirstRep().getCoding())
                .extracting(Coding::getSystem, Coding::getCode)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                "https://fhir.cbhealth.eu/CodeSystem/mk-specialty", "kardiologija"),
                        org.assertj.core.groups.Tuple.tuple(
                                "https://fhir.cbhealth.eu/CodeSystem/cbh-specialty", "cardiology"));
        assertThat(service.getCommunication())
                .extracting(c -> c.getCodingFirstRep().getCode())
                .containsExactly("mk", "bg", "en");
        assertThat(accepts(service)).isTrue();
        assertThat(service.getTelecom())
                .extracting(t -> t.getValue())
                .containsExactly("+389 32 386 301", "kardio@kbshtip.mk");
        assertThat(errors(service)).isEmpty();
    }

    @Test
    void shouldTranslateEveryDepartmentOfBothSamplesIntoValidCatalogueEntries() throws IOException {
        List<DirectoryRow> rows =
                new java.util.ArrayList<>(rows("mk-kb-stip-departments.csv", DirectoryCsvReaderTest.MK_STIP));
        int macedonian = rows.size();
        rows.addAll(rows("bg-mbal-blagoevgrad-departments-cp1251.csv", DirectoryCsvReaderTest.BG_BLAGOEVGRAD));

        for (int i = 0; i < rows.size(); i++) {
            HealthcareService service = translator
                    .translate(rows.get(i), i < macedonian ? STIP : BLAGOEVGRAD)
                    .service();
            assertThat(errors(service)).as(service.getName()).isEmpty();
        }
        assertThat(rows).hasSize(10);
    }

    @Test
    void shouldMapBulgarianNhifCodesAndKeepThemBesideTheSharedCode() throws IOException {
        List<DirectoryRow> bulgarian =
                rows("bg-mbal-blagoevgrad-departments-cp1251.csv", DirectoryCsvReaderTest.BG_BLAGOEVGRAD);

        HealthcareService oncology =
                translator.translate(bulgarian.get(4), BLAGOEVGRAD).service();
        HealthcareService neurology =
                translator.translate(bulgarian.get(2), BLAGOEVGRAD).service();

        assertThat(oncology.getSpecialtyFirstRep().getCoding())
                .extracting(Coding::getCode)
                .containsExactly("33", "medical-oncology");
        assertThat(neurology.getSpecialtyFirstRep().getCoding())
                .extracting(Coding::getCode)
                .containsExactly("18", "neurology");
        assertThat(accepts(neurology)).isFalse();
        assertThat(neurology.getCommunication())
                .extracting(c -> c.getCodingFirstRep().getCode())
                .containsExactly("bg");
    }

    @Test
    void shouldKeepAnUnmappedLocalCodeAndSayItWasNotMapped() {
        DirectoryRow unknownSpecialty = new DirectoryRow(
                9,
                Map.of(
                        DirectoryField.DEPARTMENT_CODE, "RAR",
                        DirectoryField.DEPARTMENT_NAME, "Отделение по редки болести",
                        DirectoryField.SPECIALTY_CODE, "99",
                        DirectoryField.SPECIALTY_TEXT, "Редки болести"));

        DepartmentTranslator.Department department = translator.translate(unknownSpecialty, BLAGOEVGRAD);

        assertThat(department.specialtyMapped()).isFalse();
        assertThat(department.service().getSpecialtyFirstRep().getCoding())
                .extracting(Coding::getSystem, Coding::getCode)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(
                        "https://fhir.cbhealth.eu/CodeSystem/bg-nhif-specialty", "99"));
        assertThat(department.service().getSpecialtyFirstRep().getText()).isEqualTo("Редки болести");
        assertThat(errors(department.service())).isEmpty();
    }

    private static boolean accepts(HealthcareService service) {
        Extension crossBorder =
                service.getExtensionByUrl("https://fhir.cbhealth.eu/StructureDefinition/cbh-cross-border-referral");
        return ((BooleanType) crossBorder.getExtensionByUrl("accepts").getValue()).booleanValue();
    }

    private static List<String> errors(HealthcareService service) {
        return validator.validate(service).getMessages().stream()
                .filter(m -> m.getSeverity() == ResultSeverityEnum.ERROR)
                .map(m -> m.getLocationString() + ": " + m.getMessage())
                .toList();
    }

    private static List<DirectoryRow> rows(String file, CsvLayout layout) throws IOException {
        try (InputStream in = DepartmentTranslatorTest.class.getResourceAsStream("/samples/directory/" + file)) {
            return new DirectoryCsvReader().read(in.readAllBytes(), layout).rows();
        }
    }
}
