package org.cbhealth.bench.referral;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/**
 * The receiving hospital's side of the broker: consumes its referral queue on the hub's Artemis over TCP (CORE
 * protocol), as a partner system does (user = partner id, password = its secret), and records each message's arrival in the {@link ReferralLedger} under the
 * referrer's number the hub puts in the {@value #REFERRER_NUMBER} property.
 */
final class DeliveryConsumer implements AutoCloseable {

    /** The JMS string property carrying the referrer's own number (the placer number of the REF^I12). */
    static final String REFERRER_NUMBER = "CBHealthReferrerNumber";

    private final ActiveMQConnectionFactory factory;
    private final Connection connection;
    private final AtomicReference<String> brokerProblem = new AtomicReference<>();

    DeliveryConsumer(String brokerUrl, String user, String password, String queue, ReferralLedger ledger)
            throws JMSException {
        this.factory = new ActiveMQConnectionFactory(brokerUrl);
        this.connection = factory.createConnection(user, password);
        connection.setExceptionListener(e -> brokerProblem.compareAndSet(null, e.getMessage()));
        Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageConsumer consumer = session.createConsumer(session.createQueue(queue));
        consumer.setMessageListener(message -> {
            long arrived = System.nanoTime();
            String placer;
            try {
                placer = message.getStringProperty(REFERRER_NUMBER);
            } catch (JMSException e) {
                placer = null;
            }
            ledger.delivered(placer, arrived);
        });
        connection.start();
    }

    /** What went wrong with the broker connection during the run, if anything. */
    String brokerProblem() {
        return brokerProblem.get();
    }

    @Override
    public void close() throws JMSException {
        try {
            connection.close();
        } finally {
            factory.close();
        }
    }
}
