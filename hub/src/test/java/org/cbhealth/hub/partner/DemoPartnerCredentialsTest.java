package org.cbhealth.hub.partner;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.cbhealth.hub.support.DemoPartners;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoPartnerCredentialsTest {

    private static final List<String> DEMO_IDS = List.of(
            "at-klinikum-klagenfurt",
            "bg-mbal-blagoevgrad",
            "mk-kb-stip",
            "pl-usk-rzeszow",
            "si-ukc-maribor",
            "ua-lviv-regional-hospital");

    @TempDir
    Path root;

    /** The demo files as the first start seeds them: each provisioned with its key pair and secret. */
    private Path seeded() throws IOException {
        Path shipped = Files.createDirectories(root.resolve("shipped"));
        Path partners = Files.createDirectories(root.resolve("partners"));
        DemoPartners.copyTo(shipped);
        DemoPartnerCredentials credentials = new DemoPartnerCredentials(root.resolve("data"));
        for (String id : DEMO_IDS) {
            String yaml = Files.readString(shipped.resolve(id + ".yaml"), StandardCharsets.UTF_8);
            Files.writeString(partners.resolve(id + ".yaml"), credentials.provision(id, yaml), StandardCharsets.UTF_8);
        }
        return partners;
    }

    @Test
    void seededDemoPartnersAreGoodPartnerFilesNamingTheirSecretFileAndPublicKey() throws Exception {
        Path partners = seeded();

        PartnerDirectory.Check check = new PartnerDirectory(ConfigCheckCommand.knownConceptMaps()).check(partners);

        assertThat(check.problems()).isEmpty();
        assertThat(check.partners().keySet()).containsExactlyElementsOf(DEMO_IDS);
        for (String id : DEMO_IDS) {
            PartnerDefinition partner = check.partners().get(id);
            Path secret = root.resolve("data/demo-secrets").resolve(id).toAbsolutePath();
            assertThat(partner.credentials().file()).as(id).isEqualTo(secret.toString());
            assertThat(partner.credentials().env()).as(id).isNull();
            assertThat(Files.readString(secret)).as(id).matches("[0-9a-f]{48}");

            RSAKey privateKey =
                    RSAKey.parse(Files.readString(DemoPartnerCredentials.keyFile(root.resolve("data"), id)));
            assertThat(privateKey.isPrivate()).isTrue();
            List<com.nimbusds.jose.jwk.JWK> published =
                    JWKSet.parse(partner.authentication().jwks()).getKeys();
            assertThat(published).as(id).hasSize(1);
            assertThat(published.get(0).isPrivate()).isFalse();
            assertThat(published.get(0)).isEqualTo(privateKey.toPublicJWK());
        }
    }

    @Test
    void keysAndSecretsAreReadableByTheirOwnerOnly() throws Exception {
        seeded();
        Path data = root.resolve("data");

        for (Path folder : List.of(data.resolve("demo-keys"), data.resolve("demo-secrets"))) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(folder)))
                    .isEqualTo("rwx------");
            try (var files = Files.list(folder)) {
                assertThat(files.toList()).hasSize(DEMO_IDS.size()).allSatisfy(f -> assertThat(
                                PosixFilePermissions.toString(Files.getPosixFilePermissions(f)))
                        .isEqualTo("rw-------"));
            }
        }
    }

    @Test
    void eachDemoPartnerGetsAKeyAndSecretOfItsOwn() throws Exception {
        Path partners = seeded();

        var check = new PartnerDirectory(ConfigCheckCommand.knownConceptMaps()).check(partners);

        assertThat(DEMO_IDS.stream()
                        .map(id -> check.partners().get(id).authentication().jwks()))
                .doesNotHaveDuplicates();
        assertThat(DEMO_IDS.stream().map(id -> {
                    try {
                        return Files.readString(
                                Path.of(check.partners().get(id).credentials().file()));
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }))
                .doesNotHaveDuplicates();
    }

    @Test
    void onlyTheCredentialsBlockChangesTheRestOfTheFileIsKept() throws Exception {
        String shipped =
                """
                # a comment
                id: demo-a
                credentials:
                  env: CBHEALTH_PARTNER_DEMO_A_SECRET
                inbound:
                  - name: x
                    kind: rest
                """;

        String seeded = new DemoPartnerCredentials(root).provision("demo-a", shipped);

        assertThat(seeded)
                .startsWith("# a comment\nid: demo-a\ncredentials:\n  file: "
                        + root.resolve("demo-secrets/demo-a").toAbsolutePath() + "\ninbound:\n  - name: x\n"
                        + "    kind: rest\nauthentication:\n  jwks: '{\"keys\":[{")
                .doesNotContain("CBHEALTH_PARTNER_DEMO_A_SECRET")
                .endsWith("]}'\n");
    }
}
