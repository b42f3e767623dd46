package org.cbhealth.bench.faults;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.cbhealth.bench.MachineDescription;
import org.cbhealth.bench.RunEnvironment;
import org.cbhealth.bench.partner.PartnerTokens;
import org.cbhealth.bench.referral.BgEgnGenerator;
import org.cbhealth.bench.referral.HubProcess;
import org.cbhealth.bench.referral.PostgresServer;
import org.cbhealth.bench.referral.RefI12Messages;

/**
 * The fault-injection harness of issue #7: a fresh PostgreSQL database, a {@link StandaloneBroker} JVM and the packaged
 * hub as its own JVM ({@code postgres,external-broker}); the {@link Referrer} sends the {@link SendPlan}'s referrals at
 * a fixed rate over its channels, retrying until answered, while this class kills the hub with SIGKILL (restarting it
 * on the same database and broker), closes the {@link DestinationListener} for the outage, and finally stops the hub
 * with SIGTERM. The checker then reads the store, the parked store and the broker ({@link HubStateReader}), counts
 * ({@link FaultFigures}) and writes the {@link FaultReport}.
 */
public final class FaultInjectionRun {

    private static final Duration HUB_START_TIMEOUT = Duration.ofMinutes(10);
    private static final Duration STOP_WAIT = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final String PARKED_QUEUE = "hub.parked";

    private final FaultOptions options;
    private final List<String> args;
    private final SecureRandom random = new SecureRandom();
    private final List<String> timeline = new ArrayList<>();
    private long t0;

    private FaultInjectionRun(FaultOptions options, List<String> args) {
        this.options = options;
        this.args = List.copyOf(args);
    }

    /** Runs the harness and writes the result file; returns whether every acceptance check passed. */
    public static boolean run(FaultOptions options, List<String> args) throws Exception {
        return new FaultInjectionRun(options, args).run();
    }

