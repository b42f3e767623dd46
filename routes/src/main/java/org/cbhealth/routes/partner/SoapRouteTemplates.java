package org.cbhealth.routes.partner;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.cbhealth.routes.fhir.InputProblem;
import org.cbhealth.routes.fhir.InvalidMessageException;
import org.cbhealth.routes.referral.soap.ReferralSoapContract;
import org.cbhealth.routes.referral.soap.SoapReceiptWriter;
import org.cbhealth.routes.soap.HardenedXml;
import org.cbhealth.routes.soap.SoapEnvelopeReader;
import org.cbhealth.routes.soap.SoapFaultWriter;
import org.cbhealth.routes.soap.SoapVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The route template of SOAP channels, {@value #INBOUND_SOAP}: one CXF service per partner channel at {@code
 * <cxf.path>/partners/<partner>/<channel>} (the hub serves it under {@code /soap}), described by {@code
 * wsdl/referral-service.wsdl}, served at {@code ?wsdl}.
 *
 * <p>CXF hands the request over unparsed (RAW): the envelope is read by {@link SoapEnvelopeReader} with the hub's
 * hardened XML parsing, so a DOCTYPE, deep nesting, an unknown operation, an {@code xop:Include} or a multipart body
 * are refused with a Fault naming the problem, and nothing is ever fetched. The operation element goes to the
 * {@link InboundHandler} (check, translate, validate, store). Answers, in the request's SOAP version:
 *
 * <ul>
 *   <li>stored → {@code <operation>Response}, disposition {@code stored}, with the hub's referral number;
 *   <li>no translator yet → the raw request is parked (the hub must act) and answered {@code kept};
 *   <li>the sender must fix it → the raw request is parked and answered with a {@code Client} Fault listing each
 *       problem's path and reason;
 *   <li>the hub failed → a {@code Server} Fault: nothing was kept, the sender sends again later.
 * </ul>
 *
 * A Fault is sent with HTTP 500, as SOAP requires; no answer leaves without a SOAP envelope.
 */
public class SoapRouteTemplates extends RouteBuilder {

    public static final String INBOUND_SOAP = "cbh-inbound-soap";

    private static final Logger LOG = LoggerFactory.getLogger(SoapRouteTemplates.class);

    /** Where a SOAP channel's service is, relative to the hub's CXF servlet path. */
    public static String servicePath(String partnerId, String channel) {
        return "/partners/" + partnerId + "/" + channel;
    }

    private static final String RAW = "cbhSoapRaw";
    private static final String CONTENT_TYPE = "cbhSoapContentType";
    private static final String VERSION = "cbhSoapVersion";
    private static final String OPERATION = "cbhSoapOperation";

    private static final String ENDPOINT = "cxf:/partners/{{partnerId}}/{{channel}}?dataFormat=RAW"
            + "&wsdlURL=classpath:" + ReferralSoapContract.SERVICE_WSDL
            + "&serviceName=" + ReferralSoapContract.SERVICE
            + "&portName=" + ReferralSoapContract.SERVICE_PORT;

    private final InboundHandler handler;
    private final PartnerEvents events;
    private final String park;
    private final int maxBytes;
    private final SoapEnvelopeReader envelopes;
    private final SoapFaultWriter faults;
    private final SoapReceiptWriter receipts = new SoapReceiptWriter();

    /**
     * @param parkedQueue the queue refused and untranslatable requests are kept on
     * @param maxBytes the largest request accepted; a larger one is refused with a Fault
     */
    public SoapRouteTemplates(InboundHandler handler, PartnerEvents events, String parkedQueue, int maxBytes) {
        this.handler = handler;
        this.events = events;
        this.park = "jms:queue:" + parkedQueue + "?exchangePattern=InOnly";
        this.maxBytes = maxBytes;
        HardenedXml xml = new HardenedXml();
        this.envelopes = new SoapEnvelopeReader(xml);
        this.faults = new SoapFaultWriter(xml, ReferralSoapContract.NAMESPACE);
    }

    @Override
    public void configure() {
        routeTemplate(INBOUND_SOAP)
                .templateParameter("partnerId")
                .templateParameter("autoStartup", "true")
                .templateParameter("channel")
                .from(ENDPOINT)
                .autoStartup("{{autoStartup}}")
                // a failure while keeping a refused or untranslatable request (broker down): nothing was kept
                .onException(Exception.class)
                .handled(true)
                .process(this::hubFault)
                .end()
                .process(this::takeRequest)
                .setHeader(PartnerHeaders.PARTNER, constant("{{partnerId}}"))
                .setHeader(PartnerHeaders.CHANNEL, constant("{{channel}}"))
                .doTry()
                .process(this::readBody)
                .process(this::handle)
                .doCatch(NoTranslatorException.class)
                .process(this::parkReason)
                .to(park)
                .process(this::parked)
                .process(this::kept)
                .doCatch(InvalidMessageException.class)
                .process(this::parkReason)
                .to(park)
                .process(this::parked)
                .process(this::senderFault)
                .doCatch(Exception.class)
                .process(this::hubFault)
                .end();
    }

