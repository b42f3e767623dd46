package org.cbhealth.hub.routing;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.cbhealth.routes.partner.PartnerRouteTemplates;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * How the partners' delivery routes ({@code partner-<id>-outbound-delivery}) behave when a partner is down
 * ({@code cbhealth.delivery.*}).
 *
 * @param breaker the circuit breaker on each delivery route's consumer
 * @param connectTimeout how long a delivery waits for a connection to the partner (MLLP, HTTP)
 * @param receiveTimeout how long a delivery waits for the partner's answer (MLLP ACK, HTTP response); with
 *     {@code connectTimeout} it bounds how long one delivery can hold the hub's shutdown
 */
@Validated
@ConfigurationProperties(prefix = "cbhealth.delivery")
public record DeliveryProperties(
        @Valid @NotNull Breaker breaker, @NotNull Duration connectTimeout, @NotNull Duration receiveTimeout) {

    /**
     * @param failureThreshold failed deliveries within {@code failureWindow} that open the breaker (the consumer is
     *     suspended; the partner's queue keeps its messages)
     * @param failureWindow how far back failures count
     * @param halfOpenAfter pause before the first probe (one delivery); doubled after each failed probe
     * @param maxHalfOpenAfter longest pause between probes
     */
    public record Breaker(
            @Min(1) int failureThreshold,
            @NotNull Duration failureWindow,
            @NotNull Duration halfOpenAfter,
            @NotNull Duration maxHalfOpenAfter) {}

    /** The template parameters of a delivery route that come from these settings. */
    public Map<String, Object> templateParameters() {
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put(PartnerRouteTemplates.BREAKER_FAILURE_THRESHOLD, breaker.failureThreshold());
        parameters.put(
                PartnerRouteTemplates.BREAKER_FAILURE_WINDOW,
                breaker.failureWindow().toMillis());
        parameters.put(
                PartnerRouteTemplates.BREAKER_HALF_OPEN_AFTER,
                breaker.halfOpenAfter().toMillis());
        parameters.put(
                PartnerRouteTemplates.BREAKER_MAX_HALF_OPEN_AFTER,
                breaker.maxHalfOpenAfter().toMillis());
        return parameters;
    }

    /** Camel HTTP endpoint options bounding a delivery to a FHIR server or SOAP service. */
    public String httpTimeoutOptions() {
        return "connectTimeout=" + connectTimeout.toMillis() + "&connectionRequestTimeout=" + connectTimeout.toMillis()
                + "&responseTimeout=" + receiveTimeout.toMillis() + "&soTimeout=" + receiveTimeout.toMillis();
    }

    /** The partner's URL as a Camel HTTP endpoint with the delivery timeouts. */
    public String withTimeouts(Object url) {
        String text = String.valueOf(url);
        return text + (text.contains("?") ? "&" : "?") + httpTimeoutOptions();
    }
}
