package org.cbhealth.routes.referral.soap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Optional;
import org.cbhealth.profiles.CbhCanonical;
import org.cbhealth.profiles.identifier.NationalIdentifiers;
import org.cbhealth.routes.fhir.InputProblem;
import org.cbhealth.routes.fhir.InvalidMessageException;
import org.cbhealth.routes.referral.NationalIdentifierCheck;
import org.cbhealth.routes.referral.TreatmentAbroadApplication;
import org.cbhealth.routes.referral.TreatmentAbroadReader;
import org.cbhealth.routes.soap.SoapXml;
import org.junit.jupiter.api.Test;

class SoapReferralReaderTest {

    private static final NationalIdentifierCheck NATIONAL_IDENTIFIERS = (system, value) ->
            Optional.ofNullable(NationalIdentifiers.check(system, value).problem());
    private static final String NS = "https://fhir.cbhealth.eu/soap/referral/v1";

    private final TreatmentAbroadReader json = new TreatmentAbroadReader(
            NATIONAL_IDENTIFIERS, CbhCanonical.SID_UA_RNOKPP, () -> LocalDate.of(2026, 11, 25));
    private final SoapReferralReader reader = new SoapReferralReader(json);

    @Test
    void shouldReadTheUkrainianApplicationFromItsSoapEnvelopeKeepingItsText() {
        TreatmentAbroadApplication application = reader.read(SoapXml.sample("soap/submit-referral-ua-to-pl.xml"));

        assertThat(application.applicationNumber()).isEqualTo("LOKL-2026-004417");
        assertThat(application.submitted()).isEqualTo("2026-11-19T14:05:00+02:00");
        assertThat(application.referringFacility().edrpou()).isEqualTo("01994731");
        assertThat(application.referringFacility().name()).isEqualTo("КНП ЛОР «Львівська обласна клінічна лікарня»");
        assertThat(application.referringDoctor().fullName()).isEqualTo("Коваленко Олег Петрович");
        assertThat(application.targetFacility().registryId()).isEqualTo("PL-RPWDL-000000012345");
        assertThat(application.patient().rnokpp()).isEqualTo("3297912347");
        assertThat(application.patient().patronymic()).isEqualTo("Іванівна");
        assertThat(application.patient().birthDate()).isEqualTo("1990-04-17");
        assertThat(application.patient().address().postalCode()).isEqualTo("79007");
        assertThat(application.diagnosis())
                .containsExactly(new TreatmentAbroadApplication.Diagnosis(
                        "C50.4", "Злоякісне новоутворення верхньо-зовнішнього квадранта молочної залози"));
        assertThat(application.requestedService())
                .isEqualTo(new TreatmentAbroadApplication.RequestedService("ONC-01", "Онкологія", "urgent"));
        assertThat(application.attachments())
                .containsExactly(new TreatmentAbroadApplication.Attachment(
                        "Виписка з медичної карти", "application/pdf", "attachment:summary-004417.pdf"));
    }

    @Test
    void shouldReadTheSameApplicationAsTheJsonExport() {
        TreatmentAbroadApplication fromJson =
                json.read(new String(SoapXml.sample("treatment-abroad-ua-to-pl.json"), StandardCharsets.UTF_8));

        assertThat(reader.read(SoapXml.sample("soap/submit-referral-ua-to-pl.xml")))
                .isEqualTo(fromJson);
    }

    @Test
    void shouldReportBadIdentifierAndImpossibleDateWithTheirElementPaths() {
        InvalidMessageException refused = refused(SoapXml.sample("soap/bad/submit-referral-bad-rnokpp-and-date.xml"));

        assertThat(refused.problems())
                .containsExactly(
                        new InputProblem(
                                "/SubmitReferral/patient/rnokpp",
                                "UA RNOKPP 3297912348: wrong check digit (expected 7, found 8)"),
                        new InputProblem(
                                "/SubmitReferral/patient/birthDate", "'1990-02-30' is not a valid date (YYYY-MM-DD)"));
        assertThat(refused.getMessage())
                .isEqualTo("Application refused: /SubmitReferral/patient/rnokpp: UA RNOKPP 3297912348: wrong check"
                        + " digit (expected 7, found 8); /SubmitReferral/patient/birthDate: '1990-02-30' is not a valid"
                        + " date (YYYY-MM-DD)");
    }

    @Test
    void shouldReadTheOperationElementWithoutEnvelope() {
        TreatmentAbroadApplication application = reader.read(bytes(minimal("")));

        assertThat(application.applicationNumber()).isEqualTo("A-1");
        assertThat(application.patient().sex()).isEqualTo("male");
        assertThat(application.diagnosis()).isEmpty();
        assertThat(application.attachments()).isEmpty();
    }

