package org.cbhealth.routes.directory.model;

import java.util.Objects;

/** A phone number, fax number, e-mail address or web address (FHIR {@code ContactPoint}). */
public record Telecom(Kind kind, String value) {

    /** What kind of contact point (FHIR {@code ContactPoint.system}). */
    public enum Kind {
        PHONE,
        FAX,
        EMAIL,
        URL
    }

    public Telecom {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(value, "value");
    }
}
