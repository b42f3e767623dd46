package org.cbhealth.routes.partner;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.cbhealth.routes.fhir.InputProblem;
import org.cbhealth.routes.fhir.InvalidMessageException;
import org.cbhealth.routes.soap.SoapXml;
import org.junit.jupiter.api.Test;

/**
 * The SOAP channel template with its transports replaced (AdviceWith): CXF by a direct endpoint fed the raw request
 * stream, the parked queue by a mock. What the hub answers and keeps, for each outcome of the handler.
 */
class SoapRouteTemplatesTest extends CamelTestSupport {

    private static final String ROUTE = "partner-ua-lviv-referrals-referral";
    private static final String NS = "https://fhir.cbhealth.eu/soap/referral/v1";

    private final List<InboundMessage> handled = new ArrayList<>();
    private final List<String> parkedPartners = new ArrayList<>();
    private Function<InboundMessage, InboundOutcome> outcome;

    @Override
    public boolean isUseAdviceWith() {
        return true;
    }

    @Override
    protected RoutesBuilder createRouteBuilder() {
        InboundHandler handler = message -> {
            handled.add(message);
            return outcome.apply(message);
        };
        PartnerEvents events = new PartnerEvents() {
            @Override
            public void parked(String partnerId) {
                parkedPartners.add(partnerId);
            }

            @Override
            public void delivered(String partnerId) {}

            @Override
            public void deliveryFailed(String partnerId) {}
        };
        return new SoapRouteTemplates(handler, events, "hub.parked", 4096);
    }

    private void start() throws Exception {
        TemplatedRouteBuilder.builder(context, SoapRouteTemplates.INBOUND_SOAP)
                .routeId(ROUTE)
                .parameter("partnerId", "ua-lviv")
                .parameter("channel", "referrals")
                .add();
        AdviceWith.adviceWith(context, ROUTE, route -> {
            route.replaceFromWith("direct:soap");
            route.interceptSendToEndpoint("jms:*").skipSendToOriginalEndpoint().to("mock:parked");
        });
        context.start();
    }

