package org.cbhealth.bench.search;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The hub's {@code /fhir} over plain HTTP, as a client sees it: transactions posted as JSON, searches read as JSON,
 * every request with the caller's {@code Authorization} header (the hub's integrator, or a partner's token, fetched
 * again when it is about to expire). Answers other than 200 are errors carrying the status and the start of the
 * OperationOutcome (the directory is synthetic, so the text holds no personal data).
 */
public final class FhirHttp {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FHIR_JSON = "application/fhir+json";

    private final HttpClient http;
    private final String base;
    private final Authorization authorization;

    /** The {@code Authorization} header value of the next request. */
    @FunctionalInterface
    public interface Authorization {
        String header() throws IOException, InterruptedException;
    }

    /** {@code authorization} is the {@code Authorization} header value each request carries. */
    public FhirHttp(String base, String authorization) {
        this(base, () -> authorization);
    }

    public FhirHttp(String base, Authorization authorization) {
        this.base = base;
        this.authorization = authorization;
        this.http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(5))
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    /** Posts a transaction Bundle to {@code /fhir}; returns the response Bundle. */
    JsonNode transaction(String bundleJson) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base))
                .timeout(Duration.ofMinutes(10))
                .header("Content-Type", FHIR_JSON + "; charset=UTF-8")
                .header("Accept", FHIR_JSON)
                .header("Authorization", authorization.header())
                .POST(HttpRequest.BodyPublishers.ofString(bundleJson, StandardCharsets.UTF_8))
                .build();
        return send(request, "transaction");
    }

    /** {@code GET /fhir/<pathAndQuery>}; returns the Bundle. */
    public JsonNode get(String pathAndQuery) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/" + pathAndQuery))
                .timeout(Duration.ofMinutes(2))
                .header("Accept", FHIR_JSON)
                .header("Authorization", authorization.header())
                .GET()
                .build();
        return send(request, "GET " + pathAndQuery);
    }

    private JsonNode send(HttpRequest request, String what) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        if (response.statusCode() != 200) {
            String body = response.body();
            throw new IOException(what + " answered HTTP " + response.statusCode() + ": "
                    + body.substring(0, Math.min(2000, body.length())));
        }
        return JSON.readTree(response.body());
    }

    /** Entries of a search Bundle with {@code search.mode} {@code mode} ("match" or "include"). */
    static int entries(JsonNode bundle, String mode) {
        int n = 0;
        for (JsonNode entry : bundle.path("entry")) {
            if (mode.equals(entry.path("search").path("mode").asText())) {
                n++;
            }
        }
        return n;
    }
}
