package org.cbhealth.bench.referral;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.HashSet;
import java.util.Set;
import org.cbhealth.profiles.identifier.BgEgnValidator;
import org.junit.jupiter.api.Test;

class BgEgnGeneratorTest {

    @Test
    void shouldReproduceTheSampleReferralsEgn() {
        assertThat(BgEgnGenerator.egn(LocalDate.of(1975, 1, 2), 491)).isEqualTo("7501024918");
    }

    @Test
    void shouldCountARemainderOfTenAsCheckDigitZero() {
        // 0·2 + 5·4 + 4·8 + 3·5 + 1·10 + 5·9 + 1·7 + 2·3 + 3·6 = 153; 153 mod 11 = 10 → 0
        assertThat(BgEgnGenerator.egn(LocalDate.of(2005, 3, 15), 123)).isEqualTo("0543151230");
    }

    @Test
    void shouldAddFortyToTheMonthFor2000sAndTwentyFor1800s() {
        assertThat(BgEgnGenerator.egn(LocalDate.of(2005, 3, 15), 123)).startsWith("0543");
        assertThat(BgEgnGenerator.egn(LocalDate.of(1899, 12, 31), 5)).isEqualTo("9932310053");
    }

    @Test
    void shouldGiveWomenBornOneDayApartThenTheNextOddSerial() {
        assertThat(BgEgnGenerator.person(0))
                .isEqualTo(new BgEgnGenerator.Person("4001010016", LocalDate.of(1940, 1, 1)));
        assertThat(BgEgnGenerator.person(1999))
                .isEqualTo(new BgEgnGenerator.Person("4506220013", LocalDate.of(1945, 6, 22)));
        assertThat(BgEgnGenerator.person(19_999))
                .isEqualTo(new BgEgnGenerator.Person("9410030019", LocalDate.of(1994, 10, 3)));
        assertThat(BgEgnGenerator.person(20_000))
                .isEqualTo(new BgEgnGenerator.Person("4001010037", LocalDate.of(1940, 1, 1)));
    }

    @Test
    void shouldGiveDistinctEgnsThatTheProfilesValidatorAccepts() {
        BgEgnValidator validator = new BgEgnValidator();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 45_000; i += 7) {
            String egn = BgEgnGenerator.person(i).egn();
            assertThat(validator.check(egn).problem()).as(egn).isNull();
            assertThat(seen.add(egn)).as("%s repeated", egn).isTrue();
            assertThat(egn.charAt(8) % 2)
                    .as("ninth digit of %s odd (a woman)", egn)
                    .isEqualTo(1);
        }
        assertThat(seen).hasSize(6429);
    }

    @Test
    void shouldRefuseASerialOrYearAnEgnCannotHold() {
        assertThatThrownBy(() -> BgEgnGenerator.egn(LocalDate.of(1975, 1, 2), 1000))
                .hasMessage("EGN serial must be 0–999, was 1000");
        assertThatThrownBy(() -> BgEgnGenerator.egn(LocalDate.of(2100, 1, 1), 1))
                .hasMessage("an EGN encodes years 1800–2099, not 2100");
        assertThatThrownBy(() -> BgEgnGenerator.person(10_000_000))
                .hasMessage("person index must be 0–9999999, was 10000000");
    }
}
