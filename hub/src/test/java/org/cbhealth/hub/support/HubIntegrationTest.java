package org.cbhealth.hub.support;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import jakarta.jms.JMSException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.cbhealth.hub.CbHealthHubApplication;
import org.cbhealth.hub.audit.AuditEventWriter;
import org.cbhealth.hub.messaging.BrokerSecurityManager;
import org.cbhealth.hub.security.HubPrincipal.StaffRole;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
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
    /** The shared hub's partner directory (no demo partners: tests add their own files). */
    protected static final Path PARTNERS_DIR = subdirectory("partners");
    /** The shared hub's custom routes directory. */
    protected static final Path ROUTES_DIR = subdirectory("routes");

    /** The integrator account ({@code cbhealth.admin.*}). */
    protected static final String ADMIN_USER = "integrator";

    protected static final String ADMIN_PASSWORD = "it-admin-secret";
    /** The shared hub's broker password of its own user {@code cbhealth-hub} (all rights on the broker). */
    protected static final String HUB_BROKER_PASSWORD = "it-broker-secret";
    /** The viewer account ({@code cbhealth.staff.viewer.*}). */
    protected static final String VIEWER_USER = "viewer";

    protected static final String VIEWER_PASSWORD = "it-viewer-secret";
    /** The coordinator account ({@code cbhealth.staff.coordinator.*}). */
    protected static final String COORDINATOR_USER = "coordinator";

    protected static final String COORDINATOR_PASSWORD = "it-coordinator-secret";

    @LocalServerPort
    protected int httpPort;

    @DynamicPropertySource
    static void hubProperties(DynamicPropertyRegistry registry) {
        registry.add("cbhealth.data-dir", DATA_DIR::toString);
        registry.add("cbhealth.broker.acceptor-port", () -> BROKER_PORT);
        registry.add("cbhealth.partners.directory", PARTNERS_DIR::toString);
        registry.add("cbhealth.partners.routes-directory", ROUTES_DIR::toString);
        registry.add("cbhealth.partners.seed-demo", () -> "false");
        registry.add("cbhealth.partners.scan-interval", () -> "200ms");
        registry.add("cbhealth.admin.password", () -> ADMIN_PASSWORD);
        registry.add("cbhealth.broker.hub-password", () -> HUB_BROKER_PASSWORD);
        registry.add("cbhealth.staff.viewer.password", () -> VIEWER_PASSWORD);
        registry.add("cbhealth.staff.coordinator.password", () -> COORDINATOR_PASSWORD);
        // delivery routes: the breaker opens after 2 failures and probes every 0.5-1 s, so outages stay short
        registry.add("cbhealth.delivery.breaker.failure-threshold", () -> "2");
        registry.add("cbhealth.delivery.breaker.half-open-after", () -> "500ms");
        registry.add("cbhealth.delivery.breaker.max-half-open-after", () -> "1s");
    }

    protected String fhirBase() {
        return "http://127.0.0.1:" + httpPort + "/fhir";
    }

    /** A real HAPI REST client against the running hub, as the integrator's staff tool uses it (HTTP Basic). */
    protected IGenericClient fhirClient() {
        return staffFhirClient(StaffRole.INTEGRATOR);
    }

    /** A HAPI REST client of the staff account with this role (HTTP Basic). */
    protected IGenericClient staffFhirClient(StaffRole role) {
        return FhirClients.asStaff(fhirBase(), staffUser(role), staffPassword(role));
    }

    /** A HAPI REST client of the partner's system: its access token from the hub's token endpoint. */
    protected IGenericClient partnerFhirClient(String partnerId) {
        return FhirClients.asPartner(fhirBase(), partnerId);
    }

    /** A HAPI REST client without credentials. */
    protected IGenericClient anonymousFhirClient() {
        return FhirClients.forBase(fhirBase());
    }

    /** The partner's access token (kept while valid, fetched again a minute before it expires). */
    protected String partnerAccessToken(String partnerId) {
        return partnerTokens().accessToken(partnerId);
    }

    /** The shared hub's partner tokens and token endpoint. */
    protected PartnerTokens partnerTokens() {
        return PartnerTokens.of(baseUrl());
    }

    /** The request, authenticated as the integrator (HTTP Basic). */
    protected static HttpRequest.Builder asIntegrator(HttpRequest.Builder request) {
        return asStaff(StaffRole.INTEGRATOR, request);
    }

    /** The request, authenticated as the staff account with this role (HTTP Basic). */
    protected static HttpRequest.Builder asStaff(StaffRole role, HttpRequest.Builder request) {
        return HttpAuth.basic(request, staffUser(role), staffPassword(role));
    }

    /** The request, authenticated as the partner's system (its bearer token). */
    protected HttpRequest.Builder asPartner(String partnerId, HttpRequest.Builder request) {
        return HttpAuth.partner(request, partnerTokens(), partnerId);
    }

    /** The admin API as the integrator calls it. */
    protected AdminApi admin() {
        return new AdminApi(baseUrl(), ADMIN_USER, ADMIN_PASSWORD);
    }

    /** The partner channels ({@code /api/partners/<id>/...}) as the partner's system posts to them. */
    protected AdminApi partnerApi(String partnerId) {
        return AdminApi.asPartner(baseUrl(), partnerId);
    }

    /** The user name of the staff account with this role. */
    protected static String staffUser(StaffRole role) {
        return switch (role) {
            case VIEWER -> VIEWER_USER;
            case COORDINATOR -> COORDINATOR_USER;
            case INTEGRATOR -> ADMIN_USER;
        };
    }

    /** The password of the staff account with this role. */
    protected static String staffPassword(StaffRole role) {
        return switch (role) {
            case VIEWER -> VIEWER_PASSWORD;
            case COORDINATOR -> COORDINATOR_PASSWORD;
            case INTEGRATOR -> ADMIN_PASSWORD;
        };
    }

    protected static String brokerUrl() {
        return "tcp://127.0.0.1:" + BROKER_PORT;
    }

    /**
     * A CORE connection factory logged in as the hub's own broker user: for tests that look into or feed the hub's
     * internal queues ({@code hub.*}, {@code DLQ}) or that play several parties at once.
     */
    protected static ActiveMQConnectionFactory hubBrokerConnectionFactory() {
        return new ActiveMQConnectionFactory(brokerUrl(), BrokerSecurityManager.HUB_USER, HUB_BROKER_PASSWORD);
    }

    /** The broker as the hub's own user sees it (see {@link #hubBrokerConnectionFactory()}). */
    protected static Queues hubQueues() throws JMSException {
        return new Queues(brokerUrl(), BrokerSecurityManager.HUB_USER, HUB_BROKER_PASSWORD);
    }

    @Autowired
    private JdbcTemplate hubJdbc;

    @Autowired
    private DaoRegistry hubDaos;

    @Autowired
    private AuditEventWriter hubAuditWriter;

    /** The hub's audit trail (each query waits for the audit writer's queue first); ITs assert auditing through this. */
    protected AuditTrail audit() {
        return new AuditTrail(hubDaos, hubAuditWriter);
    }

    /** What the hub has parked; ITs assert parking through this only. */
    protected ParkedMessages parked() {
        return new ParkedMessages(hubJdbc);
    }

    protected String baseUrl() {
        return "http://127.0.0.1:" + httpPort;
    }

    private static Path subdirectory(String name) {
        try {
            return Files.createDirectories(DATA_DIR.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path newDataDir() {
        try {
            return Files.createTempDirectory("cbhealth-it-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
