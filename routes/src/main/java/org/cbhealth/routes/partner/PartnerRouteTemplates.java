package org.cbhealth.routes.partner;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mllp.MllpNegativeAcknowledgementException;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.RouteTemplateDefinition;
import org.apache.camel.spi.RoutePolicy;
import org.cbhealth.routes.directory.DirectoryScope;
import org.cbhealth.routes.fhir.InvalidMessageException;
import org.cbhealth.routes.hl7.Hl7AckWriter;
import org.cbhealth.routes.hl7.Hl7Error;
import org.cbhealth.routes.hl7.Hl7v2Reader;
import org.cbhealth.routes.hl7.Hl7v2RejectedException;
import org.cbhealth.routes.inbound.JmsPayloadReader;

/**
 * One Camel route template per channel kind and direction. Every partner route is an instance of one of these,
 * with the partner's settings as template parameters and the id {@code partner-<id>-<channel>-<flow>}; no
 * partner has Java code of its own.
 *
 * <p>Inbound templates deal only with their transport and its answer; the message itself goes to the
 * {@link InboundHandler} (check, translate, validate, store). A message the sender must fix, or one the hub
 * cannot translate yet, is kept raw on the parked queue with the reason and who must act. Outbound templates
 * consume the partner's delivery queue in a JMS transaction: a delivery the receiver refused is parked, any other
 * failed delivery leaves the message queued and counts towards the route's circuit breaker.
 */
public class PartnerRouteTemplates extends RouteBuilder {

    public static final String INBOUND_JMS = "cbh-inbound-jms";
    public static final String INBOUND_MLLP = "cbh-inbound-mllp";
    /** MLLP over TLS: as {@link #INBOUND_MLLP}, with the bean named by parameter {@code tls} (SSLContextParameters). */
    public static final String INBOUND_MLLP_TLS = "cbh-inbound-mllp-tls";

    public static final String INBOUND_FILE = "cbh-inbound-file";
    public static final String INBOUND_REST = "cbh-inbound-rest";
    public static final String OUTBOUND_JMS = "cbh-outbound-jms";
    public static final String OUTBOUND_FHIR_REST = "cbh-outbound-fhir-rest";
    public static final String OUTBOUND_MLLP = "cbh-outbound-mllp";
    /** MLLP over TLS to the partner: as {@link #OUTBOUND_MLLP}, with the bean named by parameter {@code tls}. */
    public static final String OUTBOUND_MLLP_TLS = "cbh-outbound-mllp-tls";
    /** Exchange properties the MLLP route sets for the handler (never from what the sender wrote). */
    static final String REMOTE_ADDRESS = "cbhRemoteAddress";

    static final String CLIENT_SUBJECT = "cbhClientSubject";
    public static final String OUTBOUND_SOAP = "cbh-outbound-soap";

    /** Template parameters of a delivery route's circuit breaker (see {@link DeliveryBreaker}); times in ms. */
    public static final String BREAKER_FAILURE_THRESHOLD = "breakerFailureThreshold";

    public static final String BREAKER_FAILURE_WINDOW = "breakerFailureWindow";
    public static final String BREAKER_HALF_OPEN_AFTER = "breakerHalfOpenAfter";
    public static final String BREAKER_MAX_HALF_OPEN_AFTER = "breakerMaxHalfOpenAfter";
    private static final String BREAKER_BEAN = "deliveryBreaker";
    private static final String DELIVERY_PARTNER = "cbhDeliveryPartner";
    private static final String DELIVERY_BODY = "cbhDeliveryBody";
    private static final String DELIVERY_HEADERS = "cbhDeliveryHeaders";
    private static final String MESSAGE_TYPE_HEADER = "CBHealthMessageType";
    private static final String REFERRAL_HEADER = "CBHealthReferral";
    /** The outbox key, the broker's duplicate id on a delivery queue. */
    private static final String DUPLICATE_ID_HEADER = "_AMQ_DUPL_ID";
    /** The outbox key on a parked delivery. */
    public static final String OUTBOX_KEY_HEADER = "CBHealthOutboxKey";

