package org.cbhealth.routes.referral;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import org.cbhealth.routes.fhir.InputProblem;
import org.cbhealth.routes.fhir.InvalidMessageException;
import org.junit.jupiter.api.Test;

class ReferralStatusJsonReaderTest {

    private final ReferralStatusJsonReader reader = new ReferralStatusJsonReader();

    @Test
    void shouldReadReceivedNamedByTheHubReferralNumber() {
        StatusUpdate update = reader.read("{\"referral\": \"42\", \"status\": \"received\"}");

        assertThat(update).isEqualTo(new StatusUpdate("42", null, null, "received", null, null, null, null));
    }

    @Test
    void shouldReadAcceptedNamedByTheReferrersOwnNumber() {
        StatusUpdate update = reader.read("{\"placer\": {\"partner\": \"bg-mbal-blagoevgrad\","
                + " \"value\": \"BG-REF-2026-00117\"}, \"status\": \"accepted\","
                + " \"note\": \"Моля, донесете последните изследвания.\"}");

        assertThat(update)
                .isEqualTo(new StatusUpdate(
                        null,
                        "https://fhir.cbhealth.eu/sid/partner/bg-mbal-blagoevgrad/referral-task",
                        "BG-REF-2026-00117",
                        "accepted",
                        null,
                        null,
                        null,
                        "Моля, донесете последните изследвания."));
    }

    @Test
    void shouldReadDeclinedAndCancelledWithTheirReason() {
        StatusUpdate declined = reader.read(
                "{\"referral\": \"42\", \"status\": \"declined\", \"reason\": \"Немає вільних місць до березня.\"}");
        StatusUpdate cancelled = reader.read(
                "{\"referral\": \"42\", \"status\": \"cancelled\", \"reason\": \"Patient withdrew consent.\"}");

        assertThat(declined)
                .isEqualTo(new StatusUpdate(
                        "42", null, null, "declined", "Немає вільних місць до березня.", null, null, null));
        assertThat(cancelled)
                .isEqualTo(
                        new StatusUpdate("42", null, null, "cancelled", "Patient withdrew consent.", null, null, null));
    }

    @Test
    void shouldReadScheduledWritingTheAppointmentAsAFhirDateTime() {
        StatusUpdate withOffset = reader.read(
                "{\"referral\": \"42\", \"status\": \"scheduled\", \"scheduledStart\": \"2026-12-03T09:00:00+01:00\"}");
        StatusUpdate withoutSeconds = reader.read(
                "{\"referral\": \"42\", \"status\": \"scheduled\", \"scheduledStart\": \"2026-12-03T09:00+01:00\"}");
        StatusUpdate utc = reader.read(
                "{\"referral\": \"42\", \"status\": \"scheduled\", \"scheduledStart\": \"2026-12-03T08:00:00Z\"}");

        assertThat(withOffset.status()).isEqualTo("scheduled");
        assertThat(withOffset.scheduledStart()).isEqualTo("2026-12-03T09:00:00+01:00");
        assertThat(withoutSeconds.scheduledStart()).isEqualTo("2026-12-03T09:00:00+01:00");
        assertThat(utc.scheduledStart()).isEqualTo("2026-12-03T08:00:00Z");
    }

    @Test
    void shouldReadCompletedWithAnInlineOutcomeDocument() {
        StatusUpdate update = reader.read("{\"referral\": \"42\", \"status\": \"completed\", \"outcome\": {"
                + "\"title\": \"Epikryza\", \"contentType\": \"application/pdf\", \"data\": \"JVBERi0x\\nLjQK\"}}");

        assertThat(update.status()).isEqualTo("completed");
        assertThat(update.outcome().title()).isEqualTo("Epikryza");
        assertThat(update.outcome().contentType()).isEqualTo("application/pdf");
        assertThat(new String(update.outcome().data(), StandardCharsets.US_ASCII))
                .isEqualTo("%PDF-1.4\n");
        assertThat(update.outcome().url()).isNull();
    }

    @Test
    void shouldReadCompletedWithAnOutcomeDocumentByUrl() {
        StatusUpdate update = reader.read("{\"referral\": \"42\", \"status\": \"completed\", \"outcome\": {"
                + "\"url\": \"https://docs.usk-rzeszow.example/outcome/42.pdf\"}}");

        assertThat(update.outcome().url()).isEqualTo("https://docs.usk-rzeszow.example/outcome/42.pdf");
        assertThat(update.outcome().data()).isNull();
        assertThat(update.outcome().title()).isNull();
        assertThat(update.outcome().contentType()).isNull();
    }

