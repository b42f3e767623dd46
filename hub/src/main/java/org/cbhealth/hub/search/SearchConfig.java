package org.cbhealth.hub.search;

import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.rest.server.util.ISearchParamRegistry;
import org.cbhealth.profiles.search.SearchNames;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Directory search across scripts: the interceptor that gives Organizations, Locations and HealthcareServices
 * their search forms and looks for a name query in Latin letters too. The search parameters that index the forms
 * ({@code SearchParameter/cbh-search-name}, {@code cbh-healthcareservice-language}) are conformance resources,
 * published at start-up with the others.
 */
@Configuration
public class SearchConfig {

    @Bean
    public CrossScriptNameSearchInterceptor crossScriptNameSearchInterceptor(
            IInterceptorService interceptorService, ISearchParamRegistry searchParamRegistry) {
        CrossScriptNameSearchInterceptor interceptor =
                new CrossScriptNameSearchInterceptor(SearchNames.standard(), searchParamRegistry);
        interceptorService.registerInterceptor(interceptor);
        return interceptor;
    }
}
