package org.cbhealth.hub.support;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.cbhealth.hub.partner.PartnerTokenCommand;

/**
 * The key pairs of test partners, generated once per test run (none is kept in the repository): the public half
 * goes into the partner file ({@link PartnerFiles}), the private half signs the partner's client assertions, as a
 * partner system does (SMART Backend Services: RS384, iss = sub = partner id, aud = the token endpoint).
 */
public final class PartnerKeys {

    private static final Map<String, RSAKey> KEYS = new ConcurrentHashMap<>();

    private PartnerKeys() {}

    /** The partner's key pair (private included). */
    public static RSAKey of(String partnerId) {
        return KEYS.computeIfAbsent(partnerId, id -> generate(id + "-key-1"));
    }

    /** A key pair nobody registered: its assertions are signed by an unknown key. */
    public static RSAKey unregistered(String kid) {
        return generate(kid);
    }

    /** The partner's public JWK Set as JSON, for {@code authentication.jwks} of its partner file. */
    public static String publicJwks(String partnerId) {
        return new JWKSet(of(partnerId).toPublicJWK()).toString(true);
    }

    /** A fresh client assertion: valid for 4 minutes, a new jti. */
    public static String clientAssertion(String partnerId, String tokenUrl) {
        return clientAssertion(of(partnerId), partnerId, tokenUrl, Instant.now().plus(Duration.ofMinutes(4)), newJti());
    }

    /** A client assertion with every claim chosen by the test (expired, replayed jti, another key...). */
    public static String clientAssertion(RSAKey key, String clientId, String audience, Instant expires, String jti) {
        return PartnerTokenCommand.clientAssertion(key, clientId, audience, expires, jti);
    }

    public static String newJti() {
        return UUID.randomUUID().toString();
    }

    private static RSAKey generate(String kid) {
        try {
            return new RSAKeyGenerator(2048).keyID(kid).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
