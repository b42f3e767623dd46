package org.cbhealth.routes.referral.soap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import org.cbhealth.routes.fhir.InputProblem;
import org.cbhealth.routes.fhir.InvalidMessageException;
import org.cbhealth.routes.referral.StatusUpdate;
import org.cbhealth.routes.soap.SoapXml;
import org.junit.jupiter.api.Test;

class SoapStatusReaderTest {

    private static final String NS = "https://fhir.cbhealth.eu/soap/referral/v1";

    private final SoapStatusReader reader = new SoapStatusReader();

    @Test
    void shouldReadAnAppointmentByHubReferralNumber() {
        StatusUpdate update = reader.read(SoapXml.sample("soap/update-referral-status-scheduled.xml"));

        assertThat(update.referral()).isEqualTo("4711");
        assertThat(update.placerSystem()).isNull();
        assertThat(update.placerValue()).isNull();
        assertThat(update.status()).isEqualTo("scheduled");
        assertThat(update.scheduledStart()).isEqualTo("2026-12-03T09:30:00+01:00");
        assertThat(update.note())
                .isEqualTo("Proszę zabrać wyniki badań obrazowych. Прохання взяти результати обстежень.");
        assertThat(update.reason()).isNull();
        assertThat(update.outcome()).isNull();
    }

    @Test
    void shouldReadACompletionByThePlacerNumberWithItsInlineOutcome() {
        StatusUpdate update = reader.read(SoapXml.sample("soap/update-referral-status-completed.xml"));

        assertThat(update.referral()).isNull();
        assertThat(update.placerSystem())
                .isEqualTo("https://fhir.cbhealth.eu/sid/partner/ua-lviv-regional-hospital/referral");
        assertThat(update.placerValue()).isEqualTo("LOKL-2026-004417");
        assertThat(update.status()).isEqualTo("completed");
        assertThat(update.outcome().title()).isEqualTo("Karta informacyjna leczenia szpitalnego");
        assertThat(update.outcome().contentType()).isEqualTo("text/plain");
        assertThat(new String(update.outcome().data(), StandardCharsets.UTF_8)).isEqualTo("Radioterapia zakończona.");
        assertThat(update.outcome().url()).isNull();
    }

    @Test
    void shouldReadADeclineWithItsReasonAndAnOutcomeUrl() {
        StatusUpdate update = reader.read(update("<c:referral>99</c:referral><c:status>declined</c:status>"
                + "<c:reason>Brak wolnych miejsc</c:reason><c:outcome><c:contentType>application/pdf</c:contentType>"
                + "<c:url>https://his.usk-rzeszow.example/docs/99.pdf</c:url></c:outcome>"));

        assertThat(update.status()).isEqualTo("declined");
        assertThat(update.reason()).isEqualTo("Brak wolnych miejsc");
        assertThat(update.outcome().url()).isEqualTo("https://his.usk-rzeszow.example/docs/99.pdf");
        assertThat(update.outcome().data()).isNull();
    }

    @Test
    void shouldRequireExactlyOneWayOfNamingTheReferral() {
        assertThat(refused(update("<c:status>received</c:status>")).problems())
                .containsExactly(new InputProblem(
                        "/UpdateReferralStatus/referral",
                        "required: the hub's referral number (or placer: the referrer's own number)"));
        assertThat(refused(update("<c:referral>1</c:referral><c:placer><c:partner>ua-lviv</c:partner>"
                                + "<c:value>X</c:value></c:placer><c:status>received</c:status>"))
                        .problems())
                .containsExactly(new InputProblem("/UpdateReferralStatus/placer", "give referral or placer, not both"));
        assertThat(refused(update("<c:placer><c:partner>UA Lviv</c:partner></c:placer><c:status>received</c:status>"))
                        .problems())
                .containsExactly(
                        new InputProblem(
                                "/UpdateReferralStatus/placer/partner",
                                "'UA Lviv' is not a partner id (lower-case letters, digits, hyphens)"),
                        new InputProblem("/UpdateReferralStatus/placer/value", "required"));
    }

