package org.cbhealth.bench.faults;

import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.cbhealth.bench.partner.PartnerTokens;
import org.cbhealth.bench.referral.AckReader;

/**
 * The referring hospital's systems as real partners: a dispatcher releases the {@link SendPlan}'s sends at a fixed
 * rate to each channel's senders, and each sender sends the SAME message again, after a short back-off, until it gets
 * an answer: over MLLP ACK AA, or AE/AR except AE 207 ("the hub could not take it now"), with no answer (connection
 * refused while the hub is down, cut, timed out) retried; over JMS the broker's commit of a persistent send; over
 * REST (with the referrer's access token) a 2xx or a 4xx other than 401/404, with 401 (a token the restarted hub no
 * longer takes: a new one is fetched), 404, 5xx and no answer retried. JMS sends go as the referrer's broker user. Every attempt and answer goes to the
 * {@link SendLedger}. A duplicate send waits until its referral's first send is answered.
 */
final class Referrer {

    /** How long an MLLP sender waits for an ACK before it counts the attempt as unanswered. */
    static final int ANSWER_TIMEOUT_MILLIS = 30_000;

    private static final long BACKOFF_FIRST_MILLIS = 250;
    private static final long BACKOFF_MAX_MILLIS = 2_000;
    private static final SendPlan.Send END = new SendPlan.Send(-1, false);

    /** Where the hub takes each channel, and the referrer's broker user and password and access tokens. */
    record Targets(
            String mllpHost,
            int mllpPort,
            String brokerUrl,
            String brokerUser,
            String brokerPassword,
            String jmsQueue,
            URI restUri,
            PartnerTokens tokens) {}

    private final SendPlan plan;
    private final SendLedger ledger;
    private final List<String> messages;
    private final Targets targets;
    private final double ratePerSecond;
    private final Map<SendChannel, BlockingQueue<SendPlan.Send>> queues = new EnumMap<>(SendChannel.class);
    private final Map<SendChannel, Integer> senders = new EnumMap<>(SendChannel.class);
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean stopping;

    Referrer(SendPlan plan, SendLedger ledger, List<String> messages, Targets targets, double ratePerSecond) {
        this.plan = plan;
        this.ledger = ledger;
        this.messages = List.copyOf(messages);
        this.targets = targets;
        this.ratePerSecond = ratePerSecond;
        for (SendChannel channel : plan.channels()) {
            queues.put(channel, new LinkedBlockingQueue<>());
            senders.put(channel, channel == SendChannel.JMS ? 1 : 2);
        }
    }

    /** Starts the dispatcher and the senders; returns at once. */
    void start() {
        for (SendChannel channel : plan.channels()) {
            for (int s = 0; s < senders.get(channel); s++) {
                Runnable body =
                        switch (channel) {
                            case MLLP -> new MllpSender()::run;
                            case JMS -> new JmsSender()::run;
                            case REST -> new RestSender()::run;
                        };
                Thread thread =
                        new Thread(body, "faults-" + channel.name().toLowerCase(java.util.Locale.ROOT) + "-" + s);
                thread.setDaemon(true);
                threads.add(thread);
            }
        }
        Thread dispatcher = new Thread(this::dispatch, "faults-dispatcher");
        dispatcher.setDaemon(true);
        threads.add(dispatcher);
        threads.forEach(Thread::start);
    }

    /** Waits until every send of the plan has its final answer (or {@link #stop()} was called). */
    void await() throws InterruptedException {
        for (Thread thread : threads) {
            thread.join();
        }
    }

    /** Whether every send of the plan has its final answer (or the senders gave up). */
    boolean finished() {
        return threads.stream().noneMatch(Thread::isAlive);
    }

    /** Makes the senders give up (the drain limit is reached); their sends stay unanswered in the ledger. */
    void stop() {
        stopping = true;
        threads.forEach(Thread::interrupt);
    }

    private void dispatch() {
        long start = System.nanoTime();
        long period = (long) (1_000_000_000L / ratePerSecond);
        int k = 0;
        for (SendPlan.Send send : plan.order()) {
            long due = start + k++ * period;
            for (long wait = due - System.nanoTime(); wait > 0 && !stopping; wait = due - System.nanoTime()) {
                LockSupport.parkNanos(wait);
            }
            queues.get(plan.channel(send.index())).add(send);
        }
        for (SendChannel channel : plan.channels()) {
            for (int s = 0; s < senders.get(channel); s++) {
                queues.get(channel).add(END);
            }
        }
    }

    /** A sender's loop: take sends of its channel until the end marker, each sent until answered. */
    private interface ChannelSender {
        /** One attempt; returns true when it got the final answer (recorded), false to try again. */
        boolean attempt(SendPlan.Send send);

        void close();
    }

