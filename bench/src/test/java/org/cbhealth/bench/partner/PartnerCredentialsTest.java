package org.cbhealth.bench.partner;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

class PartnerCredentialsTest {

    @TempDir
    Path root;

    @Test
    void shouldWriteTheSecretToAFileOnlyItsOwnerReads() throws Exception {
        PartnerCredentials partner = PartnerCredentials.generate("bench-a", root.resolve("secrets"));

        assertThat(partner.secretFile())
                .isEqualTo(root.resolve("secrets/bench-a").toAbsolutePath());
        assertThat(Files.readString(partner.secretFile())).isEqualTo(partner.secret());
        assertThat(partner.secret()).hasSize(48).matches("[0-9a-f]+");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(partner.secretFile())))
                .isEqualTo("rw-------");
    }

    @Test
    void shouldGiveEachPartnerAndRunItsOwnKeyAndSecret() throws Exception {
        PartnerCredentials first = PartnerCredentials.generate("bench-a", root.resolve("one"));
        PartnerCredentials second = PartnerCredentials.generate("bench-a", root.resolve("two"));

        assertThat(first.key().toPublicJWK()).isNotEqualTo(second.key().toPublicJWK());
        assertThat(first.secret()).isNotEqualTo(second.secret());
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldPutOnlyThePublicKeyWithItsKidIntoThePartnerFile() throws Exception {
        PartnerCredentials partner = PartnerCredentials.generate("bench-a", root);

        Map<String, Object> yaml = new Yaml().load("id: bench-a\n" + partner.yaml());
        String jwks = (String) ((Map<String, Object>) yaml.get("authentication")).get("jwks");
        JWKSet set = JWKSet.parse(jwks);

        assertThat(set.getKeys()).hasSize(1);
        RSAKey key = (RSAKey) set.getKeys().get(0);
        assertThat(key.isPrivate()).isFalse();
        assertThat(key.getKeyID()).isEqualTo("bench-a-bench");
        assertThat(key.getModulus()).isEqualTo(partner.key().getModulus());
        assertThat(jwks).doesNotContain("\"d\"", "\"p\"", "\"q\"");
        assertThat((Map<String, Object>) yaml.get("credentials"))
                .containsExactly(Map.entry("file", partner.secretFile().toString()));
    }
}
