package org.cbhealth.profiles.identifier;

/**
 * The Estonian isikukood and the Lithuanian asmens kodas share one scheme: 11 digits GYYMMDDSSSC; G (1–6)
 * gives sex and century (1,2 → 1800s; 3,4 → 1900s; 5,6 → 2000s); check digit = weighted sum (1..9,1) mod 11,
 * and if that is 10, weighted sum (3..9,1,2,3) mod 11, 10 again counting as 0.
 */
abstract class BalticPersonalCodeValidator extends DigitIdentifierValidator {

    private static final int[] FIRST = {1, 2, 3, 4, 5, 6, 7, 8, 9, 1};
    private static final int[] SECOND = {3, 4, 5, 6, 7, 8, 9, 1, 2, 3};

    BalticPersonalCodeValidator(String system, String label) {
        super(system, label, 11);
    }

    @Override
    String checkDigits(String digits) {
        int g = digit(digits, 0);
        if (g < 1 || g > 6) {
            return "first digit " + g + " is not a valid sex and century digit (1-6)";
        }
        int year = 1800 + (g - 1) / 2 * 100 + number(digits, 1, 3);
        String date = birthDateProblem(year, number(digits, 3, 5), number(digits, 5, 7));
        if (date != null) {
            return date;
        }
        int expected = weightedSum(digits, FIRST) % 11;
        if (expected == 10) {
            expected = weightedSum(digits, SECOND) % 11 % 10;
        }
        return expected == digit(digits, 10) ? null : wrongCheckDigit(expected, digit(digits, 10));
    }
}
