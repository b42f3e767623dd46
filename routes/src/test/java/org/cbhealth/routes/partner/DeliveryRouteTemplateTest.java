package org.cbhealth.routes.partner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.component.mllp.MllpApplicationErrorAcknowledgementException;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.cbhealth.routes.hl7.Hl7AckWriter;
import org.cbhealth.routes.inbound.JmsPayloadReader;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The MLLP delivery template with its transport replaced: a refusal is parked with the receiver's answer and not
 * retried; an outage fails the exchange (the JMS transaction rolls back) and opens the route's breaker, which
 * suspends the consumer, probes after a growing pause, and closes on the first delivery that succeeds.
 */
class DeliveryRouteTemplateTest extends CamelTestSupport {

    private static final String ROUTE = "partner-mk-kb-stip-outbound-delivery";
    private static final String FHIR_ROUTE = "partner-si-ukc-maribor-outbound-delivery";
    private static final String REFERRAL = "MSH|^~\\&|CBHEALTH_HUB|CBHEALTH|B|B|20261125120000||REF^I12|42|P|2.5.1\r";

    private final List<String> events = new CopyOnWriteArrayList<>();
    /** What the stand-in for the partner's MLLP listener does with the next delivery; null: accepts it. */
    private final AtomicReference<Exception> receiver = new AtomicReference<>();

    @Override
    public boolean isUseAdviceWith() {
        return true;
    }

    @Override
    protected RoutesBuilder createRouteBuilder() {
        PartnerEvents recorder = new PartnerEvents() {
            @Override
            public void parked(String partnerId) {
                events.add("parked " + partnerId);
            }

            @Override
            public void delivered(String partnerId) {
                events.add("delivered " + partnerId);
            }

            @Override
            public void deliveryFailed(String partnerId) {
                events.add("failed " + partnerId);
            }
        };
        return new PartnerRouteTemplates(
                message -> {
                    throw new UnsupportedOperationException("no inbound message in this test");
                },
                recorder,
                new Hl7AckWriter("CBHEALTH", "HUB"),
                new JmsPayloadReader(4096),
                "hub.parked");
    }

    @BeforeEach
    void deliveryRoute() throws Exception {
        TemplatedRouteBuilder.builder(context, PartnerRouteTemplates.OUTBOUND_MLLP)
                .routeId(ROUTE)
                .parameter("partnerId", "mk-kb-stip")
                .parameter("host", "127.0.0.1")
                .parameter("port", "2676")
                .parameter(PartnerRouteTemplates.BREAKER_FAILURE_THRESHOLD, "2")
                .parameter(PartnerRouteTemplates.BREAKER_FAILURE_WINDOW, "60000")
                .parameter(PartnerRouteTemplates.BREAKER_HALF_OPEN_AFTER, "200")
                .parameter(PartnerRouteTemplates.BREAKER_MAX_HALF_OPEN_AFTER, "400")
                .add();
        AdviceWith.adviceWith(context, ROUTE, route -> {
            route.replaceFromWith("direct:delivery");
            route.weaveByToUri("mllp:*").replace().process(this::receive);
            route.mockEndpointsAndSkip("jms:queue:hub.parked*");
        });
        TemplatedRouteBuilder.builder(context, PartnerRouteTemplates.OUTBOUND_FHIR_REST)
                .routeId(FHIR_ROUTE)
                .parameter("partnerId", "si-ukc-maribor")
                .parameter("baseUrl", "http://127.0.0.1:1/fhir")
                .add();
        AdviceWith.adviceWith(context, FHIR_ROUTE, route -> {
            route.replaceFromWith("direct:fhir-delivery");
            route.weaveByToString(".*\\{\\{baseUrl}}.*").replace().process(this::receive);
            route.mockEndpointsAndSkip("jms:queue:hub.parked*");
        });
        context.start();
    }