    @Test
    void shouldCheckStatusReasonAndAppointment() {
        assertThat(refused(update("<c:referral>1</c:referral><c:status>created</c:status>"))
                        .problems())
                .containsExactly(new InputProblem(
                        "/UpdateReferralStatus/status",
                        "'created' is not one of received, accepted, declined, scheduled, completed, cancelled"));
        assertThat(refused(update("<c:referral>1</c:referral><c:status>cancelled</c:status>"))
                        .problems())
                .containsExactly(
                        new InputProblem("/UpdateReferralStatus/reason", "required when the status is cancelled"));
        assertThat(refused(update("<c:referral>1</c:referral><c:status>scheduled</c:status>"))
                        .problems())
                .containsExactly(new InputProblem(
                        "/UpdateReferralStatus/scheduledStart", "required when the status is scheduled"));
        assertThat(refused(update("<c:referral>1</c:referral><c:status>scheduled</c:status>"
                                + "<c:scheduledStart>2026-12-03T09:30:00</c:scheduledStart>"))
                        .problems())
                .containsExactly(new InputProblem(
                        "/UpdateReferralStatus/scheduledStart",
                        "'2026-12-03T09:30:00' is not a FHIR dateTime (YYYY-MM-DD, or YYYY-MM-DDThh:mm:ss with an offset"
                                + " such as +02:00 or Z)"));
    }

    @Test
    void shouldCheckTheOutcomeDocument() {
        assertThat(refused(update("<c:referral>1</c:referral><c:status>completed</c:status><c:outcome>"
                                + "<c:data>bm90IGJhc2U2NA=</c:data><c:url>file:///etc/passwd</c:url></c:outcome>"))
                        .problems())
                .containsExactly(
                        new InputProblem("/UpdateReferralStatus/outcome/contentType", "required"),
                        new InputProblem("/UpdateReferralStatus/outcome/url", "give data or url, not both"),
                        new InputProblem(
                                "/UpdateReferralStatus/outcome/data", "not valid base64 (xs:base64Binary, RFC 4648)"),
                        new InputProblem(
                                "/UpdateReferralStatus/outcome/url",
                                "'file:///etc/passwd' is not an absolute http(s) URL"));
    }

    @Test
    void shouldRefuseAnOutcomeByXopReferenceWithoutFetchingIt() {
        try (SoapXml.CountingServer server = new SoapXml.CountingServer()) {
            InvalidMessageException refused = refused(update("<c:referral>1</c:referral><c:status>completed</c:status>"
                    + "<c:outcome><c:contentType>application/pdf</c:contentType><c:data><xop:Include"
                    + " xmlns:xop=\"http://www.w3.org/2004/08/xop/include\" href=\"" + server.url("/outcome.pdf")
                    + "\"/></c:data></c:outcome>"));

            assertThat(refused.problems())
                    .containsExactly(
                            new InputProblem(
                                    "/UpdateReferralStatus/outcome/data/xop:Include",
                                    "an MTOM/XOP reference (xop:Include) is not accepted and never resolved: send the"
                                            + " content inline (base64) or as a url"),
                            new InputProblem(
                                    "/UpdateReferralStatus/outcome/data",
                                    "required: the document inline (base64), or its url"));
            assertThat(server.requests()).isZero();
        }
    }

    @Test
    void shouldRefuseAReferralSentToAStatusChannel() {
        InvalidMessageException refused = refused(SoapXml.sample("soap/submit-referral-ua-to-pl.xml"));

        assertThat(refused.problems())
                .containsExactly(new InputProblem(
                        "/Envelope/Body/ref:SubmitReferral",
                        "unknown operation {" + NS + "}SubmitReferral; this service has {" + NS
                                + "}UpdateReferralStatus"));
    }

    @Test
    void shouldAcceptEveryFhirDateTimePrecision() {
        assertThat(SoapStatusReader.dateTimeProblem("2026")).isEmpty();
        assertThat(SoapStatusReader.dateTimeProblem("2026-12")).isEmpty();
        assertThat(SoapStatusReader.dateTimeProblem("2026-12-03")).isEmpty();
        assertThat(SoapStatusReader.dateTimeProblem("2026-12-03T09:30:00Z")).isEmpty();
        assertThat(SoapStatusReader.dateTimeProblem("2026-02-30")).isPresent();
    }

    private static byte[] update(String content) {
        return ("<c:UpdateReferralStatus xmlns:c=\"" + NS + "\">" + content + "</c:UpdateReferralStatus>")
                .getBytes(StandardCharsets.UTF_8);
    }

    private InvalidMessageException refused(byte[] xml) {
        InvalidMessageException refused = catchThrowableOfType(InvalidMessageException.class, () -> reader.read(xml));
        assertThat(refused).as("refusal").isNotNull();
        return refused;
    }
}
