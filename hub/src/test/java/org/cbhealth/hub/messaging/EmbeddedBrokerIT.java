package org.cbhealth.hub.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.cbhealth.hub.support.HubIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;

/** The embedded broker as configured: persistent journal in the data directory, never-drop address settings. */
class EmbeddedBrokerIT extends HubIntegrationTest {

    @Autowired
    private EmbeddedActiveMQ embedded;

    @Value("${cbhealth.data-dir}")
    private String dataDir;

    @Test
    void journalIsPersistentUnderTheDataDirectory() {
        ActiveMQServer server = embedded.getActiveMQServer();

        assertThat(server.getConfiguration().isPersistenceEnabled()).isTrue();
        Path journal = server.getConfiguration().getJournalLocation().toPath().toAbsolutePath();
        assertThat(journal.startsWith(Path.of(dataDir, "artemis").toAbsolutePath()))
                .as("journal %s under the data directory", journal)
                .isTrue();
    }

    @Test
    void everyAddressHasDeadLetterAndExpiryAddressesWithBackOff() {
        AddressSettings settings =
                embedded.getActiveMQServer().getAddressSettingsRepository().getMatch("partner.any.inbound");

        assertThat(settings.getDeadLetterAddress().toString()).isEqualTo("DLQ");
        assertThat(settings.getExpiryAddress().toString()).isEqualTo("ExpiryQueue");
        assertThat(settings.getMaxDeliveryAttempts()).isEqualTo(10);
        assertThat(settings.getRedeliveryDelay()).isEqualTo(1000L);
        assertThat(settings.getRedeliveryMultiplier()).isEqualTo(2.0);
        assertThat(settings.getMaxRedeliveryDelay()).isEqualTo(300_000L);
    }

    @Test
    void deadLetterAndExpiryQueuesExistAndAcceptorServesCoreAndAmqpOnLoopback() throws Exception {
        ActiveMQServer server = embedded.getActiveMQServer();

        assertThat(server.locateQueue("DLQ")).isNotNull();
        assertThat(server.locateQueue("ExpiryQueue")).isNotNull();
        assertThat(server.getConfiguration().getAcceptorConfigurations()).anySatisfy(acceptor -> {
            assertThat(acceptor.getParams()).containsEntry("host", "127.0.0.1");
            assertThat(String.valueOf(acceptor.getParams().get("port"))).isEqualTo(Integer.toString(BROKER_PORT));
            assertThat(String.valueOf(acceptor.getParams().get("protocols"))).isEqualTo("CORE,AMQP");
        });
    }
}
