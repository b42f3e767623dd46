package org.cbhealth.profiles.identifier;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * The common part of the digit-only national identifiers: strip spaces, refuse other characters and a
 * wrong length, then let the country check the encoded birth date and the check digit. Messages follow one
 * pattern: {@code <label> <value>: <what is wrong>}.
 */
abstract class DigitIdentifierValidator implements NationalIdentifierValidator {

    private final String system;
    private final String label;
    private final int length;

    DigitIdentifierValidator(String system, String label, int length) {
        this.system = system;
        this.label = label;
        this.length = length;
    }

    @Override
    public String system() {
        return system;
    }

    @Override
    public String label() {
        return label;
    }

    @Override
    public IdentifierCheck check(String value) {
        if (value == null || value.isBlank()) {
            return IdentifierCheck.invalid(label + ": empty value");
        }
        String digits = normalise(value);
        for (int i = 0; i < digits.length(); i++) {
            if (digits.charAt(i) < '0' || digits.charAt(i) > '9') {
                return invalid(value, "must contain only digits, found '" + digits.charAt(i) + "'");
            }
        }
        if (digits.length() != length) {
            return invalid(value, "must have " + length + " digits, has " + digits.length());
        }
        String problem = checkDigits(digits);
        return problem == null ? IdentifierCheck.ok() : invalid(value, problem);
    }

    /** Removes what people write between digits (spaces; the Latvian hyphen is removed by its validator). */
    String normalise(String value) {
        return value.replace(" ", "");
    }

    /** The country's own checks on a digit string of the right length: null when valid, else the problem. */
    abstract String checkDigits(String digits);

    final IdentifierCheck invalid(String value, String problem) {
        return IdentifierCheck.invalid(label + " " + value.strip() + ": " + problem);
    }

    static int digit(String digits, int index) {
        return digits.charAt(index) - '0';
    }

    static int number(String digits, int from, int to) {
        return Integer.parseInt(digits.substring(from, to));
    }

    /** Null if year-month-day is a real date not after today, else the problem. */
    static String birthDateProblem(int year, int month, int day) {
        LocalDate date;
        try {
            date = LocalDate.of(year, month, day);
        } catch (DateTimeException e) {
            return String.format("impossible birth date %04d-%02d-%02d", year, month, day);
        }
        if (date.isAfter(LocalDate.now(ZoneOffset.UTC))) {
            return "birth date " + date + " is in the future";
        }
        return null;
    }

    static String wrongCheckDigit(int expected, int found) {
        return "wrong check digit (expected " + expected + ", found " + found + ")";
    }

    /** Weighted digit sum over the first {@code weights.length} digits. */
    static int weightedSum(String digits, int[] weights) {
        int sum = 0;
        for (int i = 0; i < weights.length; i++) {
            sum += digit(digits, i) * weights[i];
        }
        return sum;
    }
}
