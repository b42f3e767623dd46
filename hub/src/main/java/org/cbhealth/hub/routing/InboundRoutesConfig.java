package org.cbhealth.hub.routing;

import ca.uhn.fhir.context.FhirContext;
import java.time.Clock;
import org.cbhealth.hub.audit.AuditedPartnerEvents;
import org.cbhealth.hub.partner.FhirPollCheckpoints;
import org.cbhealth.hub.partner.PartnerCounters;
import org.cbhealth.hub.partner.PartnerInboundHandler;
import org.cbhealth.routes.fhir.FhirResourceReader;
import org.cbhealth.routes.fhir.FhirResourceStore;
import org.cbhealth.routes.fhirpoll.FhirHistoryReader;
import org.cbhealth.routes.fhirpoll.FhirPollRouteTemplates;
import org.cbhealth.routes.hl7.Hl7AckWriter;
import org.cbhealth.routes.inbound.FhirResourceInboundRoute;
import org.cbhealth.routes.inbound.JmsPayloadReader;
import org.cbhealth.routes.partner.PartnerRouteTemplates;
import org.cbhealth.routes.partner.SoapPollRouteTemplates;
import org.cbhealth.routes.partner.SoapRouteTemplates;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The hub's own inbound routes, and the templates of the partners' routes, from {@link RoutesProperties}. */
@Configuration
public class InboundRoutesConfig {

    /** MSH-3 and MSH-4 of the hub's HL7 v2 acknowledgements. */
    public static final String HL7_APPLICATION = "CBHEALTH_HUB";

    public static final String HL7_FACILITY = "CBHEALTH";

    @Bean
    public FhirResourceReader fhirResourceReader(FhirContext fhirContext) {
        return new FhirResourceReader(fhirContext);
    }

    /** The route templates every partner route is instantiated from. */
    @Bean
    public PartnerRouteTemplates partnerRouteTemplates(
            RoutesProperties routes, PartnerInboundHandler handler, AuditedPartnerEvents events) {
        return new PartnerRouteTemplates(
                handler,
                events,
                new Hl7AckWriter(HL7_APPLICATION, HL7_FACILITY),
                new JmsPayloadReader(routes.maxMessageBytes()),
                routes.parkedQueue());
    }

    /** The route template of SOAP channels (CXF services under {@code cxf.path}, the hub's {@code /soap}). */
    @Bean
    public SoapRouteTemplates soapRouteTemplates(
            RoutesProperties routes, PartnerInboundHandler handler, PartnerCounters counters) {
        return new SoapRouteTemplates(handler, counters, routes.parkedQueue(), routes.maxMessageBytes());
    }

    /** The route template of channels that poll a partner's SOAP directory service (inbound kind soap-poll). */
    @Bean
    public SoapPollRouteTemplates soapPollRouteTemplates(
            RoutesProperties routes, PartnerInboundHandler handler, PartnerCounters counters) {
        return new SoapPollRouteTemplates(handler, counters, routes.parkedQueue(), routes.maxMessageBytes());
    }

    /**
     * The route template of fhir-poll channels (IHE mCSD Update from a partner's FHIR server), with their checkpoints
     * in the hub's database.
     */
    @Bean
    public FhirPollRouteTemplates fhirPollRouteTemplates(
            RoutesProperties routes,
            PartnerInboundHandler handler,
            PartnerCounters counters,
            FhirPollCheckpoints checkpoints,
            FhirContext fhirContext) {
        return new FhirPollRouteTemplates(
                handler,
                counters,
                new FhirHistoryReader(fhirContext, Clock.systemUTC()),
                checkpoints,
                fhirContext,
                routes.parkedQueue());
    }

    @Bean
    public FhirResourceInboundRoute fhirResourceInboundRoute(
            RoutesProperties routes, FhirResourceReader resourceReader, FhirResourceStore store) {
        return new FhirResourceInboundRoute(
                routes.fhirInboundQueue(),
                routes.parkedQueue(),
                new JmsPayloadReader(routes.maxMessageBytes()),
                resourceReader,
                store);
    }
}
