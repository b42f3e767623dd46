package org.cbhealth.hub.partner;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code sendingFacilities} and {@code tls} settings of HL7 v2 / MLLP channels as the partner file reader checks them. */
class MllpChannelSettingsTest {

    private static PartnerDirectory directory;

    @TempDir
    Path dir;

    @BeforeAll
    static void knownConceptMaps() {
        directory = new PartnerDirectory(ConfigCheckCommand.knownConceptMaps());
    }

    @Test
    void defaultSendingFacilitiesAreThePartnerIdAndItsRegistryValues() throws IOException {
        write(partner(mllp("{port: 2575}")));

        PartnerDefinition partner = only();

        assertThat(SenderBinding.sendingFacilities(partner, partner.inbound().get(0)))
                .containsExactly("ee-tartu", "90003217");
    }

    @Test
    void listedSendingFacilitiesReplaceTheDefault() throws IOException {
        write(partner(mllp("{port: 2575, sendingFacilities: [TARTU-KLIINIKUM, \"90003217\"]}")));

        PartnerDefinition partner = only();

        assertThat(SenderBinding.sendingFacilities(partner, partner.inbound().get(0)))
                .containsExactly("TARTU-KLIINIKUM", "90003217");
    }

    @Test
    void badSendingFacilitiesAreNamed() throws IOException {
        write(
                partner(
                        mllp("{port: 2575, sendingFacilities: [\"\", \"A^B\", {x: 1}]}")
                                + """
                  - name: push
                    kind: rest
                    format: fhir
                    flow: directory
                    settings: {sendingFacilities: [X]}
                """));

        assertThat(problems())
                .containsExactly(
                        "ee-tartu.yaml: inbound[0].settings.sendingFacilities[0]: must be a non-empty text (an MSH-4.1"
                                + " or MSH-4.2 value)",
                        "ee-tartu.yaml: inbound[0].settings.sendingFacilities[1]: 'A^B' contains an HL7 separator (| ^"
                                + " ~ \\ &)",
                        "ee-tartu.yaml: inbound[0].settings.sendingFacilities[2]: must be a non-empty text (an MSH-4.1"
                                + " or MSH-4.2 value)",
                        "ee-tartu.yaml: inbound[1].settings.sendingFacilities: binds MSH-4 of HL7 v2 messages: for"
                                + " hl7v2 channels only");
    }

    @Test
    void tlsWithAnInlinePasswordARelativeStoreAndNoTrustStoreForClientAuthIsRefused() throws IOException {
        write(partner(mllp("{port: 2575, tls: {keyStore: hub.p12, keyStorePassword: changeit, clientAuth: required,"
                + " clientSubject: 'CN=his.tartu.ee', cipher: x}}")));

        assertThat(problems())
                .containsExactlyInAnyOrder(
                        "ee-tartu.yaml: inbound[0].settings.tls.cipher: unknown key; allowed: clientAuth, clientSubject,"
                                + " keyStore, keyStorePassword, keyStoreType, trustStore, trustStorePassword,"
                                + " trustStoreType",
                        "ee-tartu.yaml: inbound[0].settings.tls.keyStore: 'hub.p12' must be an absolute path",
                        "ee-tartu.yaml: inbound[0].settings.tls.keyStorePassword: a secret must not be written in a"
                                + " partner file: reference an environment variable (env) or a secret file (file)",
                        "ee-tartu.yaml: inbound[0].settings.tls.trustStore: required");
    }

    @Test
    void tlsNeedsAKeyStoreAValidClientAuthAndAClientSubjectOnlyWithRequired() throws IOException {
        write(partner(mllp("{port: 2575, tls: {clientAuth: sometimes, clientSubject: 'not a dn'}}")));

        assertThat(problems())
                .containsExactlyInAnyOrder(
                        "ee-tartu.yaml: inbound[0].settings.tls.clientAuth: 'sometimes' is not one of none, want,"
                                + " required",
                        "ee-tartu.yaml: inbound[0].settings.tls.keyStore: required",
                        "ee-tartu.yaml: inbound[0].settings.tls.clientSubject: binds the client certificate: give"
                                + " clientAuth: required with it",
                        "ee-tartu.yaml: inbound[0].settings.tls.clientSubject: 'not a dn' is not a distinguished name"
                                + " (e.g. CN=his.example.org,O=Hospital)");
    }

