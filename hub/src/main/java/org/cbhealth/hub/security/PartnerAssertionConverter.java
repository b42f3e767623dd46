package org.cbhealth.hub.security;

import com.nimbusds.jwt.SignedJWT;
import jakarta.servlet.http.HttpServletRequest;
import java.text.ParseException;
import java.util.Map;
import java.util.Optional;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.web.authentication.AuthenticationConverter;

/**
 * Reads the client authentication of a token request: only a JWT client assertion (RFC 7523), as SMART Backend
 * Services sends it, where {@code client_id} is optional (Spring Authorization Server's own converter requires it):
 * the client id is then the assertion's {@code iss}, which the assertion's signature and checks confirm. Every other
 * client authentication (secrets, none) is not recognised, so the request is refused as {@code invalid_client}.
 */
public class PartnerAssertionConverter implements AuthenticationConverter {

    static final String JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    @Override
    public Authentication convert(HttpServletRequest request) {
        String type = request.getParameter("client_assertion_type");
        String assertion = request.getParameter("client_assertion");
        if (type == null && assertion == null) {
            return null;
        }
        if (!JWT_BEARER.equals(type) || assertion == null || assertion.isBlank()) {
            throw error(
                    OAuth2ErrorCodes.INVALID_CLIENT,
                    "client_assertion_type must be " + JWT_BEARER + ", with a client_assertion");
        }
        String issuer = issuer(assertion)
                .orElseThrow(
                        () -> error(OAuth2ErrorCodes.INVALID_CLIENT, "client_assertion is not a signed JWT with iss"));
        String clientId = request.getParameter("client_id");
        if (clientId != null && !clientId.equals(issuer)) {
            throw error(OAuth2ErrorCodes.INVALID_CLIENT, "client_id differs from the client assertion's iss");
        }
        return new OAuth2ClientAuthenticationToken(
                issuer, new ClientAuthenticationMethod(JWT_BEARER), assertion, Map.of());
    }

    /** The (unverified) issuer a client assertion names: for the answer and the audit trail only. */
    static Optional<String> issuer(String assertion) {
        try {
            return Optional.ofNullable(
                            SignedJWT.parse(assertion).getJWTClaimsSet().getIssuer())
                    .filter(iss -> !iss.isBlank() && iss.length() <= 64);
        } catch (ParseException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static OAuth2AuthenticationException error(String code, String description) {
        return new OAuth2AuthenticationException(new OAuth2Error(code, description, null));
    }
}
