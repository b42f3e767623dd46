package org.cbhealth.routes.directory.model;

import java.util.Objects;

/**
 * A practitioner's qualification (FHIR {@code Practitioner.qualification}).
 *
 * @param code the qualification, e.g. a board certification in the partner's list
 * @param issuer the name of the body that issued it, or null
 */
public record Qualification(Code code, String issuer) {

    public Qualification {
        Objects.requireNonNull(code, "code");
    }
}
