package org.cbhealth.hub.audit;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the audit trail ({@code cbhealth.audit.*}).
 *
 * @param restInteractions whether every REST interaction on {@code /fhir} is audited (IHE BALP); off only for a
 *     measurement
 * @param queueCapacity how many AuditEvents wait for the writer at most; beyond, a caller waits up to
 *     {@code offerTimeout} and then writes its event itself
 * @param batchSize how many AuditEvents the writer stores in one database transaction
 * @param offerTimeout how long a caller waits for room in a full queue before writing synchronously
 * @param stopTimeout how long the writer may take at shutdown to store what is queued
 */
@ConfigurationProperties(prefix = "cbhealth.audit")
public record AuditProperties(
        Boolean restInteractions,
        Integer queueCapacity,
        Integer batchSize,
        Duration offerTimeout,
        Duration stopTimeout) {

    public AuditProperties {
        restInteractions = restInteractions == null || restInteractions;
        queueCapacity = positive("queue-capacity", queueCapacity, 10_000);
        batchSize = positive("batch-size", batchSize, 200);
        offerTimeout = offerTimeout == null ? Duration.ofSeconds(1) : offerTimeout;
        stopTimeout = stopTimeout == null ? Duration.ofSeconds(4) : stopTimeout;
    }

    private static int positive(String key, Integer value, int fallback) {
        if (value == null) {
            return fallback;
        }
        if (value < 1) {
            throw new IllegalArgumentException("cbhealth.audit." + key + ": must be at least 1, was " + value);
        }
        return value;
    }
}