    /** The endpoint a REST channel's route listens on; the hub's HTTP controller sends to it. */
    public static String restEndpoint(String partnerId, String channel) {
        return "direct:partner-" + partnerId + "-" + channel;
    }

    /** The queue the hub puts messages on for delivery to a partner. */
    public static String deliveryQueue(String partnerId) {
        return "hub.outbound." + partnerId;
    }

    /** The directory scope a route was told (REST: the controller's header); never taken from a sender's headers. */
    private static final String SCOPE_PROPERTY = "cbhDirectoryScope";

    /** The content type a JMS sender declared (string property {@code contentType}), for the handler to check. */
    private static final String DECLARED_CONTENT_TYPE = "cbhDeclaredContentType";

    /** Consumers: transacted, and a sender's JMSReplyTo never turns a message into a request the hub answers. */
    private static final String JMS_OPTIONS =
            "transacted=true&cacheLevelName=CACHE_CONSUMER&mapJmsMessage=false&disableReplyTo=true";

    private final InboundHandler handler;
    private final PartnerEvents events;
    private final Hl7AckWriter ackWriter;
    private final JmsPayloadReader payloadReader;
    /** Parking is one-way, whatever the pattern of the exchange (MLLP and REST are request-reply). */
    private final String park;

    public PartnerRouteTemplates(
            InboundHandler handler,
            PartnerEvents events,
            Hl7AckWriter ackWriter,
            JmsPayloadReader payloadReader,
            String parkedQueue) {
        this.handler = handler;
        this.events = events;
        this.ackWriter = ackWriter;
        this.payloadReader = payloadReader;
        this.park = "jms:queue:" + parkedQueue + "?exchangePattern=InOnly";
    }

    @Override
    public void configure() {
        inboundJms();
        inboundMllp(INBOUND_MLLP, false);
        inboundMllp(INBOUND_MLLP_TLS, true);
        // where both MLLP templates park what the sender must fix: the raw frame, one-way
        from("direct:cbh-park")
                .routeId("hub-park")
                .process(e -> e.getIn().setBody(raw(e)))
                .to(park);
        inboundFile();
        inboundRest();
        outboundJms();
        outboundFhirRest();
        outboundMllp(OUTBOUND_MLLP, false);
        outboundMllp(OUTBOUND_MLLP_TLS, true);
        outboundSoap();
    }

    /** A partner's own queue, consumed transacted: the message leaves the queue only once stored or parked. */
    private void inboundJms() {
        routeTemplate(INBOUND_JMS)
                .templateParameter("partnerId")
                .templateParameter("autoStartup", "true")
                .templateParameter("channel")
                .templateParameter("queue")
                .from("jms:queue:{{queue}}?" + JMS_OPTIONS)
                .autoStartup("{{autoStartup}}")
                .onException(InvalidMessageException.class, NoTranslatorException.class)
                .handled(true)
                .process(this::parkReason)
                .process(e -> e.getIn()
                        .setBody(payloadReader.keepableOf(
                                e.getProperty("cbhText"), e.getProperty("cbhJmsMessage", jakarta.jms.Message.class))))
                .to(park)
                .end()
                // a partner's headers never steer the hub (Camel*, JMSX*, CBHealth*: file name, directory scope,
                // partner...): all are dropped; only the declared content type is kept, and checked
                .setProperty(DECLARED_CONTENT_TYPE, header(JmsPayloadReader.CONTENT_TYPE_PROPERTY))
                .setProperty("cbhJmsMessage", body())
                .removeHeaders("*")
                .setHeader(PartnerHeaders.PARTNER, constant("{{partnerId}}"))
                .setHeader(PartnerHeaders.CHANNEL, constant("{{channel}}"))
                .process(e -> {
                    String text = payloadReader.text(e.getIn().getBody(jakarta.jms.Message.class));
                    e.setProperty("cbhText", text);
                    e.getIn().setBody(text == null ? new byte[0] : text.getBytes(StandardCharsets.UTF_8));
                })
                .process(this::handle);
    }

