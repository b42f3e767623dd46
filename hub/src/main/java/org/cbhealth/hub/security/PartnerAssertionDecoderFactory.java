package org.cbhealth.hub.security;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtDecoderFactory;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtValidationException;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

/**
 * Verifies a partner's client assertion (RFC 7523, SMART Backend Services) with the public keys of its own partner
 * file, instead of Spring Authorization Server's default of a JWK Set URL: signature by one of the partner's keys
 * (RS384, ES384; RS256 and ES256 also accepted), {@code iss} = {@code sub} = the client id, {@code aud} naming the
 * token endpoint, {@code exp} present and at most 5 minutes ahead, a {@code jti} never used before.
 */
public class PartnerAssertionDecoderFactory implements JwtDecoderFactory<RegisteredClient> {

    /** SMART Backend Services: a client assertion is valid for at most 5 minutes. */
    static final Duration MAX_LIFETIME = Duration.ofMinutes(5);

    private static final Duration CLOCK_SKEW = Duration.ofSeconds(60);
    private static final Set<JWSAlgorithm> ALGORITHMS =
            Set.of(JWSAlgorithm.RS384, JWSAlgorithm.ES384, JWSAlgorithm.RS256, JWSAlgorithm.ES256);

    private final ClientAssertionJtis jtis;
    private final Supplier<Set<String>> tokenEndpointUrls;
    private final Map<String, JwtDecoder> decoders = new ConcurrentHashMap<>();

    /**
     * @param jtis where used jtis are kept
     * @param tokenEndpointUrls the URLs the token endpoint is known under, for the current request
     */
    public PartnerAssertionDecoderFactory(ClientAssertionJtis jtis, Supplier<Set<String>> tokenEndpointUrls) {
        this.jtis = jtis;
        this.tokenEndpointUrls = tokenEndpointUrls;
    }

    @Override
    public JwtDecoder createDecoder(RegisteredClient client) {
        String jwks = client.getClientSettings().getSetting(PartnerClientRepository.JWKS_SETTING);
        if (jwks == null) {
            throw new JwtException("the partner has no public keys");
        }
        if (decoders.size() > 1000) {
            decoders.clear(); // keys of changed partner files
        }
        JwtDecoder keysDecoder = decoders.computeIfAbsent(jwks, PartnerAssertionDecoderFactory::keysDecoder);
        String clientId = client.getClientId();
        return token -> {
            Jwt jwt;
            try {
                jwt = keysDecoder.decode(token);
            } catch (JwtException e) {
                // Spring's Jwt refuses an exp not after iat before any validator sees it
                if (String.valueOf(e.getMessage()).contains("expiresAt must be after issuedAt")) {
                    OAuth2Error expired = new OAuth2Error(
                            OAuth2ErrorCodes.INVALID_CLIENT, "the client assertion has expired (exp before iat)", null);
                    throw new JwtValidationException(expired.getDescription(), List.of(expired));
                }
                throw e;
            }
            OAuth2TokenValidatorResult result = validate(jwt, clientId);
            if (result.hasErrors()) {
                throw new JwtValidationException(
                        result.getErrors().iterator().next().getDescription(), result.getErrors());
            }
            return jwt;
        };
    }

    private OAuth2TokenValidatorResult validate(Jwt jwt, String clientId) {
        List<String> problems = new ArrayList<>();
        if (!clientId.equals(jwt.getClaimAsString("iss"))) {
            problems.add("iss must be the client id");
        }
        if (!clientId.equals(jwt.getSubject())) {
            problems.add("sub must be the client id");
        }
        List<String> audience = jwt.getAudience();
        Set<String> endpoints = tokenEndpointUrls.get();
        if (audience == null || audience.stream().noneMatch(endpoints::contains)) {
            problems.add("aud must be the token endpoint URL");
        }
        Instant now = Instant.now();
        Instant expires = jwt.getExpiresAt();
        if (expires == null) {
            problems.add("exp is missing");
        } else if (expires.isBefore(now.minus(CLOCK_SKEW))) {
            problems.add("the client assertion has expired");
        } else if (expires.isAfter(now.plus(MAX_LIFETIME).plus(CLOCK_SKEW))) {
            problems.add("exp is more than 5 minutes ahead");
        }
        Instant notBefore = jwt.getNotBefore();
        if (notBefore != null && notBefore.isAfter(now.plus(CLOCK_SKEW))) {
            problems.add("the client assertion is not valid yet (nbf)");
        }
        String jti = jwt.getId();
        if (jti == null || jti.isBlank()) {
            problems.add("jti is missing");
        } else if (jti.length() > 255) {
            problems.add("jti is longer than 255 characters");
        }
        // the jti is recorded only for an assertion valid in every other respect
        if (problems.isEmpty() && !jtis.firstUse(clientId, jti, expires)) {
            problems.add("the client assertion was used before (jti replayed)");
        }
        if (problems.isEmpty()) {
            return OAuth2TokenValidatorResult.success();
        }
        return OAuth2TokenValidatorResult.failure(problems.stream()
                .map(p -> new OAuth2Error(OAuth2ErrorCodes.INVALID_CLIENT, p, null))
                .toList());
    }

    private static JwtDecoder keysDecoder(String jwks) {
        JWKSet keys;
        try {
            keys = JWKSet.parse(jwks).toPublicJWKSet();
        } catch (ParseException e) {
            throw new JwtException("the partner's public keys are not a JWK Set");
        }
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, new ImmutableJWKSet<>(keys)));
        // the claims are checked by validate(...); Nimbus' own check would accept a missing exp
        processor.setJWTClaimsSetVerifier((claims, context) -> {});
        NimbusJwtDecoder decoder = new NimbusJwtDecoder(processor);
        decoder.setJwtValidator(jwt -> OAuth2TokenValidatorResult.success());
        return decoder;
    }
}
