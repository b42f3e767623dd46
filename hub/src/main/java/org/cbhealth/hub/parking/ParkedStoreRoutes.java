package org.cbhealth.hub.parking;

import jakarta.jms.Message;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.cbhealth.hub.audit.HubAudit;
import org.cbhealth.hub.messaging.BrokerProperties;
import org.cbhealth.hub.routing.RoutesProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Moves parked messages from the parked queue ({@code hub-parked-store}) and dead letters from the broker's
 * dead-letter queue ({@code hub-dead-letters}) into the {@link ParkedMessageStore}. Both consume in a JMS
 * transaction that commits only after the row is written: when the database refuses the insert, the exception
 * rolls the transaction back and the message stays on its queue for redelivery; nothing is swallowed. A message
 * consumed again after a crash between insert and commit finds its park id kept and is dropped as the duplicate it
 * is.
 */
@Component
public class ParkedStoreRoutes extends RouteBuilder {

    public static final String PARKED_ROUTE = "hub-parked-store";
    public static final String DEAD_LETTER_ROUTE = "hub-dead-letters";

    private static final Logger LOG = LoggerFactory.getLogger(ParkedStoreRoutes.class);
    private static final String OPTIONS =
            "?transacted=true&cacheLevelName=CACHE_CONSUMER&mapJmsMessage=false&disableReplyTo=true";

    private final ParkedMessageIntake intake;
    private final ParkedMessageStore store;
    private final String parkedQueue;
    private final String deadLetterQueue;
    private final AtomicLong failures = new AtomicLong();
    private final HubAudit audit;

    public ParkedStoreRoutes(
            ParkedMessageIntake intake,
            ParkedMessageStore store,
            RoutesProperties routes,
            BrokerProperties broker,
            HubAudit audit) {
        this.audit = audit;
        this.intake = intake;
        this.store = store;
        this.parkedQueue = routes.parkedQueue();
        this.deadLetterQueue = broker.deadLetterAddress();
    }

    @Override
    public void configure() {
        from("jms:queue:" + parkedQueue + OPTIONS)
                .routeId(PARKED_ROUTE)
                .process(e -> keep(e, intake.fromParkedQueue(e.getIn().getBody(Message.class))));
        from("jms:queue:" + deadLetterQueue + OPTIONS)
                .routeId(DEAD_LETTER_ROUTE)
                .process(e -> keep(e, intake.fromDeadLetters(e.getIn().getBody(Message.class))));
    }

    /** How many times keeping a message failed (and its transaction was rolled back) since start. */
    public long failures() {
        return failures.get();
    }

    /**
     * A message refused by its sender's fault ({@code refused}) or by the receiver ({@code delivery-refused}) is
     * audited once, when its parked copy is first kept: every channel parks through the parked queue. The reason
     * stays with the parked message (it may quote the message); the audit names the parked message by its id.
     */
    private void audit(ParkedMessage entry) {
        HubAudit.Step step;
        if ("inbound".equals(entry.direction()) && "sender".equals(entry.failedBy())) {
            step = HubAudit.Step.REFUSED;
        } else if ("outbound".equals(entry.direction()) && "receiver".equals(entry.failedBy())) {
            step = HubAudit.Step.DELIVERY_REFUSED;
        } else {
            return;
        }
        audit.exchange(new HubAudit.Exchange(
                step,
                entry.partnerId(),
                entry.channel(),
                entry.businessKey(),
                List.of(),
                HubAudit.Outcome.MINOR_FAILURE,
                "parked as " + entry.parkId() + " (failed by " + entry.failedBy() + ")"));
    }

    private void keep(Exchange exchange, ParkedMessage entry) {
        try {
            if (store.keep(entry)) {
                LOG.info(
                        "Parked message {} of partner {} kept ({}, failed by {})",
                        entry.parkId(),
                        entry.partnerId(),
                        entry.direction(),
                        entry.failedBy());
                audit(entry);
            } else {
                LOG.info("Parked message {} was already kept; the redelivered copy is dropped", entry.parkId());
            }
        } catch (RuntimeException e) {
            failures.incrementAndGet();
            LOG.warn(
                    "Parked message {} could not be kept ({}); it stays on {} for redelivery",
                    entry.parkId(),
                    e.getClass().getSimpleName(),
                    exchange.getFromEndpoint().getEndpointUri());
            throw e;
        }
    }
}
