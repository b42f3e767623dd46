package org.cbhealth.routes.referral;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.hl7v2.model.v251.message.REF_I12;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Optional;
import java.util.Set;
import org.cbhealth.profiles.identifier.NationalIdentifiers;
import org.cbhealth.profiles.validation.CbhConformanceResources;
import org.cbhealth.routes.hl7.Hl7Error;
import org.cbhealth.routes.hl7.Hl7v2Reader;
import org.cbhealth.routes.hl7.Hl7v2RejectedException;
import org.junit.jupiter.api.Test;

class RefI12CheckerTest {

    private static final CbhConformanceResources CONFORMANCE = CbhConformanceResources.load(FhirContext.forR4Cached());

    private final RefI12Checker checker = new RefI12Checker(
            CONFORMANCE::identifierSystemForOid,
            (system, value) ->
                    Optional.ofNullable(NationalIdentifiers.check(system, value).problem()),
            () -> LocalDate.of(2026, 11, 25));

    @Test
    void shouldPassBothGoodReferrals() throws IOException {
        assertThatCode(() -> checker.check(read("ref-i12-bg-to-mk.hl7"))).doesNotThrowAnyException();
        assertThatCode(() -> checker.check(read("ref-i12-si-to-at.hl7"))).doesNotThrowAnyException();
    }

    @Test
    void shouldAnswerAeWhenPidIsMissing() throws IOException {
        assertThat(errors("bad/no-pid.hl7"))
                .containsExactly(
                        new Hl7Error("PID", 1, 0, 100, "PID segment is missing: a referral needs its patient"));
    }

    @Test
    void shouldAnswerAeForAnImpossibleBirthDateNamingPid7() throws IOException {
        assertThat(errors("bad/impossible-birth-date.hl7"))
                .containsExactly(new Hl7Error("PID", 1, 7, 102, "impossible date of birth 19751332"));
    }

    @Test
    void shouldAnswerAeForAWrongEgnCheckDigitNamingPid3() throws IOException {
        assertThat(errors("bad/wrong-egn-check-digit.hl7"))
                .containsExactly(
                        new Hl7Error("PID", 1, 3, 102, "BG EGN 7501024919: wrong check digit (expected 8, found 9)"));
    }

    @Test
    void shouldResolveTheSamplesAssigningAuthoritiesToTheHubsIdentifierSystems() {
        assertThat(CONFORMANCE.identifierSystemForOid("1.2.100.1")).hasValue("https://fhir.cbhealth.eu/sid/bg-egn");
        assertThat(CONFORMANCE.identifierSystemForOid("2.16.705.1.1")).hasValue("https://fhir.cbhealth.eu/sid/si-emso");
        assertThat(CONFORMANCE.identifierSystemForOid("1.2.3.4")).isEmpty();
    }

    private java.util.List<Hl7Error> errors(String sample) throws IOException {
        REF_I12 referral = read(sample);
        Hl7v2RejectedException refused =
                catchThrowableOfType(Hl7v2RejectedException.class, () -> checker.check(referral));
        assertThat(refused).as("refusal of " + sample).isNotNull();
        assertThat(refused.ackCode()).isEqualTo(Hl7v2RejectedException.AckCode.AE);
        return refused.errors();
    }

    private static REF_I12 read(String sample) throws IOException {
        try (InputStream in = RefI12CheckerTest.class.getResourceAsStream("/samples/referral/" + sample)) {
            return (REF_I12)
                    new Hl7v2Reader(Set.of("REF^I12")).read(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }
}
