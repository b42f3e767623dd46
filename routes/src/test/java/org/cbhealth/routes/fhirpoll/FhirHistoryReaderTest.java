package org.cbhealth.routes.fhirpoll;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.exceptions.FhirClientConnectionException;
import ca.uhn.fhir.rest.server.exceptions.InternalErrorException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cbhealth.routes.fhirpoll.HistoryPagesServer.Answer;
import org.cbhealth.routes.fhirpoll.HistoryPagesServer.Request;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Organization;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The mCSD history reads against a server on a real socket, with HAPI's client and the channel's timeouts. */
class FhirHistoryReaderTest {

    private final FhirHistoryReader reader = new FhirHistoryReader(FhirContext.forR4Cached(), Clock.systemUTC());
    private HistoryPagesServer server;

    @BeforeAll
    static void scanTheFhirModel() {
        // as the hub does at start: the first use of a FhirContext scans every resource type
        FhirContext.forR4Cached().getResourceTypes();
    }

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void shouldReadEachTypeSinceTheCheckpointFollowingNextLinks() {
        server = new HistoryPagesServer(request -> switch (request.path()) {
            case "/r4/Organization/_history" -> request.parameters().containsKey("_offset")
                    ? Answer.page(page(null, null, "ukc-maribor"))
                    : Answer.page(page(
                            "2026-11-25T13:27:53.918Z",
                            baseUrl() + "/Organization/_history?_count=2&_offset=2",
                            "kabeg-kk",
                            "lkh-villach"));
            case "/r4/Location/_history" -> Answer.page(page("2026-11-25T13:27:54.109Z", null));
            default -> new Answer(404, null);
        });

        HistoryRun run =
                reader.read(settings(List.of("Organization", "Location"), 10), Instant.parse("2026-11-25T12:00:00Z"));

        assertThat(server.requests())
                .containsExactly(
                        new Request(
                                "/r4/Organization/_history",
                                Map.of("_since", "2026-11-25T12:00:00.000Z", "_count", "2")),
                        new Request("/r4/Organization/_history", Map.of("_count", "2", "_offset", "2")),
                        new Request(
                                "/r4/Location/_history", Map.of("_since", "2026-11-25T12:00:00.000Z", "_count", "2")));
        assertThat(run.history().getType()).isEqualTo(Bundle.BundleType.HISTORY);
        assertThat(run.history().getEntry())
                .extracting(e -> e.getResource().getIdElement().getIdPart())
                .containsExactly("kabeg-kk", "lkh-villach", "ukc-maribor");
        assertThat(run.pages()).isEqualTo(3);
        assertThat(run.since()).isEqualTo(Instant.parse("2026-11-25T12:00:00Z"));
        // the server's time when the poll began (the first page of the first type), one minute before
        assertThat(run.nextSince()).isEqualTo(Instant.parse("2026-11-25T13:26:53.918Z"));
    }

    @Test
    void shouldReadTheWholeHistoryTheFirstTime() {
        server = new HistoryPagesServer(request -> Answer.page(page("2026-11-25T13:27:53.918Z", null, "kabeg-kk")));

        HistoryRun run = reader.read(settings(List.of("Organization"), 10), null);

        assertThat(server.requests()).containsExactly(new Request("/r4/Organization/_history", Map.of("_count", "2")));
        assertThat(run.since()).isNull();
        assertThat(run.nextSince()).isEqualTo(Instant.parse("2026-11-25T13:26:53.918Z"));
    }

    @Test
    void shouldNeverMoveTheCheckpointBackBeforeTheSinceItAskedFor() {
        server = new HistoryPagesServer(request -> Answer.page(page("2026-11-25T13:27:53.918Z", null)));

        HistoryRun run = reader.read(settings(List.of("Organization"), 10), Instant.parse("2026-11-25T13:27:30Z"));

        assertThat(run.nextSince()).isEqualTo(Instant.parse("2026-11-25T13:27:30Z"));
    }