    @Test
    void shouldAcceptAnOutcomeOfExactlyTenMegabytes() {
        // 10 485 760 bytes = 3 495 253 groups of three and one byte left: "AA==" at the end
        String data = "A".repeat(3_495_253 * 4) + "AA==";

        StatusUpdate update = reader.read(completedWithData(data));

        assertThat(update.outcome().data()).hasSize(10_485_760);
    }

    @Test
    void shouldRefuseAnOutcomeOverTenMegabytes() {
        // 10 485 761 bytes = 3 495 253 groups of three and two bytes left: "AAA=" at the end
        String data = "A".repeat(3_495_253 * 4) + "AAA=";

        assertThat(problems(completedWithData(data)))
                .containsExactly(new InputProblem(
                        "/outcome/data",
                        "the document is 10485761 bytes, more than the 10485760 (10 MB) accepted inline;"
                                + " send a url instead"));
    }

    @Test
    void shouldRefuseMalformedJsonWithItsPosition() {
        InvalidMessageException refused = refused("{\"referral\": \"42\",\n \"status\": }");

        assertThat(refused.getMessage()).startsWith("Not valid JSON at line 2, column 12: Unexpected character ('}'");
        assertThat(refused.problems()).isEmpty();
    }

    @Test
    void shouldRefuseADuplicateKey() {
        InvalidMessageException refused =
                refused("{\"referral\": \"42\", \"status\": \"accepted\", \"status\": \"declined\"}");

        assertThat(refused.getMessage()).startsWith("Not valid JSON at line 1, column ");
        assertThat(refused.getMessage()).endsWith("Duplicate field 'status'");
    }

    @Test
    void shouldRefuseSomethingOtherThanAnObject() {
        assertThat(refused("[\"accepted\"]").getMessage()).isEqualTo("Not a status update: expected a JSON object");
    }

    @Test
    void shouldNameAnUnknownField() {
        assertThat(problems("{\"referral\": \"42\", \"status\": \"completed\", \"outcome\": {\"titel\": \"x\"}}"))
                .containsExactly(new InputProblem("/outcome/titel", "unknown field"));
    }

    @Test
    void shouldRefuseAMissingOrUnknownStatus() {
        assertThat(problems("{\"referral\": \"42\"}")).containsExactly(new InputProblem("/status", "required"));
        assertThat(problems("{\"referral\": \"42\", \"status\": \"rejected\"}"))
                .containsExactly(new InputProblem(
                        "/status",
                        "'rejected' is not one of accepted, cancelled, completed, declined, received, scheduled"));
        assertThat(problems("{\"referral\": \"42\", \"status\": \"created\"}"))
                .containsExactly(new InputProblem(
                        "/status",
                        "'created' is not one of accepted, cancelled, completed, declined, received, scheduled"));
    }

    @Test
    void shouldRefuseAnUpdateThatNamesNoReferralOrTwo() {
        assertThat(problems("{\"status\": \"received\"}"))
                .containsExactly(new InputProblem(
                        "/referral", "required: the hub's referral number, or /placer with the referrer's own number"));
        assertThat(problems(
                        "{\"referral\": \"42\", \"placer\": {\"partner\": \"bg-mbal-blagoevgrad\", \"value\": \"X\"},"
                                + " \"status\": \"received\"}"))
                .containsExactly(new InputProblem("/placer", "give either /referral or /placer, not both"));
    }

    @Test
    void shouldRefuseABadReferralNumberOrPlacer() {
        assertThat(problems("{\"referral\": \"42 43\", \"status\": \"received\"}"))
                .containsExactly(new InputProblem(
                        "/referral",
                        "'42 43' is not a referral number of the hub (1 to 64 letters, digits, '-' or '.')"));
        assertThat(problems("{\"placer\": {\"partner\": \"BG Blagoevgrad\"}, \"status\": \"received\"}"))
                .containsExactly(
                        new InputProblem(
                                "/placer/partner",
                                "'BG Blagoevgrad' is not a partner id (lower-case letters, digits and '-', at most 63)"),
                        new InputProblem("/placer/value", "required"));
    }

    @Test
    void shouldRequireAReasonToDeclineOrCancel() {
        assertThat(problems("{\"referral\": \"42\", \"status\": \"declined\"}"))
                .containsExactly(new InputProblem("/reason", "required when the status is declined"));
        assertThat(problems("{\"referral\": \"42\", \"status\": \"cancelled\", \"reason\": \"  \"}"))
                .containsExactly(new InputProblem("/reason", "required when the status is cancelled"));
    }

