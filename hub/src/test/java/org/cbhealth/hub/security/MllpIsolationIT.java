package org.cbhealth.hub.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.cbhealth.hub.audit.HubAudit;
import org.cbhealth.hub.support.AdminApi;
import org.cbhealth.hub.support.FreePorts;
import org.cbhealth.hub.support.HubIntegrationTest;
import org.cbhealth.hub.support.MllpClient;
import org.cbhealth.hub.support.MllpListener;
import org.cbhealth.hub.support.ParkedMessages.Parked;
import org.cbhealth.hub.support.PartnerFiles;
import org.cbhealth.hub.support.Samples;
import org.cbhealth.profiles.CbhCanonical;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A partner's MLLP connection sends in its own name only: a message whose MSH-4 is another partner's facility is
 * refused AR naming MSH-4, stored nowhere, parked for the sender and audited as denied, for referrals and status
 * updates alike; the connection goes on taking the partner's own messages. MLLP over TLS: a TLS client is answered,
 * a plain-TCP one is not; with {@code clientAuth: required} a client without a certificate is refused at the
 * handshake and one with another trusted certificate than the partner's ({@code clientSubject}) is refused AR.
 * Certificates are made by the JDK's keytool at test time.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MllpIsolationIT extends HubIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String STORE_PASSWORD = "it-store-" + UUID.randomUUID();

    private final String suffix = UUID.randomUUID().toString().substring(0, 8);
    /** The referring partner, its plain MLLP channel. */
    private final String a = "it-iso-a-" + suffix;
    /** The receiving partner: its registry number is what its facility is known by; it sends status over MLLP. */
    private final String b = "it-iso-b-" + suffix;
    /** A partner sending over TLS with its client certificate bound (clientAuth required, clientSubject). */
    private final String t = "it-iso-t-" + suffix;
    /** A partner the hub delivers to over TLS, showing the hub's client certificate. */
    private final String r = "it-iso-r-" + suffix;

    private final String rRegistry =
            Integer.toString(ThreadLocalRandom.current().nextInt(1_000_000, 4_999_999));
    private MllpListener rSystem;

    private final String bRegistry =
            Integer.toString(ThreadLocalRandom.current().nextInt(5_000_000, 9_999_999));
    private final int aPort = FreePorts.next();
    private final int bStatusPort = FreePorts.next();
    private final int tlsPort = FreePorts.next();
    private final int clientAuthPort = FreePorts.next();

    private Path keys;
    private SSLContext tClient;
    private SSLContext otherClient;
    private SSLContext anonymousClient;

    @BeforeAll
    void partnersAndCertificates() throws Exception {
        keys = Files.createTempDirectory("mllp-tls-");
        Path password = Files.writeString(keys.resolve("store.secret"), STORE_PASSWORD);
        Path hub = keyPair("hub", "CN=localhost,O=CBHealth Hub");
        Path his = keyPair("his-t", "CN=his." + t + ",O=Test hospital");
        Path other = keyPair("his-other", "CN=his.other,O=Another hospital");
        Path hubTrusts = trustStore("hub-trusts", his, other);
        Path clientsTrust = trustStore("clients-trust", hub);
        tClient = context(his, clientsTrust);
        otherClient = context(other, clientsTrust);
        anonymousClient = context(null, clientsTrust);
        // R's system: the hub's certificate stands in for its server certificate; it asks for the hub's
        rSystem = new MllpListener(context(hub, clientsTrust), true);
        PartnerFiles.write(
                PARTNERS_DIR,
                r + ".yaml",
                PartnerFiles.partner(
                                r,
                                """
                outbound:
                  kind: mllp
                  settings:
                    host: 127.0.0.1
                    port: %d
                    tls: {trustStore: %s, trustStorePassword: %s, keyStore: %s, keyStorePassword: %s}
                referralPartners: [%s]
                """
                                        .formatted(
                                                rSystem.port(),
                                                clientsTrust,
                                                "{file: " + password + "}",
                                                hub,
                                                "{file: " + password + "}",
                                                a))
                        .replace("value: " + r, "value: \"" + rRegistry + "\""));

        PartnerFiles.write(
                PARTNERS_DIR,
                b + ".yaml",
                PartnerFiles.partner(
                                b,
                                """
                inbound:
                  - name: status
                    kind: mllp
                    format: hl7v2
                    flow: referral-status
                    settings:
                      port: %d
                referralPartners: [%s, %s]
                """
                                        .formatted(bStatusPort, a, t))
                        .replace("value: " + b, "value: \"" + bRegistry + "\""));
        PartnerFiles.write(PARTNERS_DIR, a + ".yaml", PartnerFiles.mllpReferralSender(a, aPort, b, r));
        String store = "{file: " + password + "}";
        PartnerFiles.write(
                PARTNERS_DIR,
                t + ".yaml",
                PartnerFiles.partner(
                        t,
                        """
                inbound:
                  - name: referrals
                    kind: mllp
                    format: hl7v2
                    flow: referral
                    settings:
                      port: %1$d
                      sendingFacilities: [MBAL-BLAGOEVGRAD]
                      tls: {keyStore: %3$s, keyStorePassword: %4$s}
                  - name: referrals-bound
                    kind: mllp
                    format: hl7v2
                    flow: referral
                    settings:
                      port: %2$d
                      sendingFacilities: [MBAL-BLAGOEVGRAD]
                      tls:
                        keyStore: %3$s
                        keyStorePassword: %4$s
                        trustStore: %5$s
                        trustStorePassword: %4$s
                        clientAuth: required
                        clientSubject: "CN=his.%6$s, O=Test hospital"
                codeMappings:
                  - https://fhir.cbhealth.eu/ConceptMap/bg-nhif-specialty-to-cbh
                referralPartners: [%7$s]
                """
                                .formatted(tlsPort, clientAuthPort, hub, store, hubTrusts, t, b)));
        await().atMost(WAIT).untilAsserted(() -> {
            for (String partner : List.of(a, b, t, r)) {
                // a partner not listed yet is an assertion to wait on, not a NullPointerException that ends the wait
                assertThat(admin().partner(partner)).as(partner).isNotNull();
                assertThat(admin().partner(partner).get("routes").findValuesAsText("state"))
                        .containsOnly("Started");
            }
        });
    }

    @Test
    void referralInAnotherPartnersNameIsRefusedArOnMsh4ParkedAuditedAndStoredNowhere() throws Exception {
        String placer = "ISO-" + UUID.randomUUID().toString().substring(0, 8);
        int parkedBefore = parked().count(a, "sender");
        int deniedBefore = audit().denials(a).size();

        String ack = MllpClient.send(aPort, referral(placer, b));

        assertThat(ack).contains("MSA|AR|" + placer);
        assertThat(ack)
                .contains("ERR||MSH^1^4|204^Unknown key identifier^HL70357|E||||sending facility '" + b
                        + "' is not bound to this connection of partner " + a);
        assertThat(tasks(a, placer)).isZero();
        assertThat(serviceRequests(placer)).isZero();
        await().atMost(WAIT).untilAsserted(() -> assertThat(parked().of(a))
                .filteredOn(p -> p.reason() != null && p.reason().contains("sending facility '" + b + "'"))
                .singleElement()
                .satisfies(p -> assertThat(p.failedBy()).isEqualTo("sender"))
                .extracting(Parked::raw)
                .asString()
                .contains("|" + b + "|")
                .contains(placer));
        assertThat(parked().count(a, "sender")).isEqualTo(parkedBefore + 1);
        List<AuditEvent> denials = audit().denials(a);
        assertThat(denials).hasSize(deniedBefore + 1);
        assertThat(denials).anySatisfy(denied -> {
            assertThat(denied.getSubtypeFirstRep().getSystem()).isEqualTo(HubAudit.STEP_SYSTEM);
            assertThat(denied.getSubtypeFirstRep().getCode()).isEqualTo("denied");
            assertThat(denied.getOutcomeDesc())
                    .isEqualTo("sending facility '" + b + "' is not bound to this connection of partner " + a);
            assertThat(ca.uhn.fhir.context.FhirContext.forR4Cached()
                            .newJsonParser()
                            .encodeResourceToString(denied))
                    .as("no patient data in the audit record")
                    .contains("MSH-4 " + b)
                    .doesNotContain("7501024918")
                    .doesNotContain("Иванова");
        });

        // B's registry number as MSH-4.2 behind A's own id is still B's facility
        String mixed = referral(placer, a + "^" + bRegistry + "^L");
        assertThat(MllpClient.send(aPort, mixed)).contains("MSA|AR|" + placer).contains("ERR||MSH^1^4|204^");
        assertThat(tasks(a, placer)).isZero();

        // the integrator's dry run of the same sample on A's channel names MSH-4 too, and stores and audits nothing
        int deniedBeforeDryRun = audit().denials(a).size();
        AdminApi.Answer dryRun = admin().post(
                        "/api/admin/partners/" + a + "/dry-run?channel=referrals",
                        referral(placer, b).getBytes(StandardCharsets.UTF_8),
                        "application/hl7-v2");
        assertThat(dryRun.status()).as(dryRun.text()).isEqualTo(200);
        assertThat(dryRun.json().get("accepted").asBoolean()).isFalse();
        assertThat(dryRun.json().at("/outcome/issue/0/severity").asText()).isEqualTo("error");
        assertThat(dryRun.json().at("/outcome/issue/0/expression/0").asText()).isEqualTo("MSH-4");
        assertThat(dryRun.json().at("/outcome/issue/0/diagnostics").asText())
                .isEqualTo("sending facility '" + b + "' is not bound to this connection of partner " + a);
        assertThat(dryRun.json().at("/resources/entry").size()).isZero();
        assertThat(admin().post(
                                "/api/admin/partners/" + a + "/dry-run?channel=referrals",
                                referral(placer, a).getBytes(StandardCharsets.UTF_8),
                                "application/hl7-v2")
                        .json()
                        .get("accepted")
                        .asBoolean())
                .as("A's own sample passes the dry run")
                .isTrue();
        assertThat(audit().denials(a)).hasSize(deniedBeforeDryRun);
        assertThat(tasks(a, placer)).isZero();

        // A's own referral right after, with the same MSH-10: taken (refusals are not remembered)
        assertThat(MllpClient.send(aPort, referral(placer, a))).contains("MSA|AA|" + placer);
        assertThat(tasks(a, placer)).isEqualTo(1);
    }

    @Test
    void statusInAnotherPartnersNameIsRefusedArOnMsh4AndChangesNothing() throws Exception {
        String placer = "ISO-ST-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(MllpClient.send(aPort, referral(placer, a))).contains("MSA|AA|" + placer);
        Task task = task(a, placer);
        String taskId = task.getIdElement().getIdPart();
        int deniedBefore = audit().denials(b).size();
        String controlId = "ST-" + UUID.randomUUID().toString().substring(0, 8);

        String ack = MllpClient.send(bStatusPort, acceptedNotice(controlId, a, taskId));

        assertThat(ack).contains("MSA|AR|" + controlId);
        assertThat(ack)
                .contains("ERR||MSH^1^4|204^Unknown key identifier^HL70357|E||||sending facility '" + a
                        + "' is not bound to this connection of partner " + b);
        assertThat(task(a, placer).getMeta().getVersionId())
                .as("the Task is not updated")
                .isEqualTo(task.getMeta().getVersionId());
        await().atMost(WAIT).untilAsserted(() -> assertThat(parked().of(b))
                .filteredOn(p -> p.reason() != null && p.reason().contains("sending facility '" + a))
                .singleElement()
                .satisfies(p -> assertThat(p.failedBy()).isEqualTo("sender")));
        assertThat(audit().denials(b)).hasSize(deniedBefore + 1);

        // B's own notice, by its registry number in MSH-4.2: applied
        assertThat(MllpClient.send(bStatusPort, acceptedNotice(controlId, "KB^" + bRegistry, taskId)))
                .contains("MSA|AA|" + controlId);
        Task accepted = task(a, placer);
        assertThat(accepted.getBusinessStatus().getCodingFirstRep().getCode()).isEqualTo("accepted");
    }

    @Test
    void tlsChannelAnswersATlsClientAndNotAPlainOne() throws Exception {
        String placer = "ISO-TLS-" + UUID.randomUUID().toString().substring(0, 8);

        assertThat(MllpClient.sendTls(tlsPort, referral(placer, "MBAL-BLAGOEVGRAD"), anonymousClient))
                .contains("MSA|AA|" + placer);
        assertThat(tasks(t, placer)).isEqualTo(1);

        String plain = "ISO-PLAIN-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(noAnswer(() -> MllpClient.answerOrClose(tlsPort, framed(referral(plain, "MBAL-BLAGOEVGRAD")))))
                .as("a plain-TCP client on the TLS port gets no ACK")
                .isTrue();
        assertThat(tasks(t, plain)).isZero();
    }

    @Test
    void clientAuthRequiredRefusesAClientWithoutTheBoundCertificate() throws Exception {
        String placer = "ISO-MTLS-" + UUID.randomUUID().toString().substring(0, 8);
        int deniedBefore = audit().denials(t).size();

        // no certificate: the handshake fails, nothing is read
        assertThat(catchThrowableOfType(
                        IOException.class,
                        () -> MllpClient.sendTls(
                                clientAuthPort, referral(placer, "MBAL-BLAGOEVGRAD"), anonymousClient)))
                .isNotNull();

        // a certificate the hub trusts, but not the partner's: AR naming the certificate, audited
        String ack = MllpClient.sendTls(clientAuthPort, referral(placer, "MBAL-BLAGOEVGRAD"), otherClient);
        assertThat(ack).contains("MSA|AR|" + placer);
        assertThat(ack).contains("is not the certificate of partner " + t);
        assertThat(audit().denials(t)).hasSize(deniedBefore + 1);
        assertThat(tasks(t, placer)).isZero();

        // the partner's own certificate: taken
        assertThat(MllpClient.sendTls(clientAuthPort, referral(placer, "MBAL-BLAGOEVGRAD"), tClient))
                .contains("MSA|AA|" + placer);
        assertThat(tasks(t, placer)).isEqualTo(1);
    }

    @Test
    void deliveryOverTlsShowsTheHubsClientCertificateAndIsAcknowledged() throws Exception {
        String placer = "ISO-OUT-" + UUID.randomUUID().toString().substring(0, 8);
        String toR = Samples.hl7From("referral/ref-i12-bg-to-mk.hl7", a)
                .replace("BG-REF-000123", placer)
                .replace("4068491", rRegistry);

        assertThat(MllpClient.send(aPort, toR)).contains("MSA|AA|" + placer);

        String delivered = rSystem.next(30, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(delivered).as("REF^I12 delivered over TLS").isNotNull().contains("REF^I12");
        assertThat(rSystem.next(2, java.util.concurrent.TimeUnit.SECONDS))
                .as("delivered once")
                .isNull();
    }

    @org.junit.jupiter.api.AfterAll
    void closeListener() throws IOException {
        rSystem.close();
    }

    /** The Bulgarian sample referral to B, with its own MSH-10 and placer number, sent as {@code facility}. */
    private String referral(String placer, String facility) {
        return Samples.hl7From("referral/ref-i12-bg-to-mk.hl7", facility)
                .replace("BG-REF-000123", placer)
                .replace("4068491", bRegistry);
    }

    /** B's RRI^I12 accepting the hub's referral {@code taskId}, sent as {@code facility}. */
    private static String acceptedNotice(String controlId, String facility, String taskId) {
        return "MSH|^~\\&|HIS|" + facility + "|CBHEALTH-HUB|CBHEALTH|20261122101500+0100||RRI^I12^RRI_I12|"
                + controlId + "|P|2.5.1|||AL|NE||UNICODE UTF-8\r"
                + "RF1|A^Accepted^HL70283|||||" + taskId + "^CBHEALTH\r";
    }

    private Task task(String sender, String placer) {
        Bundle found = taskSearch(sender, placer);
        assertThat(found.getEntry()).hasSize(1);
        return (Task) found.getEntry().get(0).getResource();
    }

    private int tasks(String sender, String placer) {
        return taskSearch(sender, placer).getEntry().size();
    }

    private Bundle taskSearch(String sender, String placer) {
        return fhirClient()
                .search()
                .byUrl("Task?identifier=" + CbhCanonical.partnerIdentifierSystem(sender, "referral-task") + "|"
                        + placer)
                .returnBundle(Bundle.class)
                .execute();
    }

    private int serviceRequests(String placer) {
        return fhirClient()
                .search()
                .byUrl("ServiceRequest?identifier=" + placer)
                .returnBundle(Bundle.class)
                .execute()
                .getEntry()
                .size();
    }

    private interface Answer {
        String get() throws IOException;
    }

    /** True when no acknowledgement came: the connection was closed or reset, or what came back is no MLLP frame. */
    private static boolean noAnswer(Answer answer) {
        try {
            return answer.get() == null;
        } catch (IOException e) {
            return true;
        }
    }

    private static byte[] framed(String text) {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        byte[] raw = new byte[body.length + 3];
        raw[0] = 0x0b;
        System.arraycopy(body, 0, raw, 1, body.length);
        raw[body.length + 1] = 0x1c;
        raw[body.length + 2] = 0x0d;
        return raw;
    }

    /** A PKCS#12 key store with one EC key pair and its self-signed certificate, made by keytool. */
    private Path keyPair(String name, String subject) throws Exception {
        Path store = keys.resolve(name + ".p12");
        keytool(
                "-genkeypair",
                "-alias",
                name,
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-sigalg",
                "SHA256withECDSA",
                "-dname",
                subject,
                "-validity",
                "2",
                "-ext",
                "SAN=dns:localhost,ip:127.0.0.1",
                "-storetype",
                "PKCS12",
                "-keystore",
                store.toString(),
                "-storepass",
                STORE_PASSWORD);
        return store;
    }

    /** A PKCS#12 trust store with the certificates of the given key stores. */
    private Path trustStore(String name, Path... keyStores) throws Exception {
        Path store = keys.resolve(name + ".p12");
        for (Path keyStore : keyStores) {
            String alias = keyStore.getFileName().toString().replace(".p12", "");
            Path certificate = keys.resolve(name + "-" + alias + ".cer");
            keytool(
                    "-exportcert",
                    "-alias",
                    alias,
                    "-keystore",
                    keyStore.toString(),
                    "-storepass",
                    STORE_PASSWORD,
                    "-file",
                    certificate.toString());
            keytool(
                    "-importcert",
                    "-noprompt",
                    "-alias",
                    alias,
                    "-file",
                    certificate.toString(),
                    "-storetype",
                    "PKCS12",
                    "-keystore",
                    store.toString(),
                    "-storepass",
                    STORE_PASSWORD);
        }
        return store;
    }

    private static void keytool(String... arguments) throws Exception {
        List<String> command = new java.util.ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor())
                .as("keytool " + arguments[0] + ": " + output)
                .isZero();
    }

    private static SSLContext context(Path keyStore, Path trustStore) throws Exception {
        KeyManagerFactory keyManagers = null;
        if (keyStore != null) {
            keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyManagers.init(load(keyStore), STORE_PASSWORD.toCharArray());
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(load(trustStore));
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers == null ? null : keyManagers.getKeyManagers(), trust.getTrustManagers(), null);
        return context;
    }

    private static KeyStore load(Path path) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(path)) {
            store.load(in, STORE_PASSWORD.toCharArray());
        }
        return store;
    }
}
