package org.cbhealth.profiles.identifier;

import org.cbhealth.profiles.CbhCanonical;

/**
 * Latvian personas kods, both forms: the old DDMMYY-CNNNX (C = century: 0 → 1800s, 1 → 1900s, 2 → 2000s;
 * check digit X = (1101 − weighted sum (1,6,3,7,9,10,5,8,4,2)) mod 11, 10 meaning no valid number) and the
 * new form issued since July 2017, 32NNNN-NNNNN, which encodes no birth date and carries no check digit.
 * The hyphen after the sixth digit is optional.
 */
public final class LvPersonasKodsValidator extends DigitIdentifierValidator {

    private static final int[] WEIGHTS = {1, 6, 3, 7, 9, 10, 5, 8, 4, 2};

    public LvPersonasKodsValidator() {
        super(CbhCanonical.SID_LV_PERSONAS_KODS, "LV personas kods", 11);
    }

    @Override
    String normalise(String value) {
        String compact = value.replace(" ", "");
        return compact.length() > 6 && compact.charAt(6) == '-'
                ? compact.substring(0, 6) + compact.substring(7)
                : compact;
    }

    @Override
    String checkDigits(String digits) {
        if (digits.startsWith("32")) {
            return null;
        }
        int century = digit(digits, 6);
        if (century > 2) {
            return "seventh digit " + century + " is not a century digit (0-2), and the number does not start with"
                    + " 32 (new form)";
        }
        String date = birthDateProblem(
                1800 + century * 100 + number(digits, 4, 6), number(digits, 2, 4), number(digits, 0, 2));
        if (date != null) {
            return date;
        }
        int expected = Math.floorMod(1101 - weightedSum(digits, WEIGHTS), 11);
        if (expected == 10) {
            return "no check digit is possible for these first 10 digits";
        }
        return expected == digit(digits, 10) ? null : wrongCheckDigit(expected, digit(digits, 10));
    }
}