    /**
     * HL7 v2 over MLLP: answered with ACK AA once stored, AE/AR with ERR segments when the sender must fix the
     * message (kept parked), AE when the hub failed (not kept: the sender still has it and sends again).
     */
    private void inboundMllp(String templateId, boolean tls) {
        routeTemplate(templateId)
                .templateParameter("partnerId")
                .templateParameter("autoStartup", "true")
                .templateParameter("channel")
                .templateParameter("host", "0.0.0.0")
                .templateParameter("port")
                .templateParameter("charset", "UTF-8")
                // the registry name of the channel's SSLContextParameters (the TLS template only)
                .templateParameter("tls", "none")
                // a frame that stalls for readTimeout after its start is not answered: the component resets the
                // connection, nothing was acknowledged, the sender still has it. camel-mllp's own maxBufferSize is
                // left at its default: at the limit its read loop spins instead of failing (4.17), so the size is
                // checked once the frame is complete, answered AR. reuseAddress: a restarted route binds its port
                // again at once, though connections of the previous one linger in TIME_WAIT
                .from("mllp://{{host}}:{{port}}?autoAck=false&hl7Headers=false&stringPayload=true"
                        + "&charsetName={{charset}}&receiveTimeout=15000&readTimeout=5000&idleTimeout=300000"
                        + "&reuseAddress=true" + (tls ? "&sslContextParameters=#{{tls}}" : ""))
                .autoStartup("{{autoStartup}}")
                // who is at the other end, as the socket and the TLS session know it: for the audit and for
                // binding the client certificate to the partner
                .setProperty(REMOTE_ADDRESS, header("CamelMllpRemoteAddress"))
                .setProperty(CLIENT_SUBJECT, header("CamelMllpSslClientCertSubjectName"))
                .setHeader(PartnerHeaders.PARTNER, constant("{{partnerId}}"))
                .setHeader(PartnerHeaders.CHANNEL, constant("{{channel}}"))
                .setProperty("cbhCharset", constant("{{charset}}"))
                .process(e -> e.setProperty("cbhText", e.getIn().getBody(String.class)))
                .doTry()
                .process(e -> Hl7v2Reader.checkSize(raw(e), payloadReader.maxBytes()))
                .process(e -> Hl7v2Reader.checkCharset(
                        raw(e), java.nio.charset.Charset.forName(e.getProperty("cbhCharset", String.class))))
                .process(e -> ack(e, acceptance(handleAndReturn(e), raw(e))))
                .doCatch(Hl7v2RejectedException.class)
                .process(e -> ack(e, ackWriter.refuse(raw(e), caught(e, Hl7v2RejectedException.class))))
                .process(this::parkReason)
                .to("direct:cbh-park")
                .doCatch(InvalidMessageException.class, NoTranslatorException.class)
                .process(e -> ack(e, ackWriter.refuse(raw(e), asHl7Refusal(caught(e, RuntimeException.class)))))
                .process(this::parkReason)
                .to("direct:cbh-park")
                .doCatch(Exception.class)
                .process(e -> ack(
                        e,
                        ackWriter.refuse(
                                raw(e),
                                new Hl7v2RejectedException(
                                        Hl7v2RejectedException.AckCode.AE,
                                        List.of(new Hl7Error(
                                                "MSH",
                                                1,
                                                0,
                                                Hl7Error.APPLICATION_INTERNAL_ERROR,
                                                "the hub could not take the message now; send it again"))))))
                .end();
    }

