package org.cbhealth.hub.conformance;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import org.cbhealth.profiles.validation.CbhConformanceResources;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The hub's conformance content (from {@code fhir-profiles}) and the validator built on it — built and warmed
 * once, beside the rest of the start-up — registered as a storage interceptor so every write (REST, transaction
 * entry or route output) is validated against the CBHealth profiles.
 */
@Configuration
public class ConformanceConfig {

    @Bean
    public CbhConformanceResources cbhConformanceResources(FhirContext fhirContext) {
        return CbhConformanceResources.load(fhirContext);
    }

    @Bean
    public BackgroundValidator backgroundValidator(FhirContext fhirContext, CbhConformanceResources resources) {
        return new BackgroundValidator(fhirContext, resources);
    }

    @Bean
    public ProfileValidatingInterceptor profileValidatingInterceptor(
            BackgroundValidator validator, FhirContext fhirContext, IInterceptorService interceptorService) {
        ProfileValidatingInterceptor interceptor = new ProfileValidatingInterceptor(validator, fhirContext);
        interceptorService.registerInterceptor(interceptor);
        return interceptor;
    }
}
