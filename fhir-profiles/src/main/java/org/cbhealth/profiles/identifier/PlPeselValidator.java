package org.cbhealth.profiles.identifier;

import org.cbhealth.profiles.CbhCanonical;

/**
 * Polish PESEL: 11 digits YYMMDDZZZXQ; the month carries the century (+80 1800s, +0 1900s, +20 2000s, +40
 * 2100s, +60 2200s); check digit = (10 − weighted sum (1,3,7,9,1,3,7,9,1,3) mod 10) mod 10.
 */
public final class PlPeselValidator extends DigitIdentifierValidator {

    private static final int[] WEIGHTS = {1, 3, 7, 9, 1, 3, 7, 9, 1, 3};

    public PlPeselValidator() {
        super(CbhCanonical.SID_PL_PESEL, "PL PESEL", 11);
    }

    @Override
    String checkDigits(String digits) {
        int yy = number(digits, 0, 2);
        int encodedMonth = number(digits, 2, 4);
        int century =
                switch (encodedMonth / 20) {
                    case 0 -> 1900;
                    case 1 -> 2000;
                    case 2 -> 2100;
                    case 3 -> 2200;
                    default -> 1800;
                };
        String date = birthDateProblem(century + yy, encodedMonth % 20, number(digits, 4, 6));
        if (date != null) {
            return date;
        }
        int expected = (10 - weightedSum(digits, WEIGHTS) % 10) % 10;
        return expected == digit(digits, 10) ? null : wrongCheckDigit(expected, digit(digits, 10));
    }
}
