package org.cbhealth.hub.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * Keeps {@code docker-compose.yml} true to the hub's configuration without a Docker engine: every
 * environment variable the hub reads under the compose profiles is set, no stale variable is set, and
 * ports, service names and credentials line up between the hub, PostgreSQL and Artemis.
 */
class DockerComposeConfigTest {

    private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)(:[^}]*)?}");
    private static final Pattern SECRET_FROM_ENVIRONMENT = Pattern.compile("\\$\\{[A-Z][A-Z0-9_]*:\\?[^}]+}");

    private static Map<String, Object> services;
    private static Map<String, Object> compose;
    private static Map<String, String> hubEnv;
    private static List<String> profiles;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void load() throws IOException {
        Path file = Path.of("..", "docker-compose.yml");
        assertThat(file).as("docker-compose.yml at the repository root").exists();
        compose = new Yaml().load(Files.readString(file));
        services = (Map<String, Object>) compose.get("services");
        hubEnv = new LinkedHashMap<>();
        ((Map<String, Object>) service("hub").get("environment")).forEach((k, v) -> hubEnv.put(k, String.valueOf(v)));
        profiles = List.of(hubEnv.get("SPRING_PROFILES_ACTIVE").split(","));
    }

    @Test
    void runsTheProductionProfiles() {
        assertThat(profiles).containsExactlyInAnyOrder("postgres", "external-broker");
    }

    @Test
    void everyVariableTheHubReadsIsSet() throws IOException {
        Map<String, Set<String>> read = variablesReadByTheHub();

        assertThat(read).isNotEmpty();
        assertThat(hubEnv.keySet()).containsAll(read.keySet());
    }

    @Test
    void noVariableIsSetThatTheHubDoesNotRead() throws IOException {
        Set<String> read = variablesReadByTheHub().keySet();
        Set<String> stale = new TreeSet<>(hubEnv.keySet());
        stale.removeAll(read);
        stale.remove("SPRING_PROFILES_ACTIVE");

        assertThat(stale)
                .as("variables set in docker-compose.yml that the hub never reads")
                .isEmpty();
    }

    @Test
    void httpPortMatchesPublishedPortAndHealthCheck() throws IOException {
        String port = hubEnv.get("CBHEALTH_HTTP_PORT");
        assertThat(flatConfig("application.yml").get("server.port")).isEqualTo("${CBHEALTH_HTTP_PORT:8080}");

        assertThat(ports("hub")).anyMatch(p -> p.endsWith(":" + port));
        assertThat(String.valueOf(healthCheck("hub").get("test"))).contains("localhost:" + port + "/actuator/health");
    }

    @Test
    void brokerUrlNamesTheArtemisServiceAndItsPort() throws IOException {
        URI broker = URI.create(hubEnv.get("CBHEALTH_BROKER_URL"));
        Map<String, String> external = flatConfig("application-external-broker.yml");

        assertThat(external.get("spring.artemis.mode")).isEqualTo("native");
        assertThat(external.get("spring.artemis.broker-url")).startsWith("${CBHEALTH_BROKER_URL");
        assertThat(broker.getScheme()).isEqualTo("tcp");
        assertThat(services).containsKey(broker.getHost());
        assertThat(String.valueOf(service(broker.getHost()).get("image"))).startsWith("apache/activemq-artemis:");
        assertThat(ports(broker.getHost())).anyMatch(p -> p.endsWith(":" + broker.getPort()));
        Map<String, String> artemisEnv = environment(broker.getHost());
        assertThat(hubEnv.get("CBHEALTH_BROKER_USER")).isEqualTo(artemisEnv.get("ARTEMIS_USER"));
        assertThat(hubEnv.get("CBHEALTH_BROKER_PASSWORD")).isEqualTo(artemisEnv.get("ARTEMIS_PASSWORD"));
    }

    @Test
    void databaseUrlNamesThePostgresServiceDatabaseAndUser() throws IOException {
        URI db = URI.create(hubEnv.get("CBHEALTH_DB_URL").substring("jdbc:".length()));
        Map<String, String> postgresProfile = flatConfig("application-postgres.yml");

        assertThat(postgresProfile.get("spring.datasource.url")).startsWith("${CBHEALTH_DB_URL");
        assertThat(db.getScheme()).isEqualTo("postgresql");
        assertThat(services).containsKey(db.getHost());
        assertThat(String.valueOf(service(db.getHost()).get("image"))).startsWith("postgres:");
        assertThat(db.getPort()).isEqualTo(5432);
        Map<String, String> pgEnv = environment(db.getHost());
        assertThat(db.getPath()).isEqualTo("/" + pgEnv.get("POSTGRES_DB"));
        assertThat(hubEnv.get("CBHEALTH_DB_USER")).isEqualTo(pgEnv.get("POSTGRES_USER"));
        assertThat(hubEnv.get("CBHEALTH_DB_PASSWORD")).isEqualTo(pgEnv.get("POSTGRES_PASSWORD"));
    }

    @Test
    void secretsComeFromTheEnvironment() {
        assertThat(hubEnv.get("CBHEALTH_DB_PASSWORD")).matches(SECRET_FROM_ENVIRONMENT);
        assertThat(hubEnv.get("CBHEALTH_BROKER_PASSWORD")).matches(SECRET_FROM_ENVIRONMENT);
        assertThat(hubEnv.get("CBHEALTH_ADMIN_PASSWORD")).matches(SECRET_FROM_ENVIRONMENT);
        assertThat(hubEnv.get("CBHEALTH_VIEWER_PASSWORD")).matches(SECRET_FROM_ENVIRONMENT);
        assertThat(hubEnv.get("CBHEALTH_COORDINATOR_PASSWORD")).matches(SECRET_FROM_ENVIRONMENT);
        assertThat(environment("postgres").get("POSTGRES_PASSWORD")).matches(SECRET_FROM_ENVIRONMENT);
        assertThat(environment("artemis").get("ARTEMIS_PASSWORD")).matches(SECRET_FROM_ENVIRONMENT);
    }

    @Test
    @SuppressWarnings("unchecked")
    void tokenSigningKeyIsAFileFromOutsideMountedReadOnlyWhereTheHubReadsIt() throws IOException {
        String path = hubEnv.get("CBHEALTH_TOKEN_SIGNING_KEY_FILE");
        List<String> volumes = (List<String>) service("hub").get("volumes");

        assertThat(flatConfig("application.yml").get("cbhealth.security.token-signing-key-file"))
                .isEqualTo("${CBHEALTH_TOKEN_SIGNING_KEY_FILE:}");
        assertThat(path).startsWith("/");
        // a bind mount of a file the operator makes once (--new-key), required: never a key inside the repository
        assertThat(volumes)
                .anySatisfy(v -> assertThat(v).matches("\\$\\{CBHEALTH_TOKEN_SIGNING_KEY:\\?[^}]+}:" + path + ":ro"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void partnerAndRouteDirectoriesAreMountedFromTheConfigurationCheckout() {
        List<String> volumes = (List<String>) service("hub").get("volumes");
        assertThat(volumes)
                .anySatisfy(v -> assertThat(v).endsWith(":" + hubEnv.get("CBHEALTH_PARTNERS_DIR") + ":ro"))
                .anySatisfy(v -> assertThat(v).endsWith(":" + hubEnv.get("CBHEALTH_ROUTES_DIR") + ":ro"));
        assertThat(hubEnv.get("CBHEALTH_SEED_DEMO_PARTNERS")).isEqualTo("false");
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyServiceHasAHealthCheckAndNamedVolumes() {
        Set<String> declared = ((Map<String, Object>) compose.get("volumes")).keySet();
        for (String name : services.keySet()) {
            assertThat(healthCheck(name).get("test")).as(name + " health check").isNotNull();
            List<String> volumes = (List<String>) service(name).get("volumes");
            assertThat(volumes).as(name + " volumes").isNotEmpty();
            assertThat(volumes).allSatisfy(v -> {
                if (v.startsWith(".") || v.startsWith("${")) {
                    // bind mounts are the integrators' configuration checkout, never written by the hub
                    assertThat(v).endsWith(":ro");
                } else {
                    assertThat(declared).contains(v.substring(0, v.indexOf(':')));
                }
            });
        }
        Map<String, Object> dependsOn = (Map<String, Object>) service("hub").get("depends_on");
        assertThat(dependsOn.keySet()).containsExactlyInAnyOrder("postgres", "artemis");
        assertThat(dependsOn.values()).allSatisfy(d -> assertThat(((Map<String, Object>) d).get("condition"))
                .isEqualTo("service_healthy"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void brokerGetsTheAddressSettingsOfTheHubsEmbeddedBroker() throws IOException {
        String mount = ((List<String>) service("artemis").get("volumes"))
                .stream()
                        .filter(v -> v.endsWith("/etc-override/broker.properties:ro"))
                        .findFirst()
                        .orElseThrow(() -> new AssertionError("artemis mounts no etc-override/broker.properties"));
        Path file = Path.of("..", mount.substring(0, mount.indexOf(':')));
        assertThat(file).as("the broker properties the artemis service mounts").exists();
        java.util.Properties broker = new java.util.Properties();
        try (InputStream in = Files.newInputStream(file)) {
            broker.load(in);
        }
        Map<String, String> hub = flatConfig("application.yml");
        String outbound = "addressSettings.\"hub.outbound.#\".";
        assertThat(broker.getProperty(outbound + "maxDeliveryAttempts"))
                .isEqualTo(hub.get("cbhealth.broker.outbound-max-delivery-attempts"));
        assertThat(broker.getProperty(outbound + "redeliveryDelay"))
                .isEqualTo(String.valueOf(java.time.Duration.parse("PT"
                                + hub.get("cbhealth.broker.outbound-redelivery-delay")
                                        .toUpperCase())
                        .toMillis()));
        assertThat(broker.getProperty(outbound + "deadLetterAddress"))
                .isEqualTo(hub.get("cbhealth.broker.dead-letter-address"));
        assertThat(broker.getProperty(outbound + "expiryAddress")).isEqualTo(hub.get("cbhealth.broker.expiry-address"));
        assertThat(broker.getProperty(
                        "addressSettings." + hub.get("cbhealth.broker.dead-letter-address") + ".maxDeliveryAttempts"))
                .isEqualTo("-1");
    }

    /**
     * Variables referenced by the configuration files the compose profiles load, except the embedded
     * broker's own settings ({@code cbhealth.broker.*}), which an external broker does not read.
     */
    private static Map<String, Set<String>> variablesReadByTheHub() throws IOException {
        List<String> files = new ArrayList<>();
        files.add("application.yml");
        profiles.forEach(p -> files.add("application-" + p + ".yml"));
        Map<String, Set<String>> read = new LinkedHashMap<>();
        for (String file : files) {
            flatConfig(file).forEach((key, value) -> {
                if (profiles.contains("external-broker") && key.startsWith("cbhealth.broker.")) {
                    return;
                }
                Matcher m = ENV_REFERENCE.matcher(value);
                while (m.find()) {
                    read.computeIfAbsent(m.group(1), v -> new TreeSet<>()).add(file + ": " + key);
                }
            });
        }
        return read;
    }

    private static Map<String, String> flatConfig(String resource) throws IOException {
        try (InputStream in = DockerComposeConfigTest.class.getResourceAsStream("/" + resource)) {
            assertThat(in).as(resource + " on the classpath").isNotNull();
            Map<String, String> flat = new LinkedHashMap<>();
            flatten("", new Yaml().load(in), flat);
            return flat;
        }
    }

    @SuppressWarnings("unchecked")
    private static void flatten(String prefix, Object node, Map<String, String> into) {
        if (node instanceof Map<?, ?> map) {
            map.forEach((k, v) -> flatten(prefix.isEmpty() ? String.valueOf(k) : prefix + "." + k, v, into));
        } else if (node instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                flatten(prefix + "[" + i + "]", list.get(i), into);
            }
        } else {
            into.put(prefix, String.valueOf(node));
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> service(String name) {
        return (Map<String, Object>) services.get(name);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> environment(String name) {
        Map<String, String> env = new LinkedHashMap<>();
        ((Map<String, Object>) service(name).get("environment")).forEach((k, v) -> env.put(k, String.valueOf(v)));
        return env;
    }

    @SuppressWarnings("unchecked")
    private static List<String> ports(String name) {
        return ((List<Object>) service(name).getOrDefault("ports", List.of()))
                .stream().map(String::valueOf).toList();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> healthCheck(String name) {
        return (Map<String, Object>) service(name).getOrDefault("healthcheck", Map.of());
    }
}
