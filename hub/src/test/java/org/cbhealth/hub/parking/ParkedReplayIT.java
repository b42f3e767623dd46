package org.cbhealth.hub.parking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.Session;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.cbhealth.hub.partner.PartnerRegistry;
import org.cbhealth.hub.support.AdminApi;
import org.cbhealth.hub.support.HubIntegrationTest;
import org.cbhealth.hub.support.ParkedMessages;
import org.cbhealth.hub.support.PartnerFiles;
import org.cbhealth.hub.support.Queues;
import org.cbhealth.hub.support.Samples;
import org.cbhealth.profiles.CbhCanonical;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The parked store end to end: a referral refused because its two partners do not list each other is parked with
 * who failed, its MSH-10, an OperationOutcome and the raw text; once the partner file is fixed its replay stores one
 * Task and delivers it once, whatever replays run beside it. Purge needs a reason and is audited. A dead letter of
 * a delivery queue becomes an outbound entry of that partner and is delivered once by its replay. A store that
 * fails leaves the parked message on its queue until it can be kept.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ParkedReplayIT extends HubIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final String suffix = UUID.randomUUID().toString().substring(0, 8);
    private final String a = "it-park-a-" + suffix;
    private final String b = "it-park-b-" + suffix;
    private final String bRegistryNumber = String.valueOf(6_000_000 + (Math.abs(suffix.hashCode()) % 999_999));
    private final String bQueue = "it.partner." + b + ".referrals";

    @Autowired
    private PartnerRegistry registry;

    @Autowired
    private ParkedStoreRoutes storeRoutes;

    @Autowired
    private JdbcTemplate jdbc;

    @BeforeAll
    void partners() throws Exception {
        writeA("[]");
        PartnerFiles.write(
                PARTNERS_DIR,
                b + ".yaml",
                PartnerFiles.partner(
                                b,
                                """
                outbound:
                  kind: jms
                  settings:
                    queue: %s
                referralPartners: [%s]
                """
                                        .formatted(bQueue, a))
                        .replace("value: " + b, "value: \"" + bRegistryNumber + "\""));
        await().atMost(WAIT)
                .until(() -> registry.definition(a).isPresent()
                        && registry.definition(b).isPresent());
    }

    @Test
    void referralRefusedForAMissingPartnershipIsReplayedOnceAfterTheFileIsFixed() throws Exception {
        String first = "BG-PARK-1-" + suffix;
        String second = "BG-PARK-2-" + suffix;
        assertThat(postReferral(first).status()).isEqualTo(422);
        assertThat(postReferral(second).status()).isEqualTo(422);
        await().atMost(WAIT).until(() -> parked().count(a, "sender") == 2);

        ParkedMessages.Parked parked = parked().of(a).stream()
                .filter(p -> first.equals(p.businessKey()))
                .findFirst()
                .orElseThrow();
        assertThat(parked.channel()).isEqualTo("referrals");
        assertThat(parked.direction()).isEqualTo("inbound");
        assertThat(parked.failedBy()).isEqualTo("sender");
        assertThat(parked.state()).isEqualTo("parked");
        assertThat(parked.reason()).contains("may not exchange referrals");
        assertThat(parked.outcomeJson()).startsWith("{\"resourceType\":\"OperationOutcome\"");
        assertThat(parked.raw()).isEqualTo(referral(first));
        JsonNode shown = admin().get("/api/admin/parked/" + parked.parkId()).json();
        assertThat(shown.get("raw").asText()).isEqualTo(referral(first));
        assertThat(shown.at("/outcome/resourceType").asText()).isEqualTo("OperationOutcome");
        assertThat(admin().get("/api/admin/parked?partner=" + a + "&failedBy=sender")
                        .json())
                .hasSize(2)
                .allSatisfy(row -> assertThat(row.has("raw")).isFalse());

        // the integrator fixes the partner file: A and B now list each other
        writeA("[" + b + "]");
        await().atMost(WAIT).until(() -> registry.definition(a)
                .map(d -> d.referralPartners().contains(b))
                .orElse(false));

        AdminApi.Answer replayed = admin().post("/api/admin/parked/" + parked.parkId() + "/replay");
        assertThat(replayed.status()).isEqualTo(200);
        assertThat(replayed.json().get("state").asText()).isEqualTo("replayed");
        assertThat(parked().byId(parked.parkId()).orElseThrow().state()).isEqualTo("replayed");
        assertThat(tasks(first)).isEqualTo(1);
        awaitDeliveries(first, 1);

        AdminApi.Answer again = admin().post("/api/admin/parked/" + parked.parkId() + "/replay");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().get("error").asText())
                .isEqualTo("parked message " + parked.parkId() + " is replayed, not parked");

        // replay-all of the partner and a replay of its other entry at the same time: it is replayed once
        String secondId = parked().of(a).stream()
                .filter(p -> second.equals(p.businessKey()))
                .findFirst()
                .orElseThrow()
                .parkId();
        CompletableFuture<AdminApi.Answer> all =
                CompletableFuture.supplyAsync(() -> admin().post("/api/admin/partners/" + a + "/parked/replay"));
        CompletableFuture<AdminApi.Answer> one =
                CompletableFuture.supplyAsync(() -> admin().post("/api/admin/parked/" + secondId + "/replay"));
        JsonNode counts = all.get().json();
        int single = one.get().status();
        assertThat(single).isIn(200, 409);
        assertThat(counts.get("replayed").asInt() + (single == 200 ? 1 : 0)).isEqualTo(1);
        assertThat(counts.get("refusedAgain").asInt()).isZero();
        assertThat(tasks(second)).isEqualTo(1);
        awaitDeliveries(second, 1);
        awaitDeliveries(first, 1);
        assertThat(admin().get("/api/admin/audit?partner=" + a).json().findValuesAsText("action"))
                .contains("parked.replay");
    }

    @Test
    void purgeNeedsAReasonRemovesTheRawInputAndIsAudited() {
        int before = parked().count(a);
        assertThat(partnerApi(a)
                        .post(
                                "/api/partners/" + a + "/referrals",
                                "not HL7 at all".getBytes(StandardCharsets.UTF_8),
                                "text/plain")
                        .status())
                .isEqualTo(422);
        await().atMost(WAIT).until(() -> parked().count(a) == before + 1);
        String id = parked().of(a).get(before).parkId();

        AdminApi.Answer noReason =
                admin().post("/api/admin/parked/" + id + "/purge", "{}".getBytes(), "application/json");
        assertThat(noReason.status()).isEqualTo(400);
        assertThat(noReason.json().get("error").asText())
                .isEqualTo("a purge needs a reason: body {\"reason\": \"...\"}");

        AdminApi.Answer purged = admin().post(
                        "/api/admin/parked/" + id + "/purge",
                        "{\"reason\": \"test garbage, sender informed\"}".getBytes(StandardCharsets.UTF_8),
                        "application/json");
        assertThat(purged.status()).isEqualTo(200);
        assertThat(purged.json().get("state").asText()).isEqualTo("purged");
        assertThat(purged.json().get("purgedBy").asText()).isEqualTo(ADMIN_USER);
        assertThat(purged.json().has("raw")).isFalse();
        ParkedMessages.Parked kept = parked().byId(id).orElseThrow();
        assertThat(kept.raw()).isNull();
        assertThat(kept.outcomeJson()).isNull();

        JsonNode audit =
                admin().get("/api/admin/audit?partner=" + a + "&limit=5").json();
        JsonNode row = audit.findParents("target").stream()
                .filter(r -> id.equals(r.get("target").asText()))
                .findFirst()
                .orElseThrow();
        assertThat(row.get("actor").asText()).isEqualTo(ADMIN_USER);
        assertThat(row.get("action").asText()).isEqualTo("parked.purge");
        assertThat(row.get("detail").asText()).isEqualTo("test garbage, sender informed");

        assertThat(admin().post("/api/admin/parked/" + id + "/replay").status()).isEqualTo(409);
        assertThat(admin().post("/api/admin/parked/no-such-id/replay").status()).isEqualTo(404);
    }

    @Test
    void deadLetterOfADeliveryQueueIsAnOutboundEntryAndItsReplayIsDeliveredOnce() throws Exception {
        String number = "DLQ-" + suffix;
        String messageId;
        try (Connection connection = hubBrokerConnectionFactory().createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Message message = session.createTextMessage("{\"resourceType\":\"Bundle\",\"type\":\"transaction\"}");
            message.setStringProperty("_AMQ_ORIG_ADDRESS", "hub.outbound." + b);
            message.setStringProperty("_AMQ_DUPL_ID", "referral:dlq:" + suffix);
            message.setStringProperty("CBHealthReferrerNumber", number);
            session.createProducer(session.createQueue("DLQ")).send(message);
            messageId = message.getJMSMessageID();
        }

        ParkedMessages.Parked dead = await().atMost(WAIT)
                .until(() -> parked().byId(messageId), java.util.Optional::isPresent)
                .orElseThrow();
        assertThat(dead.partner()).isEqualTo(b);
        assertThat(dead.direction()).isEqualTo("outbound");
        assertThat(dead.failedBy()).isEqualTo("hub");
        assertThat(dead.originalAddress()).isEqualTo("hub.outbound." + b);
        assertThat(dead.reason()).isEqualTo("gave up after 10 delivery attempts on hub.outbound." + b);
        assertThat(dead.businessKey()).isEqualTo("referral:dlq:" + suffix);

        AdminApi.Answer replayed = admin().post("/api/admin/parked/" + messageId + "/replay");
        assertThat(replayed.status()).isEqualTo(200);
        assertThat(replayed.json().get("summary").asText())
                .isEqualTo("put back on hub.outbound." + b + " for delivery");
        awaitDeliveries(number, 1);
        assertThat(admin().post("/api/admin/parked/" + messageId + "/replay").status())
                .isEqualTo(409);
    }

    @Test
    void aStoreThatFailsLeavesTheParkedMessageOnItsQueueUntilItIsKept() throws Exception {
        String parkId = UUID.randomUUID().toString();
        String partner = "it-park-fail-" + suffix;
        long failuresBefore = storeRoutes.failures();
        jdbc.execute("ALTER TABLE cbh_parked_message RENAME TO cbh_parked_message_away");
        try {
            try (Connection connection = hubBrokerConnectionFactory().createConnection()) {
                Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                Message message = session.createTextMessage("MSH|^~\\&|X|Y|Z|W|20260101||ADT^A01|CTRL-1|P|2.5.1");
                message.setStringProperty("CBHealthParkId", parkId);
                message.setStringProperty("CBHealthPartner", partner);
                message.setStringProperty("CBHealthChannel", "referrals");
                message.setStringProperty("CBHealthDirection", "inbound");
                message.setStringProperty("CBHealthFailedBy", "sender");
                message.setStringProperty("CBHealthParkReason", "PID-3: missing");
                message.setStringProperty("CBHealthBusinessKey", "CTRL-1");
                session.createProducer(session.createQueue("hub.parked")).send(message);
            }
            await().atMost(WAIT).until(() -> storeRoutes.failures() > failuresBefore);
        } finally {
            jdbc.execute("ALTER TABLE cbh_parked_message_away RENAME TO cbh_parked_message");
        }

        await().atMost(WAIT).until(() -> parked().byId(parkId).isPresent());
        ParkedMessages.Parked kept = parked().byId(parkId).orElseThrow();
        assertThat(kept.partner()).isEqualTo(partner);
        assertThat(kept.reason()).isEqualTo("PID-3: missing");
        assertThat(kept.businessKey()).isEqualTo("CTRL-1");
        assertThat(kept.raw()).isEqualTo("MSH|^~\\&|X|Y|Z|W|20260101||ADT^A01|CTRL-1|P|2.5.1");
        assertThat(parked().count(partner)).isEqualTo(1);
    }

    private void writeA(String referralPartners) throws Exception {
        PartnerFiles.write(
                PARTNERS_DIR,
                a + ".yaml",
                PartnerFiles.partner(
                        a,
                        """
                inbound:
                  - name: referrals
                    kind: rest
                    format: hl7v2
                    flow: referral
                codeMappings:
                  - https://fhir.cbhealth.eu/ConceptMap/bg-nhif-specialty-to-cbh
                referralPartners: %s
                """
                                .formatted(referralPartners)));
    }

    private AdminApi.Answer postReferral(String placer) {
        return partnerApi(a)
                .post(
                        "/api/partners/" + a + "/referrals",
                        referral(placer).getBytes(StandardCharsets.UTF_8),
                        "text/plain; charset=UTF-8");
    }

    private String referral(String placer) {
        return Samples.hl7From("referral/ref-i12-bg-to-mk.hl7", a)
                .replace("BG-REF-000123", placer)
                .replace("4068491", bRegistryNumber);
    }

    private int tasks(String placer) {
        return fhirClient()
                .search()
                .byUrl("Task?identifier=" + CbhCanonical.partnerIdentifierSystem(a, "referral-task") + "|" + placer)
                .returnBundle(org.hl7.fhir.r4.model.Bundle.class)
                .execute()
                .getEntry()
                .size();
    }

    /** Exactly {@code count} deliveries of the referrer's number on B's queue, and still so a moment later. */
    private void awaitDeliveries(String referrerNumber, int count) throws Exception {
        try (Queues queues = hubQueues()) {
            String selector = "CBHealthReferrerNumber = '" + referrerNumber + "'";
            await().atMost(WAIT).until(() -> queues.depth(bQueue, selector) == count);
            await().during(Duration.ofSeconds(2))
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> queues.depth(bQueue, selector) == count);
        }
    }
}
