package org.cbhealth.bench.referral;

import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.util.List;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/**
 * A hospital system putting referrals on its inbound queue on the hub's Artemis over TCP (CORE), as text messages:
 * one JMS connection per sender, persistent messages sent synchronously ({@code blockOnDurableSend}), so a send
 * returns once the broker has the message in its journal. That is the only acknowledgement a queue gives: the hub
 * answers nothing, and a referral it refuses is parked, so refusals show as missing deliveries and in the hub's
 * {@code parked} counter. Connects as the partner (user = partner id, password = its secret). Paced by
 * {@link PacedLoad}; a connection that fails is opened again.
 */
final class JmsLoad implements ChannelLoad {

    private final String brokerUrl;
    private final String user;
    private final String password;
    private final String queue;
    private final int connections;
    private final double ratePerSecond;
    private final List<String> messages;

    /** {@code ratePerSecond} ≤ 0 sends at full speed; {@code messages} are the ledger's referrals, by index. */
    JmsLoad(
            String brokerUrl,
            String user,
            String password,
            String queue,
            int connections,
            double ratePerSecond,
            List<String> messages) {
        this.brokerUrl = brokerUrl;
        this.user = user;
        this.password = password;
        this.queue = queue;
        this.connections = connections;
        this.ratePerSecond = ratePerSecond;
        this.messages = List.copyOf(messages);
    }

    @Override
    public void send(ReferralLedger ledger, int from, int to) throws InterruptedException {
        try (ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(brokerUrl)) {
            factory.setBlockOnDurableSend(true);
            PacedLoad.run("jms", connections, ratePerSecond, from, to, c -> new JmsConnection(factory, ledger));
        }
    }

    private final class JmsConnection implements PacedLoad.Connection {

        private final ActiveMQConnectionFactory factory;
        private final ReferralLedger ledger;
        private Connection connection;
        private Session session;
        private MessageProducer producer;

        JmsConnection(ActiveMQConnectionFactory factory, ReferralLedger ledger) {
            this.factory = factory;
            this.ledger = ledger;
        }

        @Override
        public void send(int i) {
            try {
                if (connection == null) {
                    connection = factory.createConnection(user, password);
                    session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                    producer = session.createProducer(session.createQueue(queue));
                    producer.setDeliveryMode(DeliveryMode.PERSISTENT);
                }
                var message = session.createTextMessage(messages.get(i));
                ledger.sent(i, System.nanoTime());
                producer.send(message);
                ledger.accepted(i, System.nanoTime());
            } catch (JMSException | RuntimeException e) {
                if (ledger.sentAt(i) == 0) {
                    ledger.sent(i, System.nanoTime());
                }
                ledger.failed(i, System.nanoTime(), "JMS " + e.getClass().getSimpleName() + ": " + e.getMessage());
                close();
            }
        }

        @Override
        public void close() {
            if (connection != null) {
                try {
                    connection.close();
                } catch (JMSException ignored) {
                    // dropped either way
                }
            }
            connection = null;
            session = null;
            producer = null;
        }
    }
}
