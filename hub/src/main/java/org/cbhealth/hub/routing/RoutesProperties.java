package org.cbhealth.hub.routing;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the hub's own routes ({@code cbhealth.routes.*}).
 *
 * @param fhirInboundQueue queue whose messages (FHIR JSON or XML) are stored as FHIR resources
 * @param parkedQueue queue that keeps messages refused as invalid, with the reason in a header
 * @param maxMessageBytes largest message body accepted on a queue
 */
@Validated
@ConfigurationProperties(prefix = "cbhealth.routes")
public record RoutesProperties(
        @NotBlank String fhirInboundQueue, @NotBlank String parkedQueue, @Min(1) int maxMessageBytes) {}
