package org.cbhealth.routes.directory.model;

import java.util.Objects;

/**
 * A coded value as the partner sends it.
 *
 * @param system the code system URI, or null for the partner's own list of that kind (its specialty code system
 *     for specialties; see the translator for the others)
 * @param code the code
 * @param display the partner's display text, or null
 */
public record Code(String system, String code, String display) {

    public Code {
        Objects.requireNonNull(code, "code");
    }

    /** A code of the partner's own list, without a display. */
    public static Code of(String code) {
        return new Code(null, code, null);
    }
}
