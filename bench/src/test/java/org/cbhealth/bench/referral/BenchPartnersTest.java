package org.cbhealth.bench.referral;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchPartnersTest {

    @Test
    void shouldListenForTheSenderOnItsPortAndAllowReferralsBothWays() {
        String sender = new BenchPartners(40123).senderYaml();

        assertThat(sender)
                .contains("id: bench-sender\n")
                .contains("    kind: mllp\n    format: hl7v2\n    flow: referral\n"
                        + "    settings:\n      host: 127.0.0.1\n      port: 40123\n")
                .contains("  env: CBHEALTH_PARTNER_BENCH_SENDER_SECRET\n")
                .endsWith("referralPartners: [bench-receiver]\n");
    }

    @Test
    void shouldGiveTheSenderARestAndAJmsChannelForTheSameHl7v2Referrals() {
        String sender = new BenchPartners(40123).senderYaml();

        assertThat(sender)
                .contains("  - name: referrals-rest\n    kind: rest\n    format: hl7v2\n    flow: referral\n")
                .contains("  - name: referrals-jms\n    kind: jms\n    format: hl7v2\n    flow: referral\n"
                        + "    settings:\n      queue: bench.sender.referrals\n");
    }

    @Test
    void shouldGiveTheReceiverTheSamplesReferredToIdentifierAndItsQueue() {
        String receiver = new BenchPartners(40123).receiverYaml();

        assertThat(receiver)
                .contains("id: bench-receiver\n")
                .contains("  - system: https://fhir.cbhealth.eu/sid/registry/mk-embs\n    value: \"4068491\"\n")
                .contains("outbound:\n  kind: jms\n  settings:\n    queue: bench.receiver.referrals\n")
                .endsWith("referralPartners: [bench-sender]\n");
    }

    @Test
    void shouldWriteOneFileNamedAfterEachPartner(@TempDir Path root) throws Exception {
        Path partners = Files.createDirectory(root.resolve("partners"));
        new BenchPartners(40123).writeTo(partners);

        try (var files = Files.list(partners)) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted())
                    .containsExactly("bench-receiver.yaml", "bench-sender.yaml");
        }
        assertThat(Files.readString(partners.resolve("bench-sender.yaml")))
                .isEqualTo(new BenchPartners(40123).senderYaml());
    }
}