    @Test
    void tlsOnAnotherChannelKindOrAMissingStoreFileIsRefused() throws IOException {
        Path missing = dir.resolve("missing.p12").toAbsolutePath();
        write(partner(
                """
                inbound:
                  - name: push
                    kind: rest
                    format: fhir
                    flow: directory
                    settings: {tls: {keyStore: /x.p12}}
                outbound:
                  kind: mllp
                  settings:
                    host: his.tartu.ee
                    port: 2576
                    tls: {trustStore: %s, trustStorePassword: {env: lower-case}}
                """
                        .formatted(missing)));

        assertThat(problems())
                .containsExactlyInAnyOrder(
                        "ee-tartu.yaml: inbound[0].settings.tls: TLS is set here for mllp channels only",
                        "ee-tartu.yaml: outbound.settings.tls.trustStore: '" + missing + "' is not a readable file",
                        "ee-tartu.yaml: outbound.settings.tls.trustStorePassword.env: 'lower-case' is not an"
                                + " environment variable name");
    }

    @Test
    void goodTlsSettingsAreAcceptedAndBecomeCamelTlsParametersWithThePasswordFromItsFile() throws IOException {
        Path store = Files.writeString(dir.resolve("hub.p12"), "not read here").toAbsolutePath();
        Path secret = Files.writeString(dir.resolve("hub.secret"), "s3cret\n").toAbsolutePath();
        write(partner(mllp("{port: 2575, tls: {keyStore: %1$s, keyStorePassword: {file: %2$s}, trustStore: %1$s,"
                        .formatted(store, secret)
                + " trustStorePassword: {file: %s}, clientAuth: required, clientSubject: 'CN=his.tartu.ee,O=Tartu'}}"
                        .formatted(secret))));

        PartnerDefinition partner = only();
        Map<String, Object> settings = partner.inbound().get(0).settings();
        SSLContextParameters tls = MllpTls.parameters(settings, true);

        assertThat(MllpTls.clientSubject(settings)).isEqualTo("CN=his.tartu.ee,O=Tartu");
        assertThat(tls.getKeyManagers().getKeyStore().getResource()).isEqualTo("file:" + store);
        assertThat(tls.getKeyManagers().getKeyStore().getPassword()).isEqualTo("s3cret");
        assertThat(tls.getKeyManagers().getKeyStore().getType()).isEqualTo("PKCS12");
        assertThat(tls.getTrustManagers().getKeyStore().getPassword()).isEqualTo("s3cret");
        assertThat(tls.getServerParameters().getClientAuthentication()).isEqualTo("REQUIRE");
        assertThat(SenderBinding.sameSubject("CN=his.tartu.ee,O=Tartu", "cn=his.tartu.ee, o=Tartu"))
                .isTrue();
        assertThat(SenderBinding.sameSubject("CN=his.tartu.ee,O=Tartu", "CN=his.riga.lv,O=Tartu"))
                .isFalse();
    }

    private PartnerDefinition only() {
        PartnerDirectory.Check check = directory.check(dir);
        assertThat(check.problems()).isEmpty();
        return check.partners().get("ee-tartu");
    }

    private List<String> problems() {
        return directory.check(dir).problems().stream()
                .map(ConfigProblem::toString)
                .toList();
    }

    private static String mllp(String settings) {
        return """
                inbound:
                  - name: referrals
                    kind: mllp
                    format: hl7v2
                    flow: referral
                    settings: %s
                """
                .formatted(settings);
    }

    private static String partner(String extra) {
        return """
                id: ee-tartu
                names: {et: Tartu Ülikooli Kliinikum}
                country: EE
                identifiers:
                  - {system: "https://fhir.cbhealth.eu/sid/registry/ee-ariregister", value: "90003217"}
                credentials: {env: CBHEALTH_PARTNER_SECRET}
                """
                + extra;
    }

    private void write(String yaml) throws IOException {
        Files.writeString(dir.resolve("ee-tartu.yaml"), yaml, StandardCharsets.UTF_8);
    }
}
