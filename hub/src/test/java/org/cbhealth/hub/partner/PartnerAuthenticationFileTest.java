package org.cbhealth.hub.partner;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.cbhealth.hub.support.PartnerKeys;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code authentication} block of a partner file: the public keys its systems sign token requests with. */
class PartnerAuthenticationFileTest {

    private static PartnerDirectory directory;

    @TempDir
    Path dir;

    @BeforeAll
    static void knownConceptMaps() {
        directory = new PartnerDirectory(ConfigCheckCommand.knownConceptMaps());
    }

    @Test
    void inlineJwksAsJsonTextIsRead() throws IOException {
        write(partner("authentication:\n  jwks: '" + PartnerKeys.publicJwks("ee-tartu") + "'\n"));

        PartnerDirectory.Check check = directory.check(dir);

        assertThat(check.problems()).isEmpty();
        PartnerDefinition.Authentication authentication =
                check.partners().get("ee-tartu").authentication();
        assertThat(authentication.jwksFile()).isNull();
        assertThat(authentication.jwks()).contains("\"kid\":\"ee-tartu-key-1\"");
    }

    @Test
    void inlineJwksAsYamlMappingIsRead() throws IOException {
        RSAKey key = PartnerKeys.of("ee-tartu");
        write(partner(
                """
                authentication:
                  jwks:
                    keys:
                      - kty: RSA
                        kid: ee-tartu-key-1
                        e: %s
                        n: %s
                """
                        .formatted(key.getPublicExponent(), key.getModulus())));

        PartnerDirectory.Check check = directory.check(dir);

        assertThat(check.problems()).isEmpty();
        assertThat(check.partners().get("ee-tartu").authentication().jwks())
                .contains(key.getModulus().toString());
    }

    @Test
    void jwksFileIsReadFromItsAbsolutePath() throws IOException {
        Path keys = Files.writeString(dir.resolve("ee-tartu.jwks.json"), PartnerKeys.publicJwks("ee-tartu"));
        write(partner("authentication:\n  jwks-file: " + keys + "\n"));

        PartnerDirectory.Check check = directory.check(dir);

        assertThat(check.problems()).isEmpty();
        PartnerDefinition.Authentication authentication =
                check.partners().get("ee-tartu").authentication();
        assertThat(authentication.jwksFile()).isEqualTo(keys.toString());
        assertThat(authentication.jwks()).contains("ee-tartu-key-1");
    }

    @Test
    void aRelativeJwksFileIsRefused() throws IOException {
        write(partner("authentication:\n  jwks-file: keys/ee-tartu.jwks.json\n"));

        assertThat(problems())
                .containsExactly(
                        "ee-tartu.yaml: authentication.jwks-file: 'keys/ee-tartu.jwks.json' must be an absolute path");
    }

    @Test
    void aPrivateKeyIsRefusedNamingTheField() throws IOException {
        String withPrivate = new JWKSet(PartnerKeys.of("ee-tartu")).toString(false);
        write(partner("authentication:\n  jwks: '" + withPrivate + "'\n"));

        assertThat(problems())
                .containsExactly("ee-tartu.yaml: authentication.jwks.keys[0]: is a private key: a partner file holds"
                        + " only the partner's public keys");
    }

    @Test
    void aKeyWithoutKidIsRefused() throws Exception {
        RSAKey noKid = new RSAKey.Builder(PartnerKeys.of("ee-tartu").toRSAPublicKey()).build();
        write(partner("authentication:\n  jwks: '" + new JWKSet(noKid) + "'\n"));

        assertThat(problems())
                .containsExactly("ee-tartu.yaml: authentication.jwks.keys[0]: has no kid; client assertions name their"
                        + " key by kid");
    }

    @Test
    void somethingElseThanAJwkSetIsRefused() throws IOException {
        write(partner("authentication:\n  jwks: 'not json'\n"));

        assertThat(problems()).singleElement().satisfies(problem -> assertThat(problem)
                .startsWith("ee-tartu.yaml: authentication.jwks: is not a JWK Set"));
    }

    @Test
    void bothOrNeitherOfJwksAndJwksFileIsRefused() throws IOException {
        write(partner("authentication:\n  jwks-file: /tmp/x.json\n  jwks: '{\"keys\":[]}'\n"));

        assertThat(problems())
                .containsExactly("ee-tartu.yaml: authentication: give exactly one of jwks (the public keys) or"
                        + " jwks-file (a JWK Set file)");
    }

    private List<String> problems() {
        return directory.check(dir).problems().stream()
                .map(ConfigProblem::toString)
                .toList();
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
