package org.cbhealth.hub.messaging;

import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.jms.artemis.ArtemisConfigurationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Completes Spring Boot's embedded Artemis server: a TCP acceptor for CORE and AMQP 1.0 clients beside the
 * in-VM one, and address settings that never drop a message (dead-letter and expiry addresses always set,
 * redelivery with back-off). Persistence and the journal directory come from {@code spring.artemis.embedded}.
 */
@Configuration
@ConditionalOnProperty(name = "spring.artemis.mode", havingValue = "embedded")
public class EmbeddedBrokerConfig {

    @Bean
    public ArtemisConfigurationCustomizer hubBrokerCustomizer(BrokerProperties broker) {
        return configuration -> {
            try {
                configuration.addAcceptorConfiguration("tcp", broker.acceptorUrl());
            } catch (Exception e) {
                throw new IllegalStateException("Invalid broker acceptor " + broker.acceptorUrl(), e);
            }
            configuration.setJMXManagementEnabled(false);
            configuration.addAddressSetting("#", addressSettings(broker));
            // the dead-letter queue is consumed into the parked store: a failure to keep one of its messages must
            // leave the message there, never send it "to itself" and have the broker drop it
            configuration.addAddressSetting(
                    broker.deadLetterAddress(), addressSettings(broker).setMaxDeliveryAttempts(-1));
            configuration.addAddressSetting(OUTBOUND_ADDRESSES, outboundAddressSettings(broker));
            configuration.addQueueConfiguration(deadEndQueue(broker.deadLetterAddress()));
            configuration.addQueueConfiguration(deadEndQueue(broker.expiryAddress()));
        };
    }

    /** The partners' delivery queues, {@code hub.outbound.<partner>}. */
    static final String OUTBOUND_ADDRESSES = "hub.outbound.#";

    /**
     * Delivery queues: many attempts and no redelivery delay. Their routes park what a receiver refuses and stop
     * consuming while it is down (circuit breaker), so attempts are spent only by the breaker's probes, and a
     * rolled-back message goes straight back to the head of the queue, keeping the order.
     */
    static AddressSettings outboundAddressSettings(BrokerProperties broker) {
        return addressSettings(broker)
                .setMaxDeliveryAttempts(broker.outboundMaxDeliveryAttempts())
                .setRedeliveryDelay(broker.outboundRedeliveryDelay().toMillis());
    }

    static AddressSettings addressSettings(BrokerProperties broker) {
        return new AddressSettings()
                .setDeadLetterAddress(SimpleString.of(broker.deadLetterAddress()))
                .setExpiryAddress(SimpleString.of(broker.expiryAddress()))
                .setMaxDeliveryAttempts(broker.maxDeliveryAttempts())
                .setRedeliveryDelay(broker.redeliveryDelay().toMillis())
                .setRedeliveryMultiplier(broker.redeliveryMultiplier())
                .setMaxRedeliveryDelay(broker.maxRedeliveryDelay().toMillis())
                .setAutoCreateQueues(true)
                .setAutoCreateAddresses(true)
                .setAutoDeleteQueues(false)
                .setAutoDeleteAddresses(false);
    }

    private static QueueConfiguration deadEndQueue(String name) {
        return QueueConfiguration.of(name)
                .setAddress(name)
                .setRoutingType(RoutingType.ANYCAST)
                .setDurable(true);
    }
}
