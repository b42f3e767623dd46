package org.cbhealth.hub.fhir;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the FHIR server at {@code /fhir} ({@code cbhealth.fhir.*}).
 *
 * @param serverName name the CapabilityStatement gives the server
 * @param publicBaseUrl base URL the hub is reached at from outside; empty means taken from each request
 * @param defaultPageSize search page size when a client does not ask for one
 * @param maxPageSize largest page size a client may ask for
 * @param hibernateDialect HAPI Hibernate dialect matching the configured database
 * @param schemaUpdate Hibernate schema management ({@code update} creates and extends tables at start)
 * @param searchPrefetchThresholds how many matches a search's first, second, ... pass fetches (HAPI's search
 *     pre-fetch thresholds; ascending, -1 last means "all the rest")
 */
@Validated
@ConfigurationProperties(prefix = "cbhealth.fhir")
public record FhirServerProperties(
        @NotBlank String serverName,
        String publicBaseUrl,
        @Min(1) @Max(1000) int defaultPageSize,
        @Min(1) @Max(1000) int maxPageSize,
        @NotBlank String hibernateDialect,
        @NotBlank String schemaUpdate,
        @NotEmpty List<Integer> searchPrefetchThresholds) {

    public FhirServerProperties {
        if (searchPrefetchThresholds == null || searchPrefetchThresholds.isEmpty()) {
            throw new IllegalArgumentException("cbhealth.fhir.search-prefetch-thresholds is not set");
        }
        int previous = 0;
        for (int i = 0; i < searchPrefetchThresholds.size(); i++) {
            int threshold = searchPrefetchThresholds.get(i);
            boolean last = i == searchPrefetchThresholds.size() - 1;
            if (!(threshold > previous || (last && threshold == -1))) {
                throw new IllegalArgumentException("cbhealth.fhir.search-prefetch-thresholds must ascend, with -1"
                        + " only last: " + searchPrefetchThresholds);
            }
            previous = threshold;
        }
        searchPrefetchThresholds = List.copyOf(searchPrefetchThresholds);
    }
}