    /**
     * A file dropped in the partner's inbox folder: moved to {@code .done/} once processed; a file refused as a
     * whole is kept raw on the parked queue and moved to {@code .error/} with a {@code .problems.txt} beside it.
     */
    private void inboundFile() {
        routeTemplate(INBOUND_FILE)
                .templateParameter("partnerId")
                .templateParameter("autoStartup", "true")
                .templateParameter("channel")
                .templateParameter("directory")
                .templateParameter("include", ".*\\.(csv|CSV|json|xml|hl7|txt)")
                .from("file:{{directory}}?include={{include}}&readLock=changed&readLockCheckInterval=500"
                        + "&move=.done/${date:now:yyyyMMdd}/${file:name}&moveFailed=.error/${file:name}")
                .autoStartup("{{autoStartup}}")
                .onException(InvalidMessageException.class, NoTranslatorException.class)
                .handled(false)
                .logExhausted(false)
                .process(this::parkReason)
                .process(e -> e.getIn().setBody(e.getProperty("cbhBytes", byte[].class)))
                .to(park)
                .setBody(header(PartnerHeaders.PARK_REASON))
                .to("file:{{directory}}/.error?fileName=${file:name}.problems.txt")
                .end()
                .setHeader(PartnerHeaders.PARTNER, constant("{{partnerId}}"))
                .setHeader(PartnerHeaders.CHANNEL, constant("{{channel}}"))
                .process(e -> e.setProperty("cbhBytes", e.getIn().getBody(byte[].class)))
                .process(this::handle)
                // parts refused while the rest was kept: listed beside the file in .done/
                .filter(header(PartnerHeaders.REFUSED_PARTS).isNotNull())
                .setBody(header(PartnerHeaders.REFUSED_PARTS))
                .to("file:{{directory}}/.done?fileName=${date:now:yyyyMMdd}/${file:name}.problems.txt");
    }

    /** A REST channel: the hub's HTTP controller sends the request body here and answers with the outcome. */
    private void inboundRest() {
        routeTemplate(INBOUND_REST)
                .templateParameter("partnerId")
                .templateParameter("autoStartup", "true")
                .templateParameter("channel")
                .from("direct:partner-{{partnerId}}-{{channel}}")
                .autoStartup("{{autoStartup}}")
                .onException(InvalidMessageException.class, NoTranslatorException.class)
                .handled(false)
                .logExhausted(false)
                .process(this::parkReason)
                .process(e -> e.getIn().setBody(e.getProperty("cbhBytes", byte[].class)))
                .to(park)
                .end()
                .setHeader(PartnerHeaders.PARTNER, constant("{{partnerId}}"))
                .setHeader(PartnerHeaders.CHANNEL, constant("{{channel}}"))
                .setProperty(SCOPE_PROPERTY, header(PartnerHeaders.DIRECTORY_SCOPE))
                .process(e -> e.setProperty("cbhBytes", e.getIn().getBody(byte[].class)))
                .process(e -> e.getIn().setBody(handleAndReturn(e)));
    }

    private void outboundJms() {
        delivery(routeTemplate(OUTBOUND_JMS).templateParameter("queue"))
                .to("jms:queue:{{queue}}?exchangePattern=InOnly")
                .process(this::delivered);
    }

    /** FHIR pushed to the partner's server: a Bundle to the base URL, any other resource to its type. */
    private void outboundFhirRest() {
        delivery(routeTemplate(OUTBOUND_FHIR_REST).templateParameter("baseUrl"))
                .process(e -> e.setProperty("cbhPath", fhirPath(e.getIn().getBody(String.class))))
                .removeHeaders("*")
                .setHeader(PartnerHeaders.PARTNER, constant("{{partnerId}}"))
                .setHeader(Exchange.HTTP_METHOD, constant("POST"))
                .setHeader(Exchange.CONTENT_TYPE, constant("application/fhir+json; charset=UTF-8"))
                .setHeader(Exchange.HTTP_PATH, exchangeProperty("cbhPath"))
                .to("{{baseUrl}}")
                .process(this::delivered);
    }