    private boolean run() throws Exception {
        if (!Files.isRegularFile(options.hubJar())) {
            throw new IllegalStateException("no hub jar at " + options.hubJar().toAbsolutePath()
                    + "; build it first with: mvn -B -DskipTests package");
        }
        PostgresServer postgres = PostgresServer.fromEnvironment();
        if (!postgres.accepting()) {
            throw new IllegalStateException("the harness needs PostgreSQL on " + postgres.host() + ":" + postgres.port()
                    + " (CBHEALTH_BENCH_PG_HOST / _PORT / _USER / _PASSWORD)");
        }
        long runStart = System.nanoTime();
        String when = OffsetDateTime.now(ZoneOffset.UTC)
                .truncatedTo(ChronoUnit.SECONDS)
                .toString();
        String tag = HexFormat.of().formatHex(random.generateSeed(2));
        String prefix = "F" + tag;
        String loadBefore = RunEnvironment.loadAverage();

        SendPlan plan = SendPlan.of(
                options.referrals(), options.channels(), options.poison(), options.duplicates(), options.seed());
        RefI12Messages samples = RefI12Messages.fromSample();
        List<SendLedger.Entry> entries = new ArrayList<>(options.referrals());
        List<String> messages = new ArrayList<>(options.referrals());
        for (int i = 0; i < options.referrals(); i++) {
            String placer = RefI12Messages.placer(prefix, i);
            BgEgnGenerator.Person person = BgEgnGenerator.person(i);
            if (plan.poison(i)) {
                person = new BgEgnGenerator.Person(wrongCheckDigit(person.egn()), person.birthDate());
            }
            entries.add(new SendLedger.Entry(i, placer, plan.channel(i), plan.poison(i)));
            messages.add(samples.referral(placer, person));
        }
        SendLedger ledger = new SendLedger(entries);

        Path root = Files.createTempDirectory("cbhealth-faults-");
        Path partnersDir = Files.createDirectories(root.resolve("partners"));
        int[] ports = RunEnvironment.freePorts(4);
        int httpPort = ports[0];
        int brokerPort = ports[1];
        int mllpPort = ports[2];
        int destinationPort = ports[3];
        FaultPartners partners = FaultPartners.generate(mllpPort, destinationPort, root.resolve("secrets"));
        partners.writeTo(partnersDir);

        String database = "cbhealth_faults_" + tag;
        String pgVersion;
        try {
            pgVersion = postgres.createFresh(database);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the database " + database + ": " + e.getMessage());
        }
        StandaloneBroker.Settings brokerSettings = new StandaloneBroker.Settings(
                "127.0.0.1", brokerPort, root.resolve("broker"), 10, options.outboundMaxDeliveryAttempts());
        String adminPassword = HexFormat.of().formatHex(random.generateSeed(16));
        Map<String, String> env = new LinkedHashMap<>();
        env.put("SPRING_PROFILES_ACTIVE", "postgres,external-broker");
        env.put("CBHEALTH_DATA_DIR", root.resolve("data").toString());
        env.put("CBHEALTH_PARTNERS_DIR", partnersDir.toString());
        env.put("CBHEALTH_HTTP_PORT", Integer.toString(httpPort));
        env.put("CBHEALTH_BROKER_URL", "tcp://127.0.0.1:" + brokerPort);
        env.put("CBHEALTH_SEED_DEMO_PARTNERS", "false");
        env.put("CBHEALTH_ADMIN_PASSWORD", adminPassword);
        env.putAll(postgres.hubDatabaseEnvironment(database));
        List<String> partnerIds = List.of(FaultPartners.SENDER, FaultPartners.DESTINATION);

        boolean passed = false;
        HubProcess hub = null;
        log("data directory " + root + "; database " + database);
        try (BrokerProcess broker = BrokerProcess.start(brokerSettings, root.resolve("broker.log"));
                DestinationListener destination = new DestinationListener(destinationPort)) {
            broker.awaitReady(Duration.ofMinutes(2));
            log("standalone broker up at " + broker.url());
            destination.open();
            List<Duration> hubStarts = new ArrayList<>();
            int hubNumber = 1;
            hub = HubProcess.start(options.hubJar(), env, root.resolve("hub-1.log"), httpPort, adminPassword);
            hubStarts.add(hub.awaitReady(HUB_START_TIMEOUT, partnerIds));
            log("hub up in " + FaultReport.seconds(hubStarts.get(0)));

            Referrer referrer = new Referrer(
                    plan,
                    ledger,
                    messages,
                    new Referrer.Targets(
                            "127.0.0.1",
                            mllpPort,
                            broker.url(),
                            FaultPartners.SENDER,
                            partners.sender().secret(),
                            FaultPartners.SENDER_JMS_QUEUE,
                            URI.create("http://127.0.0.1:" + httpPort + "/api/partners/" + FaultPartners.SENDER + "/"
                                    + SendChannel.REST.channelName),
                            new PartnerTokens(partners.sender(), "http://127.0.0.1:" + httpPort)),
                    options.ratePerSecond());
            t0 = System.nanoTime();
            event("first send; " + options.referrals() + " referrals at " + options.ratePerSecond() + "/s over "
                    + options.channels());
            referrer.start();

            AtomicLong outageEnd = new AtomicLong();
            Thread outage = outageThread(destination, ledger, outageEnd);
            long lastRestartUp = 0;
            int killed = 0;
            long sendingLimit = t0
                    + Duration.ofSeconds((long) (options.referrals() / options.ratePerSecond()))
                            .plusMinutes(10)
                            .plusMinutes(5L * options.kills())
                            .toNanos();
            while (!referrer.finished() || killed < options.kills()) {
                if (System.nanoTime() > sendingLimit) {
                    event("sending limit reached: the senders give up");
                    referrer.stop();
                    break;
                }
                int answered = ledger.answeredCount();
                if (killed < options.kills()
                        && answered >= (long) options.referrals() * (killed + 1) / (options.kills() + 1)) {
                    killed++;
                    hub.kill();
                    event("kill -9 of the hub (" + killed + " of " + options.kills() + "), " + answered
                            + " referrals answered");
                    hubNumber++;
                    hub = HubProcess.start(
                            options.hubJar(), env, root.resolve("hub-" + hubNumber + ".log"), httpPort, adminPassword);
                    Duration up = hub.awaitReady(HUB_START_TIMEOUT, partnerIds);
                    hubStarts.add(up);
                    lastRestartUp = System.nanoTime();
                    event("hub UP again after " + FaultReport.seconds(up));
                    continue;
                }
                LockSupport.parkNanos(POLL.toNanos());
            }
            referrer.await();
            long lastSend = ledger.lastSend();
            event("last send; " + ledger.answeredCount() + " of " + options.referrals() + " first sends answered");
            outage.join();
            long lastFaultEnd = Math.max(outageEnd.get(), lastRestartUp);

            Set<String> expected = new HashSet<>();
            for (SendLedger.Entry e : entries) {
                if (!e.poison && e.answer() != null && e.answer().accepted()) {
                    expected.add(e.placer);
                }
            }
            boolean drained = awaitDrain(destination, expected, lastSend);
            List<DestinationListener.Receipt> receipts = destination.receipts();
            long lastDelivery = receipts.stream()
                    .mapToLong(DestinationListener.Receipt::nanos)
                    .max()
                    .orElse(lastSend);
            event(drained ? "drained: every acknowledged referral delivered, then quiet" : "drain limit reached");

            Optional<Duration> stop = hub.stop(STOP_WAIT);
            event("SIGTERM: the hub stopped " + stop.map(FaultReport::seconds).orElse("only when killed"));

            HubStateReader.HubState state = new HubStateReader(
                            postgres.jdbcUrl(database), postgres.user(), postgres.password(), broker.url())
                    .read(prefix, PARKED_QUEUE);
            FaultFigures figures = FaultFigures.of(entries, receipts, state);
            FaultReport.Times times = new FaultReport.Times(
                    Duration.ofNanos(lastSend - t0),
                    Duration.ofNanos(Math.max(0, lastDelivery - lastSend)),
                    lastFaultEnd == 0 ? null : Duration.ofNanos(Math.max(0, lastDelivery - lastFaultEnd)),
                    drained,
                    options.drainLimit(),
                    hubStarts,
                    stop.orElse(null),
                    Duration.ofNanos(System.nanoTime() - runStart));
            String setup = "Hub: `" + options.hubJar() + "` as its own JVM (`-Xmx1g`, `SPRING_PROFILES_ACTIVE=postgres,"
                    + "external-broker`), PostgreSQL " + pgVersion + " on " + postgres.host() + ":" + postgres.port()
                    + " (fresh database), ActiveMQ Artemis standalone broker in its own JVM (`StandaloneBroker`,"
                    + " persistent NIO journal; `#`: DLQ/ExpiryQueue, 10 delivery attempts, redelivery 1 s ×2 up to"
                    + " 5 min; `hub.outbound.#`: max delivery attempts " + options.outboundMaxDeliveryAttempts()
                    + "). Referrer `" + FaultPartners.SENDER + "` on " + channelsText() + "; destination `"
                    + FaultPartners.DESTINATION + "` with outbound `mllp` to the harness's listener (answers AA,"
                    + " records every message). Poison: " + plan.poisonCount() + " referrals with a wrong EGN check"
                    + " digit in PID-3; duplicates: " + plan.duplicateCount() + " referrals sent again after their"
                    + " answer, same MSH-10 and placer number.";
            FaultReport report = new FaultReport(
                    MachineDescription.current(),
                    when,
                    RunEnvironment.commit(),
                    "java -jar bench/target/cbhealth-bench.jar faults " + String.join(" ", args),
                    setup,
                    List.copyOf(timeline),
                    figures,
                    times,
                    ledger.retryOutcomes(),
                    state.parkedSource(),
                    loadBefore,
                    RunEnvironment.loadAverage());
            Files.createDirectories(options.out().toAbsolutePath().getParent());
            Files.writeString(options.out(), report.render());
            for (FaultReport.Check check : report.checks()) {
                log((check.passed() ? "pass " : "FAIL ") + check.name() + ": " + check.detail());
            }
            passed = report.passed();
            return passed;
        } finally {
            if (hub != null && hub.isAlive()) {
                hub.kill();
            }
            if (options.keepData()) {
                log("kept " + root + " and the database " + database);
            } else {
                try {
                    postgres.drop(database);
                } catch (SQLException e) {
                    log("could not drop " + database + ": " + e.getMessage());
                }
                RunEnvironment.deleteTree(root, FaultInjectionRun::log);
            }
        }
    }

