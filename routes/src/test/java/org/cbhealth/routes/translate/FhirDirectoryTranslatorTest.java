package org.cbhealth.routes.translate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.cbhealth.profiles.validation.CbhConformanceResources;
import org.cbhealth.profiles.validation.CbhResourceValidator;
import org.cbhealth.routes.directory.SpecialtyMapper;
import org.cbhealth.routes.fhir.FhirResourceReader;
import org.cbhealth.routes.fhir.InputProblem;
import org.cbhealth.routes.fhir.InvalidMessageException;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.HealthcareService;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Location;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class FhirDirectoryTranslatorTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final TranslationContext KLAGENFURT = new TranslationContext(
            "at-klinikum-klagenfurt",
            "directory-sync",
            new Reference("Organization/at-klinikum-klagenfurt"),
            null,
            "de",
            Map.of(),
            Map.of("cbhealth.directory.scope", "partial"));
    private static final TranslationContext MARIBOR = new TranslationContext(
            "si-ukc-maribor",
            "push",
            new Reference("Organization/si-ukc-maribor"),
            "https://fhir.cbhealth.eu/CodeSystem/si-zzzs-specialty",
            "sl",
            Map.of(),
            Map.of());

    private static CbhResourceValidator validator;
    private static FhirDirectoryTranslator translator;

    @BeforeAll
    static void setUp() {
        CbhConformanceResources conformance = CbhConformanceResources.load(FHIR);
        validator = new CbhResourceValidator(FHIR, conformance);
        translator =
                new FhirDirectoryTranslator(FHIR, new FhirResourceReader(FHIR), new SpecialtyMapper(conformance.all()));
    }

    @Test
    void shouldTakeTheLatestVersionOfEachRecordOfAHistoryAndWithdrawTheDeletedOne() throws IOException {
        Translation translation = translator.translate(sample("at-klinikum-history.json"), KLAGENFURT);

        assertThat(translation.resources())
                .extracting(r -> r.getIdElement().getValue())
                .containsExactly(
                        "Organization/ukc-maribor",
                        "Organization/kabeg-kk",
                        "Endpoint/fhir-api",
                        "Location/haus-a",
                        "HealthcareService/kardiologie",
                        "HealthcareService/dermatologie",
                        "Practitioner/dr-huber",
                        "OrganizationAffiliation/twinning-maribor");
        assertThat(translation.withdrawn()).containsExactly("PractitionerRole/huber-kardiologie");
        assertThat(translation.rejected()).isEmpty();
        assertThat(translation.unmappedCodes())
                .containsExactly("HealthcareService/dermatologie: https://gda.example.at/CodeSystem/fachrichtung|DER");

        HealthcareService cardiology =
                (HealthcareService) translation.resources().get(4);
        assertThat(cardiology.getName()).isEqualTo("Abteilung für Kardiologie und Intensivmedizin");
        assertThat(cardiology.getMeta().hasVersionId()).isFalse();
        assertThat(cardiology.getMeta().hasLastUpdated()).isFalse();
        assertThat(cardiology.getMeta().hasSource()).isFalse();
        assertThat(cardiology.getIdentifier())
                .extracting(Identifier::getSystem, Identifier::getValue)
                .containsExactly(tuple(
                        "https://fhir.cbhealth.eu/sid/partner/at-klinikum-klagenfurt/healthcareservice",
                        "kardiologie"));
        assertThat(cardiology.getProvidedBy().getReference()).isEqualTo("Organization/kabeg-kk");
        assertThat(cardiology.getLocationFirstRep().getReference()).isEqualTo("Location/haus-a");
        assertThat(cardiology.getEndpointFirstRep().getReference()).isEqualTo("Endpoint/fhir-api");
        assertThat(cardiology.getSpecialtyFirstRep().getCoding())
                .extracting(Coding::getSystem, Coding::getCode)
                .containsExactly(
                        tuple("https://fhir.cbhealth.eu/CodeSystem/si-zzzs-specialty", "KAR"),
                        tuple("https://fhir.cbhealth.eu/CodeSystem/cbh-specialty", "cardiology"));

        Organization klinikum = (Organization) translation.resources().get(1);
        assertThat(klinikum.getIdentifier())
                .extracting(Identifier::getSystem, Identifier::getValue)
                .containsExactly(
                        tuple("https://fhir.cbhealth.eu/sid/registry/at-gda", "KABEG-KK"),
                        tuple("https://fhir.cbhealth.eu/sid/partner/at-klinikum-klagenfurt/organization", "kabeg-kk"));
        for (Resource resource : translation.resources()) {
            assertThat(errors(resource)).as(resource.getIdElement().getValue()).isEmpty();
        }
    }

    @Test
    void shouldKeyATransactionsRecordsOnTheirIdsAndRefuseWhatIsNotADirectoryRecordOneByOne() throws IOException {
        Translation translation = translator.translate(sample("si-ukc-maribor-transaction.json"), MARIBOR);

        assertThat(translation.resources())
                .extracting(r -> r.getIdElement().getValue())
                .containsExactly(
                        "Organization/id-9f6a683c4000f99680b5",
                        "Location/klinika-interna",
                        "HealthcareService/kardiologija");
        assertThat(translation.withdrawn()).containsExactly("Endpoint/stari-portal");
        assertThat(translation.rejected())
                .extracting(InputProblem::location, InputProblem::reason)
                .containsExactly(
                        tuple(
                                "Bundle.entry[3]",
                                "Patient is not a directory resource; a directory channel takes Organization,"
                                        + " Endpoint, Location, HealthcareService, Practitioner, PractitionerRole,"
                                        + " OrganizationAffiliation"),
                        tuple("Bundle.entry[5]", "entry without a resource"),
                        tuple(
                                "Bundle.entry[6]",
                                "Organization has neither an id nor an identifier: a directory record needs the"
                                        + " partner's own id (Organization.id, or PUT Organization/<id>) or a"
                                        + " business identifier"));
        assertThat(translation.unmappedCodes()).isEmpty();

        Location clinic = (Location) translation.resources().get(1);
        assertThat(clinic.getManagingOrganization().getReference()).isEqualTo("Organization/id-9f6a683c4000f99680b5");
        assertThat(clinic.getIdentifier())
                .extracting(Identifier::getSystem, Identifier::getValue)
                .containsExactly(
                        tuple("https://fhir.cbhealth.eu/sid/partner/si-ukc-maribor/location", "klinika-interna"));
        HealthcareService cardiology =
                (HealthcareService) translation.resources().get(2);
        assertThat(cardiology.getProvidedBy().getReference()).isEqualTo("Organization/id-9f6a683c4000f99680b5");
        assertThat(cardiology.getLocationFirstRep().getReference()).isEqualTo("Location/klinika-interna");
        assertThat(cardiology.getSpecialtyFirstRep().getCoding())
                .extracting(Coding::getSystem, Coding::getCode)
                .containsExactly(
                        tuple(null, "KAR"), tuple("https://fhir.cbhealth.eu/CodeSystem/cbh-specialty", "cardiology"));
        Organization hospital = (Organization) translation.resources().get(0);
        assertThat(hospital.getIdentifier())
                .extracting(Identifier::getSystem, Identifier::getValue)
                .containsExactly(
                        tuple("https://fhir.cbhealth.eu/sid/registry/si-prs", "5054133"),
                        tuple(
                                "https://fhir.cbhealth.eu/sid/partner/si-ukc-maribor/organization",
                                "id-9f6a683c4000f99680b5"));
    }

    @Test
    void shouldRefuseAConditionalUpdateThatCouldMatchAnotherPartnersRecords() {
        String json = "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[{\"resource\":"
                + "{\"resourceType\":\"HealthcareService\",\"name\":\"Kardiologie\",\"active\":false},\"request\":"
                + "{\"method\":\"PUT\",\"url\":\"HealthcareService?identifier=https://fhir.cbhealth.eu/sid/partner/"
                + "mk-kb-stip/healthcareservice|kardio\"}}]}";

        assertThatThrownBy(() -> translator.translate(json.getBytes(StandardCharsets.UTF_8), KLAGENFURT))
                .isInstanceOf(InvalidMessageException.class)
                .satisfies(e -> assertThat(((InvalidMessageException) e).problems())
                        .extracting(InputProblem::location, InputProblem::reason)
                        .containsExactly(tuple(
                                "Bundle.entry[0]",
                                "request.url: 'HealthcareService?identifier=https://fhir.cbhealth.eu/sid/partner/"
                                        + "mk-kb-stip/healthcareservice|kardio': a conditional update is not taken on"
                                        + " a partner's channel, as it could match another partner's records; name"
                                        + " the record as Type/<id>")));
    }

    @Test
    void shouldTakeOneResourceWithItsOwnId() {
        String json = "{\"resourceType\":\"Organization\",\"id\":\"kabeg-kk\",\"meta\":{\"versionId\":\"7\"},"
                + "\"identifier\":[{\"system\":\"https://fhir.cbhealth.eu/sid/registry/at-gda\",\"value\":\"KABEG-KK\"}],"
                + "\"active\":true,\"name\":\"Klinikum Klagenfurt am Wörthersee\",\"address\":[{\"country\":\"AT\"}]}";

        Translation translation = translator.translate(json.getBytes(StandardCharsets.UTF_8), KLAGENFURT);

        assertThat(translation.resources())
                .extracting(r -> r.getIdElement().getValue())
                .containsExactly("Organization/kabeg-kk");
        assertThat(translation.resources().get(0).getMeta().hasVersionId()).isFalse();
        assertThat(translation.withdrawn()).isEmpty();
    }

    @Test
    void shouldRefuseAResourceThatIsNotADirectoryRecord() {
        byte[] patient = "{\"resourceType\":\"Patient\",\"id\":\"p1\"}".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> translator.translate(patient, KLAGENFURT))
                .isInstanceOf(InvalidMessageException.class)
                .hasMessage("nothing of the message could be taken: Patient: Patient is not a directory resource;"
                        + " a directory channel takes Organization, Endpoint, Location, HealthcareService,"
                        + " Practitioner, PractitionerRole, OrganizationAffiliation");
    }

    @Test
    void shouldRefuseABundleOfAKindThatCarriesNoDirectory() {
        byte[] document =
                "{\"resourceType\":\"Bundle\",\"type\":\"document\",\"entry\":[]}".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> translator.translate(document, KLAGENFURT))
                .isInstanceOf(InvalidMessageException.class)
                .hasMessage("Bundle.type: 'document' is not taken on a directory channel; send a collection, batch,"
                        + " transaction, searchset or history Bundle");
    }

    @Test
    void shouldRefuseABundleOfWhichNothingIsADirectoryRecord() {
        byte[] bundle = ("{\"resourceType\":\"Bundle\",\"type\":\"collection\",\"entry\":["
                        + "{\"resource\":{\"resourceType\":\"Patient\",\"id\":\"p1\"}},{}]}")
                .getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> translator.translate(bundle, KLAGENFURT))
                .isInstanceOf(InvalidMessageException.class)
                .satisfies(e -> assertThat(((InvalidMessageException) e).problems())
                        .extracting(InputProblem::location)
                        .containsExactly("Bundle.entry[0]", "Bundle.entry[1]"));
    }

    @Test
    void shouldLetTheLatestOfARecordsEntriesWinWhateverTheirOrder() {
        byte[] bundle = ("{\"resourceType\":\"Bundle\",\"type\":\"history\",\"entry\":["
                        + "{\"request\":{\"method\":\"DELETE\",\"url\":\"Location/haus-b/_history/2\"}},"
                        + "{\"resource\":{\"resourceType\":\"Location\",\"id\":\"haus-b\",\"meta\":{\"versionId\":\"3\"},"
                        + "\"name\":\"Haus B\",\"address\":{\"country\":\"AT\"},"
                        + "\"managingOrganization\":{\"reference\":\"Organization/kabeg-kk\"}},"
                        + "\"request\":{\"method\":\"PUT\",\"url\":\"Location/haus-b/_history/3\"}},"
                        + "{\"resource\":{\"resourceType\":\"Location\",\"id\":\"haus-b\",\"meta\":{\"versionId\":\"1\"},"
                        + "\"name\":\"Haus B (alt)\",\"address\":{\"country\":\"AT\"},"
                        + "\"managingOrganization\":{\"reference\":\"Organization/kabeg-kk\"}},"
                        + "\"request\":{\"method\":\"POST\",\"url\":\"Location/haus-b/_history/1\"}}]}")
                .getBytes(StandardCharsets.UTF_8);

        Translation translation = translator.translate(bundle, KLAGENFURT);

        assertThat(translation.withdrawn()).isEmpty();
        assertThat(translation.resources()).hasSize(1);
        assertThat(((Location) translation.resources().get(0)).getName()).isEqualTo("Haus B");
    }

    private static List<String> errors(Resource resource) {
        return validator.validate(resource).getMessages().stream()
                .filter(m -> m.getSeverity() == ResultSeverityEnum.ERROR)
                .map(m -> m.getLocationString() + ": " + m.getMessage())
                .toList();
    }

    private static byte[] sample(String file) throws IOException {
        try (InputStream in =
                FhirDirectoryTranslatorTest.class.getResourceAsStream("/samples/directory/fhir/" + file)) {
            return in.readAllBytes();
        }
    }
}