    /** HL7 v2 to the partner's MLLP listener; an AE/AR/CR answer parks the message (the receiver refused it). */
    private void outboundMllp(String templateId, boolean tls) {
        delivery(routeTemplate(templateId)
                        .templateParameter("host")
                        .templateParameter("port")
                        .templateParameter("connectTimeout", "5000")
                        .templateParameter("receiveTimeout", "10000")
                        .templateParameter("tls", "none"))
                .convertBodyTo(String.class)
                .to("mllp://{{host}}:{{port}}?connectTimeout={{connectTimeout}}&receiveTimeout={{receiveTimeout}}"
                        + (tls ? "&sslContextParameters=#{{tls}}" : ""))
                .process(this::delivered);
    }

    /** A SOAP envelope posted to the partner's service; a soap:Client Fault parks it, a soap:Server Fault retries. */
    private void outboundSoap() {
        delivery(routeTemplate(OUTBOUND_SOAP).templateParameter("address"))
                .process(e -> e.setProperty("cbhSoapAction", e.getIn().getHeader("SOAPAction", "", String.class)))
                .removeHeaders("*")
                .setHeader(PartnerHeaders.PARTNER, constant("{{partnerId}}"))
                .setHeader(Exchange.HTTP_METHOD, constant("POST"))
                .setHeader(Exchange.CONTENT_TYPE, constant("text/xml; charset=UTF-8"))
                .setHeader("SOAPAction", exchangeProperty("cbhSoapAction"))
                .to("{{address}}")
                .process(this::delivered);
    }

    /**
     * What every delivery route shares: it consumes {@code hub.outbound.<partner>} in a JMS transaction, one
     * consumer, so the queue drains in order. A refusal by the receiver ({@link ReceiverRefusal}) is parked and
     * committed; any other failure rolls the message back and counts towards the route's {@link DeliveryBreaker},
     * which suspends the consumer while the partner is down.
     */
    private RouteDefinition delivery(RouteTemplateDefinition template) {
        RouteDefinition route = template.templateParameter("partnerId")
                .templateParameter("autoStartup", "true")
                .templateParameter(BREAKER_FAILURE_THRESHOLD, "3")
                .templateParameter(BREAKER_FAILURE_WINDOW, "60000")
                .templateParameter(BREAKER_HALF_OPEN_AFTER, "2000")
                .templateParameter(BREAKER_MAX_HALF_OPEN_AFTER, "30000")
                .templateBean(
                        BREAKER_BEAN,
                        RoutePolicy.class,
                        rtc -> new DeliveryBreaker(
                                rtc.getProperty(BREAKER_FAILURE_THRESHOLD, Integer.class),
                                rtc.getProperty(BREAKER_FAILURE_WINDOW, Long.class),
                                rtc.getProperty(BREAKER_HALF_OPEN_AFTER, Long.class),
                                rtc.getProperty(BREAKER_MAX_HALF_OPEN_AFTER, Long.class)))
                .from("jms:queue:hub.outbound.{{partnerId}}?transacted=true&cacheLevelName=CACHE_CONSUMER"
                        + "&disableReplyTo=true&concurrentConsumers=1&maxConcurrentConsumers=1");
        route.routePolicyRef("#{{" + BREAKER_BEAN + "}}").autoStartup("{{autoStartup}}");
        route.onException(MllpNegativeAcknowledgementException.class, HttpOperationFailedException.class)
                .onWhen(e -> ReceiverRefusal.of(failure(e)) != null)
                .handled(true)
                .process(this::parkRefusal)
                .to(park)
                .end();
        route.onException(Exception.class)
                .process(e -> events.deliveryFailed(e.getProperty(DELIVERY_PARTNER, String.class)))
                .end();
        route.setProperty(DELIVERY_PARTNER, constant("{{partnerId}}"))
                .process(PartnerRouteTemplates::keepDelivery)
                .setHeader(PartnerHeaders.PARTNER, constant("{{partnerId}}"));
        return route;
    }

