package org.cbhealth.hub.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

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
                + "credentials:\n  env: CBHEALTH_PARTNER_TEST_SECRET\n"
                + authentication(id)
                + channels;
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
