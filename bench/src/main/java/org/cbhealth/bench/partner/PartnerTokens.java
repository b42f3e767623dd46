package org.cbhealth.bench.partner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * A partner system's access tokens for the hub, as SMART Backend Services clients get them: {@code POST
 * /oauth2/token} with the client-credentials grant and a client assertion (a JWT signed RS384 with the partner's
 * private key: iss = sub = partner id, aud = the token URL, valid 4 minutes, a new jti each time). The token is kept
 * and asked for again {@value #REFRESH_MARGIN_SECONDS} s before it expires, or after {@link #invalidate} (a 401: a
 * restarted hub may no longer accept it). Safe for concurrent use: one request for a new token at a time.
 */
public final class PartnerTokens {

    /** How long before expiry a token is replaced, so no request goes out with one about to run out. */
    static final long REFRESH_MARGIN_SECONDS = 60;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SCOPE = "system/*.read system/*.write";

    private final PartnerCredentials partner;
    private final URI tokenUri;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private String token;
    private Instant refreshAt = Instant.MIN;

    /** {@code hubBase} is the hub's root, e.g. {@code http://127.0.0.1:8080}. */
    public PartnerTokens(PartnerCredentials partner, String hubBase) {
        this.partner = partner;
        this.tokenUri = URI.create(hubBase + "/oauth2/token");
    }

    /** The {@code Authorization} header value ({@code Bearer …}), fetching a new token when needed. */
    public synchronized String authorization() throws IOException, InterruptedException {
        if (token == null || !Instant.now().isBefore(refreshAt)) {
            fetch();
        }
        return "Bearer " + token;
    }

    /** Forgets the token (the hub answered 401), so the next {@link #authorization()} fetches a new one. */
    public synchronized void invalidate() {
        token = null;
    }

    private void fetch() throws IOException, InterruptedException {
        Map<String, String> form = Map.of(
                "grant_type",
                "client_credentials",
                "client_assertion_type",
                "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                "client_assertion",
                assertion(),
                "scope",
                SCOPE);
        String body = form.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest request = HttpRequest.newBuilder(tokenUri)
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            String text = response.body() == null ? "" : response.body().replaceAll("\\s+", " ");
            throw new IOException("token request of " + partner.partnerId() + " answered HTTP " + response.statusCode()
                    + ": " + text.substring(0, Math.min(300, text.length())));
        }
        JsonNode answer = JSON.readTree(response.body());
        String accessToken = answer.path("access_token").asText("");
        if (accessToken.isEmpty()) {
            throw new IOException("token answer of " + partner.partnerId() + " has no access_token");
        }
        long expiresIn = answer.path("expires_in").asLong(300);
        token = accessToken;
        refreshAt = Instant.now().plusSeconds(Math.max(expiresIn / 2, expiresIn - REFRESH_MARGIN_SECONDS));
    }

    /** A fresh client assertion for the token URL. */
    String assertion() {
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(partner.partnerId())
                .subject(partner.partnerId())
                .audience(tokenUri.toString())
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(Duration.ofMinutes(4))))
                .jwtID(UUID.randomUUID().toString())
                .build();
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.RS384)
                        .keyID(partner.key().getKeyID())
                        .type(JOSEObjectType.JWT)
                        .build(),
                claims);
        try {
            jwt.sign(new RSASSASigner(partner.key()));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign the client assertion: " + e.getMessage(), e);
        }
        return jwt.serialize();
    }
}
