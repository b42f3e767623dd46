package org.cbhealth.hub.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.cbhealth.hub.support.FreePorts;
import org.cbhealth.hub.support.HubIntegrationTest;
import org.cbhealth.hub.support.MllpClient;
import org.cbhealth.hub.support.MllpListener;
import org.cbhealth.hub.support.ParkedMessages;
import org.cbhealth.hub.support.PartnerFiles;
import org.cbhealth.hub.support.Queues;
import org.cbhealth.hub.support.Samples;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivery when a partner is down, over real sockets and the real broker: a sender refers patients over MLLP to a
 * destination whose MLLP listener is stopped. The destination's delivery route opens its breaker (Suspended in the
 * admin API), the referrals wait on {@code hub.outbound.<destination>} with few delivery attempts spent, none
 * dead-lettered or parked; once the listener is back on its port, every referral arrives once, in the order sent.
 * A referral the destination refuses (ACK AE) is parked once for the receiver, and the ones after it still arrive.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OutboundOutageIT extends HubIntegrationTest {

    private static final Logger LOG = LoggerFactory.getLogger(OutboundOutageIT.class);
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int REFERRALS_DURING_OUTAGE = 20;

    private final String suffix = UUID.randomUUID().toString().substring(0, 8);
    private final String sender = "it-out-s-" + suffix;
    private final String down = "it-out-d-" + suffix;
    private final String refusing = "it-out-r-" + suffix;
    private final String downRegistry = registryNumber(1);
    private final String refusingRegistry = registryNumber(2);
    private final int senderPort = FreePorts.next();
    private final int downPort = FreePorts.next();
    private MllpListener refusingSystem;

    @BeforeAll
    void partners() throws Exception {
        refusingSystem = new MllpListener();
        PartnerFiles.write(
                PARTNERS_DIR, sender + ".yaml", PartnerFiles.mllpReferralSender(sender, senderPort, down, refusing));
        destination(down, downRegistry, downPort);
        destination(refusing, refusingRegistry, refusingSystem.port());
        await().atMost(WAIT).untilAsserted(() -> {
            for (String partner : List.of(sender, down, refusing)) {
                assertThat(admin().partner(partner)).isNotNull();
                assertThat(admin().partner(partner)).isNotNull();
                assertThat(admin().partner(partner).get("routes").findValuesAsText("state"))
                        .containsOnly("Started");
            }
        });
    }

    @AfterAll
    void closeListener() throws Exception {
        refusingSystem.close();
    }

    @Test
    void aPartnerThatIsDownKeepsItsQueueAndGetsEveryReferralOnceInOrderWhenBack() throws Exception {
        String queue = "hub.outbound." + down;
        List<String> sent = new ArrayList<>();
        try (MllpListener system = new MllpListener(downPort)) {
            // up: one referral goes through, the breaker is closed
            sent.add(refer(down, downRegistry, "OUT-" + suffix + "-00"));
            assertThat(rf1(system.next(30, TimeUnit.SECONDS))[11]).startsWith(sent.get(0));
            assertThat(deliveryRoute(down).get("breaker").asText()).isEqualTo("closed");
        }

        // down: the listener and its connections are gone
        long outageStart = System.nanoTime();
        for (int i = 1; i <= REFERRALS_DURING_OUTAGE; i++) {
            sent.add(refer(down, downRegistry, "OUT-" + suffix + "-%02d".formatted(i)));
        }
        await().atMost(WAIT).untilAsserted(() -> {
            JsonNode route = deliveryRoute(down);
            assertThat(route.get("breaker").asText()).isEqualTo("open");
            assertThat(route.get("state").asText()).isEqualTo("Suspended");
        });
        try (Queues queues = hubQueues()) {
            await().atMost(WAIT).until(() -> queues.depth(queue) == REFERRALS_DURING_OUTAGE);
            // the outage goes on through several probes: nothing leaves the queue, nothing dead-lettered or parked
            await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(queues.depth(queue)).isEqualTo(REFERRALS_DURING_OUTAGE);
                assertThat(queues.depth("DLQ", "_AMQ_ORIG_ADDRESS = '" + queue + "'"))
                        .isZero();
                assertThat(parked().count(down)).isZero();
                assertThat(deliveryRoute(down).get("breaker").asText()).isNotEqualTo("closed");
            });
        }
        int attempts = maxDeliveryCount(queue);
        long outageMillis = (System.nanoTime() - outageStart) / 1_000_000;
        LOG.info(
                "Outage: {} referrals queued, the most delivery attempts of one message {} in {} ms",
                REFERRALS_DURING_OUTAGE,
                attempts,
                outageMillis);
        // the failures that opened the breaker (2 here), then at most one probe per pause (0.5 s, growing to 1 s);
        // without the breaker a message would be redelivered without pause until it is dead-lettered
        assertThat(attempts)
                .as("delivery attempts spent on the head of the queue in " + outageMillis + " ms")
                .isBetween(1, 2 + (int) (outageMillis / 500) + 1);

        // back on the same port: the backlog drains once, in the order sent
        long back = System.nanoTime();
        try (MllpListener system = new MllpListener(downPort)) {
            List<String[]> delivered = new ArrayList<>();
            await().atMost(WAIT).until(() -> {
                String message = system.next(200, TimeUnit.MILLISECONDS);
                if (message != null) {
                    delivered.add(rf1(message));
                }
                return delivered.size() >= REFERRALS_DURING_OUTAGE;
            });
            long drainMillis = (System.nanoTime() - back) / 1_000_000;
            LOG.info(
                    "Outage: drain of {} referrals after the partner came back took {} ms",
                    REFERRALS_DURING_OUTAGE,
                    drainMillis);
            assertThat(system.next(2, TimeUnit.SECONDS))
                    .as("nothing delivered twice")
                    .isNull();
            assertThat(delivered.stream().map(rf1 -> rf1[11].split("\\^")[0]).toList())
                    .containsExactlyElementsOf(sent.subList(1, sent.size()));
            assertThat(delivered.stream().map(rf1 -> rf1[6].split("\\^")[0]).distinct())
                    .as("distinct hub referral numbers")
                    .hasSize(REFERRALS_DURING_OUTAGE);
            await().atMost(WAIT).untilAsserted(() -> {
                JsonNode route = deliveryRoute(down);
                assertThat(route.get("breaker").asText()).isEqualTo("closed");
                assertThat(route.get("state").asText()).isEqualTo("Started");
            });
            try (Queues queues = hubQueues()) {
                assertThat(queues.depth(queue)).isZero();
                assertThat(queues.depth("DLQ", "_AMQ_ORIG_ADDRESS = '" + queue + "'"))
                        .isZero();
            }
            assertThat(parked().count(down)).isZero();
        }
    }

    @Test
    void aReferralTheReceiverRefusesIsParkedOnceAndTheNextOnesStillArrive() throws Exception {
        String refused = "REF-" + suffix + "-BAD";
        refusingSystem.refuse(message -> message.contains(refused), "department closed for renovation");

        String before = refer(refusing, refusingRegistry, "REF-" + suffix + "-1");
        refer(refusing, refusingRegistry, refused);
        String after = refer(refusing, refusingRegistry, "REF-" + suffix + "-2");

        List<String> received = new ArrayList<>();
        await().atMost(WAIT).until(() -> {
            String message = refusingSystem.next(200, TimeUnit.MILLISECONDS);
            if (message != null) {
                received.add(rf1(message)[11].split("\\^")[0]);
            }
            return received.size() >= 3;
        });
        assertThat(refusingSystem.next(2, TimeUnit.SECONDS))
                .as("the refused one is not sent again")
                .isNull();
        assertThat(received).containsExactly(before, refused, after);

        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(parked().of(refusing)).hasSize(1));
        ParkedMessages.Parked parked = parked().of(refusing).get(0);
        assertThat(parked.failedBy()).isEqualTo("receiver");
        assertThat(parked.direction()).isEqualTo("outbound");
        assertThat(parked.channel()).isEqualTo("outbound");
        assertThat(parked.reason()).isEqualTo("the receiver answered ACK AE; ERR: department closed for renovation");
        assertThat(parked.businessKey()).matches("\\d+");
        assertThat(parked.raw()).contains("REF^I12").contains(refused);
        assertThat(deliveryRoute(refusing).get("breaker").asText()).isEqualTo("closed");
        try (Queues queues = hubQueues()) {
            assertThat(queues.depth("hub.outbound." + refusing)).isZero();
        }
    }

    /** Sends a referral over the sender's MLLP channel; returns its placer number once answered AA. */
    private String refer(String destination, String registry, String placer) throws Exception {
        String referral = Samples.hl7From("referral/ref-i12-bg-to-mk.hl7", sender)
                .replace("BG-REF-000123", placer)
                .replace("4068491", registry);
        assertThat(MllpClient.send(senderPort, referral))
                .as("referral to " + destination)
                .contains("MSA|AA|" + placer);
        return placer;
    }

    private void destination(String id, String registry, int port) throws Exception {
        PartnerFiles.write(
                PARTNERS_DIR,
                id + ".yaml",
                PartnerFiles.partner(
                                id,
                                """
                outbound:
                  kind: mllp
                  settings:
                    host: 127.0.0.1
                    port: %d
                referralPartners: [%s]
                """
                                        .formatted(port, sender))
                        .replace("value: " + id, "value: \"" + registry + "\""));
    }

    private JsonNode deliveryRoute(String partner) {
        for (JsonNode route :
                admin().get("/api/admin/partners/" + partner).json().get("routes")) {
            if (route.get("id").asText().endsWith("-outbound-delivery")) {
                return route;
            }
        }
        throw new AssertionError("no delivery route for " + partner);
    }

    /** The most delivery attempts the broker counts for a message waiting on the queue. */
    private static int maxDeliveryCount(String queue) throws Exception {
        try (Connection connection = hubBrokerConnectionFactory().createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            connection.start();
            int most = 0;
            try (QueueBrowser browser = session.createBrowser(session.createQueue(queue))) {
                for (Object element : Collections.list(browser.getEnumeration())) {
                    most = Math.max(most, ((Message) element).getIntProperty("JMSXDeliveryCount"));
                }
            }
            return most;
        }
    }

    private static String[] rf1(String message) {
        assertThat(message).as("a message arrived").isNotNull();
        for (String segment : message.split("\r")) {
            if (segment.startsWith("RF1|")) {
                return segment.split("\\|", -1);
            }
        }
        throw new AssertionError("no RF1 in " + message);
    }

    private String registryNumber(int n) {
        return String.valueOf(6_000_000 + n * 1_000_000 + (Math.abs((suffix + n).hashCode()) % 999_999));
    }
}