    @Test
    void shouldAnswerAStoredReferralWithItsReceiptAndHandOverTheOperationElement() throws Exception {
        outcome =
                m -> new InboundOutcome(List.of("Patient/31/_history/1", "Task/4711/_history/1"), List.of(), List.of());
        start();

        Exchange answer = post(SoapXml.sample("soap/submit-referral-ua-to-pl.xml"), "text/xml; charset=UTF-8");

        assertThat(answer.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(200);
        assertThat(answer.getMessage().getHeaders())
                .containsOnlyKeys(Exchange.HTTP_RESPONSE_CODE, Exchange.CONTENT_TYPE);
        assertThat(answer.getMessage().getHeader(Exchange.CONTENT_TYPE)).isEqualTo("text/xml; charset=UTF-8");
        SoapXml xml = SoapXml.of(answer.getMessage().getBody(String.class));
        assertThat(xml.text("/s11:Envelope/s11:Body/cbh:SubmitReferralResponse/cbh:disposition"))
                .isEqualTo("stored");
        assertThat(xml.text("/s11:Envelope/s11:Body/cbh:SubmitReferralResponse/cbh:referralNumber"))
                .isEqualTo("4711");
        assertThat(handled).hasSize(1);
        InboundMessage message = handled.get(0);
        assertThat(message.partnerId()).isEqualTo("ua-lviv");
        assertThat(message.channel()).isEqualTo("referrals");
        assertThat(message.attributes())
                .isEqualTo(Map.of("contentType", "application/xml; charset=UTF-8", "soapOperation", "SubmitReferral"));
        assertThat(SoapXml.of(new String(message.body(), StandardCharsets.UTF_8))
                        .text("/cbh:SubmitReferral/cbh:applicationNumber"))
                .isEqualTo("LOKL-2026-004417");
        mock().expectedMessageCount(0);
        mock().assertIsSatisfied();
    }

    @Test
    void shouldParkARefusedRequestRawAndAnswerAClientFault() throws Exception {
        outcome = m -> {
            throw new InvalidMessageException(
                    "Application refused",
                    List.of(new InputProblem("/SubmitReferral/patient/sex", "'f' is not one of female, male")));
        };
        start();
        byte[] request = SoapXml.sample("soap/submit-referral-ua-to-pl.xml");
        mock().expectedBodiesReceived((Object) request);
        mock().expectedHeaderReceived(PartnerHeaders.FAILED_BY, "sender");
        mock().expectedHeaderReceived(PartnerHeaders.PARTNER, "ua-lviv");
        mock().expectedHeaderReceived(PartnerHeaders.CHANNEL, "referrals");
        mock().expectedHeaderReceived(
                        PartnerHeaders.PARK_REASON,
                        "Application refused: /SubmitReferral/patient/sex: 'f' is not one of female, male");

        Exchange answer = post(request, "text/xml");

        mock().assertIsSatisfied();
        assertThat(answer.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(500);
        SoapXml xml = SoapXml.of(answer.getMessage().getBody(String.class));
        assertThat(xml.text("//faultcode")).isEqualTo("soap:Client");
        assertThat(xml.text("//cbh:problem/cbh:location")).isEqualTo("/SubmitReferral/patient/sex");
        assertThat(parkedPartners).containsExactly("ua-lviv");
    }

    @Test
    void shouldParkWhatTheHubCannotTranslateYetAndAnswerKept() throws Exception {
        outcome = m -> {
            throw new NoTranslatorException("no translator from xml for the referral flow");
        };
        start();
        mock().expectedMessageCount(1);
        mock().expectedHeaderReceived(PartnerHeaders.FAILED_BY, "hub");

        Exchange answer = post(SoapXml.sample("soap/submit-referral-ua-to-pl.xml"), "text/xml");

        mock().assertIsSatisfied();
        assertThat(answer.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(200);
        SoapXml xml = SoapXml.of(answer.getMessage().getBody(String.class));
        assertThat(xml.text("//cbh:SubmitReferralResponse/cbh:disposition")).isEqualTo("kept");
        assertThat(xml.text("//cbh:SubmitReferralResponse/cbh:notice/cbh:reason"))
                .isEqualTo("no translator from xml for the referral flow");
    }

    @Test
    void shouldAnswerAServerFaultAndKeepNothingWhenTheHubFails() throws Exception {
        outcome = m -> {
            throw new IllegalStateException("database down");
        };
        start();
        mock().expectedMessageCount(0);

        Exchange answer = post(SoapXml.sample("soap/update-referral-status-completed.xml"), "application/soap+xml");

        mock().assertIsSatisfied();
        assertThat(answer.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(500);
        assertThat(answer.getMessage().getHeader(Exchange.CONTENT_TYPE))
                .isEqualTo("application/soap+xml; charset=UTF-8");
        SoapXml xml = SoapXml.of(answer.getMessage().getBody(String.class));
        assertThat(xml.text("/s12:Envelope/s12:Body/s12:Fault/s12:Code/s12:Value"))
                .isEqualTo("soap:Receiver");
        assertThat(xml.text("//s12:Reason/s12:Text"))
                .isEqualTo("the hub could not process the message now; send it again later");
        assertThat(answer.getMessage().getBody(String.class)).doesNotContain("database down");
    }

    @Test
    void shouldAnswerAServerFaultWhenAKeptMessageCannotBeParked() throws Exception {
        outcome = m -> {
            throw new NoTranslatorException("no translator");
        };
        start();
        mock().whenAnyExchangeReceived(e -> {
            throw new IllegalStateException("broker down");
        });

        Exchange answer = post(SoapXml.sample("soap/submit-referral-ua-to-pl.xml"), "text/xml");

        assertThat(answer.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(500);
        assertThat(SoapXml.of(answer.getMessage().getBody(String.class)).text("//faultcode"))
                .isEqualTo("soap:Server");
        assertThat(parkedPartners).isEmpty();
    }

    @Test
    void shouldRefuseADoctypeWithoutCallingTheHandler() throws Exception {
        outcome = m -> {
            throw new AssertionError("not to be called");
        };
        start();
        mock().expectedMessageCount(1);
        String request = "<!DOCTYPE s [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><s:Envelope"
                + " xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body><c:SubmitReferral xmlns:c=\"" + NS
                + "\">&x;</c:SubmitReferral></s:Body></s:Envelope>";

        Exchange answer = post(request.getBytes(StandardCharsets.UTF_8), "text/xml");

        mock().assertIsSatisfied();
        assertThat(handled).isEmpty();
        assertThat(answer.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(500);
        assertThat(SoapXml.of(answer.getMessage().getBody(String.class)).text("//cbh:problem/cbh:reason"))
                .isEqualTo("a document type declaration (DOCTYPE) is not accepted: entities are never declared,"
                        + " expanded or fetched");
    }

    @Test
    void shouldRefuseOversizeAndEmptyBodiesKeepingOnlyTheirReason() throws Exception {
        outcome = m -> {
            throw new AssertionError("not to be called");
        };
        start();
        mock().expectedBodiesReceived(new byte[0], new byte[0]);

        Exchange oversize = post(new byte[4097], "text/xml");
        Exchange empty = post(new byte[0], "text/xml");

        mock().assertIsSatisfied();
        assertThat(SoapXml.of(oversize.getMessage().getBody(String.class)).text("//cbh:problem/cbh:reason"))
                .isEqualTo("larger than the limit of 4096 bytes; send documents by url or split the message");
        assertThat(SoapXml.of(empty.getMessage().getBody(String.class)).text("//cbh:problem/cbh:reason"))
                .isEqualTo("empty request: POST a SOAP envelope (the service's WSDL is at ?wsdl)");
        assertThat(empty.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(500);
    }

    private Exchange post(byte[] body, String contentType) {
        return template.request("direct:soap", e -> {
            e.getIn().setBody(new ByteArrayInputStream(body));
            e.getIn().setHeader(Exchange.CONTENT_TYPE, contentType);
            e.getIn().setHeader("User-Agent", "partner-his/1.0");
        });
    }

    private MockEndpoint mock() {
        return getMockEndpoint("mock:parked");
    }
}
