package org.cbhealth.hub.limits;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.server.RestfulServer;
import org.apache.camel.ProducerTemplate;
import org.cbhealth.hub.partner.PartnerRegistry;
import org.cbhealth.hub.routing.RoutesProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * Limits on every HTTP input of {@code /fhir} and partners' REST channels: the body filter in front of both, and the
 * FHIR input checks on the FHIR server.
 */
@Configuration
public class InputLimitsConfig {

    @Bean
    public RefusedInputParking refusedInputParking(
            PartnerRegistry registry, ProducerTemplate producer, RoutesProperties routes) {
        return new RefusedInputParking(registry, producer, routes.parkedQueue());
    }

    @Bean
    public FilterRegistrationBean<RequestBodyLimitFilter> requestBodyLimitFilter(
            InputLimitsProperties limits, FhirContext fhirContext, RefusedInputParking parking) {
        FilterRegistrationBean<RequestBodyLimitFilter> registration =
                new FilterRegistrationBean<>(new RequestBodyLimitFilter(limits, fhirContext, parking));
        registration.addUrlPatterns("/fhir/*", "/api/partners/*");
        registration.setName("cbhRequestBodyLimit");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return registration;
    }

    @Bean
    public FhirInputInterceptor fhirInputInterceptor(
            RestfulServer fhirRestfulServer, FhirContext fhirContext, InputLimitsProperties limits) {
        FhirInputInterceptor interceptor = new FhirInputInterceptor(fhirContext, limits.fhir());
        fhirRestfulServer.registerInterceptor(interceptor);
        return interceptor;
    }
}
