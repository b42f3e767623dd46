package org.cbhealth.hub.partner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.cbhealth.hub.support.FhirClients;
import org.cbhealth.hub.support.FreePorts;
import org.cbhealth.hub.support.HubIntegrationTest;
import org.cbhealth.hub.support.PartnerFhirServer;
import org.cbhealth.hub.support.PartnerFiles;
import org.cbhealth.hub.support.TcpProxy;
import org.cbhealth.profiles.CbhCanonical;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Endpoint;
import org.hl7.fhir.r4.model.HealthcareService;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Location;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * IHE mCSD Update from a partner's own FHIR server: a real HAPI FHIR JPA server in a JVM of its own (the plain
 * server of {@code bench/plain-hapi} on H2), reached through a link the test can cut. The partner's directory is
 * synchronised with {@code _history?_since}, changed, deleted from, cut off while it keeps changing, and reached
 * again: every change arrives, each exactly once (the number of versions in the hub), the deleted record is
 * deactivated, and a new route for the channel resumes from the checkpoint in the hub's database.
 */
class McsdSyncIT extends HubIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String CHANNEL = "directory-sync";

    private static PartnerFhirServer partnerServer;
    private static TcpProxy link;

    private final String id = "it-mcsd-" + UUID.randomUUID().toString().substring(0, 6);

    @BeforeAll
    static void partnersFhirServer() throws Exception {
        partnerServer =
                PartnerFhirServer.start(Files.createTempDirectory("cbhealth-partner-fhir-"), Duration.ofMinutes(5));
        link = new TcpProxy(FreePorts.next(), partnerServer.port());
    }

    @AfterAll
    static void stopPartnersFhirServer() throws Exception {
        if (link != null) {
            link.close();
        }
        if (partnerServer != null) {
            partnerServer.close();
        }
    }

    @AfterEach
    void removePartner() throws Exception {
        // the shared hub stops polling a server that is about to go away
        Files.deleteIfExists(PARTNERS_DIR.resolve(id + ".yaml"));
        await().atMost(WAIT).until(() -> admin().partner(id) == null);
    }

    @Test
    void everyChangeArrivesOnceThroughAnOutageAndANewRouteResumesFromTheCheckpoint() throws Exception {
        // the partner's directory before the hub knows the partner
        IGenericClient partner = partnerServer.client();
        put(partner, organization("Klinikum Klagenfurt am Wörthersee"));
        put(partner, location("haus-a", "Haus A — Chirurgie"));
        put(partner, endpoint());
        put(partner, service("kardiologie", "Abteilung für Kardiologie", "cardiology"));
        put(partner, service("dermatologie", "Abteilung für Dermatologie", "dermato-venereology"));
        put(partner, practitioner("Huber"));
        put(partner, role());

        PartnerFiles.write(PARTNERS_DIR, id + ".yaml", partnerFile(id, link.port()));

        // first poll: the whole history, namespaced in the hub
        await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> assertThat(
                        hub(HealthcareService.class, "kardiologie").getName())
                .isEqualTo("Abteilung für Kardiologie"));
        HealthcareService cardiology = hub(HealthcareService.class, "kardiologie");
        assertThat(cardiology.getProvidedBy().getReference()).isEqualTo("Organization/" + id + "-kabeg-kk");
        assertThat(cardiology.getLocationFirstRep().getReference()).isEqualTo("Location/" + id + "-haus-a");
        assertThat(cardiology.getEndpointFirstRep().getReference()).isEqualTo("Endpoint/" + id + "-fhir-api");
        assertThat(cardiology.getMeta().getSource())
                .isEqualTo("https://fhir.cbhealth.eu/partner/" + id + "/" + CHANNEL);
        assertThat(cardiology.getIdentifier())
                .extracting(Identifier::getSystem, Identifier::getValue)
                .contains(org.assertj.core.groups.Tuple.tuple(
                        "https://fhir.cbhealth.eu/sid/partner/" + id + "/healthcareservice", "kardiologie"));
        assertThat(hub(PractitionerRole.class, "huber-kardiologie").getActive()).isTrue();
        assertThat(firstHistoryRequest(partnerServer.requests(), 0)).doesNotContain("_since");
        JsonNode route = route();
        assertThat(route.get("id").asText()).isEqualTo("partner-" + id + "-" + CHANNEL + "-directory");
        assertThat(route.get("kind").asText()).isEqualTo("fhir-poll");
        assertThat(route.at("/poll/nextSince").asText()).isNotEmpty();

        // changes and a deletion on the partner's server
        put(partner, service("kardiologie", "Abteilung für Kardiologie und Intensivmedizin", "cardiology"));
        partner.delete().resourceById("PractitionerRole", "huber-kardiologie").execute();
        await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> {
            assertThat(hub(HealthcareService.class, "kardiologie").getName())
                    .isEqualTo("Abteilung für Kardiologie und Intensivmedizin");
            assertThat(hub(PractitionerRole.class, "huber-kardiologie").getActive())
                    .isFalse();
        });

        // the link to the partner goes down: polls fail, the checkpoint stays
        link.cut();
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(route().at("/poll/lastResult").asText())
                        .startsWith("failed: the partner's server could not be reached"));
        JsonNode failed = route().get("poll");
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(route().at("/poll/lastPollAt").asText())
                        .isNotEqualTo(failed.get("lastPollAt").asText()));
        assertThat(route().at("/poll/nextSince").asText())
                .isEqualTo(failed.get("nextSince").asText());

        // meanwhile the partner's directory changes on
        put(partner, service("dermatologie", "Abteilung für Dermatologie und Venerologie", "dermato-venereology"));
        put(partner, location("haus-b", "Haus B — Innere Medizin"));
        put(partner, service("kardiologie", "Abteilung für Kardiologie, Intensivmedizin und Angiologie", "cardiology"));
        Practitioner huber = practitioner("Huber-Wallner");
        put(partner, huber);
        assertThat(hub(HealthcareService.class, "dermatologie").getName()).isEqualTo("Abteilung für Dermatologie");

        // the link is back: everything that changed arrives
        link.restore();
        await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> {
            assertThat(hub(HealthcareService.class, "dermatologie").getName())
                    .isEqualTo("Abteilung für Dermatologie und Venerologie");
            assertThat(hub(Location.class, "haus-b").getName()).isEqualTo("Haus B — Innere Medizin");
            assertThat(hub(HealthcareService.class, "kardiologie").getName())
                    .isEqualTo("Abteilung für Kardiologie, Intensivmedizin und Angiologie");
            assertThat(hub(Practitioner.class, "dr-huber").getNameFirstRep().getFamily())
                    .isEqualTo("Huber-Wallner");
        });
        // a few more polls read the last minute again (the overlap): nothing more may be stored
        String recovered = route().at("/poll/lastPollAt").asText();
        int pollsAfter = countPolls();
        await().atMost(WAIT).until(() -> countPolls() >= pollsAfter + 3);
        assertThat(route().at("/poll/lastResult").asText()).startsWith("read ");
        assertThat(route().at("/poll/lastPollAt").asText()).isNotEqualTo(recovered);
        assertThat(versions("Organization", "kabeg-kk")).isEqualTo(1);
        assertThat(versions("Location", "haus-a")).isEqualTo(1);
        assertThat(versions("Endpoint", "fhir-api")).isEqualTo(1);
        assertThat(versions("HealthcareService", "kardiologie")).isEqualTo(3);
        assertThat(versions("HealthcareService", "dermatologie")).isEqualTo(2);
        assertThat(versions("Practitioner", "dr-huber")).isEqualTo(2);
        assertThat(versions("PractitionerRole", "huber-kardiologie")).isEqualTo(2);
        assertThat(versions("Location", "haus-b")).isEqualTo(1);

        // a new route for the channel (the partner stopped, its file removed and written again) resumes from the
        // checkpoint kept in the hub's database
        assertThat(admin().post("/api/admin/partners/" + id + "/stop").status()).isEqualTo(200);
        String checkpoint = route().at("/poll/nextSince").asText();
        int requestsBefore = partnerServer.requests().size();
        Files.delete(PARTNERS_DIR.resolve(id + ".yaml"));
        await().atMost(WAIT).until(() -> admin().partner(id) == null);
        PartnerFiles.write(PARTNERS_DIR, id + ".yaml", partnerFile(id, link.port()));
        await().atMost(WAIT).until(() -> firstHistoryRequest(partnerServer.requests(), requestsBefore) != null);
        String resumed = firstHistoryRequest(partnerServer.requests(), requestsBefore);
        assertThat(resumed).startsWith("GET /fhir/Organization/_history?");
        assertThat(Instant.parse(parameter(resumed, "_since"))).isEqualTo(Instant.parse(checkpoint));
    }

    private static String partnerFile(String id, int port) {
        return PartnerFiles.partner(
                id,
                """
                inbound:
                  - name: %s
                    kind: fhir-poll
                    format: fhir
                    flow: directory
                    settings:
                      baseUrl: http://127.0.0.1:%d/fhir
                      interval: 1s
                      connectTimeout: 1s
                      readTimeout: 10s
                """
                        .formatted(CHANNEL, port));
    }

    private JsonNode route() {
        JsonNode partner = admin().partner(id);
        assertThat(partner).as("partner " + id + " in the admin API").isNotNull();
        return partner.get("routes").get(0);
    }

    /** The polls the partner's server answered: each asks for Organizations first. */
    private static int countPolls() {
        return (int) partnerServer.requests().stream()
                .filter(r -> r.startsWith("GET /fhir/Organization/_history") && !r.contains("_offset"))
                .count();
    }

    /** The first history request after the first {@code skip} requests, or null. */
    private static String firstHistoryRequest(List<String> requests, int skip) {
        return requests.stream()
                .skip(skip)
                .filter(r -> r.contains("/_history"))
                .findFirst()
                .orElse(null);
    }

    private static String parameter(String request, String name) {
        for (String pair : request.substring(request.indexOf('?') + 1).split("&")) {
            if (pair.startsWith(name + "=")) {
                return pair.substring(name.length() + 1);
            }
        }
        throw new AssertionError("no " + name + " in " + request);
    }

    private <T extends Resource> T hub(Class<T> type, String partnersId) {
        return fhirClient().read().resource(type).withId(id + "-" + partnersId).execute();
    }

    private int versions(String type, String partnersId) {
        return FhirClients.versions(fhirClient(), type, id + "-" + partnersId);
    }

    private static void put(IGenericClient partner, Resource resource) {
        partner.update().resource(resource).execute();
    }

    // ---- the partner's directory, as mCSD resources conforming to the hub's profiles ----

    private static Organization organization(String name) {
        Organization organization = new Organization().setName(name).setActive(true);
        organization.setId("kabeg-kk");
        organization
                .addIdentifier()
                .setSystem("https://fhir.cbhealth.eu/sid/registry/at-gda")
                .setValue("KABEG-KK");
        organization.addAddress().setCity("Klagenfurt am Wörthersee").setCountry("AT");
        return organization;
    }

    private static Location location(String id, String name) {
        Location location = new Location().setName(name).setStatus(Location.LocationStatus.ACTIVE);
        location.setId(id);
        location.getAddress().setCity("Klagenfurt am Wörthersee").setCountry("AT");
        location.setManagingOrganization(new Reference("Organization/kabeg-kk"));
        return location;
    }

    private static Endpoint endpoint() {
        Endpoint endpoint = new Endpoint()
                .setStatus(Endpoint.EndpointStatus.ACTIVE)
                .setConnectionType(new Coding(
                        "http://terminology.hl7.org/CodeSystem/endpoint-connection-type", "hl7-fhir-rest", null))
                .setAddress("https://fhir.klinikum-klagenfurt.example/r4")
                .setManagingOrganization(new Reference("Organization/kabeg-kk"));
        endpoint.setId("fhir-api");
        endpoint.addPayloadType()
                .addCoding()
                .setSystem("http://terminology.hl7.org/CodeSystem/endpoint-payload-type")
                .setCode("any");
        return endpoint;
    }

    private static HealthcareService service(String id, String name, String specialty) {
        HealthcareService service = new HealthcareService().setName(name).setActive(true);
        service.setId(id);
        service.setProvidedBy(new Reference("Organization/kabeg-kk"));
        service.addLocation(new Reference("Location/haus-a"));
        service.addEndpoint(new Reference("Endpoint/fhir-api"));
        service.addSpecialty(new CodeableConcept(new Coding(CbhCanonical.CS_SPECIALTY, specialty, null)));
        service.addCommunication().addCoding().setSystem("urn:ietf:bcp:47").setCode("de");
        service.addExtension()
                .setUrl(CbhCanonical.EXT_CROSS_BORDER_REFERRAL)
                .addExtension("accepts", new BooleanType(true));
        return service;
    }

    private static Practitioner practitioner(String family) {
        Practitioner practitioner = new Practitioner().setActive(true);
        practitioner.setId("dr-huber");
        practitioner.addName().setFamily(family).addGiven("Anna").addPrefix("Prim. Dr.");
        return practitioner;
    }

    private static PractitionerRole role() {
        PractitionerRole role = new PractitionerRole().setActive(true);
        role.setId("huber-kardiologie");
        role.setPractitioner(new Reference("Practitioner/dr-huber"));
        role.setOrganization(new Reference("Organization/kabeg-kk"));
        role.addHealthcareService(new Reference("HealthcareService/kardiologie"));
        role.addSpecialty(new CodeableConcept(new Coding(CbhCanonical.CS_SPECIALTY, "cardiology", null)));
        return role;
    }
}
