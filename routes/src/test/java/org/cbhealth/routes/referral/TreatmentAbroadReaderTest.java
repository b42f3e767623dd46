package org.cbhealth.routes.referral;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Optional;
import org.cbhealth.profiles.CbhCanonical;
import org.cbhealth.profiles.identifier.NationalIdentifiers;
import org.cbhealth.routes.fhir.InputProblem;
import org.cbhealth.routes.fhir.InvalidMessageException;
import org.junit.jupiter.api.Test;

class TreatmentAbroadReaderTest {

    /** The hub's national identifier validators, as the running hub uses them. */
    private static final NationalIdentifierCheck NATIONAL_IDENTIFIERS = (system, value) ->
            Optional.ofNullable(NationalIdentifiers.check(system, value).problem());

    private final TreatmentAbroadReader reader = new TreatmentAbroadReader(
            NATIONAL_IDENTIFIERS, CbhCanonical.SID_UA_RNOKPP, () -> LocalDate.of(2026, 11, 25));

    @Test
    void shouldReadTheUkrainianApplicationKeepingItsText() throws IOException {
        TreatmentAbroadApplication application = reader.read(sample("treatment-abroad-ua-to-pl.json"));

        assertThat(application.applicationNumber()).isEqualTo("LOKL-2026-004417");
        assertThat(application.referringFacility().name()).isEqualTo("КНП ЛОР «Львівська обласна клінічна лікарня»");
        assertThat(application.targetFacility().registryId()).isEqualTo("PL-RPWDL-000000012345");
        assertThat(application.patient().rnokpp()).isEqualTo("3297912347");
        assertThat(application.patient().birthDate()).isEqualTo("1990-04-17");
        assertThat(application.diagnosis())
                .extracting(TreatmentAbroadApplication.Diagnosis::icd10)
                .containsExactly("C50.4");
        assertThat(application.requestedService().specialtyCode()).isEqualTo("ONC-01");
        assertThat(application.attachments()).hasSize(1);
    }

    @Test
    void shouldReportBadIdentifierAndImpossibleDateTogetherWithTheirPointers() throws IOException {
        InvalidMessageException refused = refused(sample("bad/treatment-abroad-bad-rnokpp-and-date.json"));

        assertThat(refused.problems())
                .containsExactly(
                        new InputProblem(
                                "/patient/rnokpp", "UA RNOKPP 3297912348: wrong check digit (expected 7, found 8)"),
                        new InputProblem("/patient/birthDate", "'1990-02-30' is not a valid date (YYYY-MM-DD)"));
        assertThat(refused.getMessage())
                .isEqualTo("Application refused: /patient/rnokpp: UA RNOKPP 3297912348: wrong check digit (expected 7,"
                        + " found 8); /patient/birthDate: '1990-02-30' is not a valid date (YYYY-MM-DD)");
    }

    @Test
    void shouldRefuseTruncatedJsonWithItsPosition() throws IOException {
        InvalidMessageException refused = refused(sample("bad/truncated.json"));

        assertThat(refused.getMessage()).startsWith("Not valid JSON at line 1, column ");
        assertThat(refused.getMessage()).contains("end-of-input");
    }

    @Test
    void shouldNameAnUnknownField() {
        InvalidMessageException refused = refused("{\"applicationNumber\":\"A-1\",\"patient\":{\"nmae\":\"x\"}}");

        assertThat(refused.problems()).containsExactly(new InputProblem("/patient/nmae", "unknown field"));
    }

    @Test
    void shouldListMissingRequiredFields() {
        InvalidMessageException refused = refused("{\"applicationNumber\":\"A-1\"}");

        assertThat(refused.problems())
                .extracting(InputProblem::location)
                .containsExactly("/referringFacility", "/targetFacility", "/patient", "/requestedService");
    }

    @Test
    void shouldRefuseBirthDateInTheFutureAndUnknownCodes() {
        String json = "{\"applicationNumber\":\"A-1\",\"referringFacility\":{\"name\":\"X\",\"country\":\"ua\"},"
                + "\"targetFacility\":{\"registryId\":\"R\",\"country\":\"PL\"},\"patient\":{\"lastName\":\"Ш\","
                + "\"firstName\":\"О\",\"birthDate\":\"2027-01-01\",\"sex\":\"f\"},"
                + "\"requestedService\":{\"specialtyCode\":\"ONC-01\",\"urgency\":\"now\"}}";

        InvalidMessageException refused = refused(json);

        assertThat(refused.problems())
                .containsExactly(
                        new InputProblem("/referringFacility/country", "'ua' is not an ISO 3166 alpha-2 country code"),
                        new InputProblem("/patient/birthDate", "'2027-01-01' is in the future"),
                        new InputProblem("/patient/sex", "'f' is not one of female, male, other, unknown"),
                        new InputProblem(
                                "/requestedService/urgency", "'now' is not one of asap, routine, stat, urgent"));
    }

    @Test
    void shouldRefuseDeepNesting() {
        String deep = "{\"reason\":" + "[".repeat(100) + "]".repeat(100) + "}";

        InvalidMessageException refused = refused(deep);

        assertThat(refused.getMessage()).contains("nesting depth");
    }

    private InvalidMessageException refused(String json) {
        InvalidMessageException refused = catchThrowableOfType(InvalidMessageException.class, () -> reader.read(json));
        assertThat(refused).as("refusal").isNotNull();
        return refused;
    }

    private static String sample(String path) throws IOException {
        try (InputStream in = TreatmentAbroadReaderTest.class.getResourceAsStream("/samples/referral/" + path)) {
            assertThat(in).as(path).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