    /** The message as taken from the delivery queue, kept for parking whatever the transport does to it. */
    private static void keepDelivery(Exchange exchange) {
        org.apache.camel.Message in = exchange.getIn();
        exchange.setProperty(DELIVERY_BODY, in.getBody(String.class));
        Map<String, String> kept = new LinkedHashMap<>();
        for (String header : List.of(MESSAGE_TYPE_HEADER, REFERRAL_HEADER, DUPLICATE_ID_HEADER, "JMSMessageID")) {
            String value = in.getHeader(header, String.class);
            if (value != null) {
                kept.put(header, value);
            }
        }
        exchange.setProperty(DELIVERY_HEADERS, kept);
    }

    /**
     * The refused message, raw, with the receiver's answer, for the parked queue: {@code failed_by=receiver},
     * direction outbound, the hub referral number (else the outbox key) as business key.
     */
    private void parkRefusal(Exchange exchange) {
        ReceiverRefusal refusal = ReceiverRefusal.of(failure(exchange));
        String partner = exchange.getProperty(DELIVERY_PARTNER, String.class);
        @SuppressWarnings("unchecked")
        Map<String, String> kept = exchange.getProperty(DELIVERY_HEADERS, Map.class);
        org.apache.camel.Message in = exchange.getIn();
        in.removeHeaders("*");
        in.setHeader(PartnerHeaders.PARK_ID, java.util.UUID.randomUUID().toString());
        in.setHeader(PartnerHeaders.PARTNER, partner);
        in.setHeader(PartnerHeaders.CHANNEL, "outbound");
        in.setHeader(PartnerHeaders.DIRECTION, "outbound");
        in.setHeader(PartnerHeaders.FAILED_BY, "receiver");
        in.setHeader(PartnerHeaders.PARK_REASON, refusal.reason());
        if (refusal.operationOutcome() != null) {
            in.setHeader(PartnerHeaders.OPERATION_OUTCOME, refusal.operationOutcome());
        }
        String businessKey =
                kept.getOrDefault(REFERRAL_HEADER, kept.getOrDefault(DUPLICATE_ID_HEADER, kept.get("JMSMessageID")));
        if (businessKey != null) {
            in.setHeader(PartnerHeaders.BUSINESS_KEY, businessKey);
        }
        copy(kept, MESSAGE_TYPE_HEADER, in, MESSAGE_TYPE_HEADER);
        copy(kept, REFERRAL_HEADER, in, REFERRAL_HEADER);
        // not as _AMQ_DUPL_ID: the broker would take it as the parked message's own duplicate id
        copy(kept, DUPLICATE_ID_HEADER, in, OUTBOX_KEY_HEADER);
        in.setBody(exchange.getProperty(DELIVERY_BODY, String.class));
        events.parked(partner);
    }

    /** The failure being handled: still on the exchange while onException decides, then in EXCEPTION_CAUGHT. */
    private static Exception failure(Exchange exchange) {
        Exception failure = exchange.getException();
        return failure != null ? failure : caught(exchange, Exception.class);
    }

    private static void copy(Map<String, String> from, String name, org.apache.camel.Message to, String as) {
        String value = from.get(name);
        if (value != null) {
            to.setHeader(as, value);
        }
    }

    private void handle(Exchange exchange) {
        handleAndReturn(exchange);
    }

