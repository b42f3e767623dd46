package org.cbhealth.hub.security;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The hub as OAuth 2.0 authorization server of its partners ({@code cbhealth.security.*}).
 *
 * @param tokenSigningKeyFile the RSA private key (a JWK, JSON) access tokens are signed with; empty: generated at
 *     first start under {@code ${cbhealth.data-dir}/secrets/token-signing.jwk}. Several hub instances behind one
 *     address must share it.
 * @param issuer the {@code iss} of the access tokens (a URL, e.g. {@code https://hub.example.org}); empty: derived
 *     from {@code cbhealth.fhir.public-base-url}, else from each request
 * @param accessTokenLifetime how long an access token is valid (SMART Backend Services: at most 5 minutes)
 */
@ConfigurationProperties(prefix = "cbhealth.security")
public record SecurityProperties(Path tokenSigningKeyFile, String issuer, Duration accessTokenLifetime) {

    public SecurityProperties {
        if (accessTokenLifetime == null || accessTokenLifetime.isZero() || accessTokenLifetime.isNegative()) {
            accessTokenLifetime = Duration.ofMinutes(5);
        }
        if (issuer != null && issuer.isBlank()) {
            issuer = null;
        }
    }
}
