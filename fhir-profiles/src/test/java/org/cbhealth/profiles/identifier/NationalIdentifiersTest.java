package org.cbhealth.profiles.identifier;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import org.cbhealth.profiles.CbhCanonical;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every country's identifier, with values whose check digits were computed by hand outside the production
 * code (published examples where they exist: PESEL 44051401359, isikukood 37605030299, asmens kodas
 * 33309240064, personas kods 161175-19997, SVNR 1237 010180; the partner samples' EGN, EMŠO and RNOKPP).
 */
class NationalIdentifiersTest {

    @ParameterizedTest(name = "{0} {1} is valid")
    @CsvSource({
        "bg-egn, 7501024918",
        "bg-egn, 0441151237",
        "bg-egn, 5022034560",
        "mk-embg, 0101990450006",
        "mk-embg, 1507985412341",
        "si-emso, 2309982500069",
        "si-emso, 0703005500126",
        "ua-rnokpp, 3297912347",
        "ua-rnokpp, 3783312349",
        "pl-pesel, 44051401359",
        "pl-pesel, 02270803624",
        "pl-pesel, 85831012343",
        "ee-isikukood, 37605030299",
        "ee-isikukood, 60101010006",
        "lt-asmens-kodas, 33309240064",
        "lt-asmens-kodas, 38005201238",
        "lv-personas-kods, 161175-19997",
        "lv-personas-kods, 16117519997",
        "lv-personas-kods, 14028512348",
        "lv-personas-kods, 32579461005",
        "lv-personas-kods, 325794-61005",
        "at-svnr, 1237010180",
        "at-svnr, 4569 040785",
    })
    void shouldAcceptValidNumbers(String system, String value) {
        IdentifierCheck check = NationalIdentifiers.check(sid(system), value);

        assertThat(check.problem()).isNull();
        assertThat(check.valid()).isTrue();
    }

    @ParameterizedTest(name = "{0} {1}: {2}")
    @CsvSource(
            delimiter = '|',
            value = {
                "bg-egn|7501024917|BG EGN 7501024917: wrong check digit (expected 8, found 7)",
                "bg-egn|750102491|BG EGN 750102491: must have 10 digits, has 9",
                "bg-egn|75010249I8|BG EGN 75010249I8: must contain only digits, found 'I'",
                "bg-egn|7502301112|BG EGN 7502301112: impossible birth date 1975-02-30",
                "mk-embg|0101990450007|MK EMBG 0101990450007: wrong check digit (expected 6, found 7)",
                "mk-embg|010199045000|MK EMBG 010199045000: must have 13 digits, has 12",
                "mk-embg|3102985500019|MK EMBG 3102985500019: impossible birth date 1985-02-31",
                "si-emso|2309982500068|SI EMŠO 2309982500068: wrong check digit (expected 9, found 8)",
                "si-emso|23099825000691|SI EMŠO 23099825000691: must have 13 digits, has 14",
                "si-emso|3102985500027|SI EMŠO 3102985500027: impossible birth date 1985-02-31",
                "ua-rnokpp|3297912348|UA RNOKPP 3297912348: wrong check digit (expected 7, found 8)",
                "ua-rnokpp|329791234|UA RNOKPP 329791234: must have 10 digits, has 9",
                "ua-rnokpp|0000012345|UA RNOKPP 0000012345: impossible birth date (day number 00000)",
                "pl-pesel|44051401358|PL PESEL 44051401358: wrong check digit (expected 9, found 8)",
                "pl-pesel|4405140135|PL PESEL 4405140135: must have 11 digits, has 10",
                "pl-pesel|01223012342|PL PESEL 01223012342: impossible birth date 2001-02-30",
                "ee-isikukood|37605030298|EE isikukood 37605030298: wrong check digit (expected 9, found 8)",
                "ee-isikukood|3760503029|EE isikukood 3760503029: must have 11 digits, has 10",
                "ee-isikukood|39913011234|EE isikukood 39913011234: impossible birth date 1999-13-01",
                "ee-isikukood|77605030299|EE isikukood 77605030299: first digit 7 is not a valid sex and century digit (1-6)",
                "lt-asmens-kodas|33309240063|LT asmens kodas 33309240063: wrong check digit (expected 4, found 3)",
                "lt-asmens-kodas|333092400641|LT asmens kodas 333092400641: must have 11 digits, has 12",
                "lt-asmens-kodas|33302300064|LT asmens kodas 33302300064: impossible birth date 1933-02-30",
                "lv-personas-kods|161175-19996|LV personas kods 161175-19996: wrong check digit (expected 7, found 6)",
                "lv-personas-kods|161175-1999|LV personas kods 161175-1999: must have 11 digits, has 10",
                "lv-personas-kods|31049012347|LV personas kods 31049012347: impossible birth date 1990-04-31",
                "lv-personas-kods|16117559997|LV personas kods 16117559997: seventh digit 5 is not a century digit (0-2), and the number does not start with 32 (new form)",
                "at-svnr|1238010180|AT SVNR 1238010180: wrong check digit (expected 7, found 8)",
                "at-svnr|123701018|AT SVNR 123701018: must have 10 digits, has 9",
                "at-svnr|1235300280|AT SVNR 1235300280: impossible birth date 1980-02-30",
                "at-svnr|0237010180|AT SVNR 0237010180: serial number must not start with 0",
            })
    void shouldRefuseWithAMessageNamingSystemValueAndProblem(String system, String value, String message) {
        IdentifierCheck check = NationalIdentifiers.check(sid(system), value);

        assertThat(check.valid()).isFalse();
        assertThat(check.problem()).isEqualTo(message);
    }

    @Test
    void shouldRefuseBirthDatesInTheFuture() {
        IdentifierCheck check = NationalIdentifiers.check(CbhCanonical.SID_PL_PESEL, "99521512345");

        assertThat(check.problem()).isEqualTo("PL PESEL 99521512345: birth date 2199-12-15 is in the future");
    }

    @Test
    void shouldLeaveOtherSystemsAlone() {
        assertThat(NationalIdentifiers.check("urn:oid:1.2.3", "anything").valid())
                .isTrue();
        assertThat(NationalIdentifiers.check(null, "anything").valid()).isTrue();
    }

    @Test
    void shouldCoverEveryNationalIdentifierSystemOfTheHub() throws IllegalAccessException {
        String[] sids = Arrays.stream(CbhCanonical.class.getFields())
                .filter(f -> f.getName().startsWith("SID_") && Modifier.isStatic(f.getModifiers()))
                // the hub's own referral numbers and partnership identifiers are not personal identifiers
                .filter(f ->
                        !f.getName().equals("SID_HUB_REFERRAL") && !f.getName().equals("SID_PARTNERSHIP"))
                .map(NationalIdentifiersTest::value)
                .toArray(String[]::new);

        assertThat(NationalIdentifiers.all())
                .extracting(NationalIdentifierValidator::system)
                .containsExactlyInAnyOrder(sids);
    }

    private static String sid(String id) {
        return "https://fhir.cbhealth.eu/sid/" + id;
    }

    private static String value(Field field) {
        try {
            return (String) field.get(null);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }
}
