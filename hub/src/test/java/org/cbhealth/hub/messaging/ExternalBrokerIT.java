package org.cbhealth.hub.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.cbhealth.hub.support.DirectoryFixtures.json;
import static org.cbhealth.hub.support.DirectoryFixtures.organization;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import jakarta.jms.Connection;
import jakarta.jms.Session;
import java.nio.file.Files;
import java.time.Duration;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.camel.CamelContext;
import org.cbhealth.hub.CbHealthHubApplication;
import org.cbhealth.hub.support.FhirClients;
import org.cbhealth.hub.support.FreePorts;
import org.cbhealth.hub.support.HubIntegrationTest;
import org.cbhealth.routes.inbound.FhirResourceInboundRoute;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Organization;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The {@code external-broker} switch: a second hub started with that profile runs no broker of its own
 * and consumes from the broker it is pointed at (here the first hub's, reached over TCP as any external
 * Artemis would be).
 */
class ExternalBrokerIT extends HubIntegrationTest {

    @Autowired
    private CamelContext camelContext;

    @Test
    void hubWithExternalBrokerProfileConsumesFromThatBroker() throws Exception {
        int httpPort = FreePorts.next();
        camelContext.getRouteController().stopRoute(FhirResourceInboundRoute.ROUTE_ID);
        try (ConfigurableApplicationContext second = new SpringApplicationBuilder(CbHealthHubApplication.class)
                .profiles("external-broker")
                .run(
                        "--CBHEALTH_BROKER_URL=" + brokerUrl(),
                        // the first hub's broker: the second logs in as a hub user there
                        "--CBHEALTH_BROKER_USER=" + BrokerSecurityManager.HUB_USER,
                        "--CBHEALTH_BROKER_PASSWORD=" + HUB_BROKER_PASSWORD,
                        "--cbhealth.data-dir=" + Files.createTempDirectory("cbhealth-ext-"),
                        "--server.port=" + httpPort)) {
            assertThat(second.getBeanNamesForType(EmbeddedActiveMQ.class)).isEmpty();

            try (Connection connection = hubBrokerConnectionFactory().createConnection();
                    Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE)) {
                session.createProducer(session.createQueue("hub.inbound.fhir"))
                        .send(session.createTextMessage(json(organization("Tartu Ülikooli Kliinikum", "EE"))));
            }

            IGenericClient secondHub = FhirClients.forPort(httpPort);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(secondHub
                            .search()
                            .forResource(Organization.class)
                            .where(Organization.NAME.matchesExactly().value("Tartu Ülikooli Kliinikum"))
                            .returnBundle(Bundle.class)
                            .execute()
                            .getEntry())
                    .hasSize(1));
        } finally {
            camelContext.getRouteController().startRoute(FhirResourceInboundRoute.ROUTE_ID);
        }
    }
}
