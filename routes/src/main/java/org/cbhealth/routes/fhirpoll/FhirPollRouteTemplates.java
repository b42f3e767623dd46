package org.cbhealth.routes.fhirpoll;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.exceptions.FhirClientConnectionException;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.builder.RouteBuilder;
import org.cbhealth.routes.directory.DirectoryScope;
import org.cbhealth.routes.fhir.InvalidMessageException;
import org.cbhealth.routes.partner.InboundHandler;
import org.cbhealth.routes.partner.InboundMessage;
import org.cbhealth.routes.partner.InboundOutcome;
import org.cbhealth.routes.partner.InboundParking;
import org.cbhealth.routes.partner.NoTranslatorException;
import org.cbhealth.routes.partner.PartnerEvents;
import org.cbhealth.routes.partner.PartnerHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The route template of {@code fhir-poll} channels, {@value #INBOUND_FHIR_POLL}: IHE mCSD Update (ITI-91) from a
 * partner's FHIR server. On a schedule (the channel's {@code interval}, counted from the end of the previous poll):
 *
 * <ol>
 *   <li>read the checkpoint, the {@code _since} where the last complete poll ended;
 *   <li>read the partner's {@code <Type>/_history?_since=} of each directory type, every page
 *       ({@link FhirHistoryReader});
 *   <li>hand what was read to the {@link InboundHandler} as one directory message (a {@code history} Bundle,
 *       scope {@code partial}): the latest version of each record is imported, a deleted one is withdrawn;
 *   <li>only then move the checkpoint on.
 * </ol>
 *
 * A poll that fails — the partner's server down, too slow, answering with an error, or the hub unable to store —
 * leaves the checkpoint where it was and is recorded as the channel's last result (and logged, with no content of
 * the messages); the next poll reads the same changes again, and more. Re-reading is harmless: the import skips
 * records that did not change. History the hub refuses as a whole is parked raw with the reason (the sender must
 * fix it), and the checkpoint moves on: it is kept, not lost.
 */
public class FhirPollRouteTemplates extends RouteBuilder {

    public static final String INBOUND_FHIR_POLL = "cbh-inbound-fhir-poll";

    private static final Logger LOG = LoggerFactory.getLogger(FhirPollRouteTemplates.class);
    private static final String RUN = "cbhHistoryRun";
    private static final String RAW = "cbhHistoryRaw";
    private static final String RESULT = "cbhPollResult";

    private final InboundHandler handler;
    private final PartnerEvents events;
    private final FhirHistoryReader reader;
    private final PollCheckpoints checkpoints;
    private final FhirContext fhirContext;
    private final String park;

    public FhirPollRouteTemplates(
            InboundHandler handler,
            PartnerEvents events,
            FhirHistoryReader reader,
            PollCheckpoints checkpoints,
            FhirContext fhirContext,
            String parkedQueue) {
        this.handler = handler;
        this.events = events;
        this.reader = reader;
        this.checkpoints = checkpoints;
        this.fhirContext = fhirContext;
        this.park = "jms:queue:" + parkedQueue + "?exchangePattern=InOnly";
    }

    @Override
    public void configure() {
        routeTemplate(INBOUND_FHIR_POLL)
                .templateParameter("partnerId")
                .templateParameter("autoStartup", "true")
                .templateParameter("channel")
                .templateParameter("initialDelay", "1000")
                // the channel's settings, as FhirPollSettings.asParameters() gives them
                .templateParameter("baseUrl")
                .templateParameter("interval")
                .templateParameter("resourceTypes")
                .templateParameter("pageSize")
                .templateParameter("maxPages")
                .templateParameter("connectTimeout")
                .templateParameter("readTimeout")
                .templateParameter("overlap")
                .templateBean(
                        "readHistory",
                        Processor.class,
                        rtc -> new ReadHistory(
                                rtc.getProperty("partnerId", String.class),
                                rtc.getProperty("channel", String.class),
                                FhirPollSettings.fromParameters(
                                        rtc.getProperty("baseUrl", String.class),
                                        rtc.getProperty("interval", Long.class),
                                        rtc.getProperty("resourceTypes", String.class),
                                        rtc.getProperty("pageSize", Integer.class),
                                        rtc.getProperty("maxPages", Integer.class),
                                        rtc.getProperty("connectTimeout", Long.class),
                                        rtc.getProperty("readTimeout", Long.class),
                                        rtc.getProperty("overlap", Long.class))))
                .from("scheduler:partner-{{partnerId}}-{{channel}}?delay={{interval}}&initialDelay={{initialDelay}}")
                .autoStartup("{{autoStartup}}")
                .onException(InvalidMessageException.class, NoTranslatorException.class)
                .handled(true)
                .process(this::parkReason)
                .process(e -> e.getIn().setBody(e.getProperty(RAW, byte[].class)))
                .to(park)
                .process(this::advance)
                .end()
                .onException(Exception.class)
                // the next poll is the retry: it reads again from the checkpoint that stayed
                .handled(true)
                .process(this::failed)
                .end()
                .setHeader(PartnerHeaders.PARTNER, constant("{{partnerId}}"))
                .setHeader(PartnerHeaders.CHANNEL, constant("{{channel}}"))
                .process("{{readHistory}}")
                .process(this::handOver)
                .process(this::advance);
    }

