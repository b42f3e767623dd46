package org.cbhealth.bench.partner;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * What a benchmark partner proves itself with, made fresh for each run (nothing is kept in the repository): an RSA
 * key pair whose public half goes into its partner file ({@code authentication.jwks}) and whose private half signs
 * its client assertions ({@link PartnerTokens}), and a random secret in a file of its own (mode 0600, named by
 * {@code credentials.file}), which is its password on the hub's broker (user = partner id).
 *
 * @param partnerId the partner id: OAuth client id and broker user
 * @param key the key pair, private half included
 * @param secret the broker password
 * @param secretFile where the secret is written
 */
public record PartnerCredentials(String partnerId, RSAKey key, String secret, Path secretFile) {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** A new key pair and secret for {@code partnerId}; the secret is written to {@code secretsDir/<id>}. */
    public static PartnerCredentials generate(String partnerId, Path secretsDir) throws IOException {
        RSAKey key;
        try {
            key = new RSAKeyGenerator(2048).keyID(partnerId + "-bench").generate();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate an RSA key: " + e.getMessage(), e);
        }
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        String secret = HexFormat.of().formatHex(bytes);
        Files.createDirectories(secretsDir);
        Path file = secretsDir.resolve(partnerId).toAbsolutePath();
        Files.deleteIfExists(file);
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(file);
        }
        Files.writeString(file, secret, StandardCharsets.UTF_8);
        return new PartnerCredentials(partnerId, key, secret, file);
    }

    /** The public JWK Set as compact JSON. */
    public String publicJwks() {
        return new JWKSet(key.toPublicJWK()).toString(true);
    }

    /**
     * The partner file's {@code credentials} and {@code authentication} blocks (top level, each line ending in a
     * newline): the secret file and the public keys as JSON text in single quotes (a JWK Set holds none).
     */
    public String yaml() {
        return "credentials:\n  file: " + secretFile + "\nauthentication:\n  jwks: '" + publicJwks() + "'\n";
    }

    /** Writes a partner file complete before it appears in {@code directory} (the hub hot-reloads it). */
    public static void writePartnerFile(Path directory, String name, String yaml) throws IOException {
        Path temp = Files.createTempFile(directory.getParent(), name, ".tmp");
        Files.writeString(temp, yaml, StandardCharsets.UTF_8);
        Files.move(temp, directory.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
