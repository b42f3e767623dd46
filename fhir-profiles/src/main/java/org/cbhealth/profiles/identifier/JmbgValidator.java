package org.cbhealth.profiles.identifier;

/**
 * The Yugoslav-era unique master citizen number, kept by North Macedonia (EMBG) and Slovenia (EMŠO):
 * 13 digits DDMMYYYRRBBBK, YYY the last three digits of the year (9xx → 19xx, else 2xxx), K = 11 − (weighted
 * sum (7,6,5,4,3,2,7,6,5,4,3,2) mod 11), 11 counting as 0; a remainder giving 10 has no valid check digit.
 */
abstract class JmbgValidator extends DigitIdentifierValidator {

    private static final int[] WEIGHTS = {7, 6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2};

    JmbgValidator(String system, String label) {
        super(system, label, 13);
    }

    @Override
    String checkDigits(String digits) {
        int day = number(digits, 0, 2);
        int month = number(digits, 2, 4);
        int yyy = number(digits, 4, 7);
        int year = yyy >= 800 ? 1000 + yyy : 2000 + yyy;
        String date = birthDateProblem(year, month, day);
        if (date != null) {
            return date;
        }
        int m = 11 - weightedSum(digits, WEIGHTS) % 11;
        if (m == 10) {
            return "no check digit is possible for these first 12 digits";
        }
        int expected = m == 11 ? 0 : m;
        return expected == digit(digits, 12) ? null : wrongCheckDigit(expected, digit(digits, 12));
    }
}
