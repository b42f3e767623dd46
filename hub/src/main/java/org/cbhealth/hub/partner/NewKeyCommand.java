package org.cbhealth.hub.partner;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

/**
 * {@code java -jar cbhealth-hub.jar --new-key FILE [--kid KID]}: writes a new RSA 2048 private key as a JWK to
 * {@code FILE} (mode 0600; an existing file is never overwritten) and prints its public JWK Set. For a partner system:
 * the private key signs its client assertions ({@code --partner-token --key FILE}), the printed JWK Set goes into its
 * partner file ({@code authentication.jwks}). For the hub: the file is {@code cbhealth.security.token-signing-key-file},
 * shared by every instance behind one address. Exits 0, 1 when the file exists or cannot be written, 2 on bad usage.
 */
public final class NewKeyCommand {

    public static final String OPTION = "--new-key";
    static final String USAGE = "usage: java -jar cbhealth-hub.jar " + OPTION + " FILE [--kid KID]";

    private NewKeyCommand() {}

    /** Runs the command on the arguments after {@value #OPTION}; returns the exit code. */
    public static int run(List<String> args, PrintStream out, PrintStream err) {
        if (args.size() != 1 && !(args.size() == 3 && args.get(1).equals("--kid"))) {
            err.println(USAGE);
            return 2;
        }
        Path file = Path.of(args.get(0)).toAbsolutePath();
        String kid = args.size() == 3 ? args.get(2) : UUID.randomUUID().toString();
        if (Files.exists(file)) {
            err.println(file + " exists; a key file is never overwritten");
            return 1;
        }
        RSAKey key;
        try {
            key = new RSAKeyGenerator(2048).keyUse(KeyUse.SIGNATURE).keyID(kid).generate();
        } catch (JOSEException e) {
            err.println("cannot generate an RSA key: " + e.getMessage());
            return 1;
        }
        try {
            DemoPartnerCredentials.writePrivate(
                    file.getParent(), file.getFileName().toString(), key.toJSONString());
        } catch (IOException e) {
            err.println(file + ": " + e.getMessage());
            return 1;
        }
        out.println(new JWKSet(key.toPublicJWK()).toString(true));
        return 0;
    }
}