    /** Keeps what the transport said of the request; no header of the request travels further. */
    private void takeRequest(Exchange exchange) {
        String contentType = exchange.getIn().getHeader(Exchange.CONTENT_TYPE, String.class);
        exchange.setProperty(CONTENT_TYPE, contentType);
        exchange.setProperty(VERSION, SoapVersion.ofContentType(contentType));
        exchange.setProperty(RAW, new byte[0]);
        exchange.getIn().removeHeaders("*");
    }

    /** The request body, at most {@code maxBytes}; a larger or empty body is refused (kept with its reason only). */
    private void readBody(Exchange exchange) throws IOException {
        InputStream in = exchange.getIn().getBody(InputStream.class);
        if (in == null) {
            throw empty();
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        long total = 0;
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
            total += n;
            if (total <= maxBytes) {
                bytes.write(buffer, 0, n);
            } else if (total > 2L * maxBytes) {
                break; // stop reading what will not be used; the container closes the connection
            }
        }
        if (total > maxBytes) {
            throw new InvalidMessageException(
                    "SOAP request refused",
                    List.of(new InputProblem(
                            "message",
                            "larger than the limit of " + maxBytes + " bytes; send documents by url or split the"
                                    + " message")));
        }
        if (total == 0) {
            throw empty();
        }
        exchange.setProperty(RAW, bytes.toByteArray());
    }

    private void handle(Exchange exchange) {
        byte[] raw = exchange.getProperty(RAW, byte[].class);
        SoapEnvelopeReader.SoapRequest request = envelopes.read(
                raw, exchange.getProperty(CONTENT_TYPE, String.class), ReferralSoapContract.SERVICE_OPERATIONS);
        exchange.setProperty(VERSION, request.version());
        exchange.setProperty(OPERATION, request.operation().getLocalPart());
        Map<String, String> attributes = new HashMap<>();
        attributes.put("contentType", "application/xml; charset=UTF-8");
        attributes.put("soapOperation", request.operation().getLocalPart());
        InboundOutcome outcome = handler.handle(new InboundMessage(
                exchange.getIn().getHeader(PartnerHeaders.PARTNER, String.class),
                exchange.getIn().getHeader(PartnerHeaders.CHANNEL, String.class),
                request.payloadXml(),
                attributes));
        answer(
                exchange,
                request.version(),
                200,
                receipts.stored(request.version(), request.operation().getLocalPart(), outcome));
    }

    private void kept(Exchange exchange) {
        SoapVersion version = exchange.getProperty(VERSION, SoapVersion.class);
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        answer(
                exchange,
                version,
                200,
                receipts.kept(version, exchange.getProperty(OPERATION, String.class), cause.getMessage()));
    }

    private void senderFault(Exchange exchange) {
        SoapVersion version = exchange.getProperty(VERSION, SoapVersion.class);
        InvalidMessageException refused =
                exchange.getProperty(Exchange.EXCEPTION_CAUGHT, InvalidMessageException.class);
        answer(exchange, version, 500, faults.senderFault(version, refused));
    }

    private void hubFault(Exchange exchange) {
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        LOG.warn(
                "SOAP request on channel {} of partner {} failed in the hub ({}); answered with a Server fault",
                exchange.getIn().getHeader(PartnerHeaders.CHANNEL),
                exchange.getIn().getHeader(PartnerHeaders.PARTNER),
                cause == null ? "unknown" : cause.getClass().getName());
        SoapVersion version = exchange.getProperty(VERSION, SoapVersion.class);
        answer(
                exchange,
                version == null ? SoapVersion.SOAP_11 : version,
                500,
                faults.hubFault(
                        version == null ? SoapVersion.SOAP_11 : version,
                        cause instanceof PartnerUnavailableException
                                ? "the partner's channel is not available now; send the message again later"
                                : "the hub could not process the message now; send it again later"));
    }

    /** The raw request with why it is kept and who must act, ready for the parked queue. */
    private void parkReason(Exchange exchange) {
        InboundParking.mark(exchange, null);
        exchange.getIn().setBody(exchange.getProperty(RAW, byte[].class));
    }

    /** Counted once the parked queue has it. */
    private void parked(Exchange exchange) {
        events.parked(exchange.getIn().getHeader(PartnerHeaders.PARTNER, String.class));
    }

    /** The answer alone: its envelope, content type and HTTP status; the hub's own headers stay inside. */
    private static void answer(Exchange exchange, SoapVersion version, int status, String envelope) {
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, version.contentType());
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        exchange.getMessage().setBody(envelope);
    }

    private static InvalidMessageException empty() {
        return new InvalidMessageException(
                "SOAP request refused",
                List.of(new InputProblem(
                        "message", "empty request: POST a SOAP envelope (the service's WSDL is at ?wsdl)")));
    }
}
