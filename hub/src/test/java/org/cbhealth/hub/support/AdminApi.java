package org.cbhealth.hub.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.function.Supplier;

/**
 * The hub's HTTP APIs over real HTTP: the admin API as an integrator's tool calls it (HTTP Basic), or a partner
 * channel ({@code /api/partners/<id>/...}) as the partner's system posts to it ({@link #asPartner}: its bearer
 * token).
 */
public final class AdminApi {

    /** An answer: status and body as JSON (or null when the body is not JSON). */
    public record Answer(int status, JsonNode json, String text) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String base;
    private final Supplier<String> authorization;
    private final HttpClient http = HttpClient.newHttpClient();

    /** Calls as this staff user (HTTP Basic); with a null user, without credentials. */
    public AdminApi(String base, String user, String password) {
        this(base, user == null ? () -> null : constant(HttpAuth.basic(user, password)));
    }

    private AdminApi(String base, Supplier<String> authorization) {
        this.base = base;
        this.authorization = authorization;
    }

    /**
     * Calls as the partner's system does: with its access token from the hub at {@code base} (fetched again when it
     * is about to expire).
     */
    public static AdminApi asPartner(String base, String partnerId) {
        PartnerTokens tokens = PartnerTokens.of(base);
        return new AdminApi(base, () -> HttpAuth.bearer(tokens.accessToken(partnerId)));
    }

    /** Calls without any credentials. */
    public static AdminApi anonymous(String base) {
        return new AdminApi(base, null, null);
    }

    private static Supplier<String> constant(String value) {
        return () -> value;
    }

    public Answer get(String path) {
        return send(request(path).GET());
    }

    public Answer post(String path, byte[] body, String contentType) {
        return send(
                request(path).header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    public Answer post(String path) {
        return send(request(path).POST(HttpRequest.BodyPublishers.noBody()));
    }

    /** The partner's entry in {@code GET /api/admin/partners}, or null when it is not listed. */
    public JsonNode partner(String id) {
        for (JsonNode partner : get("/api/admin/partners").json().get("partners")) {
            if (partner.get("id").asText().equals(id)) {
                return partner;
            }
        }
        return null;
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path));
        String header = authorization.get();
        if (header != null) {
            builder.header("Authorization", header);
        }
        return builder;
    }

    private Answer send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json = null;
            try {
                json = JSON.readTree(response.body());
            } catch (IOException notJson) {
                // plain answers (e.g. an empty 401) have no JSON body
            }
            return new Answer(response.statusCode(), json, response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
