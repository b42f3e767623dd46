package org.cbhealth.routes.translate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.groups.Tuple.tuple;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.cbhealth.profiles.validation.CbhConformanceResources;
import org.cbhealth.profiles.validation.CbhResourceValidator;
import org.cbhealth.routes.directory.DirectoryModelTranslator;
import org.cbhealth.routes.directory.SpecialtyMapper;
import org.cbhealth.routes.directory.soap.DirectoryXml;
import org.cbhealth.routes.directory.soap.SoapDirectoryReader;
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

/**
 * Two pages of UKC Maribor's SOAP directory service, as the soap-poll channel hands them over (a full export) → the
 * FHIR resources of the catalogue, with literal values, valid against the catalogue profiles.
 */
class SoapDirectoryTranslatorTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final String LISTING = "si-ukc-maribor-listing.xml";
    private static final String SPECIALTY_SI = "https://fhir.cbhealth.eu/CodeSystem/si-zzzs-specialty";
    private static final String SPECIALTY_SHARED = "https://fhir.cbhealth.eu/CodeSystem/cbh-specialty";
    private static final String PAGE_2 = "/PolledDirectory/ListDirectoryResponse[2]";

    private static CbhResourceValidator validator;
    private static SoapDirectoryTranslator translator;
    private static Translation maribor;

    @BeforeAll
    static void setUp() {
        CbhConformanceResources conformance = CbhConformanceResources.load(FHIR);
        validator = new CbhResourceValidator(FHIR, conformance);
        translator = new SoapDirectoryTranslator(
                new SoapDirectoryReader(), new DirectoryModelTranslator(new SpecialtyMapper(conformance.all())));
        maribor = translator.translate(DirectoryXml.fixture(LISTING), maribor("full"));
    }

    @Test
    void shouldTranslateEveryRecordOfBothPagesUnderThePartnersOwnCodes() {
        assertThat(maribor.resources())
                .extracting(r -> r.fhirType() + "/" + r.getIdElement().getIdPart())
                .containsExactly(
                        "Location/UKCM",
                        "Location/UKCM-PED",
                        "Endpoint/EP-FHIR",
                        "Endpoint/EP-MLLP",
                        "HealthcareService/KAR-01",
                        "HealthcareService/NEV-01",
                        "HealthcareService/TOR-01",
                        "HealthcareService/PED-01",
                        "HealthcareService/FRM-01",
                        "Practitioner/ZD-10482",
                        "PractitionerRole/ZD-10482-KAR",
                        "Practitioner/ZD-20931",
                        "PractitionerRole/ZD-20931-PED",
                        "OrganizationAffiliation/SI-AT-2019");
        assertThat(maribor.rejected()).isEmpty();
        assertThat(maribor.unmappedCodes()).containsExactly(PAGE_2 + "/department[1]: specialty FRM");
    }

    @Test
    void shouldProduceResourcesValidAgainstTheCatalogueProfiles() {
        for (Resource resource : maribor.resources()) {
            assertThat(errors(resource)).as(resource.getId()).isEmpty();
        }
    }

    @Test
    void shouldTranslateADepartmentWithItsTranslationSpecialtyLanguagesSiteAndEndpoint() {
        HealthcareService cardiology = resource(HealthcareService.class, "KAR-01");

        assertThat(cardiology.getIdentifier())
                .extracting(i -> i.getSystem(), i -> i.getValue())
                .containsExactly(tuple("https://fhir.cbhealth.eu/sid/partner/si-ukc-maribor/department", "KAR-01"));
        assertThat(cardiology.getActive()).isTrue();
        assertThat(cardiology.getProvidedBy().getReference()).isEqualTo("Organization/si-ukc-maribor");
        assertThat(cardiology.getName()).isEqualTo("Oddelek za kardiologijo in angiologijo");
        assertThat(cardiology.getLanguage()).isEqualTo("sl");
        assertThat(translations(cardiology.getNameElement()))
                .containsExactly(tuple("de", "Abteilung für Kardiologie und Angiologie"));
        assertThat(cardiology.getSpecialtyFirstRep().getCoding())
                .extracting(Coding::getSystem, Coding::getCode)
                .containsExactly(tuple(SPECIALTY_SI, "KAR"), tuple(SPECIALTY_SHARED, "cardiology"));
        assertThat(cardiology.getCommunication())
                .extracting(c -> c.getCodingFirstRep().getCode())
                .containsExactly("sl", "de", "en");
        assertThat(acceptsCrossBorder(cardiology)).isTrue();
        assertThat(cardiology.getTelecom())
                .extracting(ContactPoint::getSystem, ContactPoint::getValue)
                .containsExactly(
                        tuple(ContactPoint.ContactPointSystem.PHONE, "+386 2 321 28 11"),
                        tuple(ContactPoint.ContactPointSystem.EMAIL, "kardiologija@ukc-mb.example"));
        assertThat(cardiology.getLocation()).extracting(Reference::getReference).containsExactly("Location/UKCM");
        assertThat(cardiology.getEndpoint()).extracting(Reference::getReference).containsExactly("Endpoint/EP-FHIR");
    }

    @Test
    void shouldKeepTheUnmappedSpecialtyAsThePartnersCodingAndNoCrossBorderFlagAsFalse() {
        HealthcareService rehabilitation = resource(HealthcareService.class, "FRM-01");

        assertThat(rehabilitation.getSpecialtyFirstRep().getCoding())
                .extracting(Coding::getSystem, Coding::getCode)
                .containsExactly(tuple(SPECIALTY_SI, "FRM"));
        assertThat(acceptsCrossBorder(rehabilitation)).isFalse();
        assertThat(rehabilitation.getCommunication())
                .extracting(c -> c.getCodingFirstRep().getCode())
                .containsExactly("sl");
    }

    @Test
    void shouldTranslateSitesWithAddressCoordinatesAndTheSiteTheyArePartOf() {
        Location campus = resource(Location.class, "UKCM");
        Location paediatrics = resource(Location.class, "UKCM-PED");

        assertThat(campus.getIdentifierFirstRep().getSystem())
                .isEqualTo("https://fhir.cbhealth.eu/sid/partner/si-ukc-maribor/site");
        assertThat(campus.getName()).isEqualTo("Univerzitetni klinični center Maribor");
        assertThat(translations(campus.getNameElement())).containsExactly(tuple("de", "Universitätsklinikum Maribor"));
        assertThat(campus.getAddress().getLine())
                .extracting(StringType::getValue)
                .containsExactly("Ljubljanska ulica 5");
        assertThat(campus.getAddress().getCity()).isEqualTo("Maribor");
        assertThat(campus.getAddress().getPostalCode()).isEqualTo("2000");
        assertThat(campus.getAddress().getCountry()).isEqualTo("SI");
        assertThat(campus.getPosition().getLatitude()).isEqualByComparingTo(new BigDecimal("46.5497"));
        assertThat(campus.getPosition().getLongitude()).isEqualByComparingTo(new BigDecimal("15.6424"));
        assertThat(campus.getTelecomFirstRep().getValue()).isEqualTo("+386 2 321 10 00");
        assertThat(campus.getManagingOrganization().getReference()).isEqualTo("Organization/si-ukc-maribor");
        assertThat(paediatrics.getPartOf().getReference()).isEqualTo("Location/UKCM");
    }

    @Test
    void shouldTranslateAPractitionerWithQualificationAndTheRoleInTheirDepartment() {
        Practitioner horvat = resource(Practitioner.class, "ZD-10482");
        PractitionerRole role = resource(PractitionerRole.class, "ZD-10482-KAR");

        assertThat(horvat.getIdentifierFirstRep().getSystem())
                .isEqualTo("https://fhir.cbhealth.eu/sid/partner/si-ukc-maribor/practitioner");
        assertThat(horvat.getName())
                .extracting(HumanName::getFamily, HumanName::getGivenAsSingleString, HumanName::getPrefixAsSingleString)
                .containsExactly(tuple("Horvat", "Matej", "doc. dr."));
        assertThat(horvat.getQualificationFirstRep()
                        .getCode()
                        .getCodingFirstRep()
                        .getCode())
                .isEqualTo("KAR");
        assertThat(horvat.getQualificationFirstRep()
                        .getCode()
                        .getCodingFirstRep()
                        .getDisplay())
                .isEqualTo("specialist kardiologije in vaskularne medicine");
        assertThat(horvat.getQualificationFirstRep().getIssuer().getDisplay())
                .isEqualTo("Zdravniška zbornica Slovenije");
        assertThat(role.getPractitioner().getReference()).isEqualTo("Practitioner/ZD-10482");
        assertThat(role.getOrganization().getReference()).isEqualTo("Organization/si-ukc-maribor");
        assertThat(role.getHealthcareService())
                .extracting(Reference::getReference)
                .containsExactly("HealthcareService/KAR-01");
        assertThat(role.getSpecialtyFirstRep().getCoding())
                .extracting(Coding::getSystem, Coding::getCode)
                .containsExactly(tuple(SPECIALTY_SI, "KAR"), tuple(SPECIALTY_SHARED, "cardiology"));
        assertThat(role.getTelecomFirstRep().getValue()).isEqualTo("matej.horvat@ukc-mb.example");
    }

    @Test
    void shouldTranslateEndpointsAndThePartnershipWithKlagenfurt() {
        Endpoint fhir = resource(Endpoint.class, "EP-FHIR");
        OrganizationAffiliation agreement = resource(OrganizationAffiliation.class, "SI-AT-2019");

        assertThat(fhir.getConnectionType().getSystem())
                .isEqualTo("http://terminology.hl7.org/CodeSystem/endpoint-connection-type");
        assertThat(fhir.getConnectionType().getCode()).isEqualTo("hl7-fhir-rest");
        assertThat(fhir.getName()).isEqualTo("UKC Maribor FHIR R4");
        assertThat(fhir.getAddress()).isEqualTo("https://fhir.ukc-mb.example/r4");
        assertThat(fhir.getPayloadTypeFirstRep().getCoding())
                .extracting(Coding::getSystem, Coding::getCode)
                .containsExactly(tuple("http://terminology.hl7.org/CodeSystem/endpoint-payload-type", "any"));
        assertThat(fhir.getPayloadMimeType()).extracting(CodeType::getValue).containsExactly("application/fhir+json");
        assertThat(resource(Endpoint.class, "EP-MLLP").getAddress()).isEqualTo("mllp://his.ukc-mb.example:2577");
        assertThat(agreement.getPeriod().getStartElement().getValueAsString()).isEqualTo("2019-05-01");
        assertThat(agreement.getPeriod().hasEnd()).isFalse();
        assertThat(agreement.getOrganization().getReference()).isEqualTo("Organization/si-ukc-maribor");
        assertThat(agreement.getParticipatingOrganization().getIdentifier().getSystem())
                .isEqualTo("https://fhir.cbhealth.eu/sid/registry/at-gda");
        assertThat(agreement.getParticipatingOrganization().getIdentifier().getValue())
                .isEqualTo("KABEG-KK");
        assertThat(agreement.getParticipatingOrganization().getDisplay())
                .isEqualTo("Klinikum Klagenfurt am Wörthersee");
        assertThat(agreement.getHealthcareService())
                .extracting(Reference::getReference)
                .containsExactly("HealthcareService/KAR-01", "HealthcareService/TOR-01");
    }

    @Test
    void shouldPassOnTheRecordsTheReaderRefusedWithTheirPaths() {
        byte[] listing = DirectoryXml.fixtureWith(
                LISTING, "<dir:departmentCode>NEV-01</dir:departmentCode>", "<dir:departmentCode/>");

        Translation translation = translator.translate(listing, maribor("full"));

        assertThat(translation.rejected())
                .containsExactly(new InputProblem(
                        "/PolledDirectory/ListDirectoryResponse[1]/department[2]/departmentCode",
                        "required: the partner's code of the record"));
        assertThat(translation.resources())
                .extracting(r -> r.getIdElement().getIdPart())
                .doesNotContain("NEV-01")
                .contains("KAR-01", "FRM-01");
    }

    @Test
    void shouldRefuseAListingWithoutAnyRecord() {
        byte[] empty = DirectoryXml.page("S1", 1, 0, 0, null).getBytes(StandardCharsets.UTF_8);

        InvalidMessageException refused =
                catchThrowableOfType(InvalidMessageException.class, () -> translator.translate(empty, maribor("full")));

        assertThat(refused.getMessage())
                .isEqualTo("Directory listing refused: it lists no record (no site, department, practitioner, endpoint"
                        + " or affiliation)");
    }

    private static <T extends Resource> T resource(Class<T> type, String id) {
        return maribor.resources().stream()
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

    private static TranslationContext maribor(String scope) {
        return new TranslationContext(
                "si-ukc-maribor",
                "directory",
                new Reference("Organization/si-ukc-maribor"),
                SPECIALTY_SI,
                "sl",
                Map.of(),
                Map.of("cbhealth.directory.scope", scope));
    }
}
