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

/** Health (with database and broker) and Prometheus metrics over HTTP. */
class ActuatorIT extends HubIntegrationTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void healthReportsDatabaseBrokerAndRoutes() throws Exception {
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
        get("/fhir/metadata");

        HttpResponse<String> response = get("/actuator/prometheus");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body())
                .contains("jvm_memory_used_bytes{")
                .contains("http_server_requests_seconds_count{")
                .contains("application=\"cbhealth-hub\"")
                .contains("routeId=\"hub-fhir-inbound\"");
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
