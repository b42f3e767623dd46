package org.cbhealth.profiles.identifier;

import java.time.LocalDate;
import java.time.ZoneOffset;
import org.cbhealth.profiles.CbhCanonical;

/**
 * Ukrainian RNOKPP (РНОКПП, taxpayer registration number of an individual): 10 digits; the first five are
 * the birth date as days since 31 December 1899; check digit = (weighted sum (−1,5,7,9,4,6,10,5,7) mod 11)
 * mod 10.
 */
public final class UaRnokppValidator extends DigitIdentifierValidator {

    private static final int[] WEIGHTS = {-1, 5, 7, 9, 4, 6, 10, 5, 7};
    private static final LocalDate DAY_ZERO = LocalDate.of(1899, 12, 31);

    public UaRnokppValidator() {
        super(CbhCanonical.SID_UA_RNOKPP, "UA RNOKPP", 10);
    }

    @Override
    String checkDigits(String digits) {
        int days = number(digits, 0, 5);
        if (days == 0) {
            return "impossible birth date (day number 00000)";
        }
        LocalDate born = DAY_ZERO.plusDays(days);
        if (born.isAfter(LocalDate.now(ZoneOffset.UTC))) {
            return "birth date " + born + " is in the future";
        }
        int expected = Math.floorMod(weightedSum(digits, WEIGHTS), 11) % 10;
        return expected == digit(digits, 9) ? null : wrongCheckDigit(expected, digit(digits, 9));
    }
}