    @Test
    void shouldTakeTheServersDateHeaderWhenItsPagesCarryNoTime() {
        server = new HistoryPagesServer(request -> Answer.page(page(null, null, "kabeg-kk")));
        Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);

        HistoryRun run = reader.read(settings(List.of("Organization"), 10), null);

        Instant after = Instant.now();
        assertThat(run.nextSince().plus(Duration.ofMinutes(1))).isBetween(before, after);
        assertThat(run.nextSince().getNano()).isZero();
    }

    @Test
    void shouldFailAPollThatNeedsMorePagesThanAllowed() {
        server = new HistoryPagesServer(
                request -> Answer.page(page(null, baseUrl() + "/Organization/_history?_offset=2", "kabeg-kk")));

        assertThatThrownBy(
                        () -> reader.read(settings(List.of("Organization"), 3), Instant.parse("2026-11-25T12:00:00Z")))
                .isInstanceOf(FhirHistoryReader.HistoryTooLongException.class)
                .hasMessage("the partner's history since 2026-11-25T12:00:00Z has more than maxPages (3) pages;"
                        + " nothing was taken: raise maxPages or pageSize");
        assertThat(server.requests()).hasSize(3);
    }

    @Test
    void shouldGiveUpOnAServerThatDoesNotAnswerWithinTheReadTimeout() throws IOException {
        // a partner server that accepts connections and never answers
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                List<Socket> held = new ArrayList<>();
                try {
                    while (true) {
                        held.add(silent.accept());
                    }
                } catch (IOException closed) {
                    held.forEach(FhirHistoryReaderTest::closeQuietly);
                }
            });
            acceptor.start();
            long started = System.nanoTime();

            assertThatThrownBy(() -> reader.read(
                            settings("http://127.0.0.1:" + silent.getLocalPort() + "/r4", List.of("Organization"), 10),
                            null))
                    .isInstanceOf(FhirClientConnectionException.class)
                    .hasRootCauseInstanceOf(SocketTimeoutException.class);

            // the read timeout is 500 ms
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
        }
    }

    @Test
    void shouldFailWhenTheServerIsDownOrAnswersWithAnError() {
        server = new HistoryPagesServer(request -> new Answer(500, null));
        assertThatThrownBy(() -> reader.read(settings(List.of("Organization"), 10), null))
                .isInstanceOf(InternalErrorException.class);

        String base = baseUrl();
        server.close();
        server = null;
        assertThatThrownBy(() -> reader.read(settings(base, List.of("Organization"), 10), null))
                .isInstanceOf(FhirClientConnectionException.class);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // closing the test's own connections
        }
    }

    private String baseUrl() {
        return server.baseUrl();
    }

    private FhirPollSettings settings(List<String> types, int maxPages) {
        return settings(baseUrl(), types, maxPages);
    }

    private static FhirPollSettings settings(String baseUrl, List<String> types, int maxPages) {
        return new FhirPollSettings(
                baseUrl,
                Duration.ofMinutes(15),
                types,
                2,
                maxPages,
                Duration.ofSeconds(2),
                Duration.ofMillis(500),
                Duration.ofMinutes(1));
    }

    /** A history page of Organizations, with the server's time and a next link when given. */
    static Bundle page(String lastUpdated, String next, String... organizations) {
        Bundle page = new Bundle().setType(Bundle.BundleType.HISTORY);
        if (lastUpdated != null) {
            page.getMeta().setLastUpdatedElement(new InstantType(lastUpdated));
        }
        if (next != null) {
            page.addLink().setRelation(Bundle.LINK_NEXT).setUrl(next);
        }
        for (String id : organizations) {
            Organization organization = new Organization().setName(id);
            organization.setId("Organization/" + id);
            page.addEntry()
                    .setFullUrl("https://fhir.partner.example/r4/Organization/" + id)
                    .setResource(organization)
                    .getRequest()
                    .setMethod(Bundle.HTTPVerb.PUT)
                    .setUrl("Organization/" + id + "/_history/1");
        }
        return page;
    }
}
