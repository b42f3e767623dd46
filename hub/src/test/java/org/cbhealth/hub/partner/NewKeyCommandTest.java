package org.cbhealth.hub.partner;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NewKeyCommandTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return NewKeyCommand.run(
                List.of(args),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void writesThePrivateKeyOwnerOnlyAndPrintsItsPublicJwkSetForThePartnerFile() throws Exception {
        Path file = dir.resolve("ee-tartu.jwk");

        assertThat(run(file.toString(), "--kid", "ee-tartu-1")).isZero();

        RSAKey key = RSAKey.parse(Files.readString(file));
        assertThat(key.isPrivate()).isTrue();
        assertThat(key.getKeyID()).isEqualTo("ee-tartu-1");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        JWKSet printed = JWKSet.parse(out.toString(StandardCharsets.UTF_8));
        assertThat(printed.getKeys()).containsExactly(key.toPublicJWK());
        assertThat(PartnerTokenCommand.privateKey(file)).isEqualTo(key);
    }

    @Test
    void neverOverwritesAKeyFile() throws Exception {
        Path file = Files.writeString(dir.resolve("token-signing.jwk"), "kept");

        assertThat(run(file.toString())).isEqualTo(1);

        assertThat(Files.readString(file)).isEqualTo("kept");
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("exists");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void badUsageExitsTwo() {
        assertThat(run()).isEqualTo(2);
        assertThat(run("a.jwk", "--kid")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains(NewKeyCommand.USAGE);
    }
}
