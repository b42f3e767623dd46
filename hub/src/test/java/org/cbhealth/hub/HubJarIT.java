package org.cbhealth.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.cbhealth.hub.support.DirectoryFixtures.organization;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.cbhealth.hub.support.AdminApi;
import org.cbhealth.hub.support.DemoPartners;
import org.cbhealth.hub.support.FhirClients;
import org.cbhealth.hub.support.FreePorts;
import org.cbhealth.hub.support.MllpClient;
import org.cbhealth.hub.support.Samples;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.Organization;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The packaged hub as a user runs it ({@code java -jar hub/target/cbhealth-hub.jar}), in its own JVM with
 * embedded defaults: it starts, serves /fhir, and stops gracefully within the 30 s bound. Start-up time
 * and heap after start are measured and written to {@code target/startup-measurement.txt}.
 */
class HubJarIT {

    private final HttpClient http = HttpClient.newHttpClient();
    private Process hub;

    @AfterEach
    void killHub() {
        if (hub != null && hub.isAlive()) {
            hub.destroyForcibly();
        }
    }

    private int brokerPort;
    /** The hub user's broker password of the started jar (the test inspects the demo partners' queues). */
    private static final String JAR_BROKER_PASSWORD = "jar-it-broker-secret";

    @Test
    void packagedJarStartsServesFhirAndStopsGracefully() throws Exception {
        Path jar = Path.of(System.getProperty("cbhealth.hub.jar", "target/cbhealth-hub.jar"));
        assertThat(jar).exists();
        Path workDir = Files.createTempDirectory("cbhealth-jar-");
        int httpPort = FreePorts.next();
        ProcessBuilder command = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-jar",
                        jar.toAbsolutePath().toString())
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(workDir.resolve("hub.log").toFile());
        command.environment().put("CBHEALTH_HTTP_PORT", Integer.toString(httpPort));
        brokerPort = FreePorts.next();
        command.environment().put("CBHEALTH_BROKER_ACCEPTOR_PORT", Integer.toString(brokerPort));
        command.environment().put("CBHEALTH_BROKER_HUB_PASSWORD", JAR_BROKER_PASSWORD);
        String base = "http://127.0.0.1:" + httpPort;

