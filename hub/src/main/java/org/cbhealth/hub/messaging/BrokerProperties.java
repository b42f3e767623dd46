package org.cbhealth.hub.messaging;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the embedded Artemis broker ({@code cbhealth.broker.*}); ignored when the hub talks to an
 * external broker ({@code spring.artemis.mode=native}).
 *
 * @param acceptorHost interface the TCP acceptor binds to (loopback by default)
 * @param acceptorPort TCP port for CORE and AMQP 1.0 clients
 * @param deadLetterAddress address a message goes to after {@code maxDeliveryAttempts}
 * @param expiryAddress address an expired message goes to
 * @param maxDeliveryAttempts deliveries before the broker dead-letters a message
 * @param redeliveryDelay first redelivery delay
 * @param redeliveryMultiplier back-off factor between redeliveries
 * @param maxRedeliveryDelay upper bound of the redelivery delay
 * @param outboundMaxDeliveryAttempts deliveries before the broker dead-letters a message on a delivery queue
 *     ({@code hub.outbound.#}); large, because a refused delivery is parked by its route and an outage suspends
 *     the route (each probe of the breaker is one attempt, see README "Delivery when a partner is down")
 * @param outboundRedeliveryDelay redelivery delay on the delivery queues; zero keeps a rolled-back message at the
 *     head of its queue, so the queue drains in order (the breaker is the back-off)
 * @param hubPassword password of the hub's own broker user ({@code cbhealth-hub}) on the embedded broker; empty:
 *     a random one per start (only the hub itself connects as that user then)
 * @param securityInvalidationInterval how long the broker caches a login and a permission: a partner file's change
 *     or a rotated secret applies after at most this
 */
@Validated
@ConfigurationProperties(prefix = "cbhealth.broker")
public record BrokerProperties(
        @NotBlank String acceptorHost,
        @Min(1) @Max(65535) int acceptorPort,
        @NotBlank String deadLetterAddress,
        @NotBlank String expiryAddress,
        @Min(1) int maxDeliveryAttempts,
        Duration redeliveryDelay,
        double redeliveryMultiplier,
        Duration maxRedeliveryDelay,
        @Min(1) int outboundMaxDeliveryAttempts,
        @NotNull Duration outboundRedeliveryDelay,
        String hubPassword,
        @NotNull Duration securityInvalidationInterval) {

    /** The acceptor URL, with both protocols partners may use. */
    public String acceptorUrl() {
        return "tcp://" + acceptorHost + ":" + acceptorPort + "?protocols=CORE,AMQP";
    }
}
