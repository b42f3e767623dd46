package org.cbhealth.hub.idempotency;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of idempotent consumption ({@code cbhealth.idempotency.*}).
 *
 * @param retention how long the answer to an accepted message is kept; a copy arriving later is processed again
 *     (and then stores nothing new: every referral entry is a conditional create)
 */
@Validated
@ConfigurationProperties(prefix = "cbhealth.idempotency")
public record IdempotencyProperties(@NotNull Duration retention) {

    public IdempotencyProperties {
        if (retention != null && (retention.isNegative() || retention.isZero())) {
            throw new IllegalArgumentException("cbhealth.idempotency.retention: must be positive, was " + retention);
        }
    }
}
