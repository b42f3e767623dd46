package org.cbhealth.hub.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;
import org.cbhealth.hub.support.AdminApi;
import org.cbhealth.hub.support.HubIntegrationTest;
import org.cbhealth.hub.support.ParkedMessages.Parked;
import org.cbhealth.hub.support.PartnerFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The FHIR REST part of RELIABILITY.md's bad-input matrix, over real HTTP against the shared hub: {@code /fhir} and a
 * partner's FHIR directory channel ({@code POST /api/partners/<id>/push}). Each kind is answered 4xx with an
 * OperationOutcome naming the element or position, nothing is fetched (a local listener counts connections), what the
 * partner's channel refuses is parked with its reason, and a good resource sent right after is stored.
 */
class BadInputFhirRestIT extends HubIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newHttpClient();
    private String partner;
    private HttpServer trap;
    private final AtomicInteger fetches = new AtomicInteger();

    @TempDir
    Path dir;

    @BeforeEach
    void partnerAndFetchTrap() throws Exception {
        trap = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        trap.createContext("/", exchange -> {
            fetches.incrementAndGet();
            byte[] body = "<!ENTITY leaked \"fetched\">".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        trap.start();
        partner = "it-bad-" + UUID.randomUUID().toString().substring(0, 6);
        PartnerFiles.write(
                PARTNERS_DIR,
                partner + ".yaml",
                PartnerFiles.partner(
                        partner,
                        """
                inbound:
                  - name: push
                    kind: rest
                    format: fhir
                    flow: directory
                """));
        AdminApi admin = new AdminApi(baseUrl(), ADMIN_USER, ADMIN_PASSWORD);
        await().atMost(WAIT).untilAsserted(() -> {
            JsonNode definition = admin.partner(partner);
            assertThat(definition).isNotNull();
            assertThat(definition.get("routes").findValuesAsText("state")).containsOnly("Started");
        });
    }

    @AfterEach
    void stopTrap() {
        trap.stop(0);
    }

    @Test
    void invalidJsonAndXmlAre400NamingThePosition() throws Exception {
        Answer json = fhir("Organization", "{\"resourceType\":\"Organization\",\"name\":", "application/fhir+json");
        assertThat(json.status()).isEqualTo(400);
        assertThat(json.diagnostics())
                .contains("Failed to parse JSON encoded FHIR content")
                .contains("line: 1");

        Answer xml = fhir(
                "Organization",
                "<Organization xmlns=\"http://hl7.org/fhir\"><name value=\"x\">",
                "application/fhir+xml");
        assertThat(xml.status()).isEqualTo(400);
        assertThat(xml.diagnostics()).contains("XML");

        Answer channel = push("{\"resourceType\":\"Organization\",\"name\":", "application/fhir+json");
        assertThat(channel.status()).isEqualTo(422);
        assertThat(channel.diagnostics()).startsWith("Not a valid FHIR R4 resource");
        Parked parked = parkedOne();
        assertThat(parked.failedBy()).isEqualTo("sender");
        assertThat(parked.reason()).startsWith("Not a valid FHIR R4 resource");
        assertThat(parked.raw()).isEqualTo("{\"resourceType\":\"Organization\",\"name\":");
        assertGoodOnesStored();
    }

    @Test
    void unknownElementsAre400NamingTheElement() throws Exception {
        Answer answer = fhir(
                "Organization", "{\"resourceType\":\"Organization\",\"nmae\":\"Klinika\"}", "application/fhir+json");

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.code()).isEqualTo("structure");
        assertThat(answer.expression()).isEqualTo("Organization.nmae");
        assertThat(answer.diagnostics()).contains("Unknown element 'nmae'");
        assertGoodOnesStored();
    }

    @Test
    void xxeAndEntityExpansionAre400AndNothingIsRead() throws Exception {
        Path secret = Files.writeString(dir.resolve("secret.txt"), "TOP-SECRET-MARKER");
        String xml = "<?xml version=\"1.0\"?>\n<!DOCTYPE Organization [\n"
                + "  <!ENTITY file SYSTEM \"" + secret.toUri() + "\">\n"
                + "  <!ENTITY % remote SYSTEM \"http://127.0.0.1:"
                + trap.getAddress().getPort() + "/evil.dtd\"> %remote;\n"
                + "  <!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">\n]>\n"
                + "<Organization xmlns=\"http://hl7.org/fhir\"><name value=\"&file;&b;\"/></Organization>";

        Answer answer = fhir("Organization", xml, "application/fhir+xml");

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.code()).isEqualTo("security");
        assertThat(answer.expression()).isEqualTo("line 6, column 4");
        assertThat(answer.diagnostics())
                .isEqualTo("a document type declaration (DOCTYPE) is not accepted: entities are never declared,"
                        + " expanded or fetched");
        assertThat(answer.body()).doesNotContain("TOP-SECRET-MARKER");
        assertThat(fetches.get()).isZero();

        Answer channel = push(xml, "application/fhir+xml");
        assertThat(channel.status()).isEqualTo(422);
        assertThat(channel.expression()).isEqualTo("line 6, column 4");
        assertThat(parkedOne().raw()).isEqualTo(xml);
        assertThat(fetches.get()).isZero();
        assertGoodOnesStored();
    }

    @Test
    void deepNestingIs413NamingThePosition() throws Exception {
        String deep = "{\"resourceType\":\"Organization\",\"name\":\"x\",\"alias\":" + "[".repeat(150) + "]".repeat(150)
                + "}";

        Answer answer = fhir("Organization", deep, "application/fhir+json");

        assertThat(answer.status()).isEqualTo(413);
        assertThat(answer.code()).isEqualTo("too-long");
        assertThat(answer.expression()).isEqualTo("line 1, column 151");
        assertThat(answer.diagnostics()).isEqualTo("nested deeper than 100 levels");

        Answer channel = push(deep, "application/fhir+json");
        assertThat(channel.status()).isEqualTo(422);
        assertThat(channel.expression()).isEqualTo("line 1, column 151");
        assertThat(parkedOne().reason())
                .isEqualTo("FHIR input refused: line 1, column 151: nested deeper than 100 levels");
        assertGoodOnesStored();
    }

    @Test
    void hugeStringsAndNumbersAre413() throws Exception {
        Answer string = fhir(
                "Organization",
                "{\"resourceType\":\"Organization\",\"name\":\"" + "x".repeat(3 * 1024 * 1024) + "\"}",
                "application/fhir+json");
        assertThat(string.status()).isEqualTo(413);
        assertThat(string.diagnostics()).isEqualTo("a string longer than 2097152 characters");

        Answer number = fhir(
                "Observation",
                "{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"x\"},\"valueQuantity\":"
                        + "{\"value\":" + "9".repeat(100) + "}}",
                "application/fhir+json");
        assertThat(number.status()).isEqualTo(413);
        assertThat(number.expression()).startsWith("line 1, column ");
        assertThat(number.diagnostics()).isEqualTo("a number longer than 64 characters");
        assertGoodOnesStored();
    }

    @Test
    void gzipBombIs413AndAGoodGzipBodyIsStored() throws Exception {
        byte[] bomb = gzip(new byte[64 * 1024 * 1024]);
        assertThat(bomb.length).isLessThan(1024 * 1024);

        Answer answer = send("/fhir/Organization", bomb, "application/fhir+json", true);
        assertThat(answer.status()).isEqualTo(413);
        assertThat(answer.expression()).isEqualTo("Content-Encoding");
        assertThat(answer.diagnostics())
                .isEqualTo("the gzip body inflates to more than the limit of 10485760 bytes; split the message");

        Answer channel = send("/api/partners/" + partner + "/push", bomb, "application/fhir+json", true);
        assertThat(channel.status()).isEqualTo(413);
        Parked parked = parkedOne();
        assertThat(parked.reason())
                .isEqualTo("Content-Encoding: the gzip body inflates to more than the limit of 10485760 bytes;"
                        + " split the message");
        assertThat(parked.failedBy()).isEqualTo("sender");

        String name = "Gzip-" + UUID.randomUUID();
        Answer good = send(
                "/fhir/Organization",
                gzip(organization(name).getBytes(StandardCharsets.UTF_8)),
                "application/fhir+json",
                true);
        assertThat(good.status()).isEqualTo(201);
        assertThat(search(name)).isEqualTo(1);
    }

    @Test
    void hugeBundlesAndBodiesAre413NamingBundleEntry() throws Exception {
        StringBuilder bundle = new StringBuilder("{\"resourceType\":\"Bundle\",\"type\":\"batch\",\"entry\":[");
        for (int i = 0; i < 1001; i++) {
            bundle.append(i == 0 ? "" : ",")
                    .append("{\"request\":{\"method\":\"GET\",\"url\":\"Organization?name=x\"}}");
        }
        bundle.append("]}");

        Answer answer =
                send("/fhir", bundle.toString().getBytes(StandardCharsets.UTF_8), "application/fhir+json", false);
        assertThat(answer.status()).isEqualTo(413);
        assertThat(answer.expression()).isEqualTo("Bundle.entry");
        assertThat(answer.diagnostics()).startsWith("more than 1000 entries (at line 1, column ");

        byte[] huge = new byte[10 * 1024 * 1024 + 1];
        java.util.Arrays.fill(huge, (byte) ' ');
        Answer body = send("/fhir/Organization", huge, "application/fhir+json", false);
        assertThat(body.status()).isEqualTo(413);
        assertThat(body.diagnostics())
                .isEqualTo("the body of 10485761 bytes is larger than the limit of 10485760 bytes; split the message");
        assertGoodOnesStored();
    }

    @Test
    void absoluteReferencesAreRefusedAndNeverFetched() throws Exception {
        String url = "http://127.0.0.1:" + trap.getAddress().getPort() + "/fhir/Organization/1";

        Answer answer = fhir(
                "Organization",
                organization("Abs-" + UUID.randomUUID())
                        .replace("\"active\":true", "\"active\":true,\"partOf\":{\"reference\":\"" + url + "\"}"),
                "application/fhir+json");

        assertThat(answer.status()).isIn(400, 422);
        assertThat(answer.diagnostics()).contains(url);
        assertThat(fetches.get()).isZero();
        assertGoodOnesStored();
    }

    @Test
    void wrongContentTypeOrCharsetIs415() throws Exception {
        String organization = "{\"resourceType\":\"Organization\",\"name\":\"Klinika\"}";

        Answer plain = fhir("Organization", organization, "text/plain");
        assertThat(plain.status()).isEqualTo(415);
        assertThat(plain.code()).isEqualTo("not-supported");
        assertThat(plain.expression()).isEqualTo("Content-Type");
        assertThat(plain.diagnostics()).startsWith("Content-Type 'text/plain' is not accepted here");

        Answer latin1 = fhir("Organization", organization, "application/fhir+json; charset=ISO-8859-1");
        assertThat(latin1.status()).isEqualTo(415);
        assertThat(latin1.diagnostics()).isEqualTo("charset 'iso-8859-1' is not accepted; FHIR is exchanged in UTF-8");

        Answer deflate = send(
                "/fhir/Organization",
                organization.getBytes(StandardCharsets.UTF_8),
                "application/fhir+json",
                false,
                "deflate");
        assertThat(deflate.status()).isEqualTo(415);
        assertThat(deflate.expression()).isEqualTo("Content-Encoding");
        assertGoodOnesStored();
    }

    @Test
    void aConditionalUpdateOnAPartnersChannelIsRefusedAsItCouldMatchAnotherPartnersRecords() throws Exception {
        String bundle = "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[{\"resource\":"
                + "{\"resourceType\":\"HealthcareService\",\"name\":\"Kardiologie\",\"active\":false},\"request\":"
                + "{\"method\":\"PUT\",\"url\":\"HealthcareService?identifier=https://fhir.cbhealth.eu/sid/partner/"
                + "other-partner/healthcareservice|kardio\"}}]}";

        Answer answer = push(bundle, "application/fhir+json");

        assertThat(answer.status()).isEqualTo(422);
        assertThat(answer.expression()).isEqualTo("Bundle.entry[0]");
        assertThat(answer.diagnostics()).startsWith("request.url: 'HealthcareService?identifier=");
        assertThat(answer.diagnostics()).contains("could match another partner's records");
        assertThat(parkedOne().raw()).isEqualTo(bundle);
        assertGoodOnesStored();
    }

    /** A good Organization on /fhir and one on the partner's channel, right after the bad input: both stored. */
    private void assertGoodOnesStored() throws Exception {
        String name = "Good-" + UUID.randomUUID();
        Answer created = fhir("Organization", organization(name), "application/fhir+json");
        assertThat(created.status()).isEqualTo(201);
        assertThat(search(name)).isEqualTo(1);

        String own = "good-" + UUID.randomUUID().toString().substring(0, 8);
        Answer pushed = push(
                "{\"resourceType\":\"Organization\",\"id\":\"" + own + "\",\"active\":true,\"name\":\"Klinika " + own
                        + "\",\"identifier\":[{\"system\":\"https://fhir.cbhealth.eu/sid/registry/si-prs\",\"value\":\""
                        + own + "\"}],\"address\":[{\"country\":\"SI\"}]}",
                "application/fhir+json");
        assertThat(pushed.status()).isEqualTo(200);
        assertThat(get("/fhir/Organization/" + partner + "-" + own).status()).isEqualTo(200);
    }

    /** A valid cbh-organization with that name. */
    private static String organization(String name) {
        return "{\"resourceType\":\"Organization\",\"active\":true,\"name\":\"" + name + "\",\"identifier\":[{"
                + "\"system\":\"urn:oid:1.2.100.2\",\"value\":\"" + name + "\"}],\"address\":[{\"country\":\"BG\"}]}";
    }

    private int search(String name) throws Exception {
        return get("/fhir/Organization?name:exact=" + name).json().get("total").asInt();
    }

    private Parked parkedOne() {
        await().atMost(WAIT).until(() -> parked().count(partner) >= 1);
        var all = parked().of(partner);
        assertThat(all).hasSize(1);
        assertThat(all.get(0).channel()).isEqualTo("push");
        assertThat(all.get(0).failedBy()).isEqualTo("sender");
        return all.get(0);
    }

    private Answer fhir(String type, String body, String contentType) throws Exception {
        return send("/fhir/" + type, body.getBytes(StandardCharsets.UTF_8), contentType, false);
    }

    private Answer push(String body, String contentType) throws Exception {
        return send("/api/partners/" + partner + "/push", body.getBytes(StandardCharsets.UTF_8), contentType, false);
    }

    private Answer send(String path, byte[] body, String contentType, boolean gzip) throws Exception {
        return send(path, body, contentType, gzip, gzip ? "gzip" : null);
    }

    /** Posts to /fhir as the integrator, to the partner's channel as the partner's system. */
    private Answer send(String path, byte[] body, String contentType, boolean gzip, String encoding) throws Exception {
        HttpRequest.Builder request = authenticated(path, HttpRequest.newBuilder(URI.create(baseUrl() + path)))
                .timeout(WAIT)
                .header("Content-Type", contentType)
                .header("Accept", "application/fhir+json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (encoding != null) {
            request.header("Content-Encoding", encoding);
        }
        return answer(http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)));
    }

    private Answer get(String path) throws Exception {
        return answer(http.send(
                authenticated(path, HttpRequest.newBuilder(URI.create(baseUrl() + path)))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)));
    }

    private HttpRequest.Builder authenticated(String path, HttpRequest.Builder request) {
        return path.startsWith("/api/partners/" + partner + "/") ? asPartner(partner, request) : asIntegrator(request);
    }

    private static Answer answer(HttpResponse<String> response) throws IOException {
        JsonNode json = response.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(response.body());
        return new Answer(response.statusCode(), json, response.body());
    }

    private static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
            zip.write(bytes);
        }
        return out.toByteArray();
    }

    private record Answer(int status, JsonNode json, String body) {
        String code() {
            return json.at("/issue/0/code").asText();
        }

        String expression() {
            return json.at("/issue/0/expression/0").asText();
        }

        String diagnostics() {
            return json.at("/issue/0/diagnostics").asText();
        }
    }
}
