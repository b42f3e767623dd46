package org.cbhealth.profiles.identifier;

/**
 * The outcome of checking one national identifier: valid, or the problem naming the identifier system, the
 * value and what is wrong (e.g. {@code BG EGN 7501024917: wrong check digit (expected 8, found 7)}).
 */
public record IdentifierCheck(boolean valid, String problem) {

    private static final IdentifierCheck OK = new IdentifierCheck(true, null);

    public static IdentifierCheck ok() {
        return OK;
    }

    public static IdentifierCheck invalid(String problem) {
        return new IdentifierCheck(false, problem);
    }
}
