package org.cbhealth.bench.faults;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;

/**
 * The fault-injection harness's standalone broker: ActiveMQ Artemis through its embedded API in a JVM of its own
 * ({@code java -cp cbhealth-bench.jar org.cbhealth.bench.faults.StandaloneBroker --port P --data DIR}), with a
 * persistent journal, one TCP acceptor (CORE) and the address settings an external broker must have for the hub
 * (README, "External broker"): dead-letter {@code DLQ} and expiry {@code ExpiryQueue} for {@code #}, 10 delivery
 * attempts, redelivery after 1 s doubling up to 5 min; and a block of its own for {@code hub.outbound.#}, the
 * partners' delivery queues, whose delivery attempts are an option (default 1000, as the hub's embedded broker: a
 * destination that is down must not empty its queue into the DLQ) and which have no redelivery delay. Stops cleanly on SIGTERM.
 */
public final class StandaloneBroker {

    static final String USAGE = "usage: StandaloneBroker --port P --data DIR [--host 127.0.0.1]"
            + " [--max-delivery-attempts 10] [--outbound-max-delivery-attempts 1000]";

    /** What the broker is started with. */
    record Settings(String host, int port, Path data, int maxDeliveryAttempts, int outboundMaxDeliveryAttempts) {

        static Settings parse(List<String> args) {
            String host = "127.0.0.1";
            Integer port = null;
            Path data = null;
            int attempts = 10;
            int outboundAttempts = 1000;
            for (int i = 0; i < args.size(); i++) {
                String option = args.get(i);
                if (i + 1 >= args.size()) {
                    throw new IllegalArgumentException(option + " needs a value");
                }
                String value = args.get(++i);
                switch (option) {
                    case "--host" -> host = value;
                    case "--port" -> port = FaultOptions.integer(option, value, 1, 65535);
                    case "--data" -> data = Path.of(value);
                    case "--max-delivery-attempts" -> attempts = FaultOptions.integer(option, value, -1, 1000);
                    case "--outbound-max-delivery-attempts" -> outboundAttempts =
                            FaultOptions.integer(option, value, -1, 1000);
                    default -> throw new IllegalArgumentException("unknown option " + option);
                }
            }
            if (port == null || data == null) {
                throw new IllegalArgumentException("--port and --data are required");
            }
            return new Settings(host, port, data, attempts, outboundAttempts);
        }

        /** The arguments that {@link #parse} reads back into these settings. */
        List<String> arguments() {
            return new ArrayList<>(List.of(
                    "--host", host,
                    "--port", Integer.toString(port),
                    "--data", data.toString(),
                    "--max-delivery-attempts", Integer.toString(maxDeliveryAttempts),
                    "--outbound-max-delivery-attempts", Integer.toString(outboundMaxDeliveryAttempts)));
        }
    }

    static final String DEAD_LETTER = "DLQ";
    static final String EXPIRY = "ExpiryQueue";
    static final String OUTBOUND_MATCH = "hub.outbound.#";

    private StandaloneBroker() {}

    public static void main(String[] args) throws Exception {
        Settings settings;
        try {
            settings = Settings.parse(List.of(args));
        } catch (IllegalArgumentException bad) {
            System.err.println(bad.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        EmbeddedActiveMQ broker = new EmbeddedActiveMQ();
        broker.setConfiguration(configuration(settings));
        broker.start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                broker.stop();
            } catch (Exception e) {
                System.err.println("broker stop failed: " + e);
            } finally {
                stopped.countDown();
            }
        }));
        System.out.println("standalone broker started on tcp://" + settings.host() + ":" + settings.port());
        stopped.await();
    }

    /** The broker's configuration: journal under the data directory, the acceptor, the address settings. */
    static Configuration configuration(Settings settings) throws Exception {
        Path data = settings.data();
        Configuration configuration = new ConfigurationImpl()
                .setName("cbhealth-faults-broker")
                .setPersistenceEnabled(true)
                .setJournalType(JournalType.NIO)
                .setJournalDirectory(data.resolve("journal").toString())
                .setBindingsDirectory(data.resolve("bindings").toString())
                .setLargeMessagesDirectory(data.resolve("large-messages").toString())
                .setPagingDirectory(data.resolve("paging").toString())
                .setSecurityEnabled(false)
                .setJMXManagementEnabled(false);
        configuration.addAcceptorConfiguration(
                "tcp", "tcp://" + settings.host() + ":" + settings.port() + "?protocols=CORE");
        configuration.addAddressSetting("#", allAddresses(settings.maxDeliveryAttempts()));
        configuration.addAddressSetting(
                OUTBOUND_MATCH,
                allAddresses(settings.maxDeliveryAttempts())
                        .setMaxDeliveryAttempts(settings.outboundMaxDeliveryAttempts())
                        // as the hub's embedded broker (README, "Delivery when a partner is down"): a rolled-back
                        // delivery goes straight back to the head of its queue, so order is kept
                        .setRedeliveryDelay(0));
        configuration.addQueueConfiguration(deadEnd(DEAD_LETTER));
        configuration.addQueueConfiguration(deadEnd(EXPIRY));
        return configuration;
    }

    /** The settings every address gets: as the hub's embedded broker (its {@code cbhealth.broker.*} defaults). */
    static AddressSettings allAddresses(int maxDeliveryAttempts) {
        return new AddressSettings()
                .setDeadLetterAddress(SimpleString.of(DEAD_LETTER))
                .setExpiryAddress(SimpleString.of(EXPIRY))
                .setMaxDeliveryAttempts(maxDeliveryAttempts)
                .setRedeliveryDelay(1000)
                .setRedeliveryMultiplier(2.0)
                .setMaxRedeliveryDelay(5 * 60 * 1000L)
                .setAutoCreateQueues(true)
                .setAutoCreateAddresses(true)
                .setAutoDeleteQueues(false)
                .setAutoDeleteAddresses(false);
    }

    private static QueueConfiguration deadEnd(String name) {
        return QueueConfiguration.of(name)
                .setAddress(name)
                .setRoutingType(RoutingType.ANYCAST)
                .setDurable(true);
    }
}