        long started = System.nanoTime();
        hub = command.start();
        await().atMost(Duration.ofSeconds(180))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> healthStatus(base).equals("UP"));
        double startupSeconds = (System.nanoTime() - started) / 1e9;

        CapabilityStatement metadata =
                client(base).capabilities().ofType(CapabilityStatement.class).execute();
        assertThat(metadata.getSoftware().getName()).isEqualTo("CBHealth Hub");
        Organization org = organization("Klaipėdos universitetinė ligoninė", "LT");
        String id = client(base).create().resource(org).execute().getId().getIdPart();
        Bundle found = client(base)
                .search()
                .forResource(Organization.class)
                .where(Organization.NAME.matches().value("Klaipėdos universitetinė"))
                .returnBundle(Bundle.class)
                .execute();
        assertThat(found.getEntry())
                .extracting(e -> e.getResource().getIdElement().getIdPart())
                .containsExactly(id);
        assertThat(workDir.resolve("data/db")).isDirectory();
        assertThat(workDir.resolve("data/artemis")).isDirectory();

        demoPartnersRunAndImportTheBulgarianExport(base, workDir);

        double heapMb = heapUsedBytes(base) / (1024.0 * 1024.0);
        fullGc(hub.pid());
        double liveHeapMb = heapUsedBytes(base) / (1024.0 * 1024.0);
        writeMeasurement(startupSeconds, heapMb, liveHeapMb);

        long stopping = System.nanoTime();
        hub.destroy(); // SIGTERM: graceful shutdown
        assertThat(hub.waitFor(30, TimeUnit.SECONDS))
                .as("hub stopped within 30 s")
                .isTrue();
        double stopSeconds = (System.nanoTime() - stopping) / 1e9;
        assertThat(stopSeconds).isLessThan(30);
        Files.writeString(
                Path.of("target", "startup-measurement.txt"),
                String.format(Locale.ROOT, "graceful_stop_seconds=%.1f%n", stopSeconds),
                java.nio.file.StandardOpenOption.APPEND);
    }

    @Test
    void checkConfigOptionChecksPartnerFilesOfflineAndExitsNonZeroOnAProblem() throws Exception {
        Path jar = Path.of(System.getProperty("cbhealth.hub.jar", "target/cbhealth-hub.jar"));
        Path partners = Files.createTempDirectory("cbhealth-partners-");
        DemoPartners.copyTo(partners);
        Files.writeString(partners.resolve("ee-tartu.yaml"), "names: {et: Tartu Ülikooli Kliinikum}\n");

        Process check = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-jar",
                        jar.toAbsolutePath().toString(),
                        "--check-config",
                        partners.toString())
                .redirectErrorStream(true)
                .start();
        String output = new String(check.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);

        assertThat(check.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(check.exitValue()).isEqualTo(1);
        assertThat(output.lines())
                .containsExactly(
                        "ee-tartu.yaml: id: required",
                        "ee-tartu.yaml: country: required",
                        "ee-tartu.yaml: identifiers: required",
                        "6 partner file(s) good, 3 problem(s), 0 warning(s)");
    }

    /**
     * The embedded default ships the demo partners: all six run their routes, and the Bulgarian hospital's
     * Windows-1251 department export, dropped in its inbox at first start, becomes HealthcareServices (the bad
     * row refused); the same export again writes nothing.
     */
    private void demoPartnersRunAndImportTheBulgarianExport(String base, Path workDir) throws Exception {
        String log = Files.readString(workDir.resolve("hub.log"));
        java.util.regex.Matcher password =
                java.util.regex.Pattern.compile("password: (\\S+)").matcher(log);
        assertThat(password.find())
                .as("generated admin password printed at first start")
                .isTrue();
        AdminApi admin = new AdminApi(base, "integrator", password.group(1));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            java.util.List<String> ids = new java.util.ArrayList<>();
            java.util.List<String> states = new java.util.ArrayList<>();
            admin.get("/api/admin/partners").json().get("partners").forEach(p -> {
                ids.add(p.get("id").asText());
                states.add(p.get("state").asText());
            });
            assertThat(ids)
                    .containsExactlyElementsOf(DemoPartners.FILES.stream()
                            .map(f -> f.replace(".yaml", ""))
                            .toList());
            assertThat(states).containsOnly("running");
        });
        JsonNode bg = admin.partner("bg-mbal-blagoevgrad");
        assertThat(bg.get("routes").findValuesAsText("id"))
                .containsExactly(
                        "partner-bg-mbal-blagoevgrad-departments-directory",
                        "partner-bg-mbal-blagoevgrad-referrals-referral",
                        "partner-bg-mbal-blagoevgrad-outbound-delivery");
        assertThat(bg.get("routes").findValuesAsText("state")).containsOnly("Started");

        // the demo's first exports were dropped in the inboxes at first start and imported
        String system = org.cbhealth.profiles.CbhCanonical.partnerIdentifierSystem("bg-mbal-blagoevgrad", "department");
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            Bundle services = client(base)
                    .search()
                    .forResource(org.hl7.fhir.r4.model.HealthcareService.class)
                    .where(org.hl7.fhir.r4.model.HealthcareService.IDENTIFIER
                            .exactly()
                            .systemAndCode(system, "KAR"))
                    .returnBundle(Bundle.class)
                    .execute();
            assertThat(services.getEntry()).hasSize(1);
            assertThat(((org.hl7.fhir.r4.model.HealthcareService)
                                    services.getEntry().get(0).getResource())
                            .getName())
                    .isEqualTo("Отделение по кардиология");
        });
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode counters = admin.partner("bg-mbal-blagoevgrad").get("counters");
            assertThat(counters.get("stored").asLong()).isEqualTo(5);
        });
        // the same export again: nothing written
        Path inbox = workDir.resolve("data/inbox/bg-mbal-blagoevgrad");
        Files.write(
                inbox.resolve("departments-again.csv"),
                Samples.bytes("directory/bg-mbal-blagoevgrad-departments-cp1251.csv"));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            JsonNode batches =
                    admin.get("/api/admin/imports?partner=bg-mbal-blagoevgrad").json();
            assertThat(batches).hasSize(2);
            assertThat(batches.get(0).get("source").asText()).isEqualTo("departments-again.csv");
            assertThat(batches.get(0).get("state").asText()).isEqualTo("done");
            assertThat(batches.get(0).get("unchanged").asInt()).isEqualTo(5);
            assertThat(batches.get(0).get("created").asInt()
                            + batches.get(0).get("updated").asInt())
                    .isZero();
        });

        // the BG–MK referral over the Bulgarian hospital's MLLP channel is stored and acknowledged
        String ack = MllpClient.send(
                2575,
                new String(Samples.bytes("referral/ref-i12-bg-to-mk.hl7"), java.nio.charset.StandardCharsets.UTF_8));
        assertThat(ack).contains("MSA|AA|BG-REF-000123");
        Bundle tasks = client(base)
                .search()
                .forResource(org.hl7.fhir.r4.model.Task.class)
                .where(org.hl7.fhir.r4.model.Task.IDENTIFIER
                        .exactly()
                        .systemAndCode(
                                org.cbhealth.profiles.CbhCanonical.partnerIdentifierSystem(
                                        "bg-mbal-blagoevgrad", "referral-task"),
                                "BG-REF-000123"))
                .returnBundle(Bundle.class)
                .execute();
        assertThat(tasks.getEntry()).hasSize(1);
        assertThat(((org.hl7.fhir.r4.model.Task) tasks.getEntry().get(0).getResource())
                        .getOwner()
                        .getDisplay())
                .isEqualTo("ЈЗУ Клиничка болница Штип");

        try (org.cbhealth.hub.support.Queues queues = new org.cbhealth.hub.support.Queues(
                "tcp://127.0.0.1:" + brokerPort,
                org.cbhealth.hub.messaging.BrokerSecurityManager.HUB_USER,
                JAR_BROKER_PASSWORD)) {
            // ... and delivered to the Štip hospital's queue as FHIR
            jakarta.jms.Message delivered = queues.receiveMessage("partner.mk-kb-stip.outbound", 30_000);
            assertThat(delivered).isNotNull();
            assertThat(delivered.getStringProperty("CBHealthReferrerNumber")).isEqualTo("BG-REF-000123");

            // the Lviv hospital's JSON application for treatment abroad reaches the Rzeszów hospital's queue
            HttpResponse<String> applied = http.send(
                    HttpRequest.newBuilder(
                                    URI.create(base + "/api/partners/ua-lviv-regional-hospital/treatment-abroad"))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(
                                    Samples.bytes("referral/treatment-abroad-ua-to-pl.json")))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(applied.statusCode()).as(applied.body()).isEqualTo(200);
            jakarta.jms.Message toPoland = queues.receiveMessage("partner.pl-usk-rzeszow.outbound", 30_000);
            assertThat(toPoland).isNotNull();
            assertThat(toPoland.getStringProperty("CBHealthReferrerNumber")).isEqualTo("LOKL-2026-004417");
        }
    }

    private String healthStatus(String base) {
        try {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(URI.create(base + "/actuator/health"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return new ObjectMapper().readTree(response.body()).path("status").asText();
        } catch (IOException e) {
            return "DOWN";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "DOWN";
        }
    }

    private double heapUsedBytes(String base) throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(base + "/actuator/metrics/jvm.memory.used?tag=area:heap"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return new ObjectMapper()
                .readTree(response.body())
                .at("/measurements/0/value")
                .asDouble();
    }

    /** Asks the hub's JVM for a full GC, so the second heap figure is the live set after start. */
    private static void fullGc(long pid) throws Exception {
        Process jcmd = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                        Long.toString(pid),
                        "GC.run")
                .redirectErrorStream(true)
                .start();
        jcmd.getInputStream().readAllBytes();
        assertThat(jcmd.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    private static void writeMeasurement(double startupSeconds, double heapMb, double liveHeapMb) throws IOException {
        String text = String.format(
                Locale.ROOT,
                "startup_seconds_to_health_up=%.1f%nheap_used_after_start_mb=%.0f%nheap_used_after_full_gc_mb=%.0f%n"
                        + "cores=%d%njava=%s%n",
                startupSeconds,
                heapMb,
                liveHeapMb,
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"));
        Files.writeString(Path.of("target", "startup-measurement.txt"), text);
        System.out.print(text);
    }

    private static IGenericClient client(String base) {
        return FhirClients.forBase(base + "/fhir");
    }
}