    private InboundOutcome handleAndReturn(Exchange exchange) {
        Map<String, String> attributes = new HashMap<>();
        String fileName = exchange.getIn().getHeader(Exchange.FILE_NAME_ONLY, String.class);
        if (fileName != null) {
            attributes.put("fileName", fileName);
        }
        String contentType = exchange.getIn().getHeader(Exchange.CONTENT_TYPE, String.class);
        if (contentType != null) {
            attributes.put("contentType", contentType);
        }
        String declared = exchange.getProperty(DECLARED_CONTENT_TYPE, String.class);
        if (declared != null) {
            attributes.put(InboundMessage.DECLARED_CONTENT_TYPE, declared);
        }
        String scope = exchange.getProperty(SCOPE_PROPERTY, String.class);
        if (scope != null) {
            attributes.put(DirectoryScope.ATTRIBUTE, scope);
        }
        String remote = exchange.getProperty(REMOTE_ADDRESS, String.class);
        if (remote != null) {
            attributes.put("remoteAddress", remote);
        }
        String subject = exchange.getProperty(CLIENT_SUBJECT, String.class);
        if (subject != null) {
            attributes.put("clientSubject", subject);
        }
        byte[] body = exchange.getIn().getBody(byte[].class);
        InboundOutcome outcome = handler.handle(new InboundMessage(
                exchange.getIn().getHeader(PartnerHeaders.PARTNER, String.class),
                exchange.getIn().getHeader(PartnerHeaders.CHANNEL, String.class),
                body == null ? new byte[0] : body,
                attributes));
        exchange.getIn().setHeader(PartnerHeaders.STORED_IDS, String.join(",", outcome.storedIds()));
        if (!outcome.rejected().isEmpty()) {
            StringBuilder refused = new StringBuilder(outcome.summary()).append('\n');
            outcome.rejected().forEach(p -> refused.append(p).append('\n'));
            exchange.getIn().setHeader(PartnerHeaders.REFUSED_PARTS, refused.toString());
        }
        return outcome;
    }

    private void parkReason(Exchange exchange) {
        Object raw = exchange.getProperty("cbhText");
        InboundParking.mark(exchange, raw != null ? raw : exchange.getProperty("cbhBytes"));
        events.parked(exchange.getIn().getHeader(PartnerHeaders.PARTNER, String.class));
    }

    private void delivered(Exchange exchange) {
        events.delivered(exchange.getIn().getHeader(PartnerHeaders.PARTNER, String.class));
    }

    /** The handler's answer when it kept one (the original ACK of a copy), else a new AA. */
    private String acceptance(InboundOutcome outcome, String raw) {
        return outcome.answer() != null ? outcome.answer() : ackWriter.accept(raw);
    }

    private static String raw(Exchange exchange) {
        String text = exchange.getProperty("cbhText", String.class);
        return text == null ? "" : text;
    }

    private static void ack(Exchange exchange, String ack) {
        exchange.setProperty("CamelMllpAcknowledgementString", ack);
    }

    private static <T extends Exception> T caught(Exchange exchange, Class<T> type) {
        return exchange.getProperty(Exchange.EXCEPTION_CAUGHT, type);
    }

    /** A refusal that did not come from the HL7 checks (profile validation, no translator) as AE with ERRs. */
    private static Hl7v2RejectedException asHl7Refusal(RuntimeException cause) {
        if (cause instanceof InvalidMessageException invalid
                && !invalid.problems().isEmpty()) {
            return new Hl7v2RejectedException(
                    Hl7v2RejectedException.AckCode.AE,
                    invalid.problems().stream()
                            .map(p -> new Hl7Error(
                                    "MSH", 1, 0, Hl7Error.APPLICATION_INTERNAL_ERROR, p.location() + ": " + p.reason()))
                            .toList());
        }
        return new Hl7v2RejectedException(
                Hl7v2RejectedException.AckCode.AE,
                List.of(new Hl7Error("MSH", 1, 0, Hl7Error.APPLICATION_INTERNAL_ERROR, cause.getMessage())));
    }

    /** {@code ""} for a Bundle (posted to the base), else the resource type, read from the JSON's first key. */
    static String fhirPath(String json) {
        if (json == null) {
            return "";
        }
        java.util.regex.Matcher type = java.util.regex.Pattern.compile("\"resourceType\"\\s*:\\s*\"([A-Za-z]+)\"")
                .matcher(json);
        if (!type.find() || "Bundle".equals(type.group(1))) {
            return "";
        }
        return type.group(1);
    }
}
