package org.cbhealth.hub.support;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** {@code Authorization} headers as the hub's callers send them: staff HTTP Basic, partners a bearer token. */
public final class HttpAuth {

    private HttpAuth() {}

    /** The header value of HTTP Basic for this user and password. */
    public static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** The header value of a bearer token. */
    public static String bearer(String accessToken) {
        return "Bearer " + accessToken;
    }

    /** The request, with HTTP Basic for this user. */
    public static HttpRequest.Builder basic(HttpRequest.Builder request, String user, String password) {
        return request.setHeader("Authorization", basic(user, password));
    }

    /** The request, with the partner's access token from the hub of {@code tokens}. */
    public static HttpRequest.Builder partner(HttpRequest.Builder request, PartnerTokens tokens, String partnerId) {
        return request.setHeader("Authorization", bearer(tokens.accessToken(partnerId)));
    }
}
