package org.cbhealth.hub.directory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The hub's id for a partner's directory record: {@code <partner id>-<the partner's own id>}, so two partners'
 * "dept-1" never collide and the same record always lands on the same resource. An own id that is not a valid
 * FHIR id, or would make the hub id longer than FHIR's 64 characters, is replaced by a hash of it.
 */
public final class DirectoryIds {

    private static final Pattern FHIR_ID = Pattern.compile("[A-Za-z0-9\\-.]{1,64}");
    private static final int HASH_CHARS = 20;

    private DirectoryIds() {}

    public static String hubId(String partnerId, String localId) {
        String plain = partnerId + "-" + localId;
        if (FHIR_ID.matcher(plain).matches()) {
            return plain;
        }
        String hash = sha256(localId).substring(0, HASH_CHARS);
        String prefix =
                partnerId.length() > 64 - HASH_CHARS - 2 ? partnerId.substring(0, 64 - HASH_CHARS - 2) : partnerId;
        return prefix + "-h" + hash;
    }

    static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
