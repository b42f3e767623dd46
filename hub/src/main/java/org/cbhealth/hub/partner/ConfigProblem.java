package org.cbhealth.hub.partner;

/** One thing wrong in a partner file: the file, the field path inside it (e.g. {@code inbound[1].kind}) and why. */
public record ConfigProblem(String file, String field, String reason) {

    @Override
    public String toString() {
        return file + ": " + field + ": " + reason;
    }
}
