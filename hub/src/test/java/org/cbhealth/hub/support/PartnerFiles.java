package org.cbhealth.hub.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Writes partner files the way a deployment does: complete files moved into place, never half-written. */
public final class PartnerFiles {

    private PartnerFiles() {}

    public static void write(Path directory, String fileName, String yaml) throws IOException {
        Path temp = Files.createTempFile(directory.getParent(), "partner-", ".tmp");
        Files.writeString(temp, yaml, StandardCharsets.UTF_8);
        Files.move(
                temp, directory.resolve(fileName), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * A minimal valid partner, with its test public keys; {@code channels} is YAML at column 0 (inbound:,
     * outbound:, ...).
     */
    public static String partner(String id, String channels) {
        return "id: " + id + "\n"
                + "names:\n  en: Test hospital " + id + "\n"
                + "country: SI\n"
                + "identifiers:\n  - system: urn:oid:1.3.6.1.4.1.58762.1.1\n    value: " + id + "\n"
                + CREDENTIALS
                + authentication(id)
                + channels;
    }

    /**
     * The {@code credentials} block of a partner file whose systems use the broker: a generated secret written to
     * a secret file of its own (user = partner id, password = {@link #brokerPassword(String)}). Put it in a partner
     * file instead of the default credentials, e.g. {@code partner(id, channels).replace(CREDENTIALS,
     * brokerSecret(id))}, or use {@link #brokerPartner(String, String)}.
     */
    public static String brokerSecret(String id) {
        return "credentials:\n  file: " + secretFile(id) + "\n";
    }

    /** A partner like {@link #partner(String, String)} whose credentials are its broker secret file. */
    public static String brokerPartner(String id, String channels) {
        return partner(id, channels).replace(CREDENTIALS, brokerSecret(id));
    }

    /** The secret {@link #brokerSecret(String)} wrote for the partner (generated once per test run). */
    public static String brokerPassword(String id) {
        secretFile(id);
        return SECRETS.get(id);
    }

    /** The default credentials of {@link #partner(String, String)}. */
    public static final String CREDENTIALS = "credentials:\n  env: CBHEALTH_PARTNER_TEST_SECRET\n";

    private static final Map<String, String> SECRETS = new ConcurrentHashMap<>();
    private static final Map<String, Path> SECRET_FILES = new ConcurrentHashMap<>();

    private static Path secretFile(String id) {
        return SECRET_FILES.computeIfAbsent(id, key -> {
            byte[] random = new byte[18];
            new SecureRandom().nextBytes(random);
            String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            try {
                Path file = Files.createTempFile("cbhealth-broker-" + key + "-", ".secret");
                Files.writeString(file, secret + "\n", StandardCharsets.UTF_8);
                file.toFile().deleteOnExit();
                SECRETS.put(key, secret);
                return file.toAbsolutePath();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** The {@code authentication} block of a partner file: the test partner's public keys ({@link PartnerKeys}). */
    public static String authentication(String id) {
        return "authentication:\n  jwks: '" + PartnerKeys.publicJwks(id) + "'\n";
    }

    /**
     * A referring partner whose hospital system sends REF^I12 over MLLP on {@code port} (channel {@code referrals}),
     * with the Bulgarian specialty map, exchanging referrals with {@code referralPartners}.
     */
    public static String mllpReferralSender(String id, int port, String... referralPartners) {
        return partner(
                id,
                """
                inbound:
                  - name: referrals
                    kind: mllp
                    format: hl7v2
                    flow: referral
                    settings:
                      port: %d
                codeMappings:
                  - https://fhir.cbhealth.eu/ConceptMap/bg-nhif-specialty-to-cbh
                referralPartners: [%s]
                """
                        .formatted(port, String.join(", ", referralPartners)));
    }
}
