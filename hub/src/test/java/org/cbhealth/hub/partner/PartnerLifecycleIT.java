package org.cbhealth.hub.partner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.cbhealth.hub.support.DirectoryFixtures.json;
import static org.cbhealth.hub.support.DirectoryFixtures.organization;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.cbhealth.hub.support.AdminApi;
import org.cbhealth.hub.support.HubIntegrationTest;
import org.cbhealth.hub.support.PartnerFiles;
import org.cbhealth.hub.support.Queues;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Organization;
import org.junit.jupiter.api.Test;

/**
 * Hot reload of partner files in the running hub: a file added gets working routes, a changed file changes
 * behaviour, a removed file stops its routes while messages queued for it wait, a broken file is refused with
 * the same messages as the offline check and stops no one, and an admin's stop and start.
 */
class PartnerLifecycleIT extends HubIntegrationTest {

    private static final Duration RELOAD = Duration.ofSeconds(30);

    private static String jmsPartner(String id, String queue) {
        return PartnerFiles.partner(
                id,
                """
                inbound:
                  - name: directory
                    kind: jms
                    format: fhir
                    flow: directory
                    settings:
                      queue: %s
                """
                        .formatted(queue));
    }

    @Test
    void partnerFileAddedAtRuntimeGetsWorkingRoutes() throws Exception {
        String id = "it-added-" + suffix();
        String queue = "partner." + id + ".inbound";

        PartnerFiles.write(PARTNERS_DIR, id + ".yaml", jmsPartner(id, queue));

        awaitRouteState(id, "partner-" + id + "-directory-directory", "Started");
        String name = "Bolnišnica Murska Sobota " + suffix();
        try (Queues queues = hubQueues()) {
            queues.send(queue, json(organization(name, "SI")));
        }
        awaitOrganizationsNamed(name, 1);
        await().atMost(RELOAD).untilAsserted(() -> {
            JsonNode counters = admin().partner(id).get("counters");
            assertThat(counters.get("received").asLong()).isEqualTo(1);
            assertThat(counters.get("translated").asLong()).isEqualTo(1);
            assertThat(counters.get("stored").asLong()).isEqualTo(1);
            assertThat(counters.get("failed").asLong()).isZero();
        });
    }

    @Test
    void changedFileChangesBehaviour() throws Exception {
        String id = "it-changed-" + suffix();
        String before = "partner." + id + ".old";
        String after = "partner." + id + ".new";
        PartnerFiles.write(PARTNERS_DIR, id + ".yaml", jmsPartner(id, before));
        awaitRouteState(id, "partner-" + id + "-directory-directory", "Started");

        PartnerFiles.write(PARTNERS_DIR, id + ".yaml", jmsPartner(id, after));
        await().atMost(RELOAD).until(() -> routeEndpointIs(id, after));

        String name = "Splošna bolnišnica Jesenice " + suffix();
        try (Queues queues = hubQueues()) {
            queues.send(after, json(organization(name, "SI")));
            queues.send(before, json(organization(name + " (old queue)", "SI")));
            awaitOrganizationsNamed(name, 1);
            // the old queue has no consumer any more: its message waits there
            assertThat(queues.depth(before)).isEqualTo(1);
        }
    }

    @Test
    void removedFileStopsItsRoutesAndMessagesQueuedMeanwhileAreProcessedWhenItReturns() throws Exception {
        String id = "it-removed-" + suffix();
        String queue = "partner." + id + ".inbound";
        String yaml = jmsPartner(id, queue);
        PartnerFiles.write(PARTNERS_DIR, id + ".yaml", yaml);
        awaitRouteState(id, "partner-" + id + "-directory-directory", "Started");

        Files.delete(PARTNERS_DIR.resolve(id + ".yaml"));
        await().atMost(RELOAD).until(() -> admin().partner(id) == null);
        assertThat(admin().get("/api/admin/partners/" + id).status()).isEqualTo(404);

        String name = "Univerzitetni klinični center Ljubljana " + suffix();
        try (Queues queues = hubQueues()) {
            for (int i = 0; i < 3; i++) {
                queues.send(queue, json(organization(name + " #" + i, "SI")));
            }
            assertThat(queues.depth(queue)).isEqualTo(3);

            PartnerFiles.write(PARTNERS_DIR, id + ".yaml", yaml);
            for (int i = 0; i < 3; i++) {
                awaitOrganizationsNamed(name + " #" + i, 1);
            }
            assertThat(queues.depth(queue)).isZero();
        }
    }

