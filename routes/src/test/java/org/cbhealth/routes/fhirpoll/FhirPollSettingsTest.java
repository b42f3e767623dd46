package org.cbhealth.routes.fhirpoll;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FhirPollSettingsTest {

    @Test
    void shouldTakeTheDefaultsForWhatTheFileLeavesOut() {
        FhirPollSettings settings = FhirPollSettings.of(
                Map.of("baseUrl", "https://fhir.klinikum-klagenfurt.example/r4/", "interval", "15m"));

        assertThat(settings.baseUrl()).isEqualTo("https://fhir.klinikum-klagenfurt.example/r4");
        assertThat(settings.interval()).isEqualTo(Duration.ofMinutes(15));
        assertThat(settings.resourceTypes())
                .containsExactly(
                        "Organization",
                        "Endpoint",
                        "Location",
                        "HealthcareService",
                        "Practitioner",
                        "PractitionerRole",
                        "OrganizationAffiliation");
        assertThat(settings.pageSize()).isEqualTo(100);
        assertThat(settings.maxPages()).isEqualTo(500);
        assertThat(settings.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(settings.readTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(settings.overlap()).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void shouldReadEverySetting() {
        Map<String, Object> yaml = new LinkedHashMap<>();
        yaml.put("baseUrl", "http://127.0.0.1:8090/fhir");
        yaml.put("interval", "PT30S");
        yaml.put("resourceTypes", List.of("Organization", "HealthcareService"));
        yaml.put("pageSize", 20);
        yaml.put("maxPages", "7");
        yaml.put("connectTimeout", "1500ms");
        yaml.put("readTimeout", "1m30s");
        yaml.put("overlap", "0s");

        FhirPollSettings settings = FhirPollSettings.of(yaml);

        assertThat(settings)
                .isEqualTo(new FhirPollSettings(
                        "http://127.0.0.1:8090/fhir",
                        Duration.ofSeconds(30),
                        List.of("Organization", "HealthcareService"),
                        20,
                        7,
                        Duration.ofMillis(1500),
                        Duration.ofSeconds(90),
                        Duration.ZERO));
        assertThat(FhirPollSettings.fromParameters(
                        "http://127.0.0.1:8090/fhir", 30000, "Organization,HealthcareService", 20, 7, 1500, 90000, 0))
                .isEqualTo(settings);
        assertThat(settings.asParameters())
                .containsEntry("interval", 30000L)
                .containsEntry("resourceTypes", "Organization,HealthcareService")
                .containsEntry("readTimeout", 90000L);
    }

    @Test
    void shouldTakeResourceTypesWrittenAsOneLine() {
        FhirPollSettings settings = FhirPollSettings.of(
                Map.of("baseUrl", "https://fhir.example/r4", "interval", "1h", "resourceTypes", "Location, Endpoint"));

        assertThat(settings.resourceTypes()).containsExactly("Location", "Endpoint");
    }

    @Test
    void shouldNameTheSettingThatIsWrong() {
        assertThat(problem(Map.of("baseUrl", "https://fhir.example/r4"))).isEqualTo("interval: required, e.g. 15m");
        assertThat(problem(Map.of("baseUrl", "https://fhir.example/r4", "interval", "15 minutes")))
                .isEqualTo("interval: '15 minutes' is not a duration; write e.g. 500ms, 30s, 15m, 1h, 1h30m or PT15M");
        assertThat(problem(Map.of("baseUrl", "https://fhir.example/r4", "interval", "500ms")))
                .isEqualTo("interval: '500ms' must be at least 1s");
        assertThat(problem(Map.of("baseUrl", "https://fhir.example/r4", "interval", "PT1X")))
                .isEqualTo("interval: 'PT1X' is not an ISO-8601 duration");
        assertThat(problem(Map.of(
                        "baseUrl", "https://fhir.example/r4", "interval", "15m", "resourceTypes", List.of("Patient"))))
                .isEqualTo("resourceTypes: 'Patient' is not a directory resource type; one of Organization, Endpoint,"
                        + " Location, HealthcareService, Practitioner, PractitionerRole, OrganizationAffiliation");
        assertThat(problem(Map.of("baseUrl", "https://fhir.example/r4", "interval", "15m", "pageSize", 5000)))
                .isEqualTo("pageSize: '5000' must be a whole number from 1 to 1000");
        assertThat(problem(Map.of("baseUrl", "https://fhir.example/r4", "interval", "15m", "maxPages", "many")))
                .isEqualTo("maxPages: 'many' must be a whole number from 1 up");
        assertThat(problem(Map.of("baseUrl", "https://fhir.example/r4", "interval", "15m", "readTimeout", "0s")))
                .isEqualTo("readTimeout: '0s' must be longer than 0");
        assertThat(problem(Map.of("baseUrl", "https://fhir.example/r4", "interval", "15m", "pagesize", 50)))
                .isEqualTo("pagesize: unknown setting of a fhir-poll channel; one of baseUrl, connectTimeout, interval,"
                        + " maxPages, overlap, pageSize, readTimeout, resourceTypes");
        assertThat(problem(Map.of("baseUrl", "ftp://fhir.example/r4", "interval", "15m")))
                .isEqualTo("baseUrl: 'ftp://fhir.example/r4' must be an absolute http(s) URL");
    }

    private static String problem(Map<String, ?> settings) {
        try {
            FhirPollSettings.of(settings);
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        throw new AssertionError("settings accepted: " + settings);
    }
}
