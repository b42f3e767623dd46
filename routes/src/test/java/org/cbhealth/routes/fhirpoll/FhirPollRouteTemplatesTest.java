package org.cbhealth.routes.fhirpoll;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.cbhealth.routes.fhir.InputProblem;
import org.cbhealth.routes.fhir.InvalidMessageException;
import org.cbhealth.routes.fhirpoll.HistoryPagesServer.Answer;
import org.cbhealth.routes.partner.InboundHandler;
import org.cbhealth.routes.partner.InboundMessage;
import org.cbhealth.routes.partner.InboundOutcome;
import org.cbhealth.routes.partner.PartnerEvents;
import org.cbhealth.routes.partner.PartnerHeaders;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The fhir-poll template against a partner server on a real socket, its schedule replaced by a direct endpoint (one
 * message, one poll) and the parked queue by a mock: what is handed over, and where the checkpoint goes, for each
 * outcome of a poll.
 */
class FhirPollRouteTemplatesTest extends CamelTestSupport {

    private static final String ROUTE = "partner-at-klinikum-directory-sync-directory";
    private static final Instant LAST_UPDATED = Instant.parse("2026-11-25T13:27:53.918Z");

    private final List<InboundMessage> handled = new ArrayList<>();
    private final List<String> parkedPartners = new ArrayList<>();
    private final MemoryCheckpoints checkpoints = new MemoryCheckpoints();
    private Function<InboundMessage, InboundOutcome> outcome =
            m -> new InboundOutcome(List.of("Organization/at-klinikum-kabeg-kk/_history/1"), List.of(), List.of());
    private HistoryPagesServer partner;

    @BeforeAll
    static void scanTheFhirModel() {
        FhirContext.forR4Cached().getResourceTypes();
    }

