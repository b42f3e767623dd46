package org.cbhealth.hub.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Iterator;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import javax.xml.namespace.NamespaceContext;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathFactory;
import org.cbhealth.hub.support.HubIntegrationTest;
import org.cbhealth.hub.support.ParkedMessages.Parked;
import org.cbhealth.hub.support.PartnerFiles;
import org.cbhealth.hub.support.Samples;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/**
 * The SOAP part of RELIABILITY.md's bad-input matrix, over real HTTP against the shared hub: a partner's SOAP referral
 * channel gets each kind of bad request and answers a {@code soap:Client} Fault naming the problem, fetches nothing
 * (a local listener counts connections), parks the raw request with its reason, and stores the good referral sent
 * right after; a partner's directory service that answers the hub's poll with hostile XML makes the poll fail,
 * and makes the hub fetch nothing either.
 */
class BadInputSoapIT extends HubIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String NS = "https://fhir.cbhealth.eu/soap/referral/v1";
    private static final String SOAP11 = "http://schemas.xmlsoap.org/soap/envelope/";

    private final HttpClient http = HttpClient.newHttpClient();
    private String id;
    private String dest;
    private String destRegistry;
    private HttpServer services;
    private final AtomicInteger fetches = new AtomicInteger();
    private volatile byte[] directoryAnswer = new byte[0];

    @TempDir
    Path dir;

    @BeforeEach
    void partnersWithSoapChannels() throws Exception {
        services = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        services.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            byte[] ack = envelope("<r:Ack xmlns:r=\"" + NS + "\"/>").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/xml; charset=UTF-8");
            exchange.sendResponseHeaders(200, ack.length);
            exchange.getResponseBody().write(ack);
            exchange.close();
        });
        services.createContext("/directory", exchange -> {
            exchange.getRequestBody().readAllBytes();
            byte[] answer = directoryAnswer;
            exchange.getResponseHeaders().add("Content-Type", "text/xml; charset=UTF-8");
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        services.createContext("/trap", exchange -> {
            fetches.incrementAndGet();
            byte[] body = "<!ENTITY leaked \"fetched\">".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        services.start();
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        id = "it-soapbad-" + suffix;
        dest = "it-soapdest-" + suffix;
        destRegistry = "PL-RPWDL-BAD-" + suffix;
        PartnerFiles.write(
                PARTNERS_DIR,
                dest + ".yaml",
                PartnerFiles.partner(
                                dest,
                                """
                outbound:
                  kind: soap
                  settings:
                    address: %s/pl
                referralPartners: [%s]
                """
                                        .formatted(base(), id))
                        .replace("value: " + dest, "value: \"" + destRegistry + "\""));
        PartnerFiles.write(
                PARTNERS_DIR,
                id + ".yaml",
                PartnerFiles.partner(
                        id,
                        """
                inbound:
                  - name: referrals
                    kind: soap
                    format: xml
                    flow: referral
                outbound:
                  kind: soap
                  settings:
                    address: %s/ua
                referralPartners: [%s]
                """
                                .formatted(base(), dest)));
        await().atMost(WAIT).untilAsserted(() -> {
            for (String partnerId : java.util.List.of(id, dest)) {
                JsonNode partner = admin().partner(partnerId);
                assertThat(partner).isNotNull();
                assertThat(partner.get("routes").findValuesAsText("state")).containsOnly("Started");
            }
        });
    }

    @AfterEach
    void stopServices() throws Exception {
        services.stop(0);
    }

    @Test
    void dtdAndExternalEntitiesAreAClientFaultAndNothingIsRead() throws Exception {
        Path secret = Files.writeString(dir.resolve("secret.txt"), "TOP-SECRET-MARKER");
        String request = "<?xml version=\"1.0\"?>\n<!DOCTYPE s:Envelope [\n"
                + "  <!ENTITY file SYSTEM \"" + secret.toUri() + "\">\n"
                + "  <!ENTITY % remote SYSTEM \"" + base() + "/trap/evil.dtd\"> %remote;\n]>\n"
                + envelope("<c:SubmitReferral xmlns:c=\"" + NS + "\"><c:reason>&file;</c:reason></c:SubmitReferral>");

        HttpResponse<String> answer = post(request.getBytes(StandardCharsets.UTF_8));

        assertClientFault(
                answer,
                "line 5, column 4",
                "a document type declaration (DOCTYPE) is not accepted:"
                        + " entities are never declared, expanded or fetched");
        assertThat(answer.body()).doesNotContain("TOP-SECRET-MARKER");
        assertThat(fetches.get()).isZero();
        assertParked(request, "a document type declaration (DOCTYPE) is not accepted");
        assertGoodReferralStored();
    }

    @Test
    void xopIncludeOfAFileOrUrlIsAClientFaultAndNeverFetched() throws Exception {
        Path secret = Files.writeString(dir.resolve("secret.pdf"), "TOP-SECRET-MARKER");
        String request = envelope("<c:SubmitReferral xmlns:c=\"" + NS + "\"><c:reason>"
                + "<xop:Include xmlns:xop=\"http://www.w3.org/2004/08/xop/include\" href=\"" + secret.toUri() + "\"/>"
                + "<xop:Include xmlns:xop=\"http://www.w3.org/2004/08/xop/include\" href=\"" + base() + "/trap/x\"/>"
                + "</c:reason></c:SubmitReferral>");

        HttpResponse<String> answer = post(request.getBytes(StandardCharsets.UTF_8));

        assertClientFault(answer, "/Envelope/Body/c:SubmitReferral/c:reason/xop:Include", null);
        assertThat(xpath().evaluate("//cbh:problem[1]/cbh:reason", parse(answer.body())))
                .contains("xop:Include");
        assertThat(answer.body()).doesNotContain("TOP-SECRET-MARKER");
        assertThat(fetches.get()).isZero();
        assertParked(request, "xop:Include");
        assertGoodReferralStored();
    }

    @Test
    void unknownOperationIsAClientFaultNamingIt() throws Exception {
        String request = envelope("<c:DeleteReferral xmlns:c=\"" + NS + "\"/>");

        HttpResponse<String> answer = post(request.getBytes(StandardCharsets.UTF_8));

        assertClientFault(answer, "/Envelope/Body/c:DeleteReferral", null);
        assertThat(xpath().evaluate("//cbh:problem[1]/cbh:reason", parse(answer.body())))
                .startsWith("unknown operation {" + NS + "}DeleteReferral; this service has");
        assertParked(request, "unknown operation {" + NS + "}DeleteReferral");
        assertGoodReferralStored();
    }

    @Test
    void deeplyNestedXmlIsAClientFault() throws Exception {
        String request = envelope("<c:SubmitReferral xmlns:c=\"" + NS + "\"><c:reason>" + "<x>".repeat(100)
                + "</x>".repeat(100) + "</c:reason></c:SubmitReferral>");

        HttpResponse<String> answer = post(request.getBytes(StandardCharsets.UTF_8));

        assertClientFault(answer, "line 1, column 336", "elements nested deeper than 64 levels are not accepted");
        assertParked(request, "elements nested deeper than 64 levels are not accepted");
        assertGoodReferralStored();
    }

    @Test
    void oversizeBodyIsAClientFault() throws Exception {
        byte[] huge = new byte[10_485_760 + 1024];
        Arrays.fill(huge, (byte) ' ');
        byte[] start = ("<s:Envelope xmlns:s=\"" + SOAP11 + "\">").getBytes(StandardCharsets.UTF_8);
        System.arraycopy(start, 0, huge, 0, start.length);

        HttpResponse<String> answer = post(huge);

        assertClientFault(
                answer,
                "message",
                "larger than the limit of 10485760 bytes; send documents by url or split the message");
        assertParked(null, "larger than the limit of 10485760 bytes");
        assertGoodReferralStored();
    }

    @Test
    void aDirectoryServiceAnsweringWithHostileXmlFailsThePollAndIsNeverFollowed() throws Exception {
        Path secret = Files.writeString(dir.resolve("secret.txt"), "TOP-SECRET-MARKER");
        directoryAnswer = ("<?xml version=\"1.0\"?>\n<!DOCTYPE s:Envelope [\n"
                        + "  <!ENTITY file SYSTEM \"" + secret.toUri() + "\">\n"
                        + "  <!ENTITY % remote SYSTEM \"" + base() + "/trap/evil.dtd\"> %remote;\n]>\n"
                        + envelope("<d:ListDirectoryResponse xmlns:d=\"https://fhir.cbhealth.eu/soap/directory/v1\">"
                                + "&file;<xop:Include xmlns:xop=\"http://www.w3.org/2004/08/xop/include\" href=\""
                                + base() + "/trap/page\"/></d:ListDirectoryResponse>"))
                .getBytes(StandardCharsets.UTF_8);
        String poller = "it-soappoll-" + UUID.randomUUID().toString().substring(0, 8);
        PartnerFiles.write(
                PARTNERS_DIR,
                poller + ".yaml",
                PartnerFiles.partner(
                        poller,
                        """
                inbound:
                  - name: directory
                    kind: soap-poll
                    format: xml
                    flow: directory
                    settings:
                      address: %s/directory
                      interval: 1s
                """
                                .formatted(base())));
        try {
            await().atMost(WAIT)
                    .untilAsserted(() -> assertThat(counter(poller, "failed")).isGreaterThanOrEqualTo(2));
            assertThat(fetches.get()).isZero();
            assertThat(counter(poller, "stored")).isZero();
            assertThat(parked().count(poller)).isZero();

            // a DOCTYPE-free answer with an xop:Include: refused as no directory listing, nothing fetched either
            directoryAnswer = envelope(
                            "<d:ListDirectoryResponse xmlns:d=\"https://fhir.cbhealth.eu/soap/directory/v1\">"
                                    + "<xop:Include xmlns:xop=\"http://www.w3.org/2004/08/xop/include\" href=\""
                                    + base()
                                    + "/trap/page\"/></d:ListDirectoryResponse>")
                    .getBytes(StandardCharsets.UTF_8);
            long failed = counter(poller, "failed");
            await().atMost(WAIT)
                    .untilAsserted(() -> assertThat(counter(poller, "failed")).isGreaterThanOrEqualTo(failed + 2));
            assertThat(fetches.get()).isZero();
        } finally {
            Files.deleteIfExists(PARTNERS_DIR.resolve(poller + ".yaml"));
        }
    }

    private void assertClientFault(HttpResponse<String> answer, String location, String reason) throws Exception {
        assertThat(answer.statusCode()).isEqualTo(500);
        Document fault = parse(answer.body());
        assertThat(xpath().evaluate("/s11:Envelope/s11:Body/s11:Fault/faultcode", fault))
                .isEqualTo("soap:Client");
        assertThat(xpath().evaluate("//cbh:problem[1]/cbh:location", fault)).isEqualTo(location);
        if (reason != null) {
            assertThat(xpath().evaluate("//cbh:problem[1]/cbh:reason", fault)).isEqualTo(reason);
        }
    }

    /** The request is parked raw (null: too large to keep, only its reason) with who must act and why. */
    private void assertParked(String raw, String reasonFragment) {
        await().atMost(WAIT).until(() -> parked().count(id) >= 1);
        Parked parked = parked().of(id).get(0);
        assertThat(parked.channel()).isEqualTo("referrals");
        assertThat(parked.failedBy()).isEqualTo("sender");
        assertThat(parked.reason()).contains(reasonFragment);
        if (raw != null) {
            assertThat(parked.raw()).isEqualTo(raw);
        }
    }

    /** The good SubmitReferral, right after the bad one: stored, with the hub's referral number. */
    private void assertGoodReferralStored() throws Exception {
        byte[] request = new String(Samples.bytes("referral/soap/submit-referral-ua-to-pl.xml"), StandardCharsets.UTF_8)
                .replace("PL-RPWDL-000000012345", destRegistry)
                .getBytes(StandardCharsets.UTF_8);

        HttpResponse<String> answer = post(request);

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        Document response = parse(answer.body());
        String receipt = "/s11:Envelope/s11:Body/cbh:SubmitReferralResponse";
        assertThat(xpath().evaluate(receipt + "/cbh:disposition", response)).isEqualTo("stored");
        String number = xpath().evaluate(receipt + "/cbh:referralNumber", response);
        assertThat(number).isNotBlank();
        assertThat(fhirClient()
                        .search()
                        .byUrl("Task?identifier="
                                + org.cbhealth.profiles.CbhCanonical.partnerIdentifierSystem(id, "referral-task")
                                + "|LOKL-2026-004417")
                        .returnBundle(org.hl7.fhir.r4.model.Bundle.class)
                        .execute()
                        .getEntry())
                .hasSize(1);
    }

    /** A partner's counter; -1 while the hub does not list the partner yet. */
    private long counter(String partner, String name) {
        JsonNode definition = admin().partner(partner);
        return definition == null ? -1 : definition.get("counters").get(name).asLong();
    }

    private String base() {
        return "http://127.0.0.1:" + services.getAddress().getPort();
    }

    /** Posts to the partner's own SOAP channel, as its system does (its bearer token). */
    private HttpResponse<String> post(byte[] body) throws Exception {
        return http.send(
                asPartner(id, HttpRequest.newBuilder(URI.create(baseUrl() + "/soap/partners/" + id + "/referrals")))
                        .header("Content-Type", "text/xml; charset=UTF-8")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static String envelope(String body) {
        return "<s:Envelope xmlns:s=\"" + SOAP11 + "\"><s:Body>" + body + "</s:Body></s:Envelope>";
    }

    private static Document parse(String xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newDefaultInstance();
        factory.setNamespaceAware(true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    private static XPath xpath() {
        XPath xpath = XPathFactory.newDefaultInstance().newXPath();
        xpath.setNamespaceContext(new NamespaceContext() {
            @Override
            public String getNamespaceURI(String prefix) {
                return switch (prefix) {
                    case "s11" -> SOAP11;
                    case "cbh" -> NS;
                    default -> null;
                };
            }

            @Override
            public String getPrefix(String namespaceURI) {
                return null;
            }

            @Override
            public Iterator<String> getPrefixes(String namespaceURI) {
                return null;
            }
        });
        return xpath;
    }
}
