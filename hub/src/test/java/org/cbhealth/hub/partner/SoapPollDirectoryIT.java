package org.cbhealth.hub.partner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.cbhealth.hub.simulator.DirectoryServiceSimulator;
import org.cbhealth.hub.support.HubIntegrationTest;
import org.cbhealth.hub.support.PartnerFiles;
import org.cbhealth.hub.support.SimulatorServer;
import org.cbhealth.profiles.CbhCanonical;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.HealthcareService;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A partner whose directory is a legacy SOAP service: a soap-poll channel polls the directory service simulator on a
 * real socket (its own Tomcat, CXF), page by page, and the directory appears in {@code /fhir} under the partner's
 * ids. Polls that bring no complete listing — a Fault after the first page, the service down — change nothing and
 * deactivate nothing; once the service answers again, the next poll brings the change, once.
 */
class SoapPollDirectoryIT extends HubIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String PATH = "/directory/ukc-maribor";

    private DirectoryServiceSimulator simulator;
    private SimulatorServer server;
    private String id;

    @BeforeEach
    void partnerPollingItsDirectoryService() throws Exception {
        simulator = new DirectoryServiceSimulator(fixture());
        server = new SimulatorServer(Map.of(PATH, simulator)).start();
        id = "it-soap-" + UUID.randomUUID().toString().substring(0, 8);
        PartnerFiles.write(PARTNERS_DIR, id + ".yaml", partnerFile());
    }

    @AfterEach
    void stopSimulator() throws Exception {
        server.close();
        java.nio.file.Files.deleteIfExists(PARTNERS_DIR.resolve(id + ".yaml"));
    }

    @Test
    void theDirectoryArrivesPageByPageAndFailedPollsChangeNothingUntilTheServiceAnswersAgain() throws Exception {
        // the first complete poll: 12 records (14 resources with the two roles) in three pages of at most 5
        JsonNode first = firstImport();
        assertThat(first.get("scope").asText()).isEqualTo("full");
        assertThat(first.get("created").asInt()).isEqualTo(14);
        assertThat(first.get("rejected").asInt()).isZero();
        assertThat(first.get("unmapped").asInt()).isEqualTo(1); // FRM, not in the ZZZS ConceptMap
        assertThat(admin().partner(id).get("routes").findValuesAsText("kind")).containsExactly("soap-poll");
        assertThat(admin().partner(id).get("routes").findValuesAsText("state")).containsExactly("Started");

        assertThat(departments())
                .extracting(s -> s.getIdElement().getIdPart())
                .containsExactlyInAnyOrder(
                        id + "-KAR-01", id + "-NEV-01", id + "-TOR-01", id + "-PED-01", id + "-FRM-01");
        HealthcareService cardiology = service("KAR-01");
        assertThat(cardiology.getName()).isEqualTo("Oddelek za kardiologijo in angiologijo");
        assertThat(cardiology.getSpecialtyFirstRep().getCoding())
                .extracting(Coding::getCode)
                .containsExactly("KAR", "cardiology");
        assertThat(cardiology.getLocation())
                .extracting(Reference::getReference)
                .containsExactly("Location/" + id + "-UKCM");
        assertThat(cardiology.getTelecomFirstRep().getValue()).isEqualTo("+386 2 321 28 11");
        assertThat(cardiology.getMeta().getSource()).isEqualTo(CbhCanonical.BASE + "/partner/" + id + "/directory");
        PractitionerRole role = fhirClient()
                .read()
                .resource(PractitionerRole.class)
                .withId(id + "-ZD-10482-KAR")
                .execute();
        assertThat(role.getPractitioner().getReference()).isEqualTo("Practitioner/" + id + "-ZD-10482");
        assertThat(role.getHealthcareService())
                .extracting(Reference::getReference)
                .containsExactly("HealthcareService/" + id + "-KAR-01");

        // later polls of the same directory write nothing
        await().atMost(WAIT).untilAsserted(() -> assertThat(imports().size()).isGreaterThanOrEqualTo(2));
        assertThat(imports().get(0).get("unchanged").asInt()).isEqualTo(14);
        assertThat(service("KAR-01").getMeta().getVersionId()).isEqualTo("1");

        // the directory changes: cardiology has a new phone, neurology is closed (missing from the export) ...
        simulator.serve(changedFixture());
        // ... but the service fails after the first page: polls bring incomplete listings, which are not taken
        simulator.fail(DirectoryServiceSimulator.Failure.PAGES_AFTER_THE_FIRST);
        long failedBefore = failedPolls();
        int requestsBefore = simulator.requests();
        await().atMost(WAIT).untilAsserted(() -> assertThat(failedPolls()).isGreaterThanOrEqualTo(failedBefore + 2));
        // a poll asks for page 1, then fails on page 2 (a poll under way when the service began to fail, on page 2
        // only)
        assertThat(simulator.requests()).isGreaterThanOrEqualTo(requestsBefore + 3);
        // ... and then it is down altogether
        server.stop();
        long failedWhileDown = failedPolls();
        await().atMost(WAIT).untilAsserted(() -> assertThat(failedPolls()).isGreaterThanOrEqualTo(failedWhileDown + 2));
        assertThat(service("NEV-01").getActive()).isTrue();
        assertThat(service("NEV-01").getMeta().getVersionId()).isEqualTo("1");
        assertThat(service("KAR-01").getTelecomFirstRep().getValue()).isEqualTo("+386 2 321 28 11");
        assertThat(practitioner("ZD-20931").getActive()).isTrue(); // on the last page, which never came

        // the service is back and answers: the next poll brings the change, once
        simulator.fail(DirectoryServiceSimulator.Failure.NONE);
        server.start();
        await().atMost(WAIT).untilAsserted(() -> assertThat(
                        service("KAR-01").getTelecomFirstRep().getValue())
                .isEqualTo("+386 2 321 28 99"));
        // the batch is marked done after its resources are written: wait for its record too
        JsonNode change = await().atMost(WAIT)
                .until(
                        () -> imports().stream()
                                .filter(b -> b.get("updated").asInt() > 0
                                        || b.get("deactivated").asInt() > 0)
                                .findFirst(),
                        Optional::isPresent)
                .orElseThrow();
        assertThat(List.of(
                        change.get("updated").asInt(), change.get("deactivated").asInt()))
                .containsExactly(1, 1);
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(imports().get(0).get("id").asLong())
                        .isGreaterThan(change.get("id").asLong()));
        assertThat(service("KAR-01").getMeta().getVersionId()).isEqualTo("2");
        HealthcareService neurology = service("NEV-01");
        assertThat(neurology.getActive()).isFalse();
        assertThat(neurology.getMeta().getVersionId()).isEqualTo("2");
        assertThat(practitioner("ZD-20931").getActive()).isTrue();
        assertThat(practitioner("ZD-20931").getMeta().getVersionId()).isEqualTo("1");

        // a changed partner file replaces the channel's route; the new route polls as the old one did
        PartnerFiles.write(PARTNERS_DIR, id + ".yaml", partnerFile().replace("pageSize: 5", "pageSize: 4"));
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(simulator.lastPageSize()).isEqualTo(4));
        long beforeNewRoute = imports().get(0).get("id").asLong();
        await().atMost(WAIT).untilAsserted(() -> {
            JsonNode newest = imports().get(0);
            assertThat(newest.get("id").asLong()).isGreaterThan(beforeNewRoute);
            assertThat(newest.get("unchanged").asInt()).isEqualTo(13);
        });
    }

    private String partnerFile() {
        return PartnerFiles.partner(
                id,
                """
                inbound:
                  - name: directory
                    kind: soap-poll
                    format: xml
                    flow: directory
                    settings:
                      address: %s
                      interval: 1s
                      pageSize: 5
                      receiveTimeout: 20s
                codeMappings:
                  - https://fhir.cbhealth.eu/ConceptMap/si-zzzs-specialty-to-cbh
                """
                        .formatted(server.url(PATH)));
    }

    /** The partner's first finished import, once there is one. */
    private JsonNode firstImport() {
        await().atMost(WAIT).untilAsserted(() -> {
            List<JsonNode> batches = imports();
            assertThat(batches).isNotEmpty();
            assertThat(batches.get(batches.size() - 1).get("state").asText()).isEqualTo("done");
        });
        List<JsonNode> batches = imports();
        return batches.get(batches.size() - 1);
    }

    /** The partner's finished import batches, newest first. */
    private List<JsonNode> imports() {
        List<JsonNode> batches = new java.util.ArrayList<>();
        admin().get("/api/admin/imports?partner=" + id + "&limit=500").json().forEach(batches::add);
        return batches.stream()
                .filter(b -> "done".equals(b.get("state").asText()))
                .toList();
    }

    private long failedPolls() {
        return admin().partner(id).get("counters").get("failed").asLong();
    }

    private List<HealthcareService> departments() {
        Bundle bundle = fhirClient()
                .search()
                .forResource(HealthcareService.class)
                .where(HealthcareService.IDENTIFIER.hasSystemWithAnyCode(
                        CbhCanonical.partnerIdentifierSystem(id, "department")))
                .count(100)
                .returnBundle(Bundle.class)
                .execute();
        return bundle.getEntry().stream()
                .map(e -> (HealthcareService) e.getResource())
                .toList();
    }

    private HealthcareService service(String code) {
        return fhirClient()
                .read()
                .resource(HealthcareService.class)
                .withId(id + "-" + code)
                .execute();
    }

    private Practitioner practitioner(String code) {
        return fhirClient()
                .read()
                .resource(Practitioner.class)
                .withId(id + "-" + code)
                .execute();
    }

    private static byte[] fixture() {
        try (InputStream in =
                SoapPollDirectoryIT.class.getResourceAsStream("/simulator/directory/si-ukc-maribor.xml")) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The fixture with cardiology's phone changed and the neurology department gone. */
    private static byte[] changedFixture() {
        String text = new String(fixture(), StandardCharsets.UTF_8)
                .replace("+386 2 321 28 11", "+386 2 321 28 99")
                .replace("<dir:totalRecords>12</dir:totalRecords>", "<dir:totalRecords>11</dir:totalRecords>");
        int neurology = text.lastIndexOf("<dir:department>", text.indexOf("<dir:departmentCode>NEV-01"));
        int end = text.indexOf("</dir:department>", neurology) + "</dir:department>".length();
        return (text.substring(0, neurology) + text.substring(end)).getBytes(StandardCharsets.UTF_8);
    }
}
