package org.cbhealth.hub.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.apache.camel.CamelContext;
import org.cbhealth.hub.audit.AuditProperties;
import org.cbhealth.hub.routing.DeliveryProperties;
import org.cbhealth.hub.support.HubIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.context.LifecycleProperties;
import org.springframework.boot.web.server.Shutdown;
import org.springframework.core.env.Environment;

/**
 * The graceful shutdown bound as the running hub has it: the web server's graceful drain (one Spring lifecycle
 * phase), then Camel's shutdown, which waits for in-flight exchanges, then the audit writer storing what is queued,
 * add up to less than the 30 s grace period of orchestrators; a delivery in flight gives up (and rolls back) within Camel's part. The real-process proof, a
 * SIGTERM while deliveries are in flight, is the fault-injection harness's.
 */
class ShutdownBoundIT extends HubIntegrationTest {

    private static final Duration GRACE_PERIOD = Duration.ofSeconds(30);

    @Autowired
    private CamelContext camel;

    @Autowired
    private LifecycleProperties lifecycle;

    @Autowired
    private DeliveryProperties delivery;

    @Autowired
    private Environment environment;

    @Autowired
    private AuditProperties audit;

    @Test
    void webDrainCamelShutdownAndTheLastAuditEventsTogetherStayBelowTheGracePeriod() {
        Duration camelShutdown = Duration.of(
                camel.getShutdownStrategy().getTimeout(),
                camel.getShutdownStrategy().getTimeUnit().toChronoUnit());
        Duration perPhase = lifecycle.getTimeoutPerShutdownPhase();

        assertThat(environment.getProperty("server.shutdown", Shutdown.class)).isEqualTo(Shutdown.GRACEFUL);
        assertThat(camel.getShutdownStrategy().isShutdownNowOnTimeout()).isTrue();
        assertThat(camelShutdown).isEqualTo(Duration.ofSeconds(15));
        assertThat(perPhase).isEqualTo(Duration.ofSeconds(10));
        assertThat(audit.stopTimeout()).isEqualTo(Duration.ofSeconds(4));
        assertThat(perPhase.plus(camelShutdown).plus(audit.stopTimeout())).isLessThan(GRACE_PERIOD);
    }

    @Test
    void aDeliveryInFlightGivesUpWithinCamelsShutdownTimeout() {
        Duration camelShutdown = Duration.of(
                camel.getShutdownStrategy().getTimeout(),
                camel.getShutdownStrategy().getTimeUnit().toChronoUnit());

        assertThat(delivery.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(delivery.receiveTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(delivery.connectTimeout().plus(delivery.receiveTimeout())).isLessThanOrEqualTo(camelShutdown);
        assertThat(delivery.withTimeouts("https://partner.example/fhir"))
                .isEqualTo("https://partner.example/fhir?connectTimeout=5000&connectionRequestTimeout=5000"
                        + "&responseTimeout=10000&soTimeout=10000");
    }
}