    @Test
    void shouldParkAFhirServersUnprocessableEntityWithItsOperationOutcomeAndTheOutboxKeyAsBusinessKey()
            throws Exception {
        String outcome = "{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"error\","
                + "\"code\":\"invalid\",\"diagnostics\":\"Task.owner: unknown organization\"}]}";
        receiver.set(new HttpOperationFailedException(
                "http://127.0.0.1:1/fhir", 422, "Unprocessable Entity", null, Map.of(), outcome));
        MockEndpoint parked = getMockEndpoint("mock:jms:queue:hub.parked");
        parked.expectedMessageCount(1);
        parked.expectedBodiesReceived("{\"resourceType\":\"Bundle\"}");

        template.sendBodyAndHeaders(
                "direct:fhir-delivery", "{\"resourceType\":\"Bundle\"}", Map.of("_AMQ_DUPL_ID", "outbox-78"));

        parked.assertIsSatisfied();
        Map<String, Object> headers = parked.getExchanges().get(0).getIn().getHeaders();
        assertThat(headers)
                .containsEntry(PartnerHeaders.PARTNER, "si-ukc-maribor")
                .containsEntry(PartnerHeaders.FAILED_BY, "receiver")
                .containsEntry(PartnerHeaders.BUSINESS_KEY, "outbox-78")
                .containsEntry(PartnerHeaders.OPERATION_OUTCOME, outcome)
                .containsEntry(
                        PartnerHeaders.PARK_REASON, "the receiver answered HTTP 422 Unprocessable Entity: " + outcome)
                .doesNotContainKey(Exchange.HTTP_METHOD);
        assertThat(events).containsExactly("parked si-ukc-maribor");
    }

    @Test
    void shouldRetryAFhirServersServiceUnavailable() {
        receiver.set(new HttpOperationFailedException(
                "http://127.0.0.1:1/fhir", 503, "Service Unavailable", null, Map.of(), ""));

        assertThatThrownBy(() -> template.sendBody("direct:fhir-delivery", "{\"resourceType\":\"Bundle\"}"))
                .hasRootCauseInstanceOf(HttpOperationFailedException.class);

        assertThat(events).containsExactly("failed si-ukc-maribor");
    }

    @Test
    void shouldParkAnApplicationErrorOnceWithTheReceiversAnswerAndTheReferralAsBusinessKey() throws Exception {
        byte[] ack =
                "MSH|^~\\&|B|B|H|H|20261125120000||ACK|A42|P|2.5.1\rMSA|AE|42\rERR||RF1^1^6|101^Required^HL70357|E||||no such department\r"
                        .getBytes(StandardCharsets.UTF_8);
        receiver.set(new MllpApplicationErrorAcknowledgementException(
                REFERRAL.getBytes(StandardCharsets.UTF_8), ack, false));
        MockEndpoint parked = getMockEndpoint("mock:jms:queue:hub.parked");
        parked.expectedMessageCount(1);
        parked.expectedBodiesReceived(REFERRAL);

        template.sendBodyAndHeaders(
                "direct:delivery",
                REFERRAL,
                Map.of("CBHealthReferral", "1234", "CBHealthMessageType", "referral", "_AMQ_DUPL_ID", "outbox-77"));

        parked.assertIsSatisfied();
        Map<String, Object> headers = parked.getExchanges().get(0).getIn().getHeaders();
        assertThat(headers)
                .containsEntry(PartnerHeaders.PARTNER, "mk-kb-stip")
                .containsEntry(PartnerHeaders.DIRECTION, "outbound")
                .containsEntry(PartnerHeaders.FAILED_BY, "receiver")
                .containsEntry(PartnerHeaders.BUSINESS_KEY, "1234")
                .containsEntry(PartnerHeaders.PARK_REASON, "the receiver answered ACK AE; ERR: no such department")
                .containsEntry("CBHealthReferral", "1234")
                .containsEntry("CBHealthMessageType", "referral")
                .containsEntry(PartnerRouteTemplates.OUTBOX_KEY_HEADER, "outbox-77")
                .doesNotContainKey("_AMQ_DUPL_ID");
        assertThat((String) headers.get(PartnerHeaders.PARK_ID)).hasSize(36);
        assertThat(events).containsExactly("parked mk-kb-stip");
        assertThat(breaker().state()).isEqualTo(DeliveryBreaker.CLOSED);
    }

