package org.cbhealth.profiles.identifier;

import org.cbhealth.profiles.CbhCanonical;

/**
 * Austrian social-insurance number (Sozialversicherungsnummer): 10 digits NNNC DDMMYY, a serial not starting
 * with 0, the check digit C in fourth place = weighted sum (3,7,9,·,5,8,4,2,1,6) mod 11, a result of 10 being
 * never issued. Birth dates with day or month outside the calendar exist for people whose date is unknown;
 * the hub refuses them, since a cross-border patient record needs a real birth date.
 */
public final class AtSvnrValidator extends DigitIdentifierValidator {

    private static final int[] WEIGHTS = {3, 7, 9, 0, 5, 8, 4, 2, 1, 6};

    public AtSvnrValidator() {
        super(CbhCanonical.SID_AT_SVNR, "AT SVNR", 10);
    }

    @Override
    String checkDigits(String digits) {
        if (digit(digits, 0) == 0) {
            return "serial number must not start with 0";
        }
        int yy = number(digits, 8, 10);
        int currentYy = java.time.LocalDate.now(java.time.ZoneOffset.UTC).getYear() % 100;
        int year = yy <= currentYy ? 2000 + yy : 1900 + yy;
        String date = birthDateProblem(year, number(digits, 6, 8), number(digits, 4, 6));
        if (date != null) {
            return date;
        }
        int expected = weightedSum(digits, WEIGHTS) % 11;
        if (expected == 10) {
            return "no check digit is possible for this serial and birth date";
        }
        return expected == digit(digits, 3) ? null : wrongCheckDigit(expected, digit(digits, 3));
    }
}
