package org.cbhealth.hub.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cbhealth.hub.support.DirectoryFixtures.healthcareService;
import static org.cbhealth.hub.support.DirectoryFixtures.organization;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.MethodOutcome;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.cbhealth.hub.support.HubIntegrationTest;
import org.cbhealth.profiles.CbhCanonical;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Endpoint;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.HealthcareService;
import org.hl7.fhir.r4.model.Location;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The staff queries of the cross-border directory against the running hub, as a staff tool sends them over HTTP:
 * HealthcareService by shared specialty, by country, by language, by name in Latin and Cyrillic script, with
 * {@code _include} of organization, location and endpoint; Organization and Location by name across scripts. The
 * directory of five hospitals is seeded through {@code /fhir}; every query is narrowed to this run's resources by a
 * tag, so each asserts the exact set it must find.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DirectorySearchIT extends HubIntegrationTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final String RUN_TAG_SYSTEM = "urn:ietf:rfc:3986";

    private final String runTag = "urn:uuid:" + UUID.randomUUID();

    private String orgStip;
    private String orgBlagoevgrad;
    private String orgLviv;
    private String orgKlagenfurt;
    private String orgRzeszow;
    private String locStip;
    private String locLviv;
    private String locKlagenfurt;
    private String endpointStip;
    private String stipHospital;
    private String stipCardiology;
    private String blagoevgradCardiology;
    private String lvivCardiology;
    private String klagenfurtNeurology;
    private String rzeszowCardiology;
    private HealthcareService lvivCardiologyAsSent;

    @BeforeAll
    void directory() {
        Organization stip = organization("ЈЗУ Клиничка болница Штип", "MK");
        stip.setLanguage("mk");
        stip.addAlias("Clinical Hospital Štip");
        orgStip = create(stip);
        orgBlagoevgrad = create(organization("MBAL Blagoevgrad", "BG"));
        Organization lviv = organization("КНП ЛОР «Львівська обласна клінічна лікарня»", "UA");
        lviv.setLanguage("uk");
        orgLviv = create(lviv);
        Organization klagenfurt = organization("Klinikum Klagenfurt am Wörthersee", "AT");
        klagenfurt.setLanguage("de");
        klagenfurt.addAlias("Klinikum Celovec");
        orgKlagenfurt = create(klagenfurt);
        Organization rzeszow = organization("Uniwersytecki Szpital Kliniczny w Rzeszowie", "PL");
        rzeszow.setLanguage("pl");
        rzeszow.getNameElement().addExtension(translation("uk", "Університетська клінічна лікарня в Жешуві"));
        orgRzeszow = create(rzeszow);

        locStip = create(location("Клиничка болница Штип, ул. Крсте Мисирков", "mk", "MK", orgStip));
        locLviv = create(location("Львів, вул. Чернігівська 7", "uk", "UA", orgLviv));
        locKlagenfurt = create(location("Standort Klagenfurt, Kärnten", "de", "AT", orgKlagenfurt));
        endpointStip = create(endpoint(orgStip));

        stipHospital = create(service("Клиничка болница Штип", "general-surgery", orgStip, locStip, "mk"));
        HealthcareService stipCardio = service("Одделение за кардиологија", "cardiology", orgStip, locStip, "mk", "bg");
        stipCardio.addEndpoint(new Reference(endpointStip));
        stipCardiology = create(stipCardio);
        blagoevgradCardiology =
                create(service("Отделение по кардиология", "cardiology", orgBlagoevgrad, null, "bg", "en"));
        lvivCardiologyAsSent = service("Відділення кардіології", "cardiology", orgLviv, locLviv, "uk", "pl");
        lvivCardiologyAsSent.setLanguage("uk");
        lvivCardiology = create(lvivCardiologyAsSent);
        klagenfurtNeurology =
                create(service("Abteilung für Neurologie", "neurology", orgKlagenfurt, locKlagenfurt, "de", "sl"));
        rzeszowCardiology = create(service("Klinika Kardiologii", "cardiology", orgRzeszow, null, "pl", "uk", "en"));
    }

    @Test
    void servicesBySharedSpecialty() {
        Bundle found = search("HealthcareService?specialty=" + enc(CbhCanonical.CS_SPECIALTY + "|cardiology"));

        assertThat(matches(found))
                .containsExactlyInAnyOrder(stipCardiology, blagoevgradCardiology, lvivCardiology, rzeszowCardiology);
    }

    @Test
    void servicesByCountryOfTheirOrganizationOrLocation() {
        assertThat(matches(search("HealthcareService?organization.address-country=MK")))
                .containsExactlyInAnyOrder(stipHospital, stipCardiology);
        assertThat(matches(search("HealthcareService?location.address-country=UA")))
                .containsExactly(lvivCardiology);
        assertThat(matches(search("HealthcareService?organization.address-country=BG")))
                .containsExactly(blagoevgradCardiology);
    }

    @Test
    void servicesByLanguageSpoken() {
        assertThat(matches(search("HealthcareService?language=uk")))
                .containsExactlyInAnyOrder(lvivCardiology, rzeszowCardiology);
        assertThat(matches(search("HealthcareService?language=" + enc("urn:ietf:bcp:47|sl"))))
                .containsExactly(klagenfurtNeurology);
        assertThat(matches(search("HealthcareService?language=bg,de")))
                .containsExactlyInAnyOrder(stipCardiology, blagoevgradCardiology, klagenfurtNeurology);
    }

    @Test
    void servicesByNameInLatinLetters() {
        assertThat(matches(search("HealthcareService?name=Stip"))).containsExactly(stipHospital);
        assertThat(matches(search("HealthcareService?name=bolnica"))).containsExactly(stipHospital);
        assertThat(matches(search("HealthcareService?name=kardiolog")))
                .containsExactlyInAnyOrder(stipCardiology, blagoevgradCardiology, lvivCardiology, rzeszowCardiology);
        assertThat(matches(search("HealthcareService?name=kardiolohiyi"))).containsExactly(lvivCardiology);
        assertThat(matches(search("HealthcareService?name=Neurologie"))).containsExactly(klagenfurtNeurology);
    }

    @Test
    void servicesByNameInCyrillic() {
        assertThat(matches(search("HealthcareService?name=" + enc("Штип")))).containsExactly(stipHospital);
        assertThat(matches(search("HealthcareService?name=" + enc("кардиолог"))))
                .containsExactlyInAnyOrder(stipCardiology, blagoevgradCardiology, lvivCardiology, rzeszowCardiology);
        assertThat(matches(search("HealthcareService?name=" + enc("Відділення"))))
                .containsExactly(lvivCardiology);
    }

    @Test
    void servicesWithTheirOrganizationLocationAndEndpoint() {
        Bundle found = search("HealthcareService?specialty=" + enc(CbhCanonical.CS_SPECIALTY + "|cardiology")
                + "&organization.address-country=MK"
                + "&_include=HealthcareService:organization"
                + "&_include=HealthcareService:location"
                + "&_include=HealthcareService:endpoint");

        assertThat(matches(found)).containsExactly(stipCardiology);
        assertThat(included(found)).containsExactlyInAnyOrder(orgStip, locStip, endpointStip);
        Organization organization = (Organization) entry(found, orgStip);
        assertThat(organization.getName()).isEqualTo("ЈЗУ Клиничка болница Штип");
        assertThat(((Endpoint) entry(found, endpointStip)).getAddress()).isEqualTo("https://fhir.kbstip.example/r4");
    }

    @Test
    void organizationsByNameAcrossScripts() {
        assertThat(matches(search("Organization?name=" + enc("Благоевград")))).containsExactly(orgBlagoevgrad);
        assertThat(matches(search("Organization?name=Stip"))).containsExactly(orgStip);
        assertThat(matches(search("Organization?name=Lviv"))).containsExactly(orgLviv);
        assertThat(matches(search("Organization?name=Lvivska"))).containsExactly(orgLviv);
        assertThat(matches(search("Organization?name=Rzeszow"))).containsExactly(orgRzeszow);
        assertThat(matches(search("Organization?name=" + enc("Жешув")))).containsExactly(orgRzeszow);
        assertThat(matches(search("Organization?name=Celovec"))).containsExactly(orgKlagenfurt);
        assertThat(matches(search("Organization?name=Woerthersee"))).containsExactly(orgKlagenfurt);
        assertThat(matches(search("Organization?name=Sofia"))).isEmpty();
    }

    @Test
    void exactNameSearchStillComparesTheWholeName() {
        assertThat(matches(search("Organization?name:exact=Stip"))).isEmpty();
        assertThat(matches(search("Organization?name:exact=" + enc("ЈЗУ Клиничка болница Штип"))))
                .containsExactly(orgStip);
        assertThat(matches(search("Organization?name:exact=" + enc("Clinical Hospital Štip"))))
                .containsExactly(orgStip);
    }

    @Test
    void locationsByNameAcrossScripts() {
        assertThat(matches(search("Location?name=Karnten"))).containsExactly(locKlagenfurt);
        assertThat(matches(search("Location?name=Kaernten"))).containsExactly(locKlagenfurt);
        assertThat(matches(search("Location?name=Lviv"))).containsExactly(locLviv);
        assertThat(matches(search("Location?name=Misirkov"))).containsExactly(locStip);
    }

    @Test
    void servicesByTheNameOfTheirOrganizationInEitherScript() {
        assertThat(matches(search("HealthcareService?organization.name=" + enc("Благоевград"))))
                .containsExactly(blagoevgradCardiology);
        assertThat(matches(search("HealthcareService?organization.name=Stip")))
                .containsExactlyInAnyOrder(stipHospital, stipCardiology);
    }

    @Test
    void storedSearchNamesConformToTheProfileAndAnUnchangedUpdateStoresNothing() throws Exception {
        HealthcareService stored = fhirClient()
                .read()
                .resource(HealthcareService.class)
                .withId(lvivCardiology)
                .execute();
        assertThat(stored.getExtensionsByUrl(CbhCanonical.EXT_SEARCH_NAME))
                .extracting(e -> e.getValue().primitiveValue())
                .containsExactly(
                        "кардіології",
                        "Viddilenna kardiologii",
                        "kardiologii",
                        "Viddilennya kardiolohiyi",
                        "kardiolohiyi");

        OperationOutcome validation = validate(stored, CbhCanonical.PROFILE_HEALTHCARE_SERVICE);
        assertThat(validation.getIssue())
                .filteredOn(i -> i.getSeverity() == OperationOutcome.IssueSeverity.ERROR
                        || i.getSeverity() == OperationOutcome.IssueSeverity.FATAL)
                .isEmpty();

        HealthcareService again = lvivCardiologyAsSent.copy();
        again.setId(lvivCardiology);
        MethodOutcome outcome = fhirClient().update().resource(again).execute();
        assertThat(outcome.getId().getVersionIdPart()).isEqualTo("1");
    }

    // ---- fixtures ----

    private String create(Resource resource) {
        resource.getMeta().addTag(new Coding(RUN_TAG_SYSTEM, runTag, null));
        return fhirClient()
                .create()
                .resource(resource)
                .execute()
                .getId()
                .toUnqualifiedVersionless()
                .getValue();
    }

    private static Location location(String name, String language, String country, String organization) {
        Location location = new Location().setName(name);
        location.setLanguage(language);
        location.getAddress().setCountry(country);
        location.setManagingOrganization(new Reference(organization));
        return location;
    }

    private static Endpoint endpoint(String organization) {
        Endpoint endpoint = new Endpoint()
                .setStatus(Endpoint.EndpointStatus.ACTIVE)
                .setConnectionType(new Coding(
                        "http://terminology.hl7.org/CodeSystem/endpoint-connection-type", "hl7-fhir-rest", null))
                .setManagingOrganization(new Reference(organization))
                .setAddress("https://fhir.kbstip.example/r4");
        endpoint.addPayloadType().addCoding(new Coding("http://hl7.org/fhir/resource-types", "ServiceRequest", null));
        return endpoint;
    }

    private static HealthcareService service(
            String name, String specialty, String organization, String location, String... languages) {
        HealthcareService service = healthcareService(name, specialty, languages[0]);
        for (int i = 1; i < languages.length; i++) {
            service.addCommunication().addCoding().setSystem("urn:ietf:bcp:47").setCode(languages[i]);
        }
        service.setProvidedBy(new Reference(organization));
        if (location != null) {
            service.addLocation(new Reference(location));
        }
        return service;
    }

    private static Extension translation(String language, String content) {
        Extension translation = new Extension(CbhCanonical.EXT_TRANSLATION);
        translation.addExtension("lang", new CodeType(language));
        translation.addExtension("content", new StringType(content));
        return translation;
    }

    // ---- HTTP ----

    /** {@code GET /fhir/<query>&_tag=<this run>}, as a staff tool sends it. */
    private Bundle search(String query) {
        String url = fhirBase() + "/" + query + "&_tag=" + enc(RUN_TAG_SYSTEM + "|" + runTag);
        HttpResponse<String> response = get(url);
        assertThat(response.statusCode()).as(query + ": " + response.body()).isEqualTo(200);
        return FHIR.newJsonParser().parseResource(Bundle.class, response.body());
    }

    private OperationOutcome validate(Resource resource, String profile) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        asIntegrator(HttpRequest.newBuilder(URI.create(
                                        fhirBase() + "/" + resource.fhirType() + "/$validate?profile=" + enc(profile))))
                                .header("Content-Type", "application/fhir+json")
                                .POST(HttpRequest.BodyPublishers.ofString(
                                        FHIR.newJsonParser().encodeResourceToString(resource)))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        return FHIR.newJsonParser().parseResource(OperationOutcome.class, response.body());
    }

    private static HttpResponse<String> get(String url) {
        try {
            return HttpClient.newHttpClient()
                    .send(
                            asIntegrator(HttpRequest.newBuilder(URI.create(url)))
                                    .header("Accept", "application/fhir+json")
                                    .GET()
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** {@code Type/id} of the entries the search matched. */
    private static List<String> matches(Bundle bundle) {
        return entries(bundle, Bundle.SearchEntryMode.MATCH);
    }

    /** {@code Type/id} of the entries the search included. */
    private static List<String> included(Bundle bundle) {
        return entries(bundle, Bundle.SearchEntryMode.INCLUDE);
    }

    private static List<String> entries(Bundle bundle, Bundle.SearchEntryMode mode) {
        return bundle.getEntry().stream()
                .filter(e -> e.getSearch().getMode() == mode)
                .map(e -> e.getResource()
                        .getIdElement()
                        .toUnqualifiedVersionless()
                        .getValue())
                .toList();
    }

    private static Resource entry(Bundle bundle, String id) {
        return bundle.getEntry().stream()
                .map(Bundle.BundleEntryComponent::getResource)
                .filter(r ->
                        r.getIdElement().toUnqualifiedVersionless().getValue().equals(id))
                .findFirst()
                .orElseThrow();
    }
}
