package org.cbhealth.bench.referral;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

class BenchPartnersTest {

    @TempDir
    static Path secrets;

    private static BenchPartners bench;

    @BeforeAll
    static void generate() throws Exception {
        bench = BenchPartners.generate(40123, secrets);
    }

    @Test
    void shouldListenForTheSenderOnItsPortAndAllowReferralsBothWays() {
        String sender = bench.senderYaml();

        assertThat(sender)
                .contains("id: bench-sender\n")
                .contains("    kind: mllp\n    format: hl7v2\n    flow: referral\n"
                        + "    settings:\n      host: 127.0.0.1\n      port: 40123\n")
                .contains("credentials:\n  file: "
                        + secrets.resolve("bench-sender").toAbsolutePath() + "\n")
                .endsWith("referralPartners: [bench-receiver]\n");
    }

    @Test
    void shouldGiveTheSenderARestAndAJmsChannelForTheSameHl7v2Referrals() {
        String sender = bench.senderYaml();

        assertThat(sender)
                .contains("  - name: referrals-rest\n    kind: rest\n    format: hl7v2\n    flow: referral\n")
                .contains("  - name: referrals-jms\n    kind: jms\n    format: hl7v2\n    flow: referral\n"
                        + "    settings:\n      queue: bench.sender.referrals\n");
    }

    @Test
    void shouldGiveTheReceiverTheSamplesReferredToIdentifierAndItsQueue() {
        String receiver = bench.receiverYaml();

        assertThat(receiver)
                .contains("id: bench-receiver\n")
                .contains("  - system: https://fhir.cbhealth.eu/sid/registry/mk-embs\n    value: \"4068491\"\n")
                .contains("outbound:\n  kind: jms\n  settings:\n    queue: bench.receiver.referrals\n")
                .endsWith("referralPartners: [bench-sender]\n");
    }

    @Test
    void shouldWriteOneFileNamedAfterEachPartner(@TempDir Path root) throws Exception {
        Path partners = Files.createDirectory(root.resolve("partners"));
        bench.writeTo(partners);

        try (var files = Files.list(partners)) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted())
                    .containsExactly("bench-receiver.yaml", "bench-sender.yaml");
        }
        assertThat(Files.readString(partners.resolve("bench-sender.yaml"))).isEqualTo(bench.senderYaml());
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldNameEachPartnersOwnSecretFileAndPublicKeys() {
        Map<String, Object> sender = new Yaml().load(bench.senderYaml());
        Map<String, Object> receiver = new Yaml().load(bench.receiverYaml());

        assertThat((Map<String, Object>) sender.get("credentials"))
                .containsExactly(Map.entry("file", bench.sender().secretFile().toString()));
        assertThat((Map<String, Object>) receiver.get("credentials"))
                .containsExactly(Map.entry("file", bench.receiver().secretFile().toString()));
        assertThat(((Map<String, Object>) sender.get("authentication")).get("jwks"))
                .isEqualTo(bench.sender().publicJwks());
        assertThat(((Map<String, Object>) receiver.get("authentication")).get("jwks"))
                .isEqualTo(bench.receiver().publicJwks());
        assertThat(bench.sender().secret()).isNotEqualTo(bench.receiver().secret());
    }
}
