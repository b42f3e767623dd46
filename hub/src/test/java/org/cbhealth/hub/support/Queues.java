package org.cbhealth.hub.support;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.util.Collections;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/**
 * One side of the broker over TCP (CORE): a partner system (user = partner id, password = its secret) or the hub's
 * own user; sends, browses and receives.
 */
public final class Queues implements AutoCloseable {

    private final Connection connection;
    private final Session session;

    public Queues(String brokerUrl, String user, String password) throws JMSException {
        this.connection = new ActiveMQConnectionFactory(brokerUrl, user, password).createConnection();
        this.session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        connection.start();
    }

    public void send(String queue, String text) throws JMSException {
        try (MessageProducer producer = session.createProducer(session.createQueue(queue))) {
            producer.send(session.createTextMessage(text));
        }
    }

    /** How many messages wait on the queue. */
    public int depth(String queue) throws JMSException {
        try (QueueBrowser browser = session.createBrowser(session.createQueue(queue))) {
            return Collections.list(browser.getEnumeration()).size();
        }
    }

    /** How many messages matching a JMS selector wait on the queue. */
    public int depth(String queue, String selector) throws JMSException {
        try (QueueBrowser browser = session.createBrowser(session.createQueue(queue), selector)) {
            return Collections.list(browser.getEnumeration()).size();
        }
    }

    /** The next message's text, or null when none arrives within the wait. */
    public String receive(String queue, long waitMillis) throws JMSException {
        try (MessageConsumer consumer = session.createConsumer(session.createQueue(queue))) {
            Message message = consumer.receive(waitMillis);
            return message == null ? null : ((TextMessage) message).getText();
        }
    }

    /** The next message, or null. */
    public Message receiveMessage(String queue, long waitMillis) throws JMSException {
        try (MessageConsumer consumer = session.createConsumer(session.createQueue(queue))) {
            return consumer.receive(waitMillis);
        }
    }

    @Override
    public void close() throws JMSException {
        connection.close();
    }
}
