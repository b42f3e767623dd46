package org.cbhealth.hub.messaging;

import java.security.SecureRandom;
import java.util.Base64;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.cbhealth.hub.audit.HubAudit;
import org.cbhealth.hub.partner.PartnerRegistry;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.jms.artemis.ArtemisConfigurationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jms.connection.CachingConnectionFactory;
import org.springframework.jms.connection.DelegatingConnectionFactory;

/**
 * Completes Spring Boot's embedded Artemis server: a TCP acceptor for CORE and AMQP 1.0 clients beside the
 * in-VM one, and address settings that never drop a message (dead-letter and expiry addresses always set,
 * redelivery with back-off). Persistence and the journal directory come from {@code spring.artemis.embedded}.
 * Security is on: {@link BrokerSecurityManager} decides who connects and what each may do, and the hub's own
 * connection factory logs in as {@value BrokerSecurityManager#HUB_USER}.
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
            configuration.setSecurityEnabled(true);
            // logins and permissions are cached this long: partner file changes and rotated secrets apply after it
            configuration.setSecurityInvalidationInterval(
                    broker.securityInvalidationInterval().toMillis());
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

    @Bean(destroyMethod = "close")
    public BrokerSecurityManager brokerSecurityManager(BrokerProperties broker) {
        String password = broker.hubPassword() == null || broker.hubPassword().isBlank()
                ? randomPassword()
                : broker.hubPassword();
        return new BrokerSecurityManager(password);
    }

    /** Partners can log in once the partner registry exists; refusals are audited from then on. */
    @Bean
    public SmartInitializingSingleton brokerSecurityAttachment(
            ObjectProvider<BrokerSecurityManager> security,
            ObjectProvider<PartnerRegistry> registry,
            ObjectProvider<HubAudit> audit) {
        return () -> security.getObject().attach(registry.getObject(), audit.getObject());
    }

    /**
     * Spring Boot's embedded broker bean ({@code EmbeddedActiveMQ}, started by its init method) gets our security
     * manager before it starts; everything else of Boot's set-up (configuration, customizers, queues) stays.
     */
    @Bean
    public static BeanPostProcessor brokerSecurityInstaller(ObjectProvider<BrokerSecurityManager> security) {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessBeforeInitialization(Object bean, String beanName) throws BeansException {
                if (bean instanceof EmbeddedActiveMQ server) {
                    server.setSecurityManager(security.getObject());
                } else if (bean instanceof jakarta.jms.ConnectionFactory factory) {
                    // Boot's in-VM connection factory of the embedded mode takes no user: the hub logs in as its own
                    ActiveMQConnectionFactory artemis = artemisFactory(factory);
                    if (artemis != null) {
                        artemis.setUser(BrokerSecurityManager.HUB_USER);
                        artemis.setPassword(security.getObject().hubPassword());
                    }
                }
                return bean;
            }
        };
    }

    private static ActiveMQConnectionFactory artemisFactory(jakarta.jms.ConnectionFactory factory) {
        if (factory instanceof ActiveMQConnectionFactory artemis) {
            return artemis;
        }
        if (factory instanceof CachingConnectionFactory caching) {
            return caching.getTargetConnectionFactory() instanceof ActiveMQConnectionFactory artemis ? artemis : null;
        }
        if (factory instanceof DelegatingConnectionFactory delegating) {
            return delegating.getTargetConnectionFactory() instanceof ActiveMQConnectionFactory artemis
                    ? artemis
                    : null;
        }
        return null;
    }

    private static String randomPassword() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
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
