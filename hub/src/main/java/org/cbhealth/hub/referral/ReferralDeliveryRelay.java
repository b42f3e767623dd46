package org.cbhealth.hub.referral;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.cbhealth.hub.partner.PartnerDefinition;
import org.cbhealth.hub.partner.PartnerRegistry;
import org.cbhealth.routes.partner.PartnerHeaders;
import org.cbhealth.routes.partner.PartnerRouteTemplates;
import org.cbhealth.routes.referral.ReferralPackage;
import org.cbhealth.routes.referral.out.OutboundMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jms.core.JmsTemplate;
import org.springframework.stereotype.Component;

/**
 * Relays the {@link ReferralOutbox} to the partners' delivery queues ({@code hub.outbound.<partner>}), each notice
 * written in the receiving partner's format. It runs right after each commit that added a notice, and sweeps every
 * {@code sweep} for notices a crash or an unknown partner left behind. Every message carries the notice's key as
 * the broker's duplicate id ({@code _AMQ_DUPL_ID}): sending again after a crash between send and bookkeeping
 * delivers nothing twice. A partner unknown or without an outbound channel keeps its notices, retried with back-off.
 */
@Component
public class ReferralDeliveryRelay implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(ReferralDeliveryRelay.class);
    private static final Duration SWEEP = Duration.ofSeconds(2);
    private static final int BATCH = 200;

    private final ReferralOutbox outbox;
    private final ReferralPackages packages;
    private final ReferralWriters writers;
    private final PartnerRegistry registry;
    private final JmsTemplate jms;
    private final AtomicBoolean kicked = new AtomicBoolean();
    private ScheduledExecutorService executor;

    public ReferralDeliveryRelay(
            ReferralOutbox outbox,
            ReferralPackages packages,
            ReferralWriters writers,
            PartnerRegistry registry,
            JmsTemplate jms) {
        this.outbox = outbox;
        this.packages = packages;
        this.writers = writers;
        this.registry = registry;
        this.jms = jms;
    }

    /** Asks for a relay run soon (after a commit that added notices); runs requested meanwhile are merged. */
    public void kick() {
        ScheduledExecutorService running = executor;
        if (running != null && kicked.compareAndSet(false, true)) {
            running.execute(this::relayKicked);
        }
    }

    private void relayKicked() {
        kicked.set(false);
        relay();
    }

    /** Relays every notice that is due; returns how many were sent. */
    public synchronized int relay() {
        int sent = 0;
        try {
            for (ReferralOutbox.Entry entry : outbox.due(BATCH)) {
                if (send(entry)) {
                    sent++;
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("Referral relay: the outbox could not be read now: {}", e.getMessage());
        }
        return sent;
    }

    private boolean send(ReferralOutbox.Entry entry) {
        PartnerDefinition partner = registry.definition(entry.partnerId()).orElse(null);
        if (partner == null || partner.outbound() == null) {
            outbox.failed(
                    entry,
                    partner == null
                            ? "partner '" + entry.partnerId() + "' is not configured"
                            : "partner '" + entry.partnerId() + "' has no outbound channel",
                    backoff(entry));
            return false;
        }
        try {
            ReferralPackage referral = packages.read(entry.taskId(), entry.taskVersion());
            OutboundMessage message = entry.kind() == ReferralOutbox.Kind.REFERRAL
                    ? writers.forPartner(partner).referral(referral)
                    : writers.forPartner(partner).status(referral);
            jms.send(PartnerRouteTemplates.deliveryQueue(partner.id()), session -> {
                jakarta.jms.TextMessage text = session.createTextMessage(message.body());
                text.setStringProperty("_AMQ_DUPL_ID", entry.dedupeKey());
                text.setStringProperty(PartnerHeaders.PARTNER, partner.id());
                // the referrer's own number, so a partner (or a load generator) can correlate without parsing
                text.setStringProperty("CBHealthReferrerNumber", referrerNumber(referral));
                for (var header : message.headers().entrySet()) {
                    text.setStringProperty(header.getKey(), header.getValue());
                }
                return text;
            });
            outbox.sent(entry.id());
            return true;
        } catch (RuntimeException e) {
            LOG.warn(
                    "Referral relay: {} of Task/{} for partner {} not sent (attempt {}): {}",
                    entry.kind(),
                    entry.taskId(),
                    entry.partnerId(),
                    entry.attempts() + 1,
                    e.getMessage());
            outbox.failed(entry, e.getClass().getSimpleName() + ": " + e.getMessage(), backoff(entry));
            return false;
        }
    }

    private static String referrerNumber(ReferralPackage referral) {
        return referral.task().getIdentifier().stream()
                .filter(i -> !org.cbhealth.profiles.CbhCanonical.SID_HUB_REFERRAL.equals(i.getSystem()))
                .map(org.hl7.fhir.r4.model.Identifier::getValue)
                .findFirst()
                .orElse("");
    }

    private static Duration backoff(ReferralOutbox.Entry entry) {
        return Duration.ofSeconds(Math.min(300, 1L << Math.min(entry.attempts(), 8)));
    }

    @Override
    public synchronized void start() {
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "cbh-referral-relay");
            thread.setDaemon(true);
            return thread;
        });
        executor.scheduleWithFixedDelay(this::relay, SWEEP.toMillis(), SWEEP.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        ScheduledExecutorService running = executor;
        executor = null;
        if (running != null) {
            running.shutdown();
            try {
                running.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return executor != null;
    }

    /** Starts after the broker and the Camel routes, stops before them. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 1000;
    }
}
