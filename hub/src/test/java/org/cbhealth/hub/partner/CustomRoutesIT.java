package org.cbhealth.hub.partner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.UUID;
import org.cbhealth.hub.support.HubIntegrationTest;
import org.cbhealth.hub.support.Queues;
import org.junit.jupiter.api.Test;

/** Integrators' Camel YAML DSL files: loaded when dropped in, replaced when changed, removed when deleted. */
class CustomRoutesIT extends HubIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private static String route(String id, String in, String out, String prefix) {
        return """
                - route:
                    id: %s
                    from:
                      uri: jms:queue:%s
                      steps:
                        - setBody:
                            simple: "%s${body}"
                        - to:
                            uri: jms:queue:%s
                """
                .formatted(id, in, prefix, out);
    }

    @Test
    void yamlRoutesAreLoadedReplacedAndRemovedWithoutARestart() throws Exception {
        String s = UUID.randomUUID().toString().substring(0, 8);
        String id = "custom-relay-" + s;
        String in = "it.custom." + s + ".in";
        String out = "it.custom." + s + ".out";
        String file = "relay-" + s + ".yaml";

        write(file, route(id, in, out, "v1:"));
        await().atMost(WAIT).until(() -> loadedRoutes(file).toString().contains(id));
        try (Queues queues = hubQueues()) {
            queues.send(in, "Здравствуйте");
            assertThat(queues.receive(out, 30_000)).isEqualTo("v1:Здравствуйте");

            write(file, route(id, in, out, "v2:"));
            await().atMost(WAIT).untilAsserted(() -> {
                queues.send(in, "Dober dan");
                assertThat(queues.receive(out, 5_000)).isEqualTo("v2:Dober dan");
            });

            Files.delete(ROUTES_DIR.resolve(file));
            await().atMost(WAIT).until(() -> loadedRoutes(file).isMissingNode());
            queues.send(in, "Laba diena");
            assertThat(queues.depth(in)).isEqualTo(1);
        }
    }

    @Test
    void aFileThatDoesNotLoadIsReportedAndReservedIdsAreRefused() throws Exception {
        String s = UUID.randomUUID().toString().substring(0, 8);
        write("broken-" + s + ".yaml", "- route:\n    from:\n      uri: nosuchcomponent:x\n");
        write("reserved-" + s + ".yaml", route("partner-sneaky-" + s, "it.r." + s, "it.r2." + s, ""));

        await().atMost(WAIT).untilAsserted(() -> {
            JsonNode problems = admin().get("/api/admin/routes").json().get("problems");
            assertThat(problems.findValuesAsText("file")).contains("broken-" + s + ".yaml", "reserved-" + s + ".yaml");
            assertThat(problems.findValuesAsText("reason"))
                    .anySatisfy(r -> assertThat(r).contains("nosuchcomponent"))
                    .anySatisfy(r -> assertThat(r).contains("route id 'partner-sneaky-" + s + "' is reserved"));
        });
        Files.delete(ROUTES_DIR.resolve("broken-" + s + ".yaml"));
        Files.delete(ROUTES_DIR.resolve("reserved-" + s + ".yaml"));
    }

    private JsonNode loadedRoutes(String file) {
        return admin().get("/api/admin/routes").json().get("files").path(file);
    }

    private static void write(String name, String yaml) throws Exception {
        Path temp = Files.createTempFile(ROUTES_DIR.getParent(), "route-", ".tmp");
        Files.writeString(temp, yaml, StandardCharsets.UTF_8);
        Files.move(temp, ROUTES_DIR.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
