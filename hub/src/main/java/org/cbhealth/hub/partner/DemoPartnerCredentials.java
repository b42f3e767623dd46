package org.cbhealth.hub.partner;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the demo partners prove themselves with, made when the demo partners are seeded (first start), so that a user
 * of the demo can call the hub as a partner and nothing secret ships in the jar: for each demo partner an RSA key
 * pair, its private JWK kept under {@code ${data-dir}/demo-keys/<id>.jwk} and its public JWK Set written into the
 * seeded partner file ({@code authentication.jwks}); and a random secret under {@code ${data-dir}/demo-secrets/<id>}
 * named by the file's {@code credentials.file} (the partner's broker password). Files mode 0600, folders 0700.
 */
public final class DemoPartnerCredentials {

    /** Folder under the data directory with the demo partners' private keys. */
    public static final String KEYS_FOLDER = "demo-keys";
    /** Folder under the data directory with the demo partners' broker secrets. */
    public static final String SECRETS_FOLDER = "demo-secrets";

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern CREDENTIALS = Pattern.compile("(?m)^credentials:\\n(?:[ \\t]+.*\\n)+");

    private final Path keys;
    private final Path secrets;

    public DemoPartnerCredentials(Path dataDirectory) {
        this.keys = dataDirectory.resolve(KEYS_FOLDER).toAbsolutePath();
        this.secrets = dataDirectory.resolve(SECRETS_FOLDER).toAbsolutePath();
    }

    /** The private JWK file of a partner's demo key (also the default of {@code --partner-token}). */
    public static Path keyFile(Path dataDirectory, String partnerId) {
        return dataDirectory.resolve(KEYS_FOLDER).resolve(partnerId + ".jwk");
    }

    public Path keysFolder() {
        return keys;
    }

    public Path secretsFolder() {
        return secrets;
    }

    /**
     * Makes the partner's key pair and secret and returns its partner file with them: the {@code credentials} block
     * replaced by {@code credentials: {file: ...}}, and {@code authentication: {jwks: ...}} added.
     */
    public String provision(String partnerId, String yaml) throws IOException {
        RSAKey key;
        try {
            key = new RSAKeyGenerator(2048).keyID(partnerId + "-demo").generate();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate a key for the demo partner " + partnerId, e);
        }
        writePrivate(keys, partnerId + ".jwk", key.toJSONString());
        byte[] secret = new byte[24];
        RANDOM.nextBytes(secret);
        Path secretFile = writePrivate(secrets, partnerId, HexFormat.of().formatHex(secret));

        String credentials = "credentials:\n  file: " + secretFile + "\n";
        Matcher existing = CREDENTIALS.matcher(yaml);
        String text = existing.find()
                ? yaml.substring(0, existing.start()) + credentials + yaml.substring(existing.end())
                : yaml + (yaml.endsWith("\n") ? "" : "\n") + credentials;
        String jwks = new JWKSet(key.toPublicJWK()).toString(true);
        // a JWK Set holds no single quote, so it can stand as JSON text in a single-quoted YAML scalar
        return text + (text.endsWith("\n") ? "" : "\n") + "authentication:\n  jwks: '" + jwks + "'\n";
    }

    static Path writePrivate(Path folder, String name, String content) throws IOException {
        if (!Files.isDirectory(folder)) {
            createOwnerOnly(folder, true);
        }
        Path file = folder.resolve(name);
        Files.deleteIfExists(file);
        createOwnerOnly(file, false);
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return file;
    }

    private static void createOwnerOnly(Path path, boolean directory) throws IOException {
        boolean posix = path.getFileSystem().supportedFileAttributeViews().contains("posix");
        FileAttribute<?>[] attributes = posix
                ? new FileAttribute<?>[] {
                    PosixFilePermissions.asFileAttribute(
                            PosixFilePermissions.fromString(directory ? "rwx------" : "rw-------"))
                }
                : new FileAttribute<?>[0];
        try {
            if (directory) {
                Files.createDirectories(path, attributes);
            } else {
                Files.createFile(path, attributes);
            }
        } catch (FileAlreadyExistsException raced) {
            // created meanwhile: its permissions are set below
        }
        if (posix) {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(directory ? "rwx------" : "rw-------"));
        }
    }
}
