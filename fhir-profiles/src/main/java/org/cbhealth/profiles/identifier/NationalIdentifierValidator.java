package org.cbhealth.profiles.identifier;

/** Checks the format, encoded birth date and check digit of one country's personal identifier. */
public interface NationalIdentifierValidator {

    /** The identifier system URI (a {@code SID_*} of {@code CbhCanonical}). */
    String system();

    /** How people call it, e.g. {@code BG EGN}; messages start with it. */
    String label();

    IdentifierCheck check(String value);
}
