package org.cbhealth.hub.partner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
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
import java.util.Iterator;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import javax.xml.namespace.NamespaceContext;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathFactory;
import org.cbhealth.hub.support.HubIntegrationTest;
import org.cbhealth.hub.support.ParkedMessages;
import org.cbhealth.hub.support.PartnerFiles;
import org.cbhealth.hub.support.Samples;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/**
 * A partner with two SOAP channels of the hub's referral service — referrals and status updates — called over real
 * HTTP as the partner's system would: the WSDL at {@code ?wsdl}, a good SubmitReferral (kept for the translator that
 * is not in this hub version yet), and bad requests of each kind RELIABILITY.md lists, each answered with a SOAP
 * Fault naming the problem, never fetching anything, the raw request kept on the parked queue.
 */
class SoapChannelsIT extends HubIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String NS = "https://fhir.cbhealth.eu/soap/referral/v1";
    private static final String SOAP11 = "http://schemas.xmlsoap.org/soap/envelope/";
    private static final String SOAP12 = "http://www.w3.org/2003/05/soap-envelope";

    private final HttpClient http = HttpClient.newHttpClient();
    private String id;
    private String dest;
    private String destRegistry;
    private HttpServer receiver;
    private final java.util.concurrent.BlockingQueue<String> delivered =
            new java.util.concurrent.LinkedBlockingQueue<>();
    private HttpServer fetchTrap;
    private final AtomicInteger fetches = new AtomicInteger();

    @TempDir
    Path dir;

    @BeforeEach
    void partnerWithSoapChannels() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            delivered.add(exchange.getRequestURI().getPath() + " "
                    + exchange.getRequestHeaders().getFirst("SOAPAction") + "\n"
                    + new String(body, StandardCharsets.UTF_8));
            byte[] answer = envelope("<r:Ack xmlns:r=\"https://fhir.cbhealth.eu/soap/referral/v1\"/>")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/xml; charset=UTF-8");
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        receiver.start();
        String receiverBase = "http://127.0.0.1:" + receiver.getAddress().getPort();
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        id = "it-ua-" + suffix;
        dest = "it-pl-" + suffix;
        destRegistry = "PL-RPWDL-IT-" + suffix;
        PartnerFiles.write(
                PARTNERS_DIR,
                dest + ".yaml",
                PartnerFiles.partner(
                                dest,
                                """
                inbound:
                  - name: status
                    kind: soap
                    format: xml
                    flow: referral-status
                outbound:
                  kind: soap
                  settings:
                    address: %s/pl
                referralPartners: [%s]
                """
                                        .formatted(receiverBase, id))
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
                  - name: status
                    kind: soap
                    format: xml
                    flow: referral-status
                outbound:
                  kind: soap
                  settings:
                    address: %s/ua
                referralPartners: [%s]
                """
                                .formatted(receiverBase, dest)));
        await().atMost(WAIT).untilAsserted(() -> {
            for (String partnerId : java.util.List.of(id, dest)) {
                JsonNode partner = admin().partner(partnerId);
                assertThat(partner).isNotNull();
                assertThat(partner.get("routes").findValuesAsText("state")).containsOnly("Started");
            }
        });
        fetchTrap = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        fetchTrap.createContext("/", exchange -> {
            fetches.incrementAndGet();
            byte[] body = "<!ENTITY leaked \"fetched\">".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        fetchTrap.start();
    }

    @AfterEach
    void stopTrap() {
        fetchTrap.stop(0);
        receiver.stop(0);
    }

    @Test
    void channelsAreRoutesOfTheSoapTemplateServingTheWsdlWithTheirAddress() throws Exception {
        JsonNode routes = admin().partner(id).get("routes");
        assertThat(routes.findValuesAsText("id"))
                .containsExactly(
                        "partner-" + id + "-referrals-referral",
                        "partner-" + id + "-status-referral-status",
                        "partner-" + id + "-outbound-delivery");
        assertThat(routes.findValuesAsText("kind")).containsExactly("soap", "soap", "soap");

        HttpResponse<String> wsdl = get(service("referrals") + "?wsdl");

        assertThat(wsdl.statusCode()).isEqualTo(200);
        Document definitions = parse(wsdl.body());
        XPath xpath = xpath();
        assertThat(xpath.evaluate("/wsdl:definitions/@name", definitions)).isEqualTo("ReferralService");
        assertThat(xpath.evaluate("count(/wsdl:definitions/wsdl:portType/wsdl:operation)", definitions))
                .isEqualTo("2");
        assertThat(xpath.evaluate(
                        "/wsdl:definitions/wsdl:service/wsdl:port[@name='ReferralServiceSoap11']/soap:address/@location",
                        definitions))
                .isEqualTo(service("referrals"));
        assertThat(wsdl.body()).doesNotContain("PARTNER/CHANNEL");
        assertThat(xpath.evaluate("count(/wsdl:definitions/wsdl:binding)", definitions))
                .isEqualTo("2");
        String schemaLocation = xpath.evaluate("//xs:import/@schemaLocation", definitions);
        assertThat(schemaLocation).isEqualTo(service("referrals") + "?xsd=cbh-referral-v1.xsd");

        HttpResponse<String> schema = get(schemaLocation);
        assertThat(schema.statusCode()).isEqualTo(200);
        assertThat(xpath.evaluate("/xs:schema/xs:element[@name='SubmitReferral']/@type", parse(schema.body())))
                .isEqualTo("cbh:TreatmentAbroadApplication");
    }

    @Test
    void submitReferralIsStoredDeliveredOverSoapAndItsStatusComesBackOverSoap() throws Exception {
        byte[] request = new String(Samples.bytes("referral/soap/submit-referral-ua-to-pl.xml"), StandardCharsets.UTF_8)
                .replace("PL-RPWDL-000000012345", destRegistry)
                .getBytes(StandardCharsets.UTF_8);

        HttpResponse<String> answer = post("referrals", request, "text/xml; charset=UTF-8");

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("text/xml"));
        Document response = parse(answer.body());
        String receipt = "/s11:Envelope/s11:Body/cbh:SubmitReferralResponse";
        assertThat(xpath().evaluate(receipt + "/cbh:accepted", response)).isEqualTo("true");
        assertThat(xpath().evaluate(receipt + "/cbh:disposition", response)).isEqualTo("stored");
        String referralNumber = xpath().evaluate(receipt + "/cbh:referralNumber", response);
        org.hl7.fhir.r4.model.Bundle tasks = fhirClient()
                .search()
                .byUrl("Task?identifier="
                        + org.cbhealth.profiles.CbhCanonical.partnerIdentifierSystem(id, "referral-task")
                        + "|LOKL-2026-004417")
                .returnBundle(org.hl7.fhir.r4.model.Bundle.class)
                .execute();
        assertThat(tasks.getEntry()).hasSize(1);
        String taskId = tasks.getEntry().get(0).getResource().getIdElement().getIdPart();
        assertThat(referralNumber).contains(taskId);

        // the destination's SOAP service receives DeliverReferral
        String delivery = delivered.poll(30, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(delivery).startsWith("/pl ").contains("DeliverReferral").contains("LOKL-2026-004417");

        // the destination accepts, then completes with its outcome document, over its own SOAP channel (1.2)
        String accept = envelope("<r:UpdateReferralStatus xmlns:r=\"https://fhir.cbhealth.eu/soap/referral/v1\">"
                + "<r:referral>" + taskId + "</r:referral><r:status>accepted</r:status></r:UpdateReferralStatus>");
        HttpResponse<String> accepted = http.send(
                asPartner(dest, HttpRequest.newBuilder(URI.create(service(dest, "status"))))
                        .header("Content-Type", "text/xml; charset=UTF-8")
                        .POST(HttpRequest.BodyPublishers.ofString(accept))
                        .build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(200);
        String completedRequest = new String(
                        Samples.bytes("referral/soap/update-referral-status-completed.xml"), StandardCharsets.UTF_8)
                .replace("ua-lviv-regional-hospital", id);
        HttpResponse<String> completed = http.send(
                asPartner(dest, HttpRequest.newBuilder(URI.create(service(dest, "status"))))
                        .header("Content-Type", "application/soap+xml; charset=UTF-8")
                        .POST(HttpRequest.BodyPublishers.ofString(completedRequest))
                        .build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        assertThat(completed.statusCode()).as(completed.body()).isEqualTo(200);
        assertThat(completed.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("application/soap+xml"));
        assertThat(xpath().evaluate(
                                "/s12:Envelope/s12:Body/cbh:UpdateReferralStatusResponse/cbh:disposition",
                                parse(completed.body())))
                .isEqualTo("stored");

        // the referrer's SOAP service is notified of both
        String first = delivered.poll(30, java.util.concurrent.TimeUnit.SECONDS);
        String second = delivered.poll(30, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(first).startsWith("/ua ").contains("NotifyReferralStatus").contains(">accepted<");
        assertThat(second).startsWith("/ua ").contains("NotifyReferralStatus").contains(">completed<");
    }

    @Test
    void submitReferralToAnOrganizationThatIsNotAPartnerIsAClientFaultAndKept() throws Exception {
        byte[] request = Samples.bytes("referral/soap/submit-referral-ua-to-pl.xml");

        HttpResponse<String> answer = post("referrals", request, "text/xml; charset=UTF-8");

        assertThat(answer.statusCode()).isEqualTo(500);
        assertThat(xpath().evaluate("//faultcode", parse(answer.body()))).isEqualTo("soap:Client");
        assertThat(answer.body())
                .contains("/targetFacility/registryId")
                .contains("the referred-to organization PL-RPWDL-000000012345 is not a partner of the hub");
        assertThat(parked("sender")).isEqualTo(request);
    }

    @Test
    void wrongRnokppCheckDigitIsAClientFaultNamingTheFieldAndTheRequestIsKept() throws Exception {
        byte[] request = Samples.bytes("referral/soap/bad/submit-referral-bad-rnokpp-and-date.xml");

        HttpResponse<String> answer = post("referrals", request, "text/xml; charset=UTF-8");

        assertThat(answer.statusCode()).isEqualTo(500);
        Document fault = parse(answer.body());
        XPath xpath = xpath();
        assertThat(xpath.evaluate("/s11:Envelope/s11:Body/s11:Fault/faultcode", fault))
                .isEqualTo("soap:Client");
        String problems = "/s11:Envelope/s11:Body/s11:Fault/detail/cbh:Problems";
        assertThat(xpath.evaluate(problems + "/cbh:failedBy", fault)).isEqualTo("sender");
        assertThat(xpath.evaluate(problems + "/cbh:problem[1]/cbh:location", fault))
                .isEqualTo("/SubmitReferral/patient/rnokpp");
        assertThat(xpath.evaluate(problems + "/cbh:problem[1]/cbh:reason", fault))
                .isEqualTo("UA RNOKPP 3297912348: wrong check digit (expected 7, found 8)");
        assertThat(xpath.evaluate(problems + "/cbh:problem[2]/cbh:location", fault))
                .isEqualTo("/SubmitReferral/patient/birthDate");
        assertThat(parked("sender")).isEqualTo(request);
    }

    @Test
    void externalEntitiesAreRefusedWithAFaultAndNeverRead() throws Exception {
        Path secret = Files.writeString(dir.resolve("secret.txt"), "TOP-SECRET-MARKER");
        String request = "<?xml version=\"1.0\"?>\n<!DOCTYPE s:Envelope [\n"
                + "  <!ENTITY file SYSTEM \"" + secret.toUri() + "\">\n"
                + "  <!ENTITY % remote SYSTEM \"" + trap("/evil.dtd") + "\"> %remote;\n]>\n"
                + envelope("<c:SubmitReferral xmlns:c=\"" + NS + "\"><c:reason>&file;</c:reason></c:SubmitReferral>");

        HttpResponse<String> answer = post("referrals", request.getBytes(StandardCharsets.UTF_8), "text/xml");

        assertThat(answer.statusCode()).isEqualTo(500);
        Document fault = parse(answer.body());
        assertThat(xpath().evaluate("//faultcode", fault)).isEqualTo("soap:Client");
        assertThat(xpath().evaluate("//cbh:problem/cbh:reason", fault))
                .isEqualTo("a document type declaration (DOCTYPE) is not accepted: entities are never declared,"
                        + " expanded or fetched");
        assertThat(answer.body()).doesNotContain("TOP-SECRET-MARKER");
        assertThat(fetches.get()).isZero();
        assertThat(new String(parked("sender"), StandardCharsets.UTF_8)).isEqualTo(request);
    }

    @Test
    void xopIncludeIsRefusedWithAFaultAndNeverFetched() throws Exception {
        String request = envelope("<c:UpdateReferralStatus xmlns:c=\"" + NS + "\"><c:referral>4711</c:referral>"
                + "<c:status>completed</c:status><c:outcome><c:contentType>application/pdf</c:contentType><c:data>"
                + "<xop:Include xmlns:xop=\"http://www.w3.org/2004/08/xop/include\" href=\"" + trap("/outcome.pdf")
                + "\"/></c:data></c:outcome></c:UpdateReferralStatus>");

        HttpResponse<String> answer = post("status", request.getBytes(StandardCharsets.UTF_8), "text/xml");

        assertThat(answer.statusCode()).isEqualTo(500);
        Document fault = parse(answer.body());
        assertThat(xpath().evaluate("//faultcode", fault)).isEqualTo("soap:Client");
        assertThat(xpath().evaluate("//cbh:problem/cbh:location", fault))
                .isEqualTo("/Envelope/Body/c:UpdateReferralStatus/c:outcome/c:data/xop:Include");
        assertThat(fetches.get()).isZero();
    }

    @Test
    void unknownOperationDeepNestingAndOversizeBodiesAreFaultsNamingTheProblem() throws Exception {
        HttpResponse<String> unknown = post(
                "referrals",
                envelope("<c:DeleteReferral xmlns:c=\"" + NS + "\"/>").getBytes(StandardCharsets.UTF_8),
                "text/xml");
        assertThat(unknown.statusCode()).isEqualTo(500);
        assertThat(xpath().evaluate("//cbh:problem/cbh:location", parse(unknown.body())))
                .isEqualTo("/Envelope/Body/c:DeleteReferral");
        assertThat(xpath().evaluate("//cbh:problem/cbh:reason", parse(unknown.body())))
                .startsWith("unknown operation {" + NS + "}DeleteReferral; this service has");

        String deep = envelope("<c:SubmitReferral xmlns:c=\"" + NS + "\"><c:reason>" + "<x>".repeat(100)
                + "</x>".repeat(100) + "</c:reason></c:SubmitReferral>");
        HttpResponse<String> nested = post("referrals", deep.getBytes(StandardCharsets.UTF_8), "text/xml");
        assertThat(nested.statusCode()).isEqualTo(500);
        assertThat(xpath().evaluate("//faultcode", parse(nested.body()))).isEqualTo("soap:Client");
        assertThat(xpath().evaluate("//cbh:problem/cbh:reason", parse(nested.body())))
                .isEqualTo("elements nested deeper than 64 levels are not accepted");

        byte[] huge = new byte[10_485_760 + 1024];
        java.util.Arrays.fill(huge, (byte) ' ');
        byte[] start =
                "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\">".getBytes(StandardCharsets.UTF_8);
        System.arraycopy(start, 0, huge, 0, start.length);
        HttpResponse<String> oversize = post("referrals", huge, "text/xml");
        assertThat(oversize.statusCode()).isEqualTo(500);
        assertThat(xpath().evaluate("//faultcode", parse(oversize.body()))).isEqualTo("soap:Client");
        assertThat(xpath().evaluate("//cbh:problem/cbh:reason", parse(oversize.body())))
                .isEqualTo("larger than the limit of 10485760 bytes; send documents by url or split the message");
    }

    @Test
    void soap12StatusUpdateOfAnUnknownReferralIsASoap12Fault() throws Exception {
        HttpResponse<String> answer = post(
                "status",
                Samples.bytes("referral/soap/update-referral-status-completed.xml"),
                "application/soap+xml; charset=UTF-8");

        assertThat(answer.statusCode()).isEqualTo(500);
        assertThat(answer.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("application/soap+xml"));
        assertThat(answer.body())
                .contains("http://www.w3.org/2003/05/soap-envelope")
                .contains("no referral https://fhir.cbhealth.eu/sid/partner/ua-lviv-regional-hospital/referral"
                        + "|LOKL-2026-004417 at the hub");
    }

    private String service(String partner, String channel) {
        return baseUrl() + "/soap/partners/" + partner + "/" + channel;
    }

    private String service(String channel) {
        return baseUrl() + "/soap/partners/" + id + "/" + channel;
    }

    private String trap(String path) {
        return "http://127.0.0.1:" + fetchTrap.getAddress().getPort() + path;
    }

    private static String envelope(String body) {
        return "<s:Envelope xmlns:s=\"" + SOAP11 + "\"><s:Body>" + body + "</s:Body></s:Envelope>";
    }

    /** Posts to the partner's own SOAP channel, as its system does (its bearer token). */
    private HttpResponse<String> post(String channel, byte[] body, String contentType)
            throws IOException, InterruptedException {
        return http.send(
                asPartner(id, HttpRequest.newBuilder(URI.create(service(channel))))
                        .header("Content-Type", contentType)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** A GET without credentials: the WSDL and its schemas are public. */
    private HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** The raw body of this partner's one parked message for whom must act, from the parked store. */
    private byte[] parked(String failedBy) {
        await().atMost(WAIT).until(() -> parked().count(id, failedBy) == 1);
        ParkedMessages.Parked parked = parked().of(id).stream()
                .filter(p -> failedBy.equals(p.failedBy()))
                .findFirst()
                .orElseThrow();
        assertThat(parked.channel()).isNotBlank();
        assertThat(parked.direction()).isEqualTo("inbound");
        return parked.rawBytes();
    }

    private static Document parse(String xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newDefaultInstance();
        factory.setNamespaceAware(true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder()
                .parse(new java.io.ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    private static XPath xpath() {
        XPath xpath = XPathFactory.newDefaultInstance().newXPath();
        xpath.setNamespaceContext(new NamespaceContext() {
            @Override
            public String getNamespaceURI(String prefix) {
                return switch (prefix) {
                    case "s11" -> SOAP11;
                    case "s12" -> SOAP12;
                    case "cbh" -> NS;
                    case "wsdl" -> "http://schemas.xmlsoap.org/wsdl/";
                    case "soap" -> "http://schemas.xmlsoap.org/wsdl/soap/";
                    case "xs" -> "http://www.w3.org/2001/XMLSchema";
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