    @Test
    void shouldNameUnknownRepeatedAndUnqualifiedElements() {
        String xml = minimal("<c:patient><c:nmae>x</c:nmae></c:patient><c:reason>a</c:reason><c:reason>b</c:reason>"
                        + "<reason>unqualified</reason>")
                .replaceFirst("<c:patient>.*?</c:patient>", "");

        assertThat(refused(bytes(xml)).problems())
                .containsExactly(
                        new InputProblem("/SubmitReferral/patient/nmae", "unknown element"),
                        new InputProblem("/SubmitReferral/reason[2]", "repeated; give reason at most once"),
                        new InputProblem(
                                "/SubmitReferral/reason",
                                "unknown element in namespace ''; the elements of this service are in namespace " + NS),
                        new InputProblem("/SubmitReferral/patient/lastName", "required"),
                        new InputProblem("/SubmitReferral/patient/firstName", "required"),
                        new InputProblem("/SubmitReferral/patient/birthDate", "required"),
                        new InputProblem("/SubmitReferral/patient/sex", "required"));
    }

    @Test
    void shouldListMissingRequiredElementsByPath() {
        String xml = "<c:SubmitReferral xmlns:c=\"" + NS + "\"><c:applicationNumber>A-1</c:applicationNumber>"
                + "</c:SubmitReferral>";

        assertThat(refused(bytes(xml)).problems())
                .extracting(InputProblem::location)
                .containsExactly(
                        "/SubmitReferral/referringFacility",
                        "/SubmitReferral/targetFacility",
                        "/SubmitReferral/patient",
                        "/SubmitReferral/requestedService");
    }

    @Test
    void shouldRefuseAnAttachmentByXopReferenceWithoutFetchingIt() {
        try (SoapXml.CountingServer server = new SoapXml.CountingServer()) {
            String xml = minimal("<c:attachment><c:title>Scan</c:title><c:url><xop:Include"
                    + " xmlns:xop=\"http://www.w3.org/2004/08/xop/include\" href=\"" + server.url("/scan.pdf")
                    + "\"/></c:url></c:attachment>");

            assertThat(refused(bytes(xml)).problems())
                    .containsExactly(new InputProblem(
                            "/SubmitReferral/attachment[1]/url/xop:Include",
                            "an MTOM/XOP reference (xop:Include) is not accepted and never resolved: send the content"
                                    + " inline (base64) or as a url"));
            assertThat(server.requests()).isZero();
        }
    }

    @Test
    void shouldRefuseAStatusUpdateSentToAReferralChannel() {
        InvalidMessageException refused = refused(SoapXml.sample("soap/update-referral-status-scheduled.xml"));

        assertThat(refused.problems())
                .containsExactly(new InputProblem(
                        "/Envelope/Body/UpdateReferralStatus",
                        "unknown operation {" + NS + "}UpdateReferralStatus; this service has {" + NS
                                + "}SubmitReferral"));
    }

    @Test
    void shouldRefuseADoctype() {
        String xml = "<!DOCTYPE c:SubmitReferral [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                + minimal("<c:reason>&x;</c:reason>");

        assertThat(refused(bytes(xml)).problems())
                .extracting(InputProblem::reason)
                .containsExactly("a document type declaration (DOCTYPE) is not accepted: entities are never declared,"
                        + " expanded or fetched");
    }

    @Test
    void shouldMapJsonPointersOfTheChecksToElementPaths() {
        assertThat(SoapReferralReader.xmlPath("/patient/address/country"))
                .isEqualTo("/SubmitReferral/patient/address/country");
        assertThat(SoapReferralReader.xmlPath("/attachments/0/url")).isEqualTo("/SubmitReferral/attachment[1]/url");
        assertThat(SoapReferralReader.xmlPath("/diagnosis/2/icd10")).isEqualTo("/SubmitReferral/diagnosis[3]/icd10");
    }

    /** A valid application with only the required elements, plus {@code extra} at the end. */
    private static String minimal(String extra) {
        return "<c:SubmitReferral xmlns:c=\"" + NS + "\">"
                + "<c:applicationNumber>A-1</c:applicationNumber>"
                + "<c:referringFacility><c:name>Hospital</c:name><c:country>UA</c:country></c:referringFacility>"
                + "<c:targetFacility><c:registryId>R-1</c:registryId><c:country>PL</c:country></c:targetFacility>"
                + "<c:patient><c:lastName>Бондар</c:lastName><c:firstName>Іван</c:firstName>"
                + "<c:birthDate>1980-01-01</c:birthDate><c:sex>male</c:sex></c:patient>"
                + "<c:requestedService><c:specialtyCode>ONC-01</c:specialtyCode></c:requestedService>"
                + extra
                + "</c:SubmitReferral>";
    }

    private static byte[] bytes(String xml) {
        return xml.getBytes(StandardCharsets.UTF_8);
    }

    private InvalidMessageException refused(byte[] xml) {
        InvalidMessageException refused = catchThrowableOfType(InvalidMessageException.class, () -> reader.read(xml));
        assertThat(refused).as("refusal").isNotNull();
        return refused;
    }
}