    @Test
    void messagesInFlightWhileTheFileChangesAreAllProcessedOnce() throws Exception {
        String id = "it-inflight-" + suffix();
        String queue = "partner." + id + ".inbound";
        PartnerFiles.write(PARTNERS_DIR, id + ".yaml", jmsPartner(id, queue));
        awaitRouteState(id, "partner-" + id + "-directory-directory", "Started");
        String name = "Bolnišnica Izola " + suffix();

        try (Queues queues = hubQueues()) {
            for (int i = 0; i < 30; i++) {
                queues.send(queue, json(organization(name + " #" + i, "SI")));
                if (i == 10) {
                    // a second channel added while messages flow: the partner's routes are replaced
                    PartnerFiles.write(
                            PARTNERS_DIR,
                            id + ".yaml",
                            jmsPartner(id, queue)
                                    + "  - name: status\n    kind: rest\n    format: fhir\n    flow: referral-status\n");
                }
            }
        }
        await().atMost(RELOAD).until(() -> admin().partner(id).get("routes").size() == 2);
        for (int i = 0; i < 30; i++) {
            awaitOrganizationsNamed(name + " #" + i, 1);
        }
    }

    @Test
    void brokenFilesAreRefusedWithClearMessagesAndOtherPartnersKeepRunning() throws Exception {
        String good = "it-good-" + suffix();
        String queue = "partner." + good + ".inbound";
        PartnerFiles.write(PARTNERS_DIR, good + ".yaml", jmsPartner(good, queue));
        awaitRouteState(good, "partner-" + good + "-directory-directory", "Started");

        String s = suffix();
        PartnerFiles.write(
                PARTNERS_DIR,
                "it-kind-" + s + ".yaml",
                jmsPartner("it-kind-" + s, "partner.k" + s).replace("kind: jms", "kind: ftp"));
        PartnerFiles.write(
                PARTNERS_DIR,
                "it-noid-" + s + ".yaml",
                jmsPartner("it-noid-" + s, "partner.n" + s).replaceFirst("id: it-noid-" + s + "\n", ""));
        PartnerFiles.write(PARTNERS_DIR, "it-dup-" + s + ".yaml", jmsPartner("it-dup-" + s, "partner.d" + s));
        PartnerFiles.write(PARTNERS_DIR, "it-dup-" + s + ".yml", jmsPartner("it-dup-" + s, "partner.e" + s));
        PartnerFiles.write(
                PARTNERS_DIR,
                "it-uri-" + s + ".yaml",
                jmsPartner("it-uri-" + s, "partner.u" + s)
                        + "outbound:\n  kind: fhir-rest\n  settings:\n    baseUrl: \"htp:/fhir partner\"\n");

        List<String> expected = List.of(
                "it-kind-" + s
                        + ".yaml: inbound[0].kind: unknown kind 'ftp'; one of rest, jms, mllp, soap, file, fhir-poll, soap-poll",
                "it-noid-" + s + ".yaml: id: required",
                "it-dup-" + s + ".yml: id: duplicate partner id 'it-dup-" + s + "', already in it-dup-" + s + ".yaml",
                "it-uri-" + s + ".yaml: outbound.settings.baseUrl: 'htp:/fhir partner' is not a valid URI");
        await().atMost(RELOAD).untilAsserted(() -> assertThat(problemMessages())
                .anySatisfy(m -> assertThat(m).isEqualTo(expected.get(0)))
                .anySatisfy(m -> assertThat(m).isEqualTo(expected.get(1)))
                .anySatisfy(m -> assertThat(m).isEqualTo(expected.get(2)))
                .anySatisfy(m -> assertThat(m).startsWith(expected.get(3))));

        // none of the broken files runs; the good partner still does
        assertThat(admin().partner("it-kind-" + s)).isNull();
        assertThat(admin().partner("it-uri-" + s)).isNull();
        String name = "Splošna bolnišnica Celje " + suffix();
        try (Queues queues = hubQueues()) {
            queues.send(queue, json(organization(name, "SI")));
        }
        awaitOrganizationsNamed(name, 1);

        // the offline check of the same directory prints the same messages and exits non-zero
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        int exit = ConfigCheckCommand.run(PARTNERS_DIR, new PrintStream(printed, true, StandardCharsets.UTF_8));
        String output = printed.toString(StandardCharsets.UTF_8);
        assertThat(exit).isEqualTo(1);
        assertThat(output).contains(expected.get(0), expected.get(1), expected.get(2), expected.get(3));

        for (String broken : List.of(
                "it-kind-" + s + ".yaml",
                "it-noid-" + s + ".yaml",
                "it-dup-" + s + ".yaml",
                "it-dup-" + s + ".yml",
                "it-uri-" + s + ".yaml")) {
            Files.delete(PARTNERS_DIR.resolve(broken));
        }
    }