    @AfterEach
    void stopPartner() {
        partner.close();
    }

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
        return new FhirPollRouteTemplates(
                handler,
                events,
                new FhirHistoryReader(FhirContext.forR4Cached(), Clock.systemUTC()),
                checkpoints,
                FhirContext.forR4Cached(),
                "hub.parked");
    }

    private void start(Function<HistoryPagesServer.Request, Answer> answers) throws Exception {
        partner = new HistoryPagesServer(answers);
        TemplatedRouteBuilder builder = TemplatedRouteBuilder.builder(context, FhirPollRouteTemplates.INBOUND_FHIR_POLL)
                .routeId(ROUTE)
                .parameter("partnerId", "at-klinikum")
                .parameter("channel", "directory-sync");
        new FhirPollSettings(
                        partner.baseUrl(),
                        java.time.Duration.ofMinutes(15),
                        List.of("Organization", "Location"),
                        50,
                        10,
                        java.time.Duration.ofSeconds(2),
                        java.time.Duration.ofSeconds(5),
                        java.time.Duration.ofMinutes(1))
                .asParameters()
                .forEach(builder::parameter);
        builder.add();
        AdviceWith.adviceWith(context, ROUTE, route -> {
            route.replaceFromWith("direct:poll");
            route.weaveByToUri("jms:*").replace().to("mock:parked");
        });
        context.start();
    }

    private static Answer organizations(HistoryPagesServer.Request request) {
        return Answer.page(
                request.path().endsWith("/Organization/_history")
                        ? FhirHistoryReaderTest.page(LAST_UPDATED.toString(), null, "kabeg-kk")
                        : FhirHistoryReaderTest.page(LAST_UPDATED.plusMillis(80).toString(), null));
    }

    @Test
    void shouldHandOverTheHistoryAsOnePartialDirectoryMessageAndThenMoveTheCheckpointOn() throws Exception {
        start(FhirPollRouteTemplatesTest::organizations);

        template.sendBody("direct:poll", null);

        assertThat(handled).hasSize(1);
        InboundMessage message = handled.get(0);
        assertThat(message.partnerId()).isEqualTo("at-klinikum");
        assertThat(message.channel()).isEqualTo("directory-sync");
        assertThat(message.attributes())
                .isEqualTo(Map.of("cbhealth.directory.scope", "partial", "contentType", "application/fhir+json"));
        Bundle history = (Bundle) FhirContext.forR4Cached()
                .newJsonParser()
                .parseResource(new String(message.body(), StandardCharsets.UTF_8));
        assertThat(history.getType()).isEqualTo(Bundle.BundleType.HISTORY);
        assertThat(history.getEntry())
                .extracting(e -> e.getRequest().getUrl())
                .containsExactly("Organization/kabeg-kk/_history/1");
        assertThat(checkpoints.since("at-klinikum", "directory-sync"))
                .contains(Instant.parse("2026-11-25T13:26:53.918Z"));
        assertThat(checkpoints.result())
                .isEqualTo("read 1 history entry in 2 page(s) (complete history): stored 1 resource(s), rejected 0"
                        + " part(s), 0 unmapped code(s)");

        template.sendBody("direct:poll", null);

        assertThat(partner.requests())
                .extracting(r -> r.parameters().get("_since"))
                .containsExactly(null, null, "2026-11-25T13:26:53.918Z", "2026-11-25T13:26:53.918Z");
    }

    @Test
    void shouldLeaveTheCheckpointWhereItWasWhenThePartnerIsDown() throws Exception {
        start(FhirPollRouteTemplatesTest::organizations);
        checkpoints.advance("at-klinikum", "directory-sync", Instant.parse("2026-11-25T12:00:00Z"), "earlier poll");
        partner.close();

        template.sendBody("direct:poll", null);

        assertThat(handled).isEmpty();
        assertThat(checkpoints.since("at-klinikum", "directory-sync")).contains(Instant.parse("2026-11-25T12:00:00Z"));
        assertThat(checkpoints.result())
                .startsWith("failed: the partner's server could not be reached (")
                .contains("Connection refused");
    }

    @Test
    void shouldLeaveTheCheckpointWhereItWasWhenTheHubCannotStore() throws Exception {
        start(FhirPollRouteTemplatesTest::organizations);
        outcome = m -> {
            throw new IllegalStateException("the database is not answering");
        };

        template.sendBody("direct:poll", null);

        assertThat(handled).hasSize(1);
        assertThat(checkpoints.since("at-klinikum", "directory-sync")).isEmpty();
        assertThat(checkpoints.result()).isEqualTo("failed: IllegalStateException: the database is not answering");
    }

    @Test
    void shouldParkHistoryTheHubRefusesAsAWholeAndMoveOn() throws Exception {
        start(FhirPollRouteTemplatesTest::organizations);
        outcome = m -> {
            throw new InvalidMessageException(
                    "nothing of the message could be stored",
                    List.of(new InputProblem("Organization[identifier=kabeg-kk]", "Organization.name: required")));
        };
        MockEndpoint parked = getMockEndpoint("mock:parked");
        parked.expectedMessageCount(1);
        parked.expectedHeaderReceived(PartnerHeaders.PARTNER, "at-klinikum");
        parked.expectedHeaderReceived(PartnerHeaders.CHANNEL, "directory-sync");
        parked.expectedHeaderReceived(PartnerHeaders.FAILED_BY, "sender");
        parked.expectedHeaderReceived(
                PartnerHeaders.PARK_REASON,
                "nothing of the message could be stored: Organization[identifier=kabeg-kk]: Organization.name: required");

        template.sendBody("direct:poll", null);

        parked.assertIsSatisfied();
        assertThat(parked.getExchanges().get(0).getIn().getBody(byte[].class))
                .isEqualTo(handled.get(0).body());
        assertThat(parkedPartners).containsExactly("at-klinikum");
        assertThat(checkpoints.since("at-klinikum", "directory-sync"))
                .contains(Instant.parse("2026-11-25T13:26:53.918Z"));
        assertThat(checkpoints.result())
                .isEqualTo("read 1 history entry in 2 page(s) (complete history): parked: nothing of the message could"
                        + " be stored: Organization[identifier=kabeg-kk]: Organization.name: required");
    }

    @Test
    void shouldHandOverNothingWhenNothingChanged() throws Exception {
        start(request -> Answer.page(FhirHistoryReaderTest.page(LAST_UPDATED.toString(), null)));
        checkpoints.advance("at-klinikum", "directory-sync", Instant.parse("2026-11-25T13:00:00Z"), "earlier poll");

        template.sendBody("direct:poll", null);

        assertThat(handled).isEmpty();
        assertThat(checkpoints.since("at-klinikum", "directory-sync"))
                .contains(Instant.parse("2026-11-25T13:26:53.918Z"));
        assertThat(checkpoints.result())
                .isEqualTo("read 0 history entries in 2 page(s) since 2026-11-25T13:00:00Z: no changes");
    }

    /** Checkpoints of one partner channel, as the hub's table keeps them. */
    private static final class MemoryCheckpoints implements PollCheckpoints {
        private final Map<String, Instant> since = new HashMap<>();
        private String result;

        @Override
        public Optional<Instant> since(String partnerId, String channel) {
            return Optional.ofNullable(since.get(partnerId + "/" + channel));
        }

        @Override
        public void advance(String partnerId, String channel, Instant next, String result) {
            since.put(partnerId + "/" + channel, next);
            this.result = result;
        }

        @Override
        public void failed(String partnerId, String channel, String result) {
            this.result = result;
        }

        String result() {
            return result;
        }
    }
}
