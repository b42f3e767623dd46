package org.cbhealth.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.cbhealth.hub.support.DirectoryFixtures.organization;

import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.UUID;
import org.cbhealth.hub.partner.FhirPollCheckpoints;
import org.cbhealth.hub.support.FhirClients;
import org.cbhealth.hub.support.FreePorts;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Organization;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The hub on its production database: the {@code postgres} profile against a real PostgreSQL server
 * (default {@code 127.0.0.1:5432}, user {@code postgres}; override with {@code CBHEALTH_TEST_PG_HOST},
 * {@code CBHEALTH_TEST_PG_PORT}, {@code CBHEALTH_TEST_PG_USER}, {@code CBHEALTH_TEST_PG_PASSWORD}).
 *
 * <p>Without a reachable server these tests are skipped with a message saying so, unless
 * {@code CBHEALTH_REQUIRE_POSTGRES=true} (as in CI), where a missing server is a failure.
 */
class PostgresIT {

    private static final String DATABASE = "cbhealth_it";
    private static final String HOST = env("CBHEALTH_TEST_PG_HOST", "127.0.0.1");
    private static final String PORT = env("CBHEALTH_TEST_PG_PORT", "5432");
    private static final String USER = env("CBHEALTH_TEST_PG_USER", "postgres");
    private static final String PASSWORD = env("CBHEALTH_TEST_PG_PASSWORD", "");

    private static ConfigurableApplicationContext hub;
    private static int httpPort;
    private static final String ADMIN_PASSWORD = "pg-it-" + UUID.randomUUID();
    private static String skipReason;

    @BeforeAll
    static void startHubOnFreshPostgresDatabase() throws Exception {
        String adminUrl = "jdbc:postgresql://" + HOST + ":" + PORT + "/postgres";
        try (Connection admin = DriverManager.getConnection(adminUrl, USER, PASSWORD);
                Statement sql = admin.createStatement()) {
            sql.execute("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
            sql.execute("CREATE DATABASE " + DATABASE);
        } catch (SQLException e) {
            String reason = "PostgreSQL is not reachable at " + HOST + ":" + PORT + " as user " + USER + " ("
                    + e.getMessage() + ")";
            if (Boolean.parseBoolean(System.getenv("CBHEALTH_REQUIRE_POSTGRES"))) {
                fail(reason + "; CBHEALTH_REQUIRE_POSTGRES=true makes the PostgreSQL-backed tests mandatory");
            }
            skipReason = "SKIPPED PostgreSQL-backed tests: " + reason
                    + ". Start PostgreSQL or set CBHEALTH_TEST_PG_* to run them.";
            System.err.println(skipReason);
            return;
        }
        httpPort = FreePorts.next();
        hub = new SpringApplicationBuilder(CbHealthHubApplication.class)
                .profiles("postgres")
                .run(
                        "--CBHEALTH_DB_URL=jdbc:postgresql://" + HOST + ":" + PORT + "/" + DATABASE,
                        "--CBHEALTH_DB_USER=" + USER,
                        "--CBHEALTH_DB_PASSWORD=" + PASSWORD,
                        "--cbhealth.data-dir=" + Files.createTempDirectory("cbhealth-pg-"),
                        "--server.port=" + httpPort,
                        "--cbhealth.broker.acceptor-port=" + FreePorts.next(),
                        "--cbhealth.admin.password=" + ADMIN_PASSWORD);
    }

    @BeforeEach
    void skipWithoutPostgres() {
        Assumptions.assumeTrue(skipReason == null, skipReason);
    }

    @AfterAll
    static void stopHub() {
        if (hub != null) {
            hub.close();
        }
    }

    @Test
    void storesInPostgresql() {
        String product = hub.getBean(JdbcTemplate.class)
                .execute((java.sql.Connection c) -> c.getMetaData().getDatabaseProductName());
        assertThat(product).isEqualTo("PostgreSQL");
        Integer tables = hub.getBean(JdbcTemplate.class)
                .queryForObject(
                        "select count(*) from information_schema.tables where table_name = 'hfj_resource'",
                        Integer.class);
        assertThat(tables).isEqualTo(1);
    }

    @Test
    void organizationCreatedWithTheClientIsFoundByName() {
        IGenericClient client = client();
        String name = "Клиничка болница Штип " + UUID.randomUUID().toString().substring(0, 8);
        MethodOutcome created =
                client.create().resource(organization(name, "MK")).execute();

        Bundle found = client.search()
                .forResource(Organization.class)
                .where(Organization.NAME.matches().value(name))
                .returnBundle(Bundle.class)
                .execute();

        assertThat(found.getEntry()).hasSize(1);
        Organization hit = (Organization) found.getEntryFirstRep().getResource();
        assertThat(hit.getIdElement().getIdPart()).isEqualTo(created.getId().getIdPart());
        assertThat(hit.getName()).isEqualTo(name);
        Long rows = hub.getBean(JdbcTemplate.class)
                .queryForObject(
                        "select count(*) from hfj_resource where res_type = 'Organization' and res_id = ?",
                        Long.class,
                        Long.valueOf(created.getId().getIdPart()));
        assertThat(rows).isEqualTo(1L);
    }

    @Test
    void fhirPollCheckpointIsKeptWithMillisecondsAndStaysWhenAPollFails() {
        FhirPollCheckpoints checkpoints = hub.getBean(FhirPollCheckpoints.class);
        String partner = "pg-" + UUID.randomUUID().toString().substring(0, 8);

        checkpoints.failed(partner, "directory-sync", "failed: the partner's server could not be reached");
        assertThat(checkpoints.since(partner, "directory-sync")).isEmpty();
        checkpoints.advance(
                partner, "directory-sync", Instant.parse("2026-11-25T13:26:53.918Z"), "read 7 history entries");
        checkpoints.failed(partner, "directory-sync", "failed: the partner's server answered HTTP 503");

        assertThat(checkpoints.since(partner, "directory-sync")).contains(Instant.parse("2026-11-25T13:26:53.918Z"));
        FhirPollCheckpoints.State state =
                checkpoints.state(partner, "directory-sync").orElseThrow();
        assertThat(state.lastResult()).isEqualTo("failed: the partner's server answered HTTP 503");
        assertThat(state.advancedAt()).isBeforeOrEqualTo(state.polledAt());
    }

    /** The integrator's client. */
    private static IGenericClient client() {
        return FhirClients.forPort(httpPort, "integrator", ADMIN_PASSWORD);
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