    private void loop(ChannelSender sender, SendChannel channel) {
        BlockingQueue<SendPlan.Send> queue = queues.get(channel);
        try {
            while (!stopping) {
                SendPlan.Send send = queue.take();
                if (send == END) {
                    return;
                }
                if (send.duplicate()) {
                    while (ledger.entry(send.index()).answer() == null && !stopping) {
                        Thread.sleep(100); // a duplicate follows its answered original; the wait is the sender's
                    }
                }
                long backoff = BACKOFF_FIRST_MILLIS;
                while (!stopping && !sender.attempt(send)) {
                    Thread.sleep(backoff);
                    backoff = Math.min(BACKOFF_MAX_MILLIS, backoff * 2);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            sender.close();
        }
    }

    private final class MllpSender implements ChannelSender {
        private final AckReader acks = new AckReader();
        private Socket socket;
        private InputStream in;

        void run() {
            loop(this, SendChannel.MLLP);
        }

        @Override
        public boolean attempt(SendPlan.Send send) {
            int i = send.index();
            ledger.sending(i, System.nanoTime());
            String answer;
            try {
                if (socket == null) {
                    socket = new Socket();
                    socket.setTcpNoDelay(true);
                    socket.setSoTimeout(ANSWER_TIMEOUT_MILLIS);
                    socket.connect(new InetSocketAddress(targets.mllpHost(), targets.mllpPort()), 5_000);
                    in = new BufferedInputStream(socket.getInputStream());
                }
                socket.getOutputStream().write(MllpFrames.frame(messages.get(i)));
                socket.getOutputStream().flush();
                answer = MllpFrames.read(in);
                if (answer == null) {
                    throw new IOException("connection closed before the answer");
                }
            } catch (SocketTimeoutException timeout) {
                return unanswered(send, "no ACK within " + ANSWER_TIMEOUT_MILLIS / 1000 + " s");
            } catch (IOException e) {
                return unanswered(send, "no ACK: " + e.getClass().getSimpleName() + " " + brief(e.getMessage()));
            }
            long answered = System.nanoTime();
            AckReader.Ack ack;
            try {
                ack = acks.read(answer);
            } catch (Exception unreadable) {
                return unanswered(send, "unreadable ACK");
            }
            if (!ledger.entry(i).placer.equals(ack.controlId())) {
                return unanswered(send, "ACK for another message");
            }
            if ("AA".equals(ack.code())) {
                ledger.answered(i, send.duplicate(), answered, true, "AA");
                return true;
            }
            String code = ack.code() + " " + ack.error().replaceAll(":.*", "").strip();
            if (ack.error().contains(" 207")) {
                ledger.retry(i, send.duplicate(), answered, ack.code() + " 207");
                return false;
            }
            ledger.answered(i, send.duplicate(), answered, false, code.strip());
            return true;
        }

        private boolean unanswered(SendPlan.Send send, String outcome) {
            ledger.retry(send.index(), send.duplicate(), System.nanoTime(), outcome);
            close();
            return false;
        }

        @Override
        public void close() {
            if (socket != null) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // dropped either way
                }
            }
            socket = null;
            in = null;
        }
    }

    private final class JmsSender implements ChannelSender {
        private ActiveMQConnectionFactory factory;
        private Connection connection;
        private Session session;
        private MessageProducer producer;

        void run() {
            loop(this, SendChannel.JMS);
        }

        @Override
        public boolean attempt(SendPlan.Send send) {
            int i = send.index();
            ledger.sending(i, System.nanoTime());
            try {
                if (connection == null) {
                    factory = new ActiveMQConnectionFactory(targets.brokerUrl());
                    factory.setBlockOnDurableSend(true);
                    connection = factory.createConnection(targets.brokerUser(), targets.brokerPassword());
                    session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                    producer = session.createProducer(session.createQueue(targets.jmsQueue()));
                    producer.setDeliveryMode(DeliveryMode.PERSISTENT);
                }
                producer.send(session.createTextMessage(messages.get(i)));
                ledger.answered(i, send.duplicate(), System.nanoTime(), true, "broker commit");
                return true;
            } catch (JMSException | RuntimeException e) {
                ledger.retry(
                        i,
                        send.duplicate(),
                        System.nanoTime(),
                        "JMS " + e.getClass().getSimpleName());
                close();
                return false;
            }
        }

        @Override
        public void close() {
            try {
                if (connection != null) {
                    connection.close();
                }
            } catch (JMSException ignored) {
                // dropped either way
            }
            if (factory != null) {
                factory.close();
            }
            connection = null;
            factory = null;
        }
    }

    private final class RestSender implements ChannelSender {
        private final HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();

        void run() {
            loop(this, SendChannel.REST);
        }

        @Override
        public boolean attempt(SendPlan.Send send) {
            int i = send.index();
            ledger.sending(i, System.nanoTime());
            try {
                HttpRequest request = HttpRequest.newBuilder(targets.restUri())
                        .timeout(Duration.ofMillis(ANSWER_TIMEOUT_MILLIS))
                        .header("Content-Type", "x-application/hl7-v2+er7; charset=utf-8")
                        .header("Accept", "application/fhir+json")
                        .header("Authorization", targets.tokens().authorization())
                        .POST(HttpRequest.BodyPublishers.ofString(messages.get(i), StandardCharsets.UTF_8))
                        .build();
                int status = client.send(request, HttpResponse.BodyHandlers.discarding())
                        .statusCode();
                long answered = System.nanoTime();
                if (status >= 200 && status < 300 && status != 202) {
                    ledger.answered(i, send.duplicate(), answered, true, "HTTP " + status);
                    return true;
                }
                if (status == 401) {
                    // the hub was restarted and signs with another key, or the token ran out: fetch a new one
                    targets.tokens().invalidate();
                    ledger.retry(i, send.duplicate(), answered, "HTTP 401");
                    return false;
                }
                if (status == 202 || status >= 400 && status < 500 && status != 404 && status != 408 && status != 429) {
                    ledger.answered(i, send.duplicate(), answered, false, "HTTP " + status);
                    return true;
                }
                ledger.retry(i, send.duplicate(), answered, "HTTP " + status);
                return false;
            } catch (IOException e) {
                ledger.retry(
                        i,
                        send.duplicate(),
                        System.nanoTime(),
                        "no answer: " + e.getClass().getSimpleName());
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stopping = true;
                return false;
            }
        }

        @Override
        public void close() {
            // HttpClient has no close() before JDK 21
        }
    }

    private static String brief(String message) {
        if (message == null) {
            return "";
        }
        return message.replaceAll("\\(.*\\)", "").strip();
    }

    static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }
}
