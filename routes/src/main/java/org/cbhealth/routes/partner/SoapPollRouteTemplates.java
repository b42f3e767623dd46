package org.cbhealth.routes.partner;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.cxf.Bus;
import org.apache.cxf.endpoint.Client;
import org.apache.cxf.transport.http.HTTPConduitFactory;
import org.apache.cxf.transport.http.URLConnectionHTTPConduit;
import org.apache.cxf.transports.http.configuration.HTTPClientPolicy;
import org.cbhealth.routes.directory.DirectoryScope;
import org.cbhealth.routes.directory.soap.DirectoryPoll;
import org.cbhealth.routes.directory.soap.DirectoryPollException;
import org.cbhealth.routes.directory.soap.DirectorySoapContract;
import org.cbhealth.routes.fhir.InvalidMessageException;
import org.cbhealth.routes.soap.HardenedXml;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The route template of channels that poll a partner's SOAP directory service, {@value #INBOUND_SOAP_POLL}: on a
 * timer, a CXF client (camel-cxf, RAW: the hub writes and reads the envelopes itself, with {@link HardenedXml}) asks
 * the service at the channel's address for its directory page by page ({@code ListDirectory} of {@code
 * wsdl/directory-service.wsdl}) until the last page, then hands the complete listing, all pages in one {@code
 * PolledDirectory} message, to the {@link InboundHandler} as a full export ({@value DirectoryScope#ATTRIBUTE} {@code
 * full}).
 *
 * <p>The client runs synchronously on the CXF bus of the registry (bean {@value Bus#DEFAULT_BUS_ID}, the hub's). An
 * endpoint with a bus of its own (under Spring, one per endpoint) shuts it down when a changed partner file replaces the
 * route, and in the hub the polls of the new route then waited for their answers forever.
 *
 * <p>A poll that does not bring a complete listing — the service unreachable or too slow, a SOAP Fault, an HTTP
 * error, pages of different snapshots or not adding up — hands over nothing, so nothing is deactivated because of it;
 * it is logged (page and reason, never the directory's content) and the next poll asks again. A complete listing the
 * hub refuses (the sender must fix it) or cannot translate yet is kept on the parked queue with the reason. A poll
 * starts every interval (or, when one took longer, as soon as it ended): polls of one channel never overlap.
 */
public class SoapPollRouteTemplates extends RouteBuilder {

    public static final String INBOUND_SOAP_POLL = "cbh-inbound-soap-poll";

    private static final Logger LOG = LoggerFactory.getLogger(SoapPollRouteTemplates.class);

    private static final String POLL = "cbhDirectoryPoll";
    private static final String LISTING = "cbhDirectoryListing";
    private static final String PARTNER = "cbhPartner";
    private static final String CHANNEL = "cbhChannel";
    private static final String PAGE_SIZE = "cbhPageSize";
    private static final String MAX_PAGES = "cbhMaxPages";
    private static final String CONNECT_TIMEOUT = "cbhConnectTimeout";
    private static final String RECEIVE_TIMEOUT = "cbhReceiveTimeout";

    private static final String SERVICE = "cxf://{{address}}?dataFormat=RAW"
            + "&wsdlURL=classpath:" + DirectorySoapContract.WSDL
            + "&serviceName=" + DirectorySoapContract.SERVICE
            + "&portName=" + DirectorySoapContract.PORT
            + "&defaultOperationName=" + DirectorySoapContract.LIST_DIRECTORY
            + "&defaultOperationNamespace=" + DirectorySoapContract.NAMESPACE
            + "&bus=#" + Bus.DEFAULT_BUS_ID
            + "&synchronous=true";

    /**
     * Makes the bus's HTTP clients CXF's {@code URLConnectionHTTPConduit} instead of its default, which shares one
     * {@code java.net.http.HttpClient} among conduits: when a replaced route's conduit closed, the new route's poll
     * could find that client closed and wait for its answer forever, past every timeout (seen in
     * {@code SoapPollRouteTemplatesTest}: a replaced route did not poll again in one full run out of two). A
     * factory the integrator set on the bus is kept.
     */
    static void useUrlConnectionConduits(Bus bus) {
        if (bus != null && bus.getExtension(HTTPConduitFactory.class) == null) {
            bus.setExtension(
                    (HTTPConduitFactory)
                            (factory, b, endpoint, target) -> new URLConnectionHTTPConduit(b, endpoint, target),
                    HTTPConduitFactory.class);
        }
    }

    private final InboundHandler handler;
    private final PartnerEvents events;
    private final String park;
    private final int maxBytes;
    private final HardenedXml xml = new HardenedXml();

    /**
     * @param parkedQueue the queue refused and untranslatable listings are kept on
     * @param maxBytes the largest answer (one page) accepted; a larger one fails the poll
     */
    public SoapPollRouteTemplates(InboundHandler handler, PartnerEvents events, String parkedQueue, int maxBytes) {
        this.handler = handler;
        this.events = events;
        this.park = "jms:queue:" + parkedQueue + "?exchangePattern=InOnly";
        this.maxBytes = maxBytes;
    }

    @Override
    public void configure() {
        useUrlConnectionConduits(getCamelContext().getRegistry().lookupByNameAndType(Bus.DEFAULT_BUS_ID, Bus.class));
        routeTemplate(INBOUND_SOAP_POLL)
                .templateParameter("partnerId")
                .templateParameter("autoStartup", "true")
                .templateParameter("channel")
                .templateParameter("address")
                .templateParameter("interval", "900000", "milliseconds from the start of a poll to the next")
                .templateParameter("delay", "1000", "milliseconds from the start of the route to its first poll")
                .templateParameter("pageSize", "100")
                .templateParameter("maxPages", "500")
                .templateParameter("connectTimeout", "10000", "milliseconds")
                .templateParameter("receiveTimeout", "60000", "milliseconds to wait for each page")
                // synchronous: the timer waits for the poll to end (the CXF client answers on its own threads), so
                // polls of a channel never overlap
                .from("timer:cbh-soap-poll-{{partnerId}}-{{channel}}?delay={{delay}}&period={{interval}}"
                        + "&synchronous=true")
                .autoStartup("{{autoStartup}}")
                // a poll without a complete listing, or a failure of the hub while taking or keeping it
                .onException(Exception.class)
                .handled(true)
                .process(this::failed)
                .end()
                .setProperty(PARTNER, constant("{{partnerId}}"))
                .setProperty(CHANNEL, constant("{{channel}}"))
                .setProperty(PAGE_SIZE, constant("{{pageSize}}"))
                .setProperty(MAX_PAGES, constant("{{maxPages}}"))
                .setProperty(CONNECT_TIMEOUT, constant("{{connectTimeout}}"))
                .setProperty(RECEIVE_TIMEOUT, constant("{{receiveTimeout}}"))
                .process(this::startPoll)
                .loopDoWhile(exchange -> !poll(exchange).complete())
                .process(this::request)
                .to(SERVICE)
                .process(this::answer)
                .end()
                .doTry()
                .process(this::handOver)
                .doCatch(InvalidMessageException.class, NoTranslatorException.class)
                .process(this::parkReason)
                .to(park)
                .process(this::parked)
                .end();
    }

    private void startPoll(Exchange exchange) {
        exchange.setProperty(
                POLL,
                new DirectoryPoll(
                        xml,
                        exchange.getProperty(PAGE_SIZE, Integer.class),
                        exchange.getProperty(MAX_PAGES, Integer.class)));
    }

    /** The next page's request alone: no header of the hub travels to the partner. */
    private void request(Exchange exchange) {
        HTTPClientPolicy policy = new HTTPClientPolicy();
        policy.setConnectionTimeout(exchange.getProperty(CONNECT_TIMEOUT, Long.class));
        policy.setReceiveTimeout(exchange.getProperty(RECEIVE_TIMEOUT, Long.class));
        policy.setAutoRedirect(false);
        exchange.getIn().removeHeaders("*");
        exchange.getIn().setHeader(Exchange.CONTENT_TYPE, "text/xml; charset=UTF-8");
        exchange.getIn().setHeader("SOAPAction", "\"" + DirectorySoapContract.LIST_DIRECTORY_ACTION + "\"");
        exchange.getIn().setHeader(Client.REQUEST_CONTEXT, Map.of(HTTPClientPolicy.class.getName(), policy));
        exchange.getIn().setBody(poll(exchange).nextRequest());
    }

    private void answer(Exchange exchange) throws IOException {
        Integer status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        byte[] body = bounded(
                exchange.getMessage().getBody(InputStream.class), poll(exchange).pages() + 1);
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setBody(null);
        poll(exchange).take(body, status == null ? 200 : status);
    }

    /** The complete listing, as one full export of the partner's directory. */
    private void handOver(Exchange exchange) {
        DirectoryPoll poll = poll(exchange);
        byte[] listing = poll.listing();
        exchange.setProperty(LISTING, listing);
        InboundOutcome outcome = handler.handle(new InboundMessage(
                exchange.getProperty(PARTNER, String.class),
                exchange.getProperty(CHANNEL, String.class),
                listing,
                Map.of(
                        "contentType",
                        "application/xml; charset=UTF-8",
                        DirectoryScope.ATTRIBUTE,
                        DirectoryScope.FULL.value())));
        LOG.info(
                "Directory poll of channel {} of partner {}: {} records in {} pages, {} stored, {} refused",
                exchange.getProperty(CHANNEL),
                exchange.getProperty(PARTNER),
                poll.records(),
                poll.pages(),
                outcome.storedIds().size(),
                outcome.rejected().size());
    }

    /** A poll that brought no complete listing, or a hub failure while taking it: the next poll asks again. */
    private void failed(Exchange exchange) {
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String reason;
        if (cause instanceof DirectoryPollException poll) {
            reason = poll.getMessage();
        } else if (cause instanceof PartnerUnavailableException unavailable) {
            reason = unavailable.getMessage();
        } else if (exchange.getProperty(LISTING) == null) {
            reason = "the service did not answer (" + rootCause(cause) + ")";
        } else {
            // the hub's own failure (e.g. its database): the type only, its message may quote the data
            reason = "the hub could not take the listing now ("
                    + (cause == null ? "unknown" : cause.getClass().getName()) + ")";
        }
        LOG.warn(
                "Directory poll of channel {} of partner {} failed: {}; nothing of it was taken, the next poll asks"
                        + " again",
                exchange.getProperty(CHANNEL),
                exchange.getProperty(PARTNER),
                reason);
        events.pollFailed(exchange.getProperty(PARTNER, String.class));
    }

    /** The complete listing with why it is kept and who must act, ready for the parked queue. */
    private void parkReason(Exchange exchange) {
        exchange.getIn().removeHeaders("*");
        exchange.getIn().setHeader(PartnerHeaders.PARTNER, exchange.getProperty(PARTNER));
        exchange.getIn().setHeader(PartnerHeaders.CHANNEL, exchange.getProperty(CHANNEL));
        InboundParking.mark(exchange, null);
        exchange.getIn().setBody(exchange.getProperty(LISTING, byte[].class));
    }

    private void parked(Exchange exchange) {
        LOG.warn(
                "Directory listing of channel {} of partner {} was refused and kept on the parked queue",
                exchange.getProperty(CHANNEL),
                exchange.getProperty(PARTNER));
        events.parked(exchange.getProperty(PARTNER, String.class));
    }

    /** At most {@code maxBytes} of an answer; a larger one fails the poll. */
    private byte[] bounded(InputStream in, int page) throws IOException {
        if (in == null) {
            return new byte[0];
        }
        try (in) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            long total = 0;
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                total += n;
                if (total > maxBytes) {
                    throw new DirectoryPollException(
                            "page " + page + ": an answer larger than the limit of " + maxBytes + " bytes");
                }
                bytes.write(buffer, 0, n);
            }
            return bytes.toByteArray();
        }
    }

    private static DirectoryPoll poll(Exchange exchange) {
        return exchange.getProperty(POLL, DirectoryPoll.class);
    }

    /** The innermost cause's type and message, e.g. {@code java.net.ConnectException: Connection refused}. */
    private static String rootCause(Throwable failure) {
        Throwable root = failure;
        while (root != null && root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == null
                ? "unknown"
                : root.getClass().getName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }
}
