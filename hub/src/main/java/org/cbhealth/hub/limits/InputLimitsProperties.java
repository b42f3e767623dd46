package org.cbhealth.hub.limits;

import jakarta.validation.constraints.Min;
import org.cbhealth.routes.fhir.FhirInputLimits;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Limits on what partners and clients send over HTTP to {@code /fhir} and {@code /api/partners/...}
 * ({@code cbhealth.limits.*}).
 *
 * @param maxRequestBytes largest request body as sent (compressed or not)
 * @param maxInflatedBytes largest body after a {@code Content-Encoding: gzip} body is inflated
 * @param maxNestingDepth deepest nesting of JSON objects/arrays or XML elements in a FHIR resource
 * @param maxStringLength longest string (JSON) or text (XML) in a FHIR resource, in characters
 * @param maxNumberLength longest JSON number in a FHIR resource, in characters
 * @param maxBundleEntries most entries of a Bundle
 */
@Validated
@ConfigurationProperties(prefix = "cbhealth.limits")
public record InputLimitsProperties(
        @Min(1) int maxRequestBytes,
        @Min(1) int maxInflatedBytes,
        @Min(1) int maxNestingDepth,
        @Min(1) int maxStringLength,
        @Min(1) int maxNumberLength,
        @Min(1) int maxBundleEntries) {

    /** The FHIR parsing limits these settings describe. */
    public FhirInputLimits fhir() {
        return new FhirInputLimits(maxNestingDepth, maxStringLength, maxNumberLength, maxBundleEntries);
    }
}
