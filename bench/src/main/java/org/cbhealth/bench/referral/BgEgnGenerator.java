package org.cbhealth.bench.referral;

import java.time.LocalDate;
import java.util.Locale;

/**
 * Synthetic Bulgarian EGNs (ЕГН) for load generation: {@code YYMMDDSSSC}, the month carrying the century (+20 for
 * the 1800s, +40 for the 2000s), the ninth digit even for a man and odd for a woman, and the check digit the weighted
 * sum (2, 4, 8, 5, 10, 9, 7, 3, 6) mod 11 with 10 counting as 0 — so the hub's national-identifier check accepts
 * them and each referral of a run has a patient of its own.
 */
public final class BgEgnGenerator {

    /** A synthetic woman: her EGN and the birth date it encodes. */
    public record Person(String egn, LocalDate birthDate) {}

    /** How many distinct people {@link #person(int)} gives before it would repeat. */
    public static final int DISTINCT_PEOPLE = 10_000_000;

    private static final int[] WEIGHTS = {2, 4, 8, 5, 10, 9, 7, 3, 6};
    private static final LocalDate FIRST_BIRTH_DATE = LocalDate.of(1940, 1, 1);
    private static final int BIRTH_DATES = 20_000;

    private BgEgnGenerator() {}

    /** The EGN of someone born on {@code birthDate} with the region-and-order number {@code serial} (0–999). */
    public static String egn(LocalDate birthDate, int serial) {
        if (serial < 0 || serial > 999) {
            throw new IllegalArgumentException("EGN serial must be 0–999, was " + serial);
        }
        int year = birthDate.getYear();
        int month = birthDate.getMonthValue();
        if (year >= 1800 && year < 1900) {
            month += 20;
        } else if (year >= 2000 && year < 2100) {
            month += 40;
        } else if (year < 1900 || year > 1999) {
            throw new IllegalArgumentException("an EGN encodes years 1800–2099, not " + year);
        }
        String nine =
                String.format(Locale.ROOT, "%02d%02d%02d%03d", year % 100, month, birthDate.getDayOfMonth(), serial);
        int sum = 0;
        for (int i = 0; i < WEIGHTS.length; i++) {
            sum += (nine.charAt(i) - '0') * WEIGHTS[i];
        }
        return nine + (sum % 11 % 10);
    }

    /**
     * The {@code index}-th synthetic woman (0 ≤ index &lt; {@link #DISTINCT_PEOPLE}): born one day after the previous
     * one from 1 January 1940 over 20,000 days, then again with the next odd serial, so no two indexes share an EGN.
     */
    public static Person person(int index) {
        if (index < 0 || index >= DISTINCT_PEOPLE) {
            throw new IllegalArgumentException("person index must be 0–" + (DISTINCT_PEOPLE - 1) + ", was " + index);
        }
        LocalDate birthDate = FIRST_BIRTH_DATE.plusDays(index % BIRTH_DATES);
        int serial = (index / BIRTH_DATES) * 2 + 1;
        return new Person(egn(birthDate, serial), birthDate);
    }
}