    /**
     * How many referrals are answered when the outage starts: in the middle of the run, halfway between two kills
     * (with 5 kills at 1/6 … 5/6 of the referrals, at 5/12), so that both faults show in the timeline apart.
     */
    int outageStart() {
        return (int) (options.referrals() * (options.kills() / 2 + 0.5) / (options.kills() + 1));
    }

    /** Closes the destination's listener for the outage once {@link #outageStart()} referrals are answered. */
    private Thread outageThread(DestinationListener destination, SendLedger ledger, AtomicLong outageEnd) {
        Thread thread = new Thread(
                () -> {
                    if (options.outage().isZero()) {
                        return;
                    }
                    while (ledger.answeredCount() < outageStart()) {
                        LockSupport.parkNanos(POLL.toNanos());
                    }
                    destination.close();
                    event("destination down (listener and connections closed) for "
                            + FaultReport.seconds(options.outage()));
                    LockSupport.parkNanos(options.outage().toNanos());
                    try {
                        destination.open();
                        outageEnd.set(System.nanoTime());
                        event("destination up again on port " + destination.port());
                    } catch (IOException e) {
                        event("destination could not listen again: " + e.getMessage());
                    }
                },
                "faults-outage");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** Waits until every expected referral has arrived and nothing more for the quiet time, or the drain limit. */
    private boolean awaitDrain(DestinationListener destination, Set<String> expected, long lastSend) {
        long limit = lastSend + options.drainLimit().toNanos();
        long quiet = Duration.ofSeconds(options.quietSeconds()).toNanos();
        int seen = -1;
        long lastChange = System.nanoTime();
        while (System.nanoTime() < limit) {
            int count = destination.receiptCount();
            if (count != seen) {
                seen = count;
                lastChange = System.nanoTime();
            }
            if (System.nanoTime() - lastChange >= quiet && allDelivered(destination, expected)) {
                return true;
            }
            LockSupport.parkNanos(POLL.toNanos());
        }
        return false;
    }

    private static boolean allDelivered(DestinationListener destination, Set<String> expected) {
        Set<String> got = new HashSet<>();
        for (DestinationListener.Receipt r : destination.receipts()) {
            got.add(r.referrerNumber());
        }
        return got.containsAll(expected);
    }

    private String channelsText() {
        List<String> names = new ArrayList<>();
        for (SendChannel c : options.channels()) {
            names.add(c.name() + " (`" + c.channelName + "`)");
        }
        return String.join(", ", names);
    }

    /** The EGN with its check digit changed: the hub's national-identifier check refuses it. */
    static String wrongCheckDigit(String egn) {
        int check = egn.charAt(egn.length() - 1) - '0';
        return egn.substring(0, egn.length() - 1) + (check + 1) % 10;
    }

    private synchronized void event(String what) {
        String line = String.format(Locale.ROOT, "t=%.1f s: %s", (System.nanoTime() - t0) / 1e9, what);
        timeline.add(line);
        log(line);
    }

    private static void log(String line) {
        System.out.println("[faults] " + line);
    }
}
