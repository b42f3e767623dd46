package org.cbhealth.hub.routing;

import ca.uhn.fhir.context.FhirContext;
import org.cbhealth.routes.fhir.FhirResourceReader;
import org.cbhealth.routes.fhir.FhirResourceStore;
import org.cbhealth.routes.inbound.FhirResourceInboundRoute;
import org.cbhealth.routes.inbound.JmsPayloadReader;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Instantiates the hub's own inbound routes from {@link RoutesProperties}. */
@Configuration
public class InboundRoutesConfig {

    @Bean
    public FhirResourceReader fhirResourceReader(FhirContext fhirContext) {
        return new FhirResourceReader(fhirContext);
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
