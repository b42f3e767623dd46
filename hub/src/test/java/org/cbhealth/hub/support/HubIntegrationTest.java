package org.cbhealth.hub.support;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.cbhealth.hub.CbHealthHubApplication;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of the integration tests that share one running hub (one Spring context for all of them): real
 * HTTP port, embedded Artemis with its TCP acceptor on a free port, H2 file database in a fresh directory.
 */
@AutoConfigureObservability
@SpringBootTest(classes = CbHealthHubApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class HubIntegrationTest {

    private static final Path DATA_DIR = newDataDir();
    protected static final int BROKER_PORT = FreePorts.next();

    @LocalServerPort
    protected int httpPort;

    @DynamicPropertySource
    static void hubProperties(DynamicPropertyRegistry registry) {
        registry.add("cbhealth.data-dir", DATA_DIR::toString);
        registry.add("cbhealth.broker.acceptor-port", () -> BROKER_PORT);
    }

    protected String fhirBase() {
        return "http://127.0.0.1:" + httpPort + "/fhir";
    }

    /** A real HAPI REST client against the running hub, as a partner or staff tool would use it. */
    protected IGenericClient fhirClient() {
        return FhirClients.forBase(fhirBase());
    }

    protected static String brokerUrl() {
        return "tcp://127.0.0.1:" + BROKER_PORT;
    }

    private static Path newDataDir() {
        try {
            return Files.createTempDirectory("cbhealth-it-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
