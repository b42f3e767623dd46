package org.cbhealth.hub.partner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.cbhealth.hub.support.DirectoryFixtures.json;
import static org.cbhealth.hub.support.DirectoryFixtures.organization;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.cbhealth.hub.support.AdminApi;
import org.cbhealth.hub.support.FreePorts;
import org.cbhealth.hub.support.HubIntegrationTest;
import org.cbhealth.hub.support.MllpClient;
import org.cbhealth.hub.support.PartnerFiles;
import org.cbhealth.hub.support.Queues;
import org.cbhealth.hub.support.Samples;
import org.cbhealth.profiles.CbhCanonical;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.HealthcareService;
import org.hl7.fhir.r4.model.Organization;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One partner with a channel of each kind the hub has a template for — a CSV inbox folder, a REST channel, an
 * MLLP listener on a real socket and a JMS outbound queue — driven as the partner's systems would, plus a partner
 * whose outbound channel is a FHIR server (an HTTP server of the test's taking the POSTs), and the dry-run.
 */
class PartnerChannelsIT extends HubIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String MK_COLUMNS =
            """
                  columns:
                    department-code: Шифра
                    department-name: Назив на одделение
                    specialty-text: Специјалност
                    head-name: Раководител
                    phone: Телефон
                    email: Е-пошта
                    languages: Јазици
                    accepts-cross-border: Прима прекугранични упати
            """;

    private String id;
    private int mllpPort;
    private Path inbox;

    @BeforeEach
    void partnerWithEveryChannelKind() throws Exception {
        id = "it-mk-" + UUID.randomUUID().toString().substring(0, 8);
        mllpPort = FreePorts.next();
        inbox = PARTNERS_DIR.getParent().resolve("inbox").resolve(id);
        PartnerFiles.write(
                PARTNERS_DIR,
                id + ".yaml",
                PartnerFiles.partner(
                        id,
                        """
                inbound:
                  - name: departments
                    kind: file
                    format: csv
                    flow: directory
                    settings:
                      directory: inbox/%s
                      language: mk
                %s
                  - name: push
                    kind: rest
                    format: fhir
                    flow: directory
                  - name: referrals
                    kind: mllp
                    format: hl7v2
                    flow: referral
                    settings:
                      port: %d
                outbound:
                  kind: jms
                  settings:
                    queue: partner.%s.outbound
                codeMappings:
                  - https://fhir.cbhealth.eu/ConceptMap/mk-specialty-to-cbh
                """
                                .formatted(id, MK_COLUMNS.stripTrailing(), mllpPort, id)));
        await().atMost(WAIT).untilAsserted(() -> {
            JsonNode partner = admin().partner(id);
            assertThat(partner).isNotNull();
            assertThat(partner.get("routes").findValuesAsText("state")).containsOnly("Started");
        });
    }

    @Test
    void routesHaveStableIdsFromTheTemplates() {
        JsonNode routes = admin().partner(id).get("routes");
        assertThat(routes.findValuesAsText("id"))
                .containsExactly(
                        "partner-" + id + "-departments-directory",
                        "partner-" + id + "-push-directory",
                        "partner-" + id + "-referrals-referral",
                        "partner-" + id + "-outbound-delivery");
        assertThat(routes.findValuesAsText("kind")).containsExactly("file", "rest", "mllp", "jms");
    }

    @Test
    void csvExportDroppedInTheInboxIsImportedAndMovedToDone() throws Exception {
        Files.write(inbox.resolve("departments.csv"), Samples.bytes("directory/mk-kb-stip-departments.csv"));

        String system = CbhCanonical.partnerIdentifierSystem(id, "department");
        await().atMost(WAIT).untilAsserted(() -> assertThat(services(system)).hasSize(5));
        HealthcareService cardiology = services(system).stream()
                .filter(s -> s.getIdentifierFirstRep().getValue().equals("ODD-01"))
                .findFirst()
                .orElseThrow();
        assertThat(cardiology.getName()).isEqualTo("Одделение за кардиологија");
        assertThat(cardiology.getProvidedBy().getReference()).startsWith("Organization/");
        assertThat(cardiology.getMeta().getSource())
                .isEqualTo("https://fhir.cbhealth.eu/partner/" + id + "/departments");
        await().atMost(WAIT).untilAsserted(() -> assertThat(filesUnder(inbox.resolve(".done")))
                .anySatisfy(f -> assertThat(f).endsWith("departments.csv")));
        assertThat(inbox.resolve("departments.csv")).doesNotExist();
        JsonNode counters = admin().partner(id).get("counters");
        assertThat(counters.get("stored").asLong()).isEqualTo(5);
    }

    @Test
    void csvWithTheWrongColumnsIsMovedToErrorWithItsProblemsAndParked() throws Exception {
        Files.writeString(inbox.resolve("wrong.csv"), "Code;Name\nODD-9;Cardiology\n", StandardCharsets.UTF_8);

        Path problems = inbox.resolve(".error").resolve("wrong.csv.problems.txt");
        await().atMost(WAIT).until(() -> Files.exists(problems));
        assertThat(inbox.resolve(".error").resolve("wrong.csv")).exists();
        assertThat(Files.readString(problems, StandardCharsets.UTF_8)).contains("Шифра");
        await().atMost(WAIT).until(() -> parked().count(id, "sender") == 1);
        assertThat(parked().of(id).get(0).businessKey()).isEqualTo("wrong.csv");
        assertThat(parked().of(id).get(0).raw()).isEqualTo("Code;Name\nODD-9;Cardiology\n");
    }

    @Test
    void csvInAnotherEncodingThanTheLayoutsIsMovedToErrorNamingTheCharsetAndParkedRaw() throws Exception {
        byte[] cp1251 = new String(Samples.bytes("directory/mk-kb-stip-departments.csv"), StandardCharsets.UTF_8)
                .getBytes(java.nio.charset.Charset.forName("windows-1251"));
        Files.write(inbox.resolve("cp1251.csv"), cp1251);

        Path problems = inbox.resolve(".error").resolve("cp1251.csv.problems.txt");
        await().atMost(WAIT).until(() -> Files.exists(problems));
        assertThat(Files.readString(problems, StandardCharsets.UTF_8))
                .startsWith("the export is not valid UTF-8 (declared in the partner's layout): Input length = 1");
        assertThat(parked().of(id)).singleElement().satisfies(p -> {
            assertThat(p.failedBy()).isEqualTo("sender");
            assertThat(p.reason()).startsWith("the export is not valid UTF-8");
        });
        assertThat(services(CbhCanonical.partnerIdentifierSystem(id, "department")))
                .isEmpty();
    }

    @Test
    void restChannelStoresAndAnswersWithAnOperationOutcome() {
        String name = "Клиничка болница Штип — ортопедија " + UUID.randomUUID();
        AdminApi partner = partnerApi(id);

        AdminApi.Answer stored = partner.post(
                "/api/partners/" + id + "/push",
                json(organization(name, "MK")).getBytes(StandardCharsets.UTF_8),
                "application/fhir+json");
        assertThat(stored.status()).isEqualTo(200);
        assertThat(stored.json().get("resourceType").asText()).isEqualTo("OperationOutcome");
        assertThat(stored.json().at("/issue/0/diagnostics").asText())
                .matches(
                        "import \\d+: 1 created, 0 updated, 0 unchanged, 0 deactivated, 0 rejected, 0 unmapped code\\(s\\): Organization/.*");
        Bundle found = fhirClient()
                .search()
                .forResource(Organization.class)
                .where(Organization.NAME.matchesExactly().value(name))
                .returnBundle(Bundle.class)
                .execute();
        assertThat(found.getEntry()).hasSize(1);

        AdminApi.Answer invalid = partner.post(
                "/api/partners/" + id + "/push",
                "{\"resourceType\":\"Organization\",".getBytes(StandardCharsets.UTF_8),
                "application/fhir+json");
        assertThat(invalid.status()).isEqualTo(422);
        assertThat(invalid.json().at("/issue/0/severity").asText()).isEqualTo("error");
        assertThat(invalid.json().at("/issue/0/diagnostics").asText()).contains("Not a valid FHIR R4 resource");

        assertThat(partner.post("/api/partners/" + id + "/nope", new byte[0], "application/fhir+json")
                        .status())
                .isEqualTo(404);
    }

    @Test
    void mllpChannelAnswersAeWithErrForABadReferralAndKeepsIt() throws Exception {
        String ack = MllpClient.send(mllpPort, Samples.hl7From("referral/bad/wrong-egn-check-digit.hl7", id));

        assertThat(ack).contains("MSA|AE|");
        assertThat(ack).containsPattern("ERR\\|\\|PID\\^1\\^3");
        await().atMost(WAIT).until(() -> parked().count(id, "sender") == 1);
    }

    @Test
    void mllpReferralIsStoredAsOneTransactionAnsweredAaAndResendingItStoresNothingNew() throws Exception {
        String s = UUID.randomUUID().toString().substring(0, 8);
        String sender = "it-bgsend-" + s;
        String destination = "it-mkdest-" + s;
        int port = FreePorts.next();
        PartnerFiles.write(
                PARTNERS_DIR,
                destination + ".yaml",
                PartnerFiles.partner(destination, "referralPartners: [" + sender + "]\n")
                        .replace("value: " + destination, "value: \"4068491\""));
        PartnerFiles.write(PARTNERS_DIR, sender + ".yaml", PartnerFiles.mllpReferralSender(sender, port, destination));
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(admin().partner(destination)).isNotNull();
            assertThat(admin().partner(sender)).isNotNull();
            assertThat(admin().partner(sender).get("routes").findValuesAsText("state"))
                    .containsOnly("Started");
        });
        String referral = Samples.hl7From("referral/ref-i12-bg-to-mk.hl7", sender);

        // the partner of this class may not exchange referrals with the destination
        String refused = MllpClient.send(mllpPort, Samples.hl7From("referral/ref-i12-bg-to-mk.hl7", id));
        assertThat(refused).contains("MSA|AE|BG-REF-000123");
        assertThat(refused).containsPattern("ERR\\|\\|PRD\\^2\\^7");
        assertThat(refused).contains("may not exchange referrals");

        for (int i = 0; i < 5; i++) {
            assertThat(MllpClient.send(port, referral)).contains("MSA|AA|BG-REF-000123");
        }

        String referralSystem = CbhCanonical.partnerIdentifierSystem(sender, "referral");
        Bundle requests = fhirClient()
                .search()
                .forResource(org.hl7.fhir.r4.model.ServiceRequest.class)
                .where(org.hl7.fhir.r4.model.ServiceRequest.IDENTIFIER
                        .exactly()
                        .systemAndCode(referralSystem, "BG-REF-000123"))
                .returnBundle(Bundle.class)
                .execute();
        assertThat(requests.getEntry()).hasSize(1);
        Bundle tasks = fhirClient()
                .search()
                .forResource(org.hl7.fhir.r4.model.Task.class)
                .where(org.hl7.fhir.r4.model.Task.IDENTIFIER
                        .exactly()
                        .systemAndCode(CbhCanonical.partnerIdentifierSystem(sender, "referral-task"), "BG-REF-000123"))
                .returnBundle(Bundle.class)
                .execute();
        assertThat(tasks.getEntry()).hasSize(1);
        org.hl7.fhir.r4.model.Task task =
                (org.hl7.fhir.r4.model.Task) tasks.getEntry().get(0).getResource();
        assertThat(task.getStatus()).isEqualTo(org.hl7.fhir.r4.model.Task.TaskStatus.REQUESTED);
        assertThat(task.getFocus().getReference())
                .isEqualTo(requests.getEntry()
                        .get(0)
                        .getResource()
                        .getIdElement()
                        .toUnqualifiedVersionless()
                        .getValue());
        Bundle owner = fhirClient()
                .search()
                .forResource(Organization.class)
                .where(Organization.IDENTIFIER.exactly().systemAndCode("urn:oid:1.3.6.1.4.1.58762.1.1", "4068491"))
                .returnBundle(Bundle.class)
                .execute();
        assertThat(task.getOwner().getReference())
                .isEqualTo(owner.getEntry()
                        .get(0)
                        .getResource()
                        .getIdElement()
                        .toUnqualifiedVersionless()
                        .getValue());
        Bundle patients = fhirClient()
                .search()
                .forResource(org.hl7.fhir.r4.model.Patient.class)
                .where(org.hl7.fhir.r4.model.Patient.IDENTIFIER
                        .exactly()
                        .systemAndCode(CbhCanonical.SID_BG_EGN, "7501024918"))
                .returnBundle(Bundle.class)
                .execute();
        assertThat(patients.getEntry()).hasSize(1);
        assertThat(admin().partner(sender).get("counters").get("received").asLong())
                .isEqualTo(5);
    }

    @Test
    void outboundJmsDeliversToThePartnersQueue() throws Exception {
        try (Queues queues = hubQueues()) {
            queues.send("hub.outbound." + id, "{\"resourceType\":\"Task\",\"status\":\"requested\"}");

            assertThat(queues.receive("partner." + id + ".outbound", 30_000))
                    .isEqualTo("{\"resourceType\":\"Task\",\"status\":\"requested\"}");
        }
        await().atMost(WAIT).untilAsserted(() -> assertThat(
                        admin().partner(id).get("counters").get("delivered").asLong())
                .isEqualTo(1));
    }

    @Test
    void outboundFhirRestPostsToThePartnersFhirServer() throws Exception {
        // the partner's FHIR server: it takes what the hub posts and answers as a FHIR server does (201 Created)
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/fhir", exchange -> {
            received.add(
                    exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + " "
                            + exchange.getRequestHeaders().getFirst("Content-Type") + "\n"
                            + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            byte[] answer = ("{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"information\","
                            + "\"code\":\"informational\"}]}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/fhir+json; charset=UTF-8");
            exchange.sendResponseHeaders(201, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
        try {
            String at = "it-at-" + UUID.randomUUID().toString().substring(0, 8);
            PartnerFiles.write(
                    PARTNERS_DIR,
                    at + ".yaml",
                    PartnerFiles.partner(
                            at,
                            """
                outbound:
                  kind: fhir-rest
                  settings:
                    baseUrl: http://127.0.0.1:%d/fhir
                """
                                    .formatted(server.getAddress().getPort())));
            await().atMost(WAIT)
                    .untilAsserted(() -> assertThat(admin().partner(at)).isNotNull());
            String name = "Klinikum Klagenfurt — Kardiologie " + UUID.randomUUID();

            try (Queues queues = hubQueues()) {
                queues.send("hub.outbound." + at, json(organization(name, "AT")));
            }

            String request = received.poll(30, TimeUnit.SECONDS);
            assertThat(request).isNotNull();
            assertThat(request.lines().findFirst())
                    .hasValue("POST /fhir/Organization application/fhir+json; charset=UTF-8");
            Organization posted = FhirContext.forR4Cached()
                    .newJsonParser()
                    .parseResource(Organization.class, request.substring(request.indexOf('\n') + 1));
            assertThat(posted.getName()).isEqualTo(name);
            await().atMost(WAIT).untilAsserted(() -> assertThat(
                            admin().partner(at).get("counters").get("delivered").asLong())
                    .isEqualTo(1));
        } finally {
            server.stop(0);
        }
    }

    @Test
    void dryRunOfAGoodExportReturnsTheResourcesAndStoresAndSendsNothing() throws Exception {
        String system = CbhCanonical.partnerIdentifierSystem(id, "department");
        int parkedBefore = parked().count(id);

        AdminApi.Answer answer = admin().post(
                        "/api/admin/partners/" + id + "/dry-run?channel=departments",
                        Samples.bytes("directory/mk-kb-stip-departments.csv"),
                        "text/csv");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().get("accepted").asBoolean()).isTrue();
        assertThat(answer.json().get("stored").asBoolean()).isFalse();
        JsonNode entries = answer.json().at("/resources/entry");
        assertThat(entries).hasSize(5);
        assertThat(entries.get(0).at("/resource/resourceType").asText()).isEqualTo("HealthcareService");
        assertThat(entries.get(0).at("/resource/name").asText()).isEqualTo("Одделение за кардиологија");
        assertThat(entries.get(0).at("/resource/identifier/0/value").asText()).isEqualTo("ODD-01");
        assertThat(answer.json().at("/outcome/resourceType").asText()).isEqualTo("OperationOutcome");
        assertThat(answer.json().at("/outcome/issue").findValuesAsText("severity"))
                .doesNotContain("error");

        // nothing stored, nothing queued, nothing counted
        assertThat(services(system)).isEmpty();
        try (Queues queues = hubQueues()) {
            assertThat(queues.depth("partner." + id + ".outbound")).isZero();
        }
        assertThat(admin().partner(id).get("counters").get("received").asLong()).isZero();
        assertThat(parked().count(id)).isEqualTo(parkedBefore);
    }

    @Test
    void dryRunOfBadSamplesReturnsTheOutcomeNamingEachProblem() throws Exception {
        AdminApi.Answer badCsv = admin().post(
                        "/api/admin/partners/" + id + "/dry-run?flow=directory&channel=departments",
                        "Code;Name\nODD-9;Cardiology\n".getBytes(StandardCharsets.UTF_8),
                        "text/csv");
        assertThat(badCsv.json().get("accepted").asBoolean()).isFalse();
        assertThat(badCsv.json().at("/outcome/issue/0/severity").asText()).isEqualTo("error");
        assertThat(badCsv.json().at("/outcome/issue/0/diagnostics").asText()).contains("Шифра");

        // an Organization without the address (and its country) the profile requires
        String noAddress = "{\"resourceType\":\"Organization\",\"id\":\"bez-adresa\",\"active\":true,"
                + "\"name\":\"Без адреса\"}";
        AdminApi.Answer badFhir = admin().post(
                        "/api/admin/partners/" + id + "/dry-run?channel=push",
                        noAddress.getBytes(StandardCharsets.UTF_8),
                        "application/fhir+json");
        assertThat(badFhir.json().get("accepted").asBoolean()).isFalse();
        assertThat(badFhir.json().at("/resources/entry/0/resource/name").asText())
                .isEqualTo("Без адреса");
        List<String> errors = badFhir.json().at("/outcome/issue").findValuesAsText("diagnostics");
        assertThat(errors).anySatisfy(d -> assertThat(d).contains("Organization.address"));
        assertThat(fhirClient()
                        .search()
                        .forResource(Organization.class)
                        .where(Organization.NAME.matchesExactly().value("Без адреса"))
                        .returnBundle(Bundle.class)
                        .execute()
                        .getEntry())
                .isEmpty();
    }

    private List<HealthcareService> services(String identifierSystem) {
        Bundle bundle = fhirClient()
                .search()
                .forResource(HealthcareService.class)
                .where(HealthcareService.IDENTIFIER.hasSystemWithAnyCode(identifierSystem))
                .count(50)
                .returnBundle(Bundle.class)
                .execute();
        return bundle.getEntry().stream()
                .map(e -> (HealthcareService) e.getResource())
                .toList();
    }

    private static List<String> filesUnder(Path directory) throws Exception {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(directory)) {
            return files.filter(Files::isRegularFile).map(Path::toString).toList();
        }
    }
}
