package org.cbhealth.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.cbhealth.hub.support.DirectoryFixtures.json;
import static org.cbhealth.hub.support.DirectoryFixtures.organization;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.CamelContext;
import org.cbhealth.hub.messaging.BrokerSecurityManager;
import org.cbhealth.hub.support.FhirClients;
import org.cbhealth.hub.support.FreePorts;
import org.cbhealth.routes.inbound.FhirResourceInboundRoute;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Organization;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Stops the hub and starts it again on the same data directory: stored resources and messages still
 * waiting on queues (the H2 file database and the Artemis journal) are all there after the restart.
 */
class RestartPersistenceIT {

    private final Path dataDir = createDataDir();
    private final int httpPort = FreePorts.next();
    private final int brokerPort = FreePorts.next();
    private static final String HUB_BROKER_PASSWORD = "restart-broker-secret";

    @Test
    void storedResourcesAndQueuedMessagesSurviveARestart() throws Exception {
        String storedId;
        try (ConfigurableApplicationContext hub = startHub()) {
            Organization org = organization("Murmansk Regional Clinical Hospital", "RU");
            storedId = client().create().resource(org).execute().getId().getIdPart();

            // nothing consumes while the hub goes down: the messages must wait in the journal
            hub.getBean(CamelContext.class).getRouteController().stopRoute(FhirResourceInboundRoute.ROUTE_ID);
            send("hub.inbound.fhir", json(organization("Minsk City Hospital No. 1", "BY")));
            send("test.unconsumed", "parcel kept across restarts");
        }

        try (ConfigurableApplicationContext hub = startHub()) {
            Organization reread = client().read()
                    .resource(Organization.class)
                    .withId(storedId)
                    .execute();
            assertThat(reread.getName()).isEqualTo("Murmansk Regional Clinical Hospital");
            assertThat(reread.getIdElement().getVersionIdPart()).isEqualTo("1");

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(client().search()
                            .forResource(Organization.class)
                            .where(Organization.NAME.matchesExactly().value("Minsk City Hospital No. 1"))
                            .returnBundle(Bundle.class)
                            .execute()
                            .getEntry())
                    .hasSize(1));

            assertThat(receive("test.unconsumed")).isEqualTo("parcel kept across restarts");
        }
    }

    private ConfigurableApplicationContext startHub() {
        // command-line arguments: they outrank application.yml, as they do for a user
        return new SpringApplicationBuilder(CbHealthHubApplication.class)
                .run(
                        "--cbhealth.data-dir=" + dataDir,
                        "--server.port=" + httpPort,
                        "--cbhealth.broker.acceptor-port=" + brokerPort,
                        "--cbhealth.broker.hub-password=" + HUB_BROKER_PASSWORD);
    }

    private IGenericClient client() {
        return FhirClients.forPort(httpPort);
    }

    private void send(String queue, String text) throws Exception {
        try (Connection connection = brokerConnection();
                Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE)) {
            session.createProducer(session.createQueue(queue)).send(session.createTextMessage(text));
        }
    }

    private String receive(String queue) throws Exception {
        try (Connection connection = brokerConnection();
                Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE)) {
            connection.start();
            Message message = session.createConsumer(session.createQueue(queue)).receive(10_000);
            assertThat(message).as("message on " + queue).isInstanceOf(TextMessage.class);
            return ((TextMessage) message).getText();
        }
    }

    private Connection brokerConnection() throws Exception {
        return new ActiveMQConnectionFactory(
                        "tcp://127.0.0.1:" + brokerPort, BrokerSecurityManager.HUB_USER, HUB_BROKER_PASSWORD)
                .createConnection();
    }

    private static Path createDataDir() {
        try {
            return Files.createTempDirectory("cbhealth-restart-");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
