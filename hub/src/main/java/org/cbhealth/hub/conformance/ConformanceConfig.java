package org.cbhealth.hub.conformance;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import org.cbhealth.profiles.validation.CbhConformanceResources;
import org.cbhealth.profiles.validation.CbhResourceValidator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The hub's conformance content (from {@code fhir-profiles}) and the validator built on it: loaded and
 * warmed once at start-up, then registered as a storage interceptor so every write — REST, transaction
 * entry or route output — is validated against the CBHealth profiles.
 */
@Configuration
public class ConformanceConfig {

    private static final Logger LOG = LoggerFactory.getLogger(ConformanceConfig.class);

    @Bean
    public CbhConformanceResources cbhConformanceResources(FhirContext fhirContext) {
        return CbhConformanceResources.load(fhirContext);
    }

    @Bean
    public CbhResourceValidator cbhResourceValidator(FhirContext fhirContext, CbhConformanceResources resources) {
        long started = System.nanoTime();
        CbhResourceValidator validator = new CbhResourceValidator(fhirContext, resources);
        validator.warm();
        LOG.info(
                "Profile validation ready: {} conformance resources, warmed in {} ms",
                resources.all().size(),
                (System.nanoTime() - started) / 1_000_000);
        return validator;
    }

    @Bean
    public ProfileValidatingInterceptor profileValidatingInterceptor(
            CbhResourceValidator validator, FhirContext fhirContext, IInterceptorService interceptorService) {
        ProfileValidatingInterceptor interceptor = new ProfileValidatingInterceptor(validator, fhirContext);
        interceptorService.registerInterceptor(interceptor);
        return interceptor;
    }
}
