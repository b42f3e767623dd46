package org.cbhealth.routes.partner;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.cbhealth.routes.fhir.InputProblem;
import org.cbhealth.routes.fhir.InvalidMessageException;
import org.cbhealth.routes.hl7.Hl7Error;
import org.cbhealth.routes.hl7.Hl7v2RejectedException;
import org.junit.jupiter.api.Test;

class InboundParkingTest {

    private static final String REF_I12 =
            "MSH|^~\\&|BLAG|MBAL|HUB|CBH|20240101120000||REF^I12^REF_I12|BG-778-2024|P|2.5.1\r"
                    + "PID|1||7501020018^^^BG-EGN||Иванов^Иван\r";

    @Test
    void shouldTakeMsh10AsBusinessKeyOfHl7Text() {
        assertThat(InboundParking.businessKey(REF_I12, "ref.hl7", "ID:1")).isEqualTo("BG-778-2024");
        assertThat(InboundParking.businessKey(REF_I12.getBytes(StandardCharsets.UTF_8), null, null))
                .isEqualTo("BG-778-2024");
    }

    @Test
    void shouldTakeMsh10WithLineFeedsAndOtherDelimiters() {
        assertThat(Hl7ControlId.of("MSH#^~\\&#A#B#C#D#20240101##ADT^A01#X-1^part#P#2.5.1\nPID#1"))
                .isEqualTo("X-1");
    }

    @Test
    void shouldFallBackToFileNameThenJmsMessageId() {
        assertThat(InboundParking.businessKey("dept;name\n1;a", "departments.csv", "ID:7"))
                .isEqualTo("departments.csv");
        assertThat(InboundParking.businessKey("{\"a\":1}", null, "ID:7")).isEqualTo("ID:7");
        assertThat(InboundParking.businessKey(null, null, null)).isNull();
    }

    @Test
    void shouldHaveNoKeyWhenMsh10IsMissing() {
        assertThat(Hl7ControlId.of("MSH|^~\\&|A|B|C|D|20240101||REF^I12||P|2.5.1"))
                .isNull();
        assertThat(Hl7ControlId.of("MSH|^~")).isNull();
    }

    @Test
    void shouldNameHubForNoTranslatorAndSenderForInvalidInput() {
        assertThat(InboundParking.failedBy(new NoTranslatorException("no translator")))
                .isEqualTo("hub");
        assertThat(InboundParking.failedBy(new PartnerUnavailableException("gone")))
                .isEqualTo("hub");
        assertThat(InboundParking.failedBy(new InvalidMessageException("bad"))).isEqualTo("sender");
    }

    @Test
    void shouldWriteOneIssuePerLocatedProblem() {
        String json = RefusalOutcomeTranslator.shared()
                .toJson(new InvalidMessageException(
                        "application refused",
                        List.of(new InputProblem("/patient/birthDate", "impossible date 2024-02-30"))))
                .orElseThrow();
        assertThat(json)
                .isEqualTo("{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"error\",\"code\":"
                        + "\"invalid\",\"diagnostics\":\"impossible date 2024-02-30\",\"expression\":"
                        + "[\"/patient/birthDate\"]}]}");
    }

    @Test
    void shouldWriteHl7ErrorsWithTheirLocation() {
        String json = RefusalOutcomeTranslator.shared()
                .toJson(new Hl7v2RejectedException(
                        Hl7v2RejectedException.AckCode.AE,
                        List.of(new Hl7Error("PRD", 2, 7, Hl7Error.UNKNOWN_KEY_IDENTIFIER, "no such partner"))))
                .orElseThrow();
        assertThat(json)
                .contains("\"diagnostics\":\"Unknown key identifier: no such partner\"")
                .contains("\"expression\":[\"PRD-7\"]");
    }

    @Test
    void shouldHaveNoOutcomeForARefusalWithoutLocatedProblems() {
        assertThat(RefusalOutcomeTranslator.shared().toJson(new InvalidMessageException("empty body")))
                .isEmpty();
        assertThat(RefusalOutcomeTranslator.shared().toJson(new NoTranslatorException("none")))
                .isEmpty();
    }
}