    @Test
    void shouldFailAnOutageSoTheTransactionRollsBackAndOpenTheBreakerAfterTheThreshold() throws Exception {
        receiver.set(new ConnectException("Connection refused"));
        MockEndpoint parked = getMockEndpoint("mock:jms:queue:hub.parked");
        parked.expectedMessageCount(0);

        for (int attempt = 0; attempt < 2; attempt++) {
            assertThatThrownBy(() -> template.sendBody("direct:delivery", REFERRAL))
                    .isInstanceOf(CamelExecutionException.class)
                    .hasRootCauseInstanceOf(ConnectException.class);
        }

        assertThat(breaker().state()).isEqualTo(DeliveryBreaker.OPEN);
        assertThat(((org.apache.camel.support.service.ServiceSupport)
                                context.getRoute(ROUTE).getConsumer())
                        .isSuspended())
                .isTrue();
        assertThat(events).containsExactly("failed mk-kb-stip", "failed mk-kb-stip");
        parked.assertIsSatisfied();

        // the pause ends: the consumer is resumed for one probe, which fails; the next pause is twice as long
        await().atMost(Duration.ofSeconds(5))
                .until(() -> DeliveryBreaker.HALF_OPEN.equals(breaker().state()));
        assertThat(((org.apache.camel.support.service.ServiceSupport)
                                context.getRoute(ROUTE).getConsumer())
                        .isSuspended())
                .isFalse();
        assertThatThrownBy(() -> template.sendBody("direct:delivery", REFERRAL))
                .hasRootCauseInstanceOf(ConnectException.class);
        assertThat(breaker().state()).isEqualTo(DeliveryBreaker.OPEN);
        assertThat(breaker().getHalfOpenAfter()).isEqualTo(400);

        // the receiver is back: the next probe delivers and closes the breaker, the pause is back to the first
        receiver.set(null);
        await().atMost(Duration.ofSeconds(5))
                .until(() -> DeliveryBreaker.HALF_OPEN.equals(breaker().state()));
        template.sendBody("direct:delivery", REFERRAL);
        assertThat(breaker().state()).isEqualTo(DeliveryBreaker.CLOSED);
        assertThat(breaker().getHalfOpenAfter()).isEqualTo(200);
        assertThat(((org.apache.camel.support.service.ServiceSupport)
                                context.getRoute(ROUTE).getConsumer())
                        .isSuspended())
                .isFalse();
        assertThat(events).endsWith("failed mk-kb-stip", "delivered mk-kb-stip");
    }

    @Test
    void shouldNotResumeAStoppedRouteAndStartItAgainWithTheBreakerClosed() throws Exception {
        receiver.set(new ConnectException("Connection refused"));
        for (int attempt = 0; attempt < 2; attempt++) {
            assertThatThrownBy(() -> template.sendBody("direct:delivery", REFERRAL))
                    .hasRootCauseInstanceOf(ConnectException.class);
        }
        assertThat(breaker().state()).isEqualTo(DeliveryBreaker.OPEN);

        context.getRouteController().stopRoute(ROUTE);
        // the pause (200 ms) ends several times over: the stopped route's consumer stays stopped
        await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(3)).untilAsserted(() -> {
            assertThat(breaker().state()).isEqualTo(DeliveryBreaker.OPEN);
            assertThat(((ServiceSupport) context.getRoute(ROUTE).getConsumer()).isStopped())
                    .isTrue();
        });

        context.getRouteController().startRoute(ROUTE);
        assertThat(breaker().state()).isEqualTo(DeliveryBreaker.CLOSED);
        receiver.set(null);
        template.sendBody("direct:delivery", REFERRAL);
        assertThat(events).endsWith("delivered mk-kb-stip");
    }

    private void receive(Exchange exchange) throws Exception {
        Exception answer = receiver.get();
        if (answer != null) {
            throw answer;
        }
    }

    private DeliveryBreaker breaker() {
        return context.getRoute(ROUTE).getRoutePolicyList().stream()
                .filter(DeliveryBreaker.class::isInstance)
                .map(DeliveryBreaker.class::cast)
                .findFirst()
                .orElseThrow();
    }
}
