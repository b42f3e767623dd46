package org.cbhealth.profiles.identifier;

import org.cbhealth.profiles.CbhCanonical;

/**
 * Bulgarian EGN (ЕГН): 10 digits YYMMDDSSSC; the month carries the century (+20 for 1800s, +40 for 2000s);
 * check digit = weighted sum (2,4,8,5,10,9,7,3,6) mod 11, 10 counting as 0.
 */
public final class BgEgnValidator extends DigitIdentifierValidator {

    private static final int[] WEIGHTS = {2, 4, 8, 5, 10, 9, 7, 3, 6};

    public BgEgnValidator() {
        super(CbhCanonical.SID_BG_EGN, "BG EGN", 10);
    }

    @Override
    String checkDigits(String digits) {
        int yy = number(digits, 0, 2);
        int mm = number(digits, 2, 4);
        int dd = number(digits, 4, 6);
        int year;
        if (mm > 40) {
            year = 2000 + yy;
            mm -= 40;
        } else if (mm > 20) {
            year = 1800 + yy;
            mm -= 20;
        } else {
            year = 1900 + yy;
        }
        String date = birthDateProblem(year, mm, dd);
        if (date != null) {
            return date;
        }
        int expected = weightedSum(digits, WEIGHTS) % 11 % 10;
        return expected == digit(digits, 9) ? null : wrongCheckDigit(expected, digit(digits, 9));
    }
}
