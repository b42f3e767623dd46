package org.cbhealth.routes.translate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.groups.Tuple.tuple;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.cbhealth.profiles.validation.CbhConformanceResources;
import org.cbhealth.profiles.validation.CbhResourceValidator;
import org.cbhealth.routes.directory.DirectoryModelTranslator;
import org.cbhealth.routes.directory.SpecialtyMapper;
import org.cbhealth.routes.directory.json.DirectoryJsonReader;
import org.cbhealth.routes.fhir.InputProblem;
import org.cbhealth.routes.fhir.InvalidMessageException;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.Endpoint;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.HealthcareService;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Location;
import org.hl7.fhir.r4.model.OrganizationAffiliation;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The North Macedonian hospital's directory pushed as JSON → the FHIR resources of the catalogue. */
class JsonDirectoryTranslatorTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final String SPECIALTY_MK = "https://fhir.cbhealth.eu/CodeSystem/mk-specialty";
    private static final String SPECIALTY_SHARED = "https://fhir.cbhealth.eu/CodeSystem/cbh-specialty";

    private static CbhResourceValidator validator;
    private static JsonDirectoryTranslator translator;

    @BeforeAll
    static void setUp() {
        CbhConformanceResources conformance = CbhConformanceResources.load(FHIR);
        validator = new CbhResourceValidator(FHIR, conformance);
        translator = new JsonDirectoryTranslator(
                new DirectoryJsonReader(), new DirectoryModelTranslator(new SpecialtyMapper(conformance.all())));
    }

    @Test
    void shouldTranslateEveryRecordOfTheSampleUnderThePartnersOwnCodes() throws IOException {
        Translation translation = translator.translate(sample(), stip(Map.of()));

        assertThat(translation.resources())
                .extracting(r -> r.fhirType() + "/" + r.getIdElement().getIdPart())
                .containsExactly(
                        "Location/KBS-MAIN",
                        "Location/KBS-POLI",
                        "Endpoint/KBS-FHIR",
                        "Endpoint/KBS-MLLP",
                        "HealthcareService/ODD-01",
                        "HealthcareService/ODD-07",
                        "HealthcareService/ODD-09",
                        "Practitioner/LEK-0412",
                        "PractitionerRole/LEK-0412-ODD-01",
                        "Practitioner/LEK-0877",
                        "PractitionerRole/LEK-0877-ONK",
                        "OrganizationAffiliation/MOU-BLG-2024");
        assertThat(translation.rejected()).isEmpty();
        assertThat(translation.unmappedCodes())
                .containsExactly("/departments/0: service type ehokardiografija", "/departments/2: service type EEG");
    }

    @Test
    void shouldProduceResourcesValidAgainstTheCatalogueProfiles() throws IOException {
        Translation translation = translator.translate(sample(), stip(Map.of()));

        for (Resource resource : translation.resources()) {
            assertThat(errors(resource)).as(resource.getId()).isEmpty();
        }
    }

    @Test
    void shouldTranslateADepartmentLikeACsvOneWithTranslationsSitesAndEndpoints() throws IOException {
        HealthcareService cardiology = resource(HealthcareService.class, "ODD-01");

        assertThat(cardiology.getIdentifier())
                .extracting(i -> i.getSystem(), i -> i.getValue())
                .containsExactly(tuple("https://fhir.cbhealth.eu/sid/partner/mk-kb-stip/department", "ODD-01"));
        assertThat(cardiology.getActive()).isTrue();
        assertThat(cardiology.getProvidedBy().getReference()).isEqualTo("Organization/mk-kb-stip");
        assertThat(cardiology.getName()).isEqualTo("Одделение за кардиологија");
        assertThat(cardiology.getLanguage()).isEqualTo("mk");
        assertThat(translations(cardiology.getNameElement()))
                .containsExactly(tuple("en", "Department of Cardiology"), tuple("bg", "Отделение по кардиология"));
        assertThat(cardiology.getSpecialty()).hasSize(1);
        assertThat(cardiology.getSpecialtyFirstRep().getCoding())
                .extracting(Coding::getSystem, Coding::getCode)
                .containsExactly(tuple(SPECIALTY_MK, "kardiologija"), tuple(SPECIALTY_SHARED, "cardiology"));
        assertThat(cardiology.getTypeFirstRep().getCoding())
                .extracting(Coding::getSystem, Coding::getCode)
                .containsExactly(tuple(
                        "https://fhir.cbhealth.eu/CodeSystem/partner/mk-kb-stip/service-type", "ehokardiografija"));
        assertThat(cardiology.getCommunication())
                .extracting(c -> c.getCodingFirstRep().getSystem(), c -> c.getCodingFirstRep()
                        .getCode())
                .containsExactly(
                        tuple("urn:ietf:bcp:47", "mk"), tuple("urn:ietf:bcp:47", "bg"), tuple("urn:ietf:bcp:47", "en"));
        assertThat(acceptsCrossBorder(cardiology)).isTrue();
        assertThat(cardiology.getTelecom())
                .extracting(ContactPoint::getSystem, ContactPoint::getValue)
                .containsExactly(
                        tuple(ContactPoint.ContactPointSystem.PHONE, "+389 32 386 301"),
                        tuple(ContactPoint.ContactPointSystem.EMAIL, "kardio@kbshtip.mk"));
        assertThat(cardiology.getLocation()).extracting(Reference::getReference).containsExactly("Location/KBS-MAIN");
        assertThat(cardiology.getEndpoint()).extracting(Reference::getReference).containsExactly("Endpoint/KBS-FHIR");
    }

    @Test
    void shouldDefaultToThePartnersLanguageAndToNoCrossBorderReferrals() throws IOException {
        HealthcareService neurology = resource(HealthcareService.class, "ODD-09");

        assertThat(neurology.getSpecialtyFirstRep().getCoding())
                .extracting(Coding::getSystem, Coding::getCode)
                .containsExactly(tuple(SPECIALTY_MK, "nevrologija"), tuple(SPECIALTY_SHARED, "neurology"));
        assertThat(neurology.getNameElement().getExtension()).isEmpty();
        assertThat(neurology.getCommunication())
                .extracting(c -> c.getCodingFirstRep().getCode())
                .containsExactly("mk");
        assertThat(acceptsCrossBorder(neurology)).isFalse();
        assertThat(neurology.getLocation()).extracting(Reference::getReference).containsExactly("Location/KBS-POLI");
    }

    @Test
    void shouldKeepAnUnmappedSpecialtyAsThePartnersCodingAndReportItWithTheRecordsPointer() {
        String json = "{\"departments\":[{\"code\":\"RAR\",\"names\":{\"bg\":\"Отделение по редки болести\"},"
                + "\"specialties\":[\"05\",\"99\"]}]}";
        TranslationContext blagoevgrad = new TranslationContext(
                "bg-mbal-blagoevgrad",
                "directory",
                new Reference("Organization/bg-mbal-blagoevgrad"),
                "https://fhir.cbhealth.eu/CodeSystem/bg-nhif-specialty",
                "bg",
                Map.of(),
                Map.of());

        Translation translation = translator.translate(bytes(json), blagoevgrad);

        HealthcareService rare = (HealthcareService) translation.resources().get(0);
        assertThat(rare.getSpecialty())
                .extracting(s -> s.getCoding().stream()
                        .map(c -> c.getSystem() + "|" + c.getCode())
                        .toList())
                .containsExactly(
                        List.of(
                                "https://fhir.cbhealth.eu/CodeSystem/bg-nhif-specialty|05",
                                SPECIALTY_SHARED + "|cardiology"),
                        List.of("https://fhir.cbhealth.eu/CodeSystem/bg-nhif-specialty|99"));
        assertThat(translation.unmappedCodes()).containsExactly("/departments/0: specialty 99");
        assertThat(rare.getIdentifierFirstRep().getSystem())
                .isEqualTo("https://fhir.cbhealth.eu/sid/partner/bg-mbal-blagoevgrad/department");
        assertThat(errors(rare)).isEmpty();
    }

    @Test
    void shouldTranslateSitesWithAddressCoordinatesAndTheSiteTheyArePartOf() throws IOException {
        Location main = resource(Location.class, "KBS-MAIN");
        Location polyclinic = resource(Location.class, "KBS-POLI");

        assertThat(main.getIdentifierFirstRep().getSystem())
                .isEqualTo("https://fhir.cbhealth.eu/sid/partner/mk-kb-stip/site");
        assertThat(main.getIdentifierFirstRep().getValue()).isEqualTo("KBS-MAIN");
        assertThat(main.getStatus()).isEqualTo(Location.LocationStatus.ACTIVE);
        assertThat(main.getName()).isEqualTo("Клиничка болница Штип — главна зграда");
        assertThat(translations(main.getNameElement()))
                .containsExactly(tuple("en", "Clinical Hospital Štip — main building"));
        assertThat(main.getAddress().getLine())
                .extracting(StringType::getValue)
                .containsExactly("ул. Крсте Мисирков бб");
        assertThat(main.getAddress().getCity()).isEqualTo("Штип");
        assertThat(main.getAddress().getPostalCode()).isEqualTo("2000");
        assertThat(main.getAddress().getCountry()).isEqualTo("MK");
        assertThat(main.getPosition().getLatitude()).isEqualByComparingTo(new BigDecimal("41.7464"));
        assertThat(main.getPosition().getLongitude()).isEqualByComparingTo(new BigDecimal("22.1997"));
        assertThat(main.getManagingOrganization().getReference()).isEqualTo("Organization/mk-kb-stip");
        assertThat(main.getTelecomFirstRep().getValue()).isEqualTo("+389 32 386 300");
        assertThat(main.hasPartOf()).isFalse();
        assertThat(polyclinic.getPartOf().getReference()).isEqualTo("Location/KBS-MAIN");
        assertThat(polyclinic.hasPosition()).isFalse();
    }

    @Test
    void shouldWriteAPractitionersNameInEachScriptWithItsLanguage() throws IOException {
        Practitioner stojanova = resource(Practitioner.class, "LEK-0412");

        assertThat(stojanova.getIdentifierFirstRep().getSystem())
                .isEqualTo("https://fhir.cbhealth.eu/sid/partner/mk-kb-stip/practitioner");
        assertThat(stojanova.getIdentifierFirstRep().getValue()).isEqualTo("LEK-0412");
        assertThat(stojanova.getName())
                .extracting(
                        HumanName::getFamily,
                        HumanName::getGivenAsSingleString,
                        HumanName::getPrefixAsSingleString,
                        n -> ((CodeType) n.getExtensionByUrl("http://hl7.org/fhir/StructureDefinition/language")
                                        .getValue())
                                .getValue())
                .containsExactly(
                        tuple("Стојанова", "Марија", "д-р", "mk"), tuple("Stojanova", "Marija", "d-r", "mk-Latn"));
        Practitioner.PractitionerQualificationComponent qualification = stojanova.getQualificationFirstRep();
        assertThat(qualification.getCode().getCoding())
                .extracting(Coding::getSystem, Coding::getCode, Coding::getDisplay)
                .containsExactly(tuple(
                        "https://fhir.cbhealth.eu/CodeSystem/partner/mk-kb-stip/qualification",
                        "spec-kardiologija",
                        "Специјалист по кардиологија"));
        assertThat(qualification.getIssuer().getDisplay()).isEqualTo("Лекарска комора на Северна Македонија");
    }

    @Test
    void shouldLinkARoleToItsPractitionerDepartmentAndSpecialty() throws IOException {
        PractitionerRole role = resource(PractitionerRole.class, "LEK-0412-ODD-01");

        assertThat(role.getIdentifierFirstRep().getSystem())
                .isEqualTo("https://fhir.cbhealth.eu/sid/partner/mk-kb-stip/practitioner-role");
        assertThat(role.getIdentifierFirstRep().getValue()).isEqualTo("LEK-0412-ODD-01");
        assertThat(role.getPractitioner().getReference()).isEqualTo("Practitioner/LEK-0412");
        assertThat(role.getOrganization().getReference()).isEqualTo("Organization/mk-kb-stip");
        assertThat(role.getHealthcareService())
                .extracting(Reference::getReference)
                .containsExactly("HealthcareService/ODD-01");
        assertThat(role.getSpecialtyFirstRep().getCoding())
                .extracting(Coding::getSystem, Coding::getCode)
                .containsExactly(tuple(SPECIALTY_MK, "kardiologija"), tuple(SPECIALTY_SHARED, "cardiology"));
        assertThat(role.getTelecomFirstRep().getValue()).isEqualTo("+389 32 386 311");
    }

    @Test
    void shouldTranslateEndpointsWithTheirConnectionTypeAndPayload() throws IOException {
        Endpoint fhir = resource(Endpoint.class, "KBS-FHIR");
        Endpoint mllp = resource(Endpoint.class, "KBS-MLLP");

        assertThat(fhir.getStatus()).isEqualTo(Endpoint.EndpointStatus.ACTIVE);
        assertThat(fhir.getConnectionType().getSystem())
                .isEqualTo("http://terminology.hl7.org/CodeSystem/endpoint-connection-type");
        assertThat(fhir.getConnectionType().getCode()).isEqualTo("hl7-fhir-rest");
        assertThat(fhir.getName()).isEqualTo("КБ Штип FHIR");
        assertThat(fhir.getAddress()).isEqualTo("https://fhir.kbshtip.example/r4");
        assertThat(fhir.getPayloadTypeFirstRep().getCoding())
                .extracting(Coding::getSystem, Coding::getCode)
                .containsExactly(tuple("http://hl7.org/fhir/resource-types", "ServiceRequest"));
        assertThat(fhir.getPayloadMimeType()).extracting(CodeType::getValue).containsExactly("application/fhir+json");
        assertThat(fhir.getManagingOrganization().getReference()).isEqualTo("Organization/mk-kb-stip");
        assertThat(mllp.getConnectionType().getCode()).isEqualTo("hl7v2-mllp");
        assertThat(mllp.getAddress()).isEqualTo("mllp://hl7.kbshtip.example:2575");
    }

    @Test
    void shouldTranslateThePartnershipWithTheOtherHospitalByItsRegistryIdentifier() throws IOException {
        OrganizationAffiliation memorandum = resource(OrganizationAffiliation.class, "MOU-BLG-2024");

        assertThat(memorandum.getIdentifierFirstRep().getSystem())
                .isEqualTo("https://fhir.cbhealth.eu/sid/partner/mk-kb-stip/affiliation");
        assertThat(memorandum.getActive()).isTrue();
        assertThat(memorandum.getPeriod().getStartElement().getValueAsString()).isEqualTo("2024-03-01");
        assertThat(memorandum.getPeriod().getEndElement().getValueAsString()).isEqualTo("2029-02-28");
        assertThat(memorandum.getOrganization().getReference()).isEqualTo("Organization/mk-kb-stip");
        Reference blagoevgrad = memorandum.getParticipatingOrganization();
        assertThat(blagoevgrad.hasReference()).isFalse();
        assertThat(blagoevgrad.getIdentifier().getSystem()).isEqualTo("https://fhir.cbhealth.eu/sid/registry/bg-eik");
        assertThat(blagoevgrad.getIdentifier().getValue()).isEqualTo("101004535");
        assertThat(blagoevgrad.getDisplay()).isEqualTo("МБАЛ „Благоевград“ АД");
        assertThat(memorandum.getCode())
                .extracting(
                        c -> c.getCodingFirstRep().getSystem(),
                        c -> c.getCodingFirstRep().getCode(),
                        c -> c.getText())
                .containsExactly(
                        tuple("http://hl7.org/fhir/organization-role", "provider", null),
                        tuple(null, null, "Меморандум за прекугранична соработка: кардиологија и онкологија"));
        assertThat(memorandum.getSpecialty())
                .extracting(s -> s.getCoding().get(1).getCode())
                .containsExactly("cardiology", "medical-oncology");
        assertThat(memorandum.getHealthcareService())
                .extracting(Reference::getReference)
                .containsExactly("HealthcareService/ODD-01", "HealthcareService/ODD-07");
    }

    @Test
    void shouldTakeTheNameInThePartnersFirstLanguageWhateverOrderTheNamesCameIn() {
        String json = "{\"departments\":[{\"code\":\"D1\",\"names\":{\"en\":\"Cardiology\",\"mk\":\"Кардиологија\"},"
                + "\"specialties\":[\"kardiologija\"]}]}";

        HealthcareService service = (HealthcareService)
                translator.translate(bytes(json), stip(Map.of())).resources().get(0);

        assertThat(service.getName()).isEqualTo("Кардиологија");
        assertThat(translations(service.getNameElement())).containsExactly(tuple("en", "Cardiology"));
    }

    @Test
    void shouldPassOnRecordsTheReaderRefusedAndTranslateTheOthers() {
        String json = "{\"departments\":[{\"code\":\"D1\",\"names\":{\"mk\":\"Кардиологија\"},"
                + "\"specialties\":[\"kardiologija\"]},{\"code\":\"D2\",\"names\":{\"mk\":\"Онкологија\"}}]}";

        Translation translation = translator.translate(bytes(json), stip(Map.of()));

        assertThat(translation.resources())
                .extracting(r -> r.getIdElement().getIdPart())
                .containsExactly("D1");
        assertThat(translation.rejected()).containsExactly(new InputProblem("/departments/1/specialties", "required"));
    }

    @Test
    void shouldRefuseInAFullExportARecordReferringToASiteThatIsNotInItAndWhatReferredToThatRecord() {
        String json =
                "{\"sites\":[{\"code\":\"S1\",\"names\":{\"mk\":\"Главна зграда\"},\"address\":{\"country\":\"MK\"}}],"
                        + "\"departments\":["
                        + "{\"code\":\"D1\",\"names\":{\"mk\":\"Кардиологија\"},\"specialties\":[\"kardiologija\"],\"sites\":[\"S1\"]},"
                        + "{\"code\":\"D2\",\"names\":{\"mk\":\"Онкологија\"},\"specialties\":[\"onkologija\"],\"sites\":[\"S9\"]}],"
                        + "\"practitioners\":[{\"code\":\"P1\",\"names\":[{\"language\":\"mk\",\"family\":\"Илиевски\"}],"
                        + "\"roles\":[{\"department\":\"D1\"},{\"department\":\"D2\"}]}]}";

        Translation full = translator.translate(bytes(json), stip(Map.of("cbhealth.directory.scope", "full")));
        Translation partial = translator.translate(bytes(json), stip(Map.of("cbhealth.directory.scope", "partial")));

        assertThat(full.resources())
                .extracting(r -> r.fhirType() + "/" + r.getIdElement().getIdPart())
                .containsExactly("Location/S1", "HealthcareService/D1", "Practitioner/P1", "PractitionerRole/P1-D1");
        assertThat(full.rejected())
                .containsExactly(
                        new InputProblem(
                                "/departments/1",
                                "the department refers to site 'S9', which is not in this full export (or was"
                                        + " refused); the department is left out"),
                        new InputProblem(
                                "/practitioners/0/roles/1",
                                "the role refers to department 'D2', which is not in this full export (or was"
                                        + " refused); the role is left out"));
        assertThat(partial.resources()).hasSize(6);
        assertThat(partial.rejected()).isEmpty();
    }

    @Test
    void shouldRefuseAMessageWithoutAnyRecord() {
        InvalidMessageException refused = catchThrowableOfType(
                InvalidMessageException.class,
                () -> translator.translate(bytes("{\"sites\":[],\"departments\":[]}"), stip(Map.of())));

        assertThat(refused.getMessage())
                .isEqualTo("Directory refused: it lists no record (sites, departments, practitioners, endpoints or"
                        + " affiliations are all empty)");
    }

    private static <T extends Resource> T resource(Class<T> type, String id) throws IOException {
        return translator.translate(sample(), stip(Map.of())).resources().stream()
                .filter(type::isInstance)
                .map(type::cast)
                .filter(r -> r.getIdElement().getIdPart().equals(id))
                .findFirst()
                .orElseThrow();
    }

    private static List<org.assertj.core.groups.Tuple> translations(StringType element) {
        return element.getExtensionsByUrl("http://hl7.org/fhir/StructureDefinition/translation").stream()
                .map(t -> tuple(
                        ((CodeType) t.getExtensionByUrl("lang").getValue()).getValue(),
                        ((StringType) t.getExtensionByUrl("content").getValue()).getValue()))
                .toList();
    }

    private static boolean acceptsCrossBorder(HealthcareService service) {
        Extension crossBorder =
                service.getExtensionByUrl("https://fhir.cbhealth.eu/StructureDefinition/cbh-cross-border-referral");
        return ((BooleanType) crossBorder.getExtensionByUrl("accepts").getValue()).booleanValue();
    }

    private static List<String> errors(Resource resource) {
        return validator.validate(resource).getMessages().stream()
                .filter(m -> m.getSeverity() == ResultSeverityEnum.ERROR)
                .map(m -> m.getLocationString() + ": " + m.getMessage())
                .toList();
    }

    private static TranslationContext stip(Map<String, String> attributes) {
        return new TranslationContext(
                "mk-kb-stip",
                "directory",
                new Reference("Organization/mk-kb-stip"),
                SPECIALTY_MK,
                "mk",
                Map.of(),
                attributes);
    }

    private static byte[] sample() throws IOException {
        try (InputStream in =
                JsonDirectoryTranslatorTest.class.getResourceAsStream("/samples/directory/mk-kb-stip-directory.json")) {
            return in.readAllBytes();
        }
    }

    private static byte[] bytes(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }
}
