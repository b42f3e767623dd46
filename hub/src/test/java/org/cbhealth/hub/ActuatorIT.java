package org.cbhealth.hub;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.cbhealth.hub.support.HubIntegrationTest;
import org.junit.jupiter.api.Test;

/**
 * Health (with database and broker) and Prometheus metrics over HTTP: health is public (its details for the
 * integrator), metrics are the integrator's.
 */
class ActuatorIT extends HubIntegrationTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void healthReportsDatabaseBrokerAndRoutes() throws Exception {
        HttpResponse<String> anonymous = send(HttpRequest.newBuilder(uri("/actuator/health")));
        assertThat(anonymous.statusCode()).isEqualTo(200);
        assertThat(new ObjectMapper().readTree(anonymous.body()).path("status").asText())
                .isEqualTo("UP");

        HttpResponse<String> response = get("/actuator/health");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode health = new ObjectMapper().readTree(response.body());
        assertThat(health.path("status").asText()).isEqualTo("UP");
        assertThat(health.at("/components/db/status").asText()).isEqualTo("UP");
        assertThat(health.at("/components/db/details/database").asText()).isEqualTo("H2");
        assertThat(health.at("/components/jms/status").asText()).isEqualTo("UP");
        assertThat(health.at("/components/jms/details/provider").asText()).isEqualTo("ActiveMQ");
        assertThat(health.at("/components/camelHealth/status").asText()).isEqualTo("UP");
    }

    @Test
    void prometheusExposesJvmHttpAndRouteMetrics() throws Exception {
        send(HttpRequest.newBuilder(uri("/fhir/metadata")));

        HttpResponse<String> response = get("/actuator/prometheus");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body())
                .contains("jvm_memory_used_bytes{")
                .contains("http_server_requests_seconds_count{")
                .contains("application=\"cbhealth-hub\"")
                .contains("routeId=\"hub-fhir-inbound\"");
    }

    /** A GET as the integrator, who sees health details and metrics. */
    private HttpResponse<String> get(String path) throws Exception {
        return send(asIntegrator(HttpRequest.newBuilder(uri(path))));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create(baseUrl() + path);
    }
}