    /** The changes read, as one directory message of partial scope; nothing to hand over when none. */
    private void handOver(Exchange exchange) {
        HistoryRun run = exchange.getProperty(RUN, HistoryRun.class);
        if (run.entries() == 0) {
            exchange.setProperty(RESULT, "no changes");
            return;
        }
        byte[] body = fhirContext
                .newJsonParser()
                .encodeResourceToString(run.history())
                .getBytes(StandardCharsets.UTF_8);
        exchange.setProperty(RAW, body);
        InboundOutcome outcome = handler.handle(new InboundMessage(
                partner(exchange),
                channel(exchange),
                body,
                Map.of(
                        DirectoryScope.ATTRIBUTE,
                        DirectoryScope.PARTIAL.value(),
                        "contentType",
                        "application/fhir+json")));
        exchange.setProperty(RESULT, outcome.summary());
    }

    private void advance(Exchange exchange) {
        HistoryRun run = exchange.getProperty(RUN, HistoryRun.class);
        String result = "read " + run.entries() + " history entr" + (run.entries() == 1 ? "y" : "ies") + " in "
                + run.pages() + " page(s) " + (run.since() == null ? "(complete history)" : "since " + run.since())
                + ": " + exchange.getProperty(RESULT, String.class);
        checkpoints.advance(partner(exchange), channel(exchange), run.nextSince(), result);
        if (run.entries() > 0) {
            LOG.info("{}: {}; next _since {}", exchange.getFromRouteId(), result, run.nextSince());
        } else {
            LOG.debug("{}: {}; next _since {}", exchange.getFromRouteId(), result, run.nextSince());
        }
    }

    private void failed(Exchange exchange) {
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String reason = "failed: " + describe(cause);
        checkpoints.failed(partner(exchange), channel(exchange), reason);
        Instant since = checkpoints.since(partner(exchange), channel(exchange)).orElse(null);
        LOG.warn(
                "{}: poll {}; the checkpoint stays at {} and the next poll reads again from there",
                exchange.getFromRouteId(),
                reason,
                since == null ? "the beginning" : since);
    }

    private void parkReason(Exchange exchange) {
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        InboundParking.mark(exchange, null);
        exchange.setProperty(RESULT, "parked: " + cause.getMessage());
        events.parked(partner(exchange));
    }

    /** Why a poll failed, in one line without message content: the transport's words, or the hub's. */
    static String describe(Throwable cause) {
        if (cause instanceof FhirClientConnectionException) {
            Throwable root = cause;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            return "the partner's server could not be reached ("
                    + root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage())
                    + ")";
        }
        if (cause instanceof BaseServerResponseException response) {
            return "the partner's server answered HTTP " + response.getStatusCode();
        }
        String text = cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
        return text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }

    private static String partner(Exchange exchange) {
        return exchange.getIn().getHeader(PartnerHeaders.PARTNER, String.class);
    }

    private static String channel(Exchange exchange) {
        return exchange.getIn().getHeader(PartnerHeaders.CHANNEL, String.class);
    }

    /** The first step of a poll: the channel's checkpoint, then its partner's history since then. */
    private final class ReadHistory implements Processor {
        private final String partnerId;
        private final String channel;
        private final FhirPollSettings settings;

        ReadHistory(String partnerId, String channel, FhirPollSettings settings) {
            this.partnerId = partnerId;
            this.channel = channel;
            this.settings = settings;
        }

        @Override
        public void process(Exchange exchange) {
            Instant since = checkpoints.since(partnerId, channel).orElse(null);
            exchange.setProperty(RUN, reader.read(settings, since));
        }
    }
}
