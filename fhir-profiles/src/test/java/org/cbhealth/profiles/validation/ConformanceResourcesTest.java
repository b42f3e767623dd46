package org.cbhealth.profiles.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.cbhealth.profiles.CbhCanonical;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.ConceptMap;
import org.hl7.fhir.r4.model.ElementDefinition;
import org.hl7.fhir.r4.model.MetadataResource;
import org.hl7.fhir.r4.model.NamingSystem;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The whole conformance folder: listed, parseable, consistent, and every profile's snapshot generates. */
class ConformanceResourcesTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final Path FOLDER = Path.of("src", "main", "resources", "cbhealth", "fhir");
    private static CbhConformanceResources resources;

    @BeforeAll
    static void load() {
        resources = CbhConformanceResources.load(FHIR);
    }

    @Test
    void indexListsExactlyTheFilesOfTheFolder() throws IOException {
        List<String> files;
        try (Stream<Path> walk = Files.walk(FOLDER)) {
            files = walk.filter(p -> p.toString().endsWith(".json"))
                    .map(p -> FOLDER.relativize(p).toString().replace('\\', '/'))
                    .sorted()
                    .toList();
        }

        assertThat(CbhConformanceResources.index()).containsExactlyElementsOf(files);
        assertThat(resources.all()).hasSize(files.size());
    }

    @Test
    void everyResourceIsNamedByItsFileAndUsesTheCanonicalBase() {
        List<String> index = CbhConformanceResources.index();
        for (int i = 0; i < index.size(); i++) {
            IBaseResource resource = resources.all().get(i);
            assertThat(index.get(i))
                    .isEqualTo(
                            resource.fhirType() + "/" + resource.getIdElement().getIdPart() + ".json");
            if (resource instanceof MetadataResource metadata && !(resource instanceof NamingSystem)) {
                assertThat(metadata.getUrl()).startsWith(CbhCanonical.BASE + "/" + resource.fhirType() + "/");
                assertThat(metadata.getVersion()).isEqualTo("0.1.0");
            }
        }
    }

    @Test
    void everyResourceIsValidAgainstTheBaseSpecification() {
        CbhResourceValidator validator = new CbhResourceValidator(FHIR, resources);
        // StructureDefinitions are checked by generating their snapshots (everyProfileSnapshotGenerates)
        for (IBaseResource resource : resources.all().stream()
                .filter(r -> !(r instanceof StructureDefinition))
                .toList()) {
            List<String> errors = validator.validate(resource).getMessages().stream()
                    .filter(m ->
                            m.getSeverity() == ResultSeverityEnum.ERROR || m.getSeverity() == ResultSeverityEnum.FATAL)
                    .map(m -> m.getLocationString() + ": " + m.getMessage())
                    .toList();
            assertThat(errors).as(resource.getIdElement().getValue()).isEmpty();
        }
    }

    @Test
    void everyProfileSnapshotGenerates() {
        assertThat(resources.profiles()).hasSize(12);
        // throws, naming profile and element, when a differential does not generate
        assertThat(CbhValidationSupport.create(FHIR, resources)).isNotNull();
    }

    @Test
    void aBrokenProfileStopsTheChainNamingProfileAndElement() {
        StructureDefinition broken = resources.profiles().stream()
                .filter(p -> p.getUrl().equals(CbhCanonical.PROFILE_ORGANIZATION))
                .findFirst()
                .orElseThrow()
                .copy();
        ElementDefinition misspelt = broken.getDifferential().addElement();
        misspelt.setPath("Organization.nmae").setMin(1);
        misspelt.setId("Organization.nmae");

        assertThatThrownBy(() -> CbhValidationSupport.create(FHIR, CbhConformanceResources.of(List.of(broken))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("Broken CBHealth profiles: " + CbhCanonical.PROFILE_ORGANIZATION)
                .hasMessageContaining("Organization.nmae");
    }

    @Test
    void eachProfiledTypeHasItsProfile() {
        assertThat(resources.profilesByType())
                .isEqualTo(Map.of(
                        "Organization", CbhCanonical.PROFILE_ORGANIZATION,
                        "Location", CbhCanonical.PROFILE_LOCATION,
                        "HealthcareService", CbhCanonical.PROFILE_HEALTHCARE_SERVICE,
                        "Practitioner", CbhCanonical.PROFILE_PRACTITIONER,
                        "PractitionerRole", CbhCanonical.PROFILE_PRACTITIONER_ROLE,
                        "Endpoint", CbhCanonical.PROFILE_ENDPOINT,
                        "OrganizationAffiliation", CbhCanonical.PROFILE_ORGANIZATION_AFFILIATION,
                        "Patient", CbhCanonical.PROFILE_PATIENT,
                        "ServiceRequest", CbhCanonical.PROFILE_SERVICE_REQUEST,
                        "Task", CbhCanonical.PROFILE_TASK));
    }

    @Test
    void everySharedSpecialtyIsNamedInTheTenPartnerLanguages() {
        CodeSystem specialties = codeSystem(CbhCanonical.CS_SPECIALTY);

        assertThat(specialties.getConcept()).hasSizeGreaterThanOrEqualTo(25);
        assertThat(specialties.getConcept()).allSatisfy(concept -> assertThat(concept.getDesignation().stream()
                        .map(d -> d.getLanguage())
                        .collect(Collectors.toSet()))
                .isEqualTo(Set.of("bg", "mk", "uk", "ru", "sl", "de", "pl", "lt", "lv", "et")));
    }

    @Test
    void conceptMapsMapKnownLocalCodesToSharedCodes() {
        Set<String> shared = codes(codeSystem(CbhCanonical.CS_SPECIALTY));
        List<ConceptMap> maps = resources.all().stream()
                .filter(ConceptMap.class::isInstance)
                .map(ConceptMap.class::cast)
                .toList();

        assertThat(maps).hasSize(4);
        for (ConceptMap map : maps) {
            ConceptMap.ConceptMapGroupComponent group = map.getGroupFirstRep();
            assertThat(group.getTarget()).isEqualTo(CbhCanonical.CS_SPECIALTY);
            Set<String> local = codes(codeSystem(group.getSource()));
            assertThat(group.getElement()).allSatisfy(element -> {
                assertThat(local).contains(element.getCode());
                assertThat(shared).contains(element.getTargetFirstRep().getCode());
            });
        }
    }

    @Test
    void localCodesOfThePartnerSamplesMapAsExpected() {
        assertThat(target(CbhCanonical.CS_BG_NHIF_SPECIALTY, "05")).isEqualTo("cardiology");
        assertThat(target(CbhCanonical.CS_BG_NHIF_SPECIALTY, "18")).isEqualTo("neurology");
        assertThat(target(CbhCanonical.CS_BG_NHIF_SPECIALTY, "36")).isEqualTo("general-surgery");
        assertThat(target(CbhCanonical.CS_BG_NHIF_SPECIALTY, "33")).isEqualTo("medical-oncology");
        assertThat(target(CbhCanonical.CS_BG_NHIF_SPECIALTY, "99")).isNull();
        assertThat(target(CbhCanonical.CS_MK_SPECIALTY, "kardiologija")).isEqualTo("cardiology");
        assertThat(target(CbhCanonical.CS_SI_ZZZS_SPECIALTY, "ONK")).isEqualTo("medical-oncology");
        assertThat(target(CbhCanonical.CS_UA_SPECIALTY, "ONC-01")).isEqualTo("medical-oncology");
    }

    @Test
    void everyNationalIdentifierHasANamingSystemWithItsSystemUri() {
        Set<String> uris = resources.all().stream()
                .filter(NamingSystem.class::isInstance)
                .map(NamingSystem.class::cast)
                .flatMap(ns -> ns.getUniqueId().stream())
                .filter(id -> id.getType() == NamingSystem.NamingSystemIdentifierType.URI)
                .map(NamingSystem.NamingSystemUniqueIdComponent::getValue)
                .collect(Collectors.toSet());

        assertThat(uris)
                .containsExactlyInAnyOrder(
                        CbhCanonical.SID_BG_EGN,
                        CbhCanonical.SID_MK_EMBG,
                        CbhCanonical.SID_SI_EMSO,
                        CbhCanonical.SID_UA_RNOKPP,
                        CbhCanonical.SID_PL_PESEL,
                        CbhCanonical.SID_EE_ISIKUKOOD,
                        CbhCanonical.SID_LT_ASMENS_KODAS,
                        CbhCanonical.SID_LV_PERSONAS_KODS,
                        CbhCanonical.SID_AT_SVNR);
    }

    private static String target(String sourceSystem, String code) {
        return resources.all().stream()
                .filter(ConceptMap.class::isInstance)
                .map(ConceptMap.class::cast)
                .flatMap(map -> map.getGroup().stream())
                .filter(group -> group.getSource().equals(sourceSystem))
                .flatMap(group -> group.getElement().stream())
                .filter(element -> element.getCode().equals(code))
                .map(element -> element.getTargetFirstRep().getCode())
                .findFirst()
                .orElse(null);
    }

    private static CodeSystem codeSystem(String url) {
        return resources.all().stream()
                .filter(CodeSystem.class::isInstance)
                .map(CodeSystem.class::cast)
                .filter(cs -> cs.getUrl().equals(url))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no CodeSystem " + url));
    }

    private static Set<String> codes(CodeSystem codeSystem) {
        return codeSystem.getConcept().stream()
                .map(CodeSystem.ConceptDefinitionComponent::getCode)
                .collect(Collectors.toSet());
    }
}
