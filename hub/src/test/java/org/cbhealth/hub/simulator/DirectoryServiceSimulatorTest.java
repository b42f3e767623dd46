package org.cbhealth.hub.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.cbhealth.hub.support.SimulatorServer;
import org.cbhealth.routes.directory.model.CatalogueRead;
import org.cbhealth.routes.directory.model.DepartmentRecord;
import org.cbhealth.routes.directory.soap.DirectoryPoll;
import org.cbhealth.routes.directory.soap.DirectoryPollException;
import org.cbhealth.routes.directory.soap.DirectorySoapContract;
import org.cbhealth.routes.directory.soap.SoapDirectoryReader;
import org.cbhealth.routes.soap.HardenedXml;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The SOAP directory service simulator over real HTTP, driven by the hub's own page protocol ({@link DirectoryPoll}):
 * the demo directory of UKC Maribor comes in pages that add up to a complete listing; bad requests and the failures it
 * is told to simulate come back as SOAP Faults with their codes.
 */
class DirectoryServiceSimulatorTest {

    private static final String PATH = "/directory/si-ukc-maribor";

    private static DirectoryServiceSimulator simulator;
    private static SimulatorServer server;
    private final HttpClient http = HttpClient.newHttpClient();
    private final HardenedXml xml = new HardenedXml();

    @BeforeAll
    static void startSimulator() {
        simulator = new DirectoryServiceSimulator(fixture());
        server = new SimulatorServer(Map.of(PATH, simulator)).start();
    }

    @AfterAll
    static void stopSimulator() {
        server.close();
    }

    @AfterEach
    void answerAgain() {
        simulator.fail(DirectoryServiceSimulator.Failure.NONE);
        simulator.serve(fixture());
    }

    @Test
    void shouldServeTheDemoDirectoryInPagesThatMakeACompleteListing() {
        DirectoryPoll poll = new DirectoryPoll(xml, 5, 10);
        while (!poll.complete()) {
            Answer answer = post(poll.nextRequest());
            poll.take(answer.body(), answer.status());
        }

        assertThat(poll.pages()).isEqualTo(3);
        assertThat(poll.records()).isEqualTo(12);
        CatalogueRead read = new SoapDirectoryReader().read(poll.listing());
        assertThat(read.refused()).isEmpty();
        assertThat(read.catalogue().departments())
                .extracting(DepartmentRecord::code)
                .containsExactly("KAR-01", "NEV-01", "TOR-01", "PED-01", "FRM-01");
        assertThat(read.catalogue().size()).isEqualTo(14);
    }

    @Test
    void shouldAnswerATokenOfAnEarlierSnapshotWithSnapshotExpired() {
        DirectoryPoll poll = new DirectoryPoll(xml, 5, 10);
        Answer first = post(poll.nextRequest());
        poll.take(first.body(), first.status());
        simulator.serve(fixture()); // the directory changed between two pages

        Answer second = post(poll.nextRequest());

        assertThat(second.status()).isEqualTo(500);
        assertThatThrownBy(() -> poll.take(second.body(), second.status()))
                .isInstanceOf(DirectoryPollException.class)
                .hasMessageMatching(
                        "page 2: HTTP 500, SOAP Fault \\w+:Client \\(SnapshotExpired\\): the page token is of a"
                                + " snapshot no longer kept; start again from the first page");
    }

    @Test
    void shouldAnswerBadRequestsWithClientFaults() {
        Answer badSize = post(request("<d:pageSize>1001</d:pageSize>"));
        Answer badToken = post(request("<d:pageToken>not-a-token-of-mine</d:pageToken>"));

        assertThat(fault(badSize))
                .matches("HTTP 500, SOAP Fault \\w+:Client \\(InvalidRequest\\): pageSize '1001' is"
                        + " not a whole number from 1 to 1000");
        assertThat(fault(badToken))
                .matches("HTTP 500, SOAP Fault \\w+:Client \\(InvalidPageToken\\): this service never issued the page"
                        + " token");
    }

    @Test
    void shouldFailOnDemand() {
        simulator.fail(DirectoryServiceSimulator.Failure.EVERY_REQUEST);
        Answer refused = post(request(""));
        simulator.fail(DirectoryServiceSimulator.Failure.PAGES_AFTER_THE_FIRST);
        DirectoryPoll poll = new DirectoryPoll(xml, 5, 10);
        Answer first = post(poll.nextRequest());
        poll.take(first.body(), first.status());
        Answer second = post(poll.nextRequest());

        assertThat(fault(refused))
                .matches("HTTP 500, SOAP Fault \\w+:Server \\(ServiceUnavailable\\): the directory service is not"
                        + " available now");
        assertThat(first.status()).isEqualTo(200);
        assertThat(fault(second)).contains("Server (ServiceUnavailable)");
    }

    @Test
    void shouldPublishTheWsdlWithItsOwnAddress() throws Exception {
        HttpResponse<String> wsdl = http.send(
                HttpRequest.newBuilder(URI.create(server.url(PATH) + "?wsdl")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(wsdl.statusCode()).isEqualTo(200);
        assertThat(wsdl.body()).contains("name=\"ListDirectory\"").contains("location=\"" + server.url(PATH) + "\"");
    }

    private record Answer(int status, byte[] body) {}

    private Answer post(byte[] envelope) {
        try {
            HttpResponse<byte[]> response = http.send(
                    HttpRequest.newBuilder(URI.create(server.url(PATH)))
                            .header("Content-Type", "text/xml; charset=UTF-8")
                            .header("SOAPAction", "\"" + DirectorySoapContract.LIST_DIRECTORY_ACTION + "\"")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(envelope))
                            .build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            return new Answer(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** What the hub's page protocol makes of a Fault answer. */
    private String fault(Answer answer) {
        try {
            new DirectoryPoll(xml, 5, 10).take(answer.body(), answer.status());
        } catch (DirectoryPollException e) {
            return e.getMessage().substring("page 1: ".length());
        }
        throw new AssertionError("not a fault: " + new String(answer.body(), StandardCharsets.UTF_8));
    }

    private static byte[] request(String content) {
        return ("<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body><d:ListDirectory xmlns:d=\""
                        + DirectorySoapContract.NAMESPACE + "\">" + content
                        + "</d:ListDirectory></s:Body></s:Envelope>")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] fixture() {
        try (InputStream in =
                DirectoryServiceSimulatorTest.class.getResourceAsStream("/simulator/directory/si-ukc-maribor.xml")) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
