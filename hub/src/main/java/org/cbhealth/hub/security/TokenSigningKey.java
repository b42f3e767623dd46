package org.cbhealth.hub.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.text.ParseException;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RSA key the hub signs its access tokens with. Read from {@code cbhealth.security.token-signing-key-file} when
 * set (several instances share it), else kept under {@code ${cbhealth.data-dir}/secrets/token-signing.jwk} (mode
 * 0600), generated at first start: tokens stay valid across a restart.
 */
public final class TokenSigningKey {

    private static final Logger LOG = LoggerFactory.getLogger(TokenSigningKey.class);

    private TokenSigningKey() {}

    /** The key of the configured file, or of the data directory's file (created when missing). */
    public static RSAKey load(Path configuredFile, Path dataDirectory) {
        try {
            if (configuredFile != null && !configuredFile.toString().isBlank()) {
                return read(configuredFile);
            }
            Path kept = dataDirectory.resolve("secrets").resolve("token-signing.jwk");
            if (Files.exists(kept)) {
                return read(kept);
            }
            return generate(kept);
        } catch (IOException e) {
            throw new UncheckedIOException("token signing key: " + e.getMessage(), e);
        }
    }

    private static RSAKey read(Path file) throws IOException {
        try {
            RSAKey key = RSAKey.parse(Files.readString(file, StandardCharsets.UTF_8));
            if (!key.isPrivate()) {
                throw new IllegalStateException("token signing key file " + file + " holds no private key");
            }
            return key;
        } catch (ParseException e) {
            throw new IllegalStateException("token signing key file " + file + " is not an RSA JWK: " + e.getMessage());
        }
    }

    private static RSAKey generate(Path file) throws IOException {
        RSAKey key;
        try {
            key = new RSAKeyGenerator(2048)
                    .keyUse(KeyUse.SIGNATURE)
                    .keyID(UUID.randomUUID().toString())
                    .generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        Files.createDirectories(file.getParent());
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(file); // not a POSIX file system: the data directory's own permissions apply
        } catch (FileAlreadyExistsException e) {
            return read(file); // another instance on the same data directory was first
        }
        Files.writeString(file, key.toJSONString(), StandardCharsets.UTF_8);
        LOG.info("Generated the access token signing key {} (kid {})", file, key.getKeyID());
        return key;
    }
}
