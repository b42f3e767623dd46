package org.cbhealth.hub.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Access tokens of test partners from a running hub's token endpoint, got as a partner system gets them (SMART
 * Backend Services: {@code client_credentials} with a client assertion signed by the partner's key from {@link
 * PartnerKeys}). Needs only the hub's base URL, so ITs that start a hub of their own can use it too. Tokens are kept
 * per partner and fetched again a minute before they expire.
 */
public final class PartnerTokens {

    /** A token as the hub issued it. */
    public record Token(String accessToken, Instant expires) {}

    /** The SMART scopes every test partner asks for. */
    public static final String SCOPES = "system/*.read system/*.write";

    private static final Duration REFRESH_BEFORE_EXPIRY = Duration.ofMinutes(1);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, PartnerTokens> BY_BASE = new ConcurrentHashMap<>();

    private final String tokenUrl;
    private final HttpClient http = HttpClient.newHttpClient();
    private final Map<String, Token> tokens = new ConcurrentHashMap<>();

    private PartnerTokens(String hubBase) {
        this.tokenUrl = hubBase + "/oauth2/token";
    }

    /** The tokens of partners of the hub at {@code hubBase}, e.g. {@code http://127.0.0.1:8080} (no {@code /fhir}). */
    public static PartnerTokens of(String hubBase) {
        return BY_BASE.computeIfAbsent(stripSlash(hubBase), PartnerTokens::new);
    }

    /** The token endpoint's URL, the audience of client assertions. */
    public String tokenUrl() {
        return tokenUrl;
    }

    /** A valid access token of the partner: the kept one, or a new one when it expires within a minute. */
    public String accessToken(String partnerId) {
        Token kept = tokens.get(partnerId);
        if (kept != null && Instant.now().plus(REFRESH_BEFORE_EXPIRY).isBefore(kept.expires())) {
            return kept.accessToken();
        }
        Token fresh = request(partnerId);
        tokens.put(partnerId, fresh);
        return fresh.accessToken();
    }

    /** Forgets the partner's kept token (e.g. after its partner file was removed and written again). */
    public void forget(String partnerId) {
        tokens.remove(partnerId);
    }

    /** A new token for the partner, never a kept one. */
    public Token request(String partnerId) {
        HttpResponse<String> answer = post(PartnerKeys.clientAssertion(partnerId, tokenUrl));
        if (answer.statusCode() != 200) {
            throw new IllegalStateException("the hub gave partner " + partnerId + " no access token: HTTP "
                    + answer.statusCode() + " " + answer.body());
        }
        try {
            JsonNode json = JSON.readTree(answer.body());
            return new Token(
                    json.get("access_token").asText(),
                    Instant.now().plusSeconds(json.get("expires_in").asLong()));
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("the token endpoint's answer is not a token: " + answer.body(), e);
        }
    }

    /** Posts a token request with this client assertion, as a partner does; the answer as it comes. */
    public HttpResponse<String> post(String clientAssertion) {
        String form = "grant_type=client_credentials"
                + "&client_assertion_type="
                + enc("urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
                + "&client_assertion=" + enc(clientAssertion)
                + "&scope=" + enc(SCOPES);
        HttpRequest request = HttpRequest.newBuilder(URI.create(tokenUrl))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String stripSlash(String base) {
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }
}