    @Test
    void aRunningPartnerWhoseFileBreaksKeepsItsLastGoodDefinition() throws Exception {
        String id = "it-keep-" + suffix();
        String queue = "partner." + id + ".inbound";
        PartnerFiles.write(PARTNERS_DIR, id + ".yaml", jmsPartner(id, queue));
        awaitRouteState(id, "partner-" + id + "-directory-directory", "Started");

        PartnerFiles.write(
                PARTNERS_DIR, id + ".yaml", jmsPartner(id, queue).replace("country: SI", "country: Slovenia"));
        await().atMost(RELOAD).untilAsserted(() -> assertThat(problemMessages())
                .contains(id + ".yaml: country: 'Slovenia' is not an ISO 3166 alpha-2 code"));

        String name = "Bolnišnica Topolšica " + suffix();
        try (Queues queues = hubQueues()) {
            queues.send(queue, json(organization(name, "SI")));
        }
        awaitOrganizationsNamed(name, 1);
        Files.delete(PARTNERS_DIR.resolve(id + ".yaml"));
        await().atMost(RELOAD).until(() -> admin().partner(id) == null);
    }

    @Test
    void anAdminStopsAndStartsOnePartner() throws Exception {
        String id = "it-stop-" + suffix();
        String queue = "partner." + id + ".inbound";
        PartnerFiles.write(PARTNERS_DIR, id + ".yaml", jmsPartner(id, queue));
        String routeId = "partner-" + id + "-directory-directory";
        awaitRouteState(id, routeId, "Started");

        AdminApi.Answer stopped = admin().post("/api/admin/partners/" + id + "/stop");
        assertThat(stopped.status()).isEqualTo(200);
        assertThat(stopped.json().get("state").asText()).isEqualTo("stopped");
        assertThat(stopped.json().get("routes").get(0).get("state").asText()).isEqualTo("Stopped");

        // a change of the file while stopped replaces the routes but keeps the partner stopped
        PartnerFiles.write(
                PARTNERS_DIR,
                id + ".yaml",
                jmsPartner(id, queue)
                        + "  - name: status\n    kind: rest\n    format: fhir\n    flow: referral-status\n");
        await().atMost(RELOAD).until(() -> admin().partner(id).get("routes").size() == 2);
        assertThat(admin().partner(id).get("state").asText()).isEqualTo("stopped");
        assertThat(admin().partner(id).get("routes").get(0).get("state").asText())
                .isEqualTo("Stopped");

        String name = "Bolnišnica Sežana " + suffix();
        try (Queues queues = hubQueues()) {
            queues.send(queue, json(organization(name, "SI")));
            assertThat(queues.depth(queue)).isEqualTo(1);

            AdminApi.Answer started = admin().post("/api/admin/partners/" + id + "/start");
            assertThat(started.json().get("routes").get(0).get("state").asText())
                    .isEqualTo("Started");
            awaitOrganizationsNamed(name, 1);
            assertThat(queues.depth(queue)).isZero();
        }
    }

    @Test
    void theAdminApiRequiresTheIntegratorAccount() {
        assertThat(new AdminApi(baseUrl(), null, null)
                        .get("/api/admin/partners")
                        .status())
                .isEqualTo(401);
        assertThat(new AdminApi(baseUrl(), ADMIN_USER, "wrong")
                        .get("/api/admin/partners")
                        .status())
                .isEqualTo(401);
        assertThat(new AdminApi(baseUrl(), null, null).post("/api/admin/reload").status())
                .isEqualTo(401);
        assertThat(admin().get("/api/admin/partners").status()).isEqualTo(200);
    }

    private List<String> problemMessages() {
        List<String> messages = new ArrayList<>();
        admin().get("/api/admin/partners")
                .json()
                .get("problems")
                .forEach(p -> messages.add(p.get("message").asText()));
        return messages;
    }

    private void awaitRouteState(String partnerId, String routeId, String state) {
        await().atMost(RELOAD).untilAsserted(() -> {
            JsonNode partner = admin().partner(partnerId);
            assertThat(partner).as("partner %s listed", partnerId).isNotNull();
            assertThat(partner.get("routes").findValuesAsText("id")).contains(routeId);
            for (JsonNode route : partner.get("routes")) {
                if (route.get("id").asText().equals(routeId)) {
                    assertThat(route.get("state").asText()).isEqualTo(state);
                }
            }
        });
    }

    private boolean routeEndpointIs(String partnerId, String queue) {
        JsonNode partner = admin().partner(partnerId);
        return partner != null
                && partner.get("routes").size() > 0
                && partner.get("routes").get(0).path("endpoint").asText().contains(queue);
    }

    private void awaitOrganizationsNamed(String name, int count) {
        await().atMost(RELOAD).untilAsserted(() -> {
            Bundle found = fhirClient()
                    .search()
                    .forResource(Organization.class)
                    .where(Organization.NAME.matchesExactly().value(name))
                    .returnBundle(Bundle.class)
                    .execute();
            assertThat(found.getEntry()).hasSize(count);
        });
    }

    private static String suffix() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
