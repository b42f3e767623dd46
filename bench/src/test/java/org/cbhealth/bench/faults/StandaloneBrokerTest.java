package org.cbhealth.bench.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.junit.jupiter.api.Test;

class StandaloneBrokerTest {

    @Test
    void shouldReadBackTheArgumentsItIsStartedWith() {
        var settings = new StandaloneBroker.Settings("127.0.0.1", 40123, Path.of("/tmp/b"), 10, 25);

        assertThat(StandaloneBroker.Settings.parse(settings.arguments())).isEqualTo(settings);
        assertThat(StandaloneBroker.Settings.parse(List.of("--port", "1", "--data", "d")))
                .isEqualTo(new StandaloneBroker.Settings("127.0.0.1", 1, Path.of("d"), 10, 1000));
        assertThatThrownBy(() -> StandaloneBroker.Settings.parse(List.of("--port", "1")))
                .hasMessage("--port and --data are required");
    }

    @Test
    void shouldGiveEveryAddressTheExternalBrokerSettingsAndTheOutboundQueuesTheirOwnDeliveryCount() throws Exception {
        Configuration configuration = StandaloneBroker.configuration(
                new StandaloneBroker.Settings("127.0.0.1", 40123, Path.of("/tmp/b"), 10, 1000));

        AddressSettings all = configuration.getAddressSettings().get("#");
        assertThat(all.getDeadLetterAddress().toString()).isEqualTo("DLQ");
        assertThat(all.getExpiryAddress().toString()).isEqualTo("ExpiryQueue");
        assertThat(all.getMaxDeliveryAttempts()).isEqualTo(10);
        assertThat(all.getRedeliveryDelay()).isEqualTo(1000L);
        assertThat(all.getRedeliveryMultiplier()).isEqualTo(2.0);
        assertThat(all.getMaxRedeliveryDelay()).isEqualTo(300_000L);
        AddressSettings outbound = configuration.getAddressSettings().get("hub.outbound.#");
        assertThat(outbound.getMaxDeliveryAttempts()).isEqualTo(1000);
        assertThat(outbound.getRedeliveryDelay()).isZero();
        assertThat(outbound.getDeadLetterAddress().toString()).isEqualTo("DLQ");
        assertThat(configuration.isPersistenceEnabled()).isTrue();
        assertThat(configuration.getJournalLocation().toPath()).isEqualTo(Path.of("/tmp/b/journal"));
        assertThat(configuration.getAcceptorConfigurations()).singleElement().satisfies(a -> assertThat(a.getParams())
                .containsEntry("port", "40123"));
        assertThat(configuration.getQueueConfigs())
                .extracting(q -> q.getName().toString())
                .containsExactlyInAnyOrder("DLQ", "ExpiryQueue");
    }
}
