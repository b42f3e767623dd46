package org.cbhealth.routes.directory;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.cbhealth.profiles.validation.CbhConformanceResources;
import org.cbhealth.routes.directory.model.AffiliationRecord;
import org.cbhealth.routes.directory.model.CatalogueRead;
import org.cbhealth.routes.directory.model.Code;
import org.cbhealth.routes.directory.model.DepartmentRecord;
import org.cbhealth.routes.directory.model.DirectoryCatalogue;
import org.cbhealth.routes.directory.model.LocalizedText;
import org.cbhealth.routes.directory.model.OrganizationRef;
import org.cbhealth.routes.directory.model.PostalAddress;
import org.cbhealth.routes.directory.model.SiteRecord;
import org.cbhealth.routes.fhir.InputProblem;
import org.cbhealth.routes.translate.Translation;
import org.cbhealth.routes.translate.TranslationContext;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.HealthcareService;
import org.hl7.fhir.r4.model.Location;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The directory model → FHIR, as any reader hands it over (the JSON reader here, a SOAP directory service's reader
 * elsewhere): the records' own positions, codes with their own system, and full exports with broken references.
 */
class DirectoryModelTranslatorTest {

    private static final String SI_SPECIALTY = "https://fhir.cbhealth.eu/CodeSystem/si-zzzs-specialty";

    private static DirectoryModelTranslator translator;

    @BeforeAll
    static void setUp() {
        translator = new DirectoryModelTranslator(new SpecialtyMapper(
                CbhConformanceResources.load(FhirContext.forR4Cached()).all()));
    }

    @Test
    void shouldTakeTheFirstNameWhenNoneIsInThePartnersLanguage() {
        SiteRecord site =
                site("UKC-1", null, new LocalizedText("en", "Main building"), new LocalizedText("de", "Hauptgebäude"));

        Location location = (Location) translate(catalogue(List.of(site), List.of(), List.of()), "partial")
                .resources()
                .get(0);

        assertThat(location.getName()).isEqualTo("Main building");
        assertThat(location.getLanguage()).isEqualTo("en");
        assertThat(location.getNameElement().getExtension())
                .extracting(
                        e -> ((CodeType) e.getExtensionByUrl("lang").getValue()).getValue(),
                        e -> ((StringType) e.getExtensionByUrl("content").getValue()).getValue())
                .containsExactly(org.assertj.core.groups.Tuple.tuple("de", "Hauptgebäude"));
    }

    @Test
    void shouldKeepTheSystemACodeCameWithAndMapItWhenTheConceptMapKnowsIt() {
        DepartmentRecord department =
                department("KARD", List.of(new Code(SI_SPECIALTY, "KAR", "Kardiologija"), Code.of("9999")), List.of());

        Translation translation = translate(catalogue(List.of(), List.of(department), List.of()), "partial");

        HealthcareService service = (HealthcareService) translation.resources().get(0);
        assertThat(service.getSpecialty().get(0).getCoding())
                .extracting(Coding::getSystem, Coding::getCode, Coding::getDisplay)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(SI_SPECIALTY, "KAR", "Kardiologija"),
                        org.assertj.core.groups.Tuple.tuple(
                                "https://fhir.cbhealth.eu/CodeSystem/cbh-specialty", "cardiology", "Cardiology"));
        assertThat(service.getSpecialty().get(1).getCoding())
                .extracting(Coding::getSystem, Coding::getCode)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(
                        "https://fhir.cbhealth.eu/CodeSystem/mk-specialty", "9999"));
        assertThat(translation.unmappedCodes()).containsExactly("Department[KARD]: specialty 9999");
    }

    @Test
    void shouldRefuseInAFullExportWhatHangsOnAMissingSiteOneRecordAfterTheOther() {
        SiteRecord ward = site("WARD-3", "BUILDING-9", new LocalizedText("mk", "Оддел 3"));
        DepartmentRecord department = department("KARD", List.of(Code.of("kardiologija")), List.of("WARD-3"));
        AffiliationRecord memorandum = new AffiliationRecord(
                "MOU-1",
                "Affiliation[MOU-1]",
                new OrganizationRef("https://fhir.cbhealth.eu/sid/registry/bg-eik", "101004535", null),
                List.of(Code.of("provider")),
                null,
                LocalDate.of(2024, 3, 1),
                null,
                List.of(),
                List.of("KARD"),
                List.of());
        CatalogueRead read = new CatalogueRead(
                catalogue(List.of(ward), List.of(department), List.of(memorandum)),
                List.of(new InputProblem("Department[ONK]", "no specialty")));

        Translation full = translator.translate(read, context("full"));
        Translation partial = translator.translate(read, context("partial"));

        assertThat(full.resources()).isEmpty();
        assertThat(full.rejected())
                .extracting(InputProblem::location, InputProblem::reason)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("Department[ONK]", "no specialty"),
                        org.assertj.core.groups.Tuple.tuple(
                                "Site[WARD-3]",
                                "the site refers to site 'BUILDING-9', which is not in this full export (or was"
                                        + " refused); the site is left out"),
                        org.assertj.core.groups.Tuple.tuple(
                                "Department[KARD]",
                                "the department refers to site 'WARD-3', which is not in this full export (or was"
                                        + " refused); the department is left out"),
                        org.assertj.core.groups.Tuple.tuple(
                                "Affiliation[MOU-1]",
                                "the partnership refers to department 'KARD', which is not in this full export (or was"
                                        + " refused); the partnership is left out"));
        assertThat(partial.resources())
                .extracting(r -> r.fhirType() + "/" + r.getIdElement().getIdPart())
                .containsExactly("Location/WARD-3", "HealthcareService/KARD", "OrganizationAffiliation/MOU-1");
        assertThat(((Location) partial.resources().get(0)).getPartOf().getReference())
                .isEqualTo("Location/BUILDING-9");
        assertThat(partial.rejected()).containsExactly(new InputProblem("Department[ONK]", "no specialty"));
    }

    private static Translation translate(DirectoryCatalogue catalogue, String scope) {
        return translator.translate(new CatalogueRead(catalogue, List.of()), context(scope));
    }

    private static DirectoryCatalogue catalogue(
            List<SiteRecord> sites, List<DepartmentRecord> departments, List<AffiliationRecord> affiliations) {
        return new DirectoryCatalogue(sites, departments, List.of(), List.of(), affiliations);
    }

    private static SiteRecord site(String code, String partOf, LocalizedText... names) {
        return new SiteRecord(
                code,
                "Site[" + code + "]",
                List.of(names),
                new PostalAddress(List.of(), null, null, null, "MK"),
                null,
                partOf,
                List.of());
    }

    private static DepartmentRecord department(String code, List<Code> specialties, List<String> sites) {
        return new DepartmentRecord(
                code,
                "Department[" + code + "]",
                List.of(new LocalizedText("mk", "Одделение " + code)),
                specialties,
                List.of(),
                List.of(),
                true,
                List.of(),
                sites,
                List.of());
    }

    private static TranslationContext context(String scope) {
        return new TranslationContext(
                "mk-kb-stip",
                "directory-service",
                new Reference("Organization/mk-kb-stip"),
                "https://fhir.cbhealth.eu/CodeSystem/mk-specialty",
                "mk",
                Map.of(),
                Map.of(DirectoryScope.ATTRIBUTE, scope));
    }
}
