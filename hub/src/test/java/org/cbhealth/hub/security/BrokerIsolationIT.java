package org.cbhealth.hub.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.cbhealth.hub.support.DirectoryFixtures.json;
import static org.cbhealth.hub.support.DirectoryFixtures.organization;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.interceptor.BasicAuthInterceptor;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.qpid.jms.JmsConnectionFactory;
import org.cbhealth.hub.audit.HubAudit;
import org.cbhealth.hub.partner.PartnerRegistry;
import org.cbhealth.hub.support.HubIntegrationTest;
import org.cbhealth.hub.support.PartnerFiles;
import org.cbhealth.hub.support.Queues;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Organization;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Partners share one broker and see only their own queues: two partners, A and B, each with an inbound {@code jms}
 * channel (the partner sends, the hub consumes) and an outbound {@code jms} channel (the hub delivers, the partner
 * consumes), logging in with their partner id and the secret of their partner file, over CORE and AMQP 1.0.
 */
class BrokerIsolationIT extends HubIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Autowired
    private PartnerRegistry registry;

    private String a;
    private String b;

    @BeforeEach
    void twoBrokerPartners() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        a = "it-bra-" + suffix;
        b = "it-brb-" + suffix;
        for (String id : List.of(a, b)) {
            PartnerFiles.write(PARTNERS_DIR, id + ".yaml", PartnerFiles.brokerPartner(id, channels(id)));
        }
        await().atMost(WAIT)
                .until(() -> registry.definition(a).isPresent()
                        && registry.definition(b).isPresent());
    }

    private static String channels(String id) {
        return """
                inbound:
                  - name: directory
                    kind: jms
                    format: fhir
                    flow: directory
                    settings:
                      queue: %s
                outbound:
                  kind: jms
                  settings:
                    queue: %s
                """
                .formatted(inbound(id), outbound(id));
    }

    private static String inbound(String id) {
        return "partner." + id + ".in";
    }

    private static String outbound(String id) {
        return "partner." + id + ".out";
    }

    private static Queues as(String id) throws JMSException {
        return new Queues(brokerUrl(), id, PartnerFiles.brokerPassword(id));
    }

    @Test
    void aPartnerSendsToItsOwnInboundQueueAndTheResourceIsStored() throws Exception {
        String name = "Splošna bolnišnica Celje " + UUID.randomUUID();

        try (Queues queues = as(a)) {
            queues.send(inbound(a), json(organization(name, "SI")));
        }

        await().atMost(WAIT).untilAsserted(() -> {
            List<Organization> found = organizationsNamed(name);
            assertThat(found).hasSize(1);
            assertThat(found.get(0).getMeta().getSource()).contains("/partner/" + a + "/directory");
        });
    }

    @Test
    void aPartnerCannotSendToAnotherPartnersInboundQueue() throws Exception {
        String name = "Univerzitetni klinični center Maribor " + UUID.randomUUID();

        try (Queues queues = as(a)) {
            assertThatThrownBy(() -> queues.send(inbound(b), json(organization(name, "SI"))))
                    .isInstanceOf(JMSSecurityException.class)
                    .hasMessageContaining(inbound(b));
        }

        awaitDenial(a, "send", inbound(b));
        await().during(Duration.ofSeconds(1))
                .atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(organizationsNamed(name)).isEmpty());
    }

    @Test
    void aPartnerCannotConsumeOrBrowseAnotherPartnersOutboundQueueAndTheOwnerStillGetsItsMessage() throws Exception {
        String text = "{\"resourceType\":\"Task\",\"status\":\"requested\",\"id\":\"" + UUID.randomUUID() + "\"}";
        try (Queues hub = hubQueues()) {
            hub.send(outbound(b), text);
        }

        try (Queues queues = as(a)) {
            assertThatThrownBy(() -> queues.receive(outbound(b), 1_000)).isInstanceOf(JMSSecurityException.class);
            assertThatThrownBy(() -> queues.depth(outbound(b))).isInstanceOf(JMSSecurityException.class);
        }
        awaitDenial(a, "consume", outbound(b));
        awaitDenial(a, "browse", outbound(b));

        try (Queues queues = as(b)) {
            assertThat(queues.depth(outbound(b))).isEqualTo(1);
            assertThat(queues.receive(outbound(b), 10_000)).isEqualTo(text);
        }
    }

    @Test
    void aPartnerCannotTouchTheHubsQueues() throws Exception {
        try (Queues queues = as(a)) {
            for (String queue : List.of("hub.outbound." + b, "hub.outbound." + a, "hub.parked", "DLQ", "ExpiryQueue")) {
                assertThatThrownBy(() -> queues.receive(queue, 500)).as(queue).isInstanceOf(JMSSecurityException.class);
                awaitDenial(a, "consume", queue);
            }
            assertThatThrownBy(() -> queues.send("hub.inbound.fhir", json(organization("X", "SI"))))
                    .isInstanceOf(JMSSecurityException.class);
            // its own outbound queue is for consuming only, its own inbound queue for sending only
            assertThatThrownBy(() -> queues.send(outbound(a), "{}")).isInstanceOf(JMSSecurityException.class);
            assertThatThrownBy(() -> queues.receive(inbound(a), 500)).isInstanceOf(JMSSecurityException.class);
        }
        awaitDenial(a, "send", "hub.inbound.fhir");
        awaitDenial(a, "send", outbound(a));
        awaitDenial(a, "consume", inbound(a));
    }

    @Test
    void wrongPasswordUnknownUserAndAPartnerWithoutBrokerSecretCannotConnect() throws Exception {
        assertThatThrownBy(() -> new Queues(brokerUrl(), a, "not-" + PartnerFiles.brokerPassword(a)))
                .isInstanceOf(JMSSecurityException.class);
        awaitDenial(a, "connect", a);

        String stranger = "it-stranger-" + UUID.randomUUID().toString().substring(0, 8);
        assertThatThrownBy(() -> new Queues(brokerUrl(), stranger, "guess")).isInstanceOf(JMSSecurityException.class);
        await().atMost(WAIT).untilAsserted(() -> assertThat(audit().of(HubAudit.Step.DENIED, null))
                .anySatisfy(event -> assertThat(target(event)).isEqualTo("broker:" + stranger)));

        assertThatThrownBy(() -> new Queues(brokerUrl(), null, null)).isInstanceOf(JMSSecurityException.class);

        // the default test partner's credentials name an environment variable the test run does not set
        String keyless = "it-nosecret-" + UUID.randomUUID().toString().substring(0, 8);
        PartnerFiles.write(PARTNERS_DIR, keyless + ".yaml", PartnerFiles.partner(keyless, channels(keyless)));
        await().atMost(WAIT).until(() -> registry.definition(keyless).isPresent());
        assertThatThrownBy(() -> new Queues(brokerUrl(), keyless, "")).isInstanceOf(JMSSecurityException.class);
        assertThatThrownBy(() -> new Queues(brokerUrl(), keyless, "anything")).isInstanceOf(JMSSecurityException.class);
        awaitDenial(keyless, "connect", keyless);
    }

    @Test
    void theSameRulesHoldOverAmqp() throws Exception {
        String name = "Klinični center Ljubljana AMQP " + UUID.randomUUID();
        String refused = "Bolnišnica Izola AMQP " + UUID.randomUUID();
        String text = "{\"resourceType\":\"Task\",\"status\":\"requested\",\"id\":\"" + UUID.randomUUID() + "\"}";
        try (Queues hub = hubQueues()) {
            hub.send(outbound(b), text);
        }

        try (Connection connection = amqp(a, PartnerFiles.brokerPassword(a)).createConnection()) {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            session.createProducer(session.createQueue(inbound(a)))
                    .send(session.createTextMessage(json(organization(name, "SI"))));

            assertThatThrownBy(() -> session.createProducer(session.createQueue(inbound(b)))
                            .send(session.createTextMessage(json(organization(refused, "SI")))))
                    .isInstanceOf(JMSSecurityException.class);
            assertThatThrownBy(() -> session.createConsumer(session.createQueue(outbound(b)))
                            .receive(500))
                    .isInstanceOf(JMSSecurityException.class);
            assertThatThrownBy(() -> session.createConsumer(session.createQueue("hub.parked"))
                            .receive(500))
                    .isInstanceOf(JMSSecurityException.class);
        }
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(organizationsNamed(name)).hasSize(1));
        awaitDenial(a, "send", inbound(b));
        awaitDenial(a, "consume", outbound(b));
        awaitDenial(a, "consume", "hub.parked");
        assertThat(organizationsNamed(refused)).isEmpty();

        try (Connection connection = amqp(b, PartnerFiles.brokerPassword(b)).createConnection()) {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = session.createConsumer(session.createQueue(outbound(b)));
            Message message = consumer.receive(10_000);
            assertThat(message).isInstanceOf(TextMessage.class);
            assertThat(((TextMessage) message).getText()).isEqualTo(text);
        }

        assertThatThrownBy(() -> {
                    try (Connection connection = amqp(a, "wrong").createConnection()) {
                        connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                    }
                })
                .isInstanceOf(JMSSecurityException.class);
    }

    private static ConnectionFactory amqp(String user, String password) {
        return new JmsConnectionFactory(
                user, password, "amqp://127.0.0.1:" + BROKER_PORT + "?jms.sendTimeout=20000&jms.connectTimeout=10000");
    }

    /** Waits for the audit record of the refusal (written on a thread of its own, after the client's answer). */
    private void awaitDenial(String partnerId, String action, String target) {
        await().atMost(WAIT).untilAsserted(() -> assertThat(audit().denials(partnerId))
                .as("denial of %s on %s for %s", action, target, partnerId)
                .anySatisfy(event -> {
                    assertThat(target(event)).isEqualTo("broker:" + target);
                    assertThat(event.getSubtype()).anySatisfy(coding -> {
                        assertThat(coding.getSystem()).isEqualTo(HubAudit.STEP_SYSTEM + "/action");
                        assertThat(coding.getCode()).isEqualTo(action);
                    });
                    assertThat(event.getOutcomeDesc()).isNotBlank();
                }));
    }

    private static String target(AuditEvent event) {
        return event.getEntity().isEmpty() ? null : event.getEntityFirstRep().getName();
    }

    /** The directory as a staff viewer sees it (HTTP Basic). */
    private List<Organization> organizationsNamed(String name) {
        IGenericClient viewer = fhirClient();
        viewer.registerInterceptor(new BasicAuthInterceptor(VIEWER_USER, VIEWER_PASSWORD));
        return viewer
                .search()
                .forResource(Organization.class)
                .where(Organization.NAME.matchesExactly().value(name))
                .returnBundle(Bundle.class)
                .execute()
                .getEntry()
                .stream()
                .map(entry -> (Organization) entry.getResource())
                .toList();
    }
}
