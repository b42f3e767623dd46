package org.cbhealth.routes.partner;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.cbhealth.routes.hl7.Hl7AckWriter;
import org.cbhealth.routes.inbound.JmsPayloadReader;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The REST channel template: what it hands the hub's handler, in particular the directory scope the HTTP controller
 * read from the {@code scope} query parameter.
 */
class RestRouteTemplateTest extends CamelTestSupport {

    private final List<InboundMessage> handled = new ArrayList<>();

    @Override
    protected RoutesBuilder createRouteBuilder() {
        InboundHandler handler = message -> {
            handled.add(message);
            return new InboundOutcome(List.of("Endpoint/mk-kb-stip-KBS-FHIR/_history/1"), List.of(), List.of());
        };
        PartnerEvents events = new PartnerEvents() {
            @Override
            public void parked(String partnerId) {}

            @Override
            public void delivered(String partnerId) {}

            @Override
            public void deliveryFailed(String partnerId) {}
        };
        return new PartnerRouteTemplates(
                handler, events, new Hl7AckWriter("CBHEALTH", "HUB"), new JmsPayloadReader(4096), "hub.parked");
    }

    @BeforeEach
    void restChannel() throws Exception {
        TemplatedRouteBuilder.builder(context, PartnerRouteTemplates.INBOUND_REST)
                .routeId("partner-mk-kb-stip-directory-directory")
                .parameter("partnerId", "mk-kb-stip")
                .parameter("channel", "directory")
                .add();
    }

    @Test
    void shouldPassTheScopeTheControllerReadAsTheDirectoryScopeAttribute() {
        InboundOutcome outcome = template.requestBodyAndHeaders(
                PartnerRouteTemplates.restEndpoint("mk-kb-stip", "directory"),
                "{\"endpoints\":[]}".getBytes(StandardCharsets.UTF_8),
                Map.of(PartnerHeaders.DIRECTORY_SCOPE, "full", "Content-Type", "application/json"),
                InboundOutcome.class);

        assertThat(outcome.storedIds()).containsExactly("Endpoint/mk-kb-stip-KBS-FHIR/_history/1");
        assertThat(handled).hasSize(1);
        assertThat(handled.get(0).partnerId()).isEqualTo("mk-kb-stip");
        assertThat(handled.get(0).channel()).isEqualTo("directory");
        assertThat(handled.get(0).attributes())
                .isEqualTo(Map.of("cbhealth.directory.scope", "full", "contentType", "application/json"));
    }

    @Test
    void shouldPassNoScopeWhenTheControllerGaveNone() {
        template.requestBody(
                PartnerRouteTemplates.restEndpoint("mk-kb-stip", "directory"),
                "{\"endpoints\":[]}".getBytes(StandardCharsets.UTF_8),
                InboundOutcome.class);

        assertThat(handled).hasSize(1);
        assertThat(handled.get(0).attribute("cbhealth.directory.scope")).isNull();
    }
}