    @Test
    void shouldRequireAnAppointmentWithATimeZoneToSchedule() {
        assertThat(problems("{\"referral\": \"42\", \"status\": \"scheduled\"}"))
                .containsExactly(new InputProblem("/scheduledStart", "required when the status is scheduled"));
        assertThat(
                        problems(
                                "{\"referral\": \"42\", \"status\": \"scheduled\", \"scheduledStart\": \"2026-12-03T09:00:00\"}"))
                .containsExactly(new InputProblem(
                        "/scheduledStart",
                        "'2026-12-03T09:00:00' is not a date-time with a time zone (ISO 8601, e.g."
                                + " 2026-12-03T09:00:00+01:00)"));
        assertThat(
                        problems(
                                "{\"referral\": \"42\", \"status\": \"scheduled\", \"scheduledStart\": \"2026-12-32T09:00:00Z\"}"))
                .containsExactly(new InputProblem(
                        "/scheduledStart",
                        "'2026-12-32T09:00:00Z' is not a date-time with a time zone (ISO 8601, e.g."
                                + " 2026-12-03T09:00:00+01:00)"));
    }

    @Test
    void shouldRefuseAnOutcomeThatIsNotExactlyOneDocument() {
        assertThat(problems("{\"referral\": \"42\", \"status\": \"completed\", \"outcome\": {\"contentType\":"
                        + " \"application/pdf\", \"data\": \"JVBERi0xLjQK\", \"url\": \"https://x.example/a.pdf\"}}"))
                .containsExactly(new InputProblem("/outcome", "give either data or url, not both"));
        assertThat(problems(
                        "{\"referral\": \"42\", \"status\": \"completed\", \"outcome\": {\"title\": \"Epikryza\"}}"))
                .containsExactly(new InputProblem("/outcome", "data (base64) or url (https) required"));
    }

    @Test
    void shouldRefuseBadOutcomeDataAndUrl() {
        assertThat(problems("{\"referral\": \"42\", \"status\": \"completed\", \"outcome\": {\"data\": \"JVBERi0*\"}}"))
                .containsExactly(
                        new InputProblem("/outcome/contentType", "required with data"),
                        new InputProblem("/outcome/data", "not valid base64: Illegal base64 character 2a"));
        assertThat(problems("{\"referral\": \"42\", \"status\": \"completed\", \"outcome\": {\"contentType\": \"pdf\","
                        + " \"data\": \"\"}}"))
                .containsExactly(
                        new InputProblem("/outcome/contentType", "'pdf' is not a media type (e.g. application/pdf)"),
                        new InputProblem("/outcome/data", "empty: the document has no content"));
        assertThat(problems("{\"referral\": \"42\", \"status\": \"completed\", \"outcome\": {\"url\":"
                        + " \"http://docs.example/42.pdf\"}}"))
                .containsExactly(
                        new InputProblem("/outcome/url", "'http://docs.example/42.pdf' is not an absolute https URL"));
    }

    @Test
    void shouldReportEveryProblemAtOnceInFieldOrder() {
        InvalidMessageException refused = refused("{\"placer\": {\"value\": \"BG-REF-1\"}, \"status\": \"scheduled\","
                + " \"scheduledStart\": \"tomorrow\", \"outcome\": {}}");

        assertThat(refused.problems())
                .containsExactly(
                        new InputProblem("/placer/partner", "required"),
                        new InputProblem(
                                "/scheduledStart",
                                "'tomorrow' is not a date-time with a time zone (ISO 8601, e.g."
                                        + " 2026-12-03T09:00:00+01:00)"),
                        new InputProblem("/outcome", "data (base64) or url (https) required"));
        assertThat(refused.getMessage()).startsWith("Status update refused: /placer/partner: required; ");
    }

    @Test
    void shouldRefuseDeepNesting() {
        String deep = "{\"note\":" + "[".repeat(100) + "]".repeat(100) + "}";

        assertThat(refused(deep).getMessage())
                .startsWith("Input limit exceeded: Document nesting depth (33) exceeds the maximum allowed (32");
    }

    private static String completedWithData(String data) {
        return "{\"referral\": \"42\", \"status\": \"completed\", \"outcome\": {\"contentType\": \"application/pdf\","
                + " \"data\": \"" + data + "\"}}";
    }

    private java.util.List<InputProblem> problems(String json) {
        return refused(json).problems();
    }

    private InvalidMessageException refused(String json) {
        InvalidMessageException refused = catchThrowableOfType(InvalidMessageException.class, () -> reader.read(json));
        assertThat(refused).as("refusal").isNotNull();
        return refused;
    }
}
