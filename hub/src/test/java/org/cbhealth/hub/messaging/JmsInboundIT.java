package org.cbhealth.hub.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.cbhealth.hub.support.DirectoryFixtures.json;
import static org.cbhealth.hub.support.DirectoryFixtures.organization;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.qpid.jms.JmsConnectionFactory;
import org.cbhealth.hub.support.HubIntegrationTest;
import org.cbhealth.hub.support.ParkedMessages;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Organization;
import org.junit.jupiter.api.Test;

/**
 * Messages put on the hub's inbound queue by an external client over TCP (CORE and AMQP 1.0, not in-VM)
 * end as stored FHIR resources; invalid ones are parked with a reason, never lost.
 */
class JmsInboundIT extends HubIntegrationTest {

    private static final String INBOUND = "hub.inbound.fhir";
    private static final String PL_REGISTRY = "urn:oid:2.16.840.1.113883.3.4424";

    @Test
    void organizationSentOverCoreTcpIsStored() throws JMSException {
        String name = "Хмельницька обласна лікарня " + UUID.randomUUID();

        sendText(hubBrokerConnectionFactory(), INBOUND, json(organization(name, "UA")), "none");

        awaitOrganizationNamed(name);
    }

    @Test
    void organizationSentOverAmqpAsBytesIsStoredOnce() throws JMSException {
        String name = "Szpital Wojewódzki Przemyśl " + UUID.randomUUID();
        String identifier = UUID.randomUUID().toString();
        Organization org = organization(name, "PL");
        org.getIdentifierFirstRep().setSystem(PL_REGISTRY).setValue(identifier);
        String json = json(org);
        ConnectionFactory amqp = new JmsConnectionFactory(
                BrokerSecurityManager.HUB_USER,
                HUB_BROKER_PASSWORD,
                "amqp://127.0.0.1:" + BROKER_PORT + "?jms.sendTimeout=20000&jms.connectTimeout=10000");

        try (Connection connection = amqp.createConnection();
                Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE)) {
            MessageProducer producer = session.createProducer(session.createQueue(INBOUND));
            for (int i = 0; i < 2; i++) {
                BytesMessage message = session.createBytesMessage();
                message.writeBytes(json.getBytes(StandardCharsets.UTF_8));
                producer.send(message);
            }
        }

        // the second copy carries the same business identifier: conditional create stores nothing new
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Bundle found = fhirClient()
                    .search()
                    .forResource(Organization.class)
                    .where(Organization.IDENTIFIER.exactly().systemAndCode(PL_REGISTRY, identifier))
                    .returnBundle(Bundle.class)
                    .execute();
            assertThat(found.getEntry()).hasSize(1);
            assertThat(((Organization) found.getEntryFirstRep().getResource()).getName())
                    .isEqualTo(name);
        });
        await().during(Duration.ofMillis(500))
                .atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(searchByName(name).getEntry()).hasSize(1));
    }

    @Test
    void invalidFhirIsParkedWithTheReason() throws JMSException {
        String marker = UUID.randomUUID().toString();
        ActiveMQConnectionFactory core = hubBrokerConnectionFactory();

        sendText(core, INBOUND, "{\"resourceType\":\"Organization\",\"nmae\":\"" + marker + "\"}", marker);

        ParkedMessages.Parked parked = receiveParked(marker);
        assertThat(parked.reason()).contains("Not a valid FHIR R4 resource").contains("nmae");
        assertThat(parked.failedBy()).isEqualTo("sender");
        assertThat(parked.direction()).isEqualTo("inbound");
        // the raw input is kept with the parked message
        assertThat(parked.raw()).contains("\"nmae\":\"" + marker);
    }

    @Test
    void resourceBreakingItsProfileIsParkedNamingTheElement() throws JMSException {
        String marker = UUID.randomUUID().toString();
        Organization org = organization("Без държава " + marker, "BG");
        org.getAddressFirstRep().setCountry("Bulgaria");

        sendText(hubBrokerConnectionFactory(), INBOUND, json(org), marker);

        ParkedMessages.Parked parked = receiveParked(marker);
        assertThat(parked.reason())
                .startsWith("Refused by the FHIR store (HTTP 422): Organization.address[0].country: ")
                .contains("cbh-country");
    }

    @Test
    void objectMessageIsParkedWithoutBeingDeserialised() throws JMSException {
        String marker = UUID.randomUUID().toString();
        ActiveMQConnectionFactory core = hubBrokerConnectionFactory();
        try (Connection connection = core.createConnection();
                Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE)) {
            Message message = session.createObjectMessage(marker);
            message.setStringProperty("marker", marker);
            session.createProducer(session.createQueue(INBOUND)).send(message);
        }

        ParkedMessages.Parked parked = receiveParked(marker);
        assertThat(parked.reason()).contains("Unsupported JMS message kind").contains("ObjectMessage");
    }

    private ParkedMessages.Parked receiveParked(String marker) {
        return await().atMost(Duration.ofSeconds(30))
                .until(() -> parked().withHeader("marker", marker), java.util.Optional::isPresent)
                .orElseThrow();
    }

    /** Sends a text message; {@code marker} is a property the parked-queue assertions select on. */
    private static void sendText(ConnectionFactory factory, String queue, String text, String marker)
            throws JMSException {
        try (Connection connection = factory.createConnection();
                Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE)) {
            Message message = session.createTextMessage(text);
            message.setStringProperty("marker", marker);
            session.createProducer(session.createQueue(queue)).send(message);
        }
    }

    private void awaitOrganizationNamed(String name) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Bundle found = searchByName(name);
            assertThat(found.getEntry()).hasSize(1);
            assertThat(((Organization) found.getEntryFirstRep().getResource()).getName())
                    .isEqualTo(name);
        });
    }

    private Bundle searchByName(String name) {
        return fhirClient()
                .search()
                .forResource(Organization.class)
                .where(Organization.NAME.matchesExactly().value(name))
                .returnBundle(Bundle.class)
                .execute();
    }
}
