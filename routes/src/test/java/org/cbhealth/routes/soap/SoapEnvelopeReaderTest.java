package org.cbhealth.routes.soap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import javax.xml.namespace.QName;
import org.cbhealth.routes.fhir.InputProblem;
import org.cbhealth.routes.fhir.InvalidMessageException;
import org.junit.jupiter.api.Test;

class SoapEnvelopeReaderTest {

    private static final String NS = "https://fhir.cbhealth.eu/soap/referral/v1";
    private static final Set<QName> OPERATIONS =
            Set.of(new QName(NS, "SubmitReferral"), new QName(NS, "UpdateReferralStatus"));

    private final SoapEnvelopeReader reader = new SoapEnvelopeReader(new HardenedXml());

    @Test
    void shouldTakeTheOperationElementOutOfASoap11EnvelopeWithItsNamespaces() {
        SoapEnvelopeReader.SoapRequest request =
                reader.read(SoapXml.sample("soap/submit-referral-ua-to-pl.xml"), "text/xml; charset=UTF-8", OPERATIONS);

        assertThat(request.version()).isEqualTo(SoapVersion.SOAP_11);
        assertThat(request.operation()).isEqualTo(new QName(NS, "SubmitReferral"));
        String payload = new String(request.payloadXml(), StandardCharsets.UTF_8);
        assertThat(payload)
                .startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"")
                .contains("<ref:SubmitReferral");
        assertThat(payload).contains("xmlns:ref=\"" + NS + "\"").doesNotContain("Envelope");
        assertThat(SoapXml.of(payload).text("/cbh:SubmitReferral/cbh:patient/cbh:lastName"))
                .isEqualTo("Шевченко");
    }

    @Test
    void shouldReadSoap12Envelopes() {
        SoapEnvelopeReader.SoapRequest request = reader.read(
                SoapXml.sample("soap/update-referral-status-completed.xml"), "application/soap+xml", OPERATIONS);

        assertThat(request.version()).isEqualTo(SoapVersion.SOAP_12);
        assertThat(request.operation().getLocalPart()).isEqualTo("UpdateReferralStatus");
    }

    @Test
    void shouldRefuseAnUnknownOperationNamingTheKnownOnes() {
        InvalidMessageException refused = refused(envelope("<x:DeleteAllReferrals xmlns:x=\"" + NS + "\"/>"), null);

        assertThat(refused.problems())
                .containsExactly(new InputProblem(
                        "/Envelope/Body/x:DeleteAllReferrals",
                        "unknown operation {" + NS + "}DeleteAllReferrals; this service has {" + NS
                                + "}SubmitReferral, {" + NS + "}UpdateReferralStatus"));
    }

    @Test
    void shouldRefuseAnOperationOfAnotherNamespace() {
        InvalidMessageException refused = refused(envelope("<SubmitReferral/>"), null);

        assertThat(refused.problems())
                .extracting(InputProblem::location)
                .containsExactly("/Envelope/Body/SubmitReferral");
        assertThat(refused.problems().get(0).reason()).startsWith("unknown operation SubmitReferral;");
    }

    @Test
    void shouldRefuseXopIncludeAndNeverFetchIt() {
        try (SoapXml.CountingServer server = new SoapXml.CountingServer()) {
            String body = "<c:UpdateReferralStatus xmlns:c=\"" + NS + "\"><c:referral>1</c:referral>"
                    + "<c:outcome><c:data><xop:Include xmlns:xop=\"http://www.w3.org/2004/08/xop/include\" href=\""
                    + server.url("/etc/passwd") + "\"/></c:data></c:outcome></c:UpdateReferralStatus>";

            InvalidMessageException refused = refused(envelope(body), "text/xml");

            assertThat(refused.problems())
                    .containsExactly(new InputProblem(
                            "/Envelope/Body/c:UpdateReferralStatus/c:outcome/c:data/xop:Include",
                            "an MTOM/XOP reference (xop:Include) is not accepted and never resolved: send the content"
                                    + " inline (base64) or as a url"));
            assertThat(server.requests()).isZero();
        }
    }

    @Test
    void shouldRefuseMultipartRequests() {
        InvalidMessageException refused =
                refused("--uuid\r\n\r\n<x/>", "multipart/related; type=\"application/xop+xml\"; boundary=uuid");

        assertThat(refused.problems())
                .containsExactly(new InputProblem(
                        "Content-Type",
                        "a multipart request (MTOM/XOP or SOAP with attachments) is not accepted: send one SOAP envelope"
                                + " with the content inline (base64)"));
    }

    @Test
    void shouldRefuseWhatIsNotAnEnvelopeAndAnEmptyBody() {
        assertThat(refused("<SubmitReferral xmlns=\"" + NS + "\"/>", null).problems())
                .containsExactly(new InputProblem(
                        "/SubmitReferral",
                        "not a SOAP envelope: expected Envelope in namespace http://schemas.xmlsoap.org/soap/envelope/"
                                + " (SOAP 1.1) or http://www.w3.org/2003/05/soap-envelope (SOAP 1.2)"));
        assertThat(refused(envelope(""), null).problems())
                .containsExactly(new InputProblem("/Envelope/Body", "empty: expected one operation element"));
    }

    @Test
    void shouldRefuseHeadersTheSenderMarkedMustUnderstand() {
        String request = "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Header>"
                + "<w:Security xmlns:w=\"urn:example:security\" s:mustUnderstand=\"1\"/></s:Header><s:Body>"
                + "<c:SubmitReferral xmlns:c=\"" + NS + "\"/></s:Body></s:Envelope>";

        assertThat(refused(request, null).problems())
                .containsExactly(new InputProblem(
                        "/Envelope/Header/w:Security", "header marked mustUnderstand is not understood by the hub"));
    }

    @Test
    void shouldRefuseADoctypeBeforeLookingAtTheEnvelope() {
        String request = "<!DOCTYPE s:Envelope [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>" + envelope("&x;");

        assertThat(refused(request, null).problems())
                .extracting(InputProblem::reason)
                .containsExactly("a document type declaration (DOCTYPE) is not accepted: entities are never declared,"
                        + " expanded or fetched");
    }

    private static String envelope(String body) {
        return "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body>" + body
                + "</s:Body></s:Envelope>";
    }

    private InvalidMessageException refused(String request, String contentType) {
        InvalidMessageException refused = catchThrowableOfType(
                InvalidMessageException.class,
                () -> reader.read(request.getBytes(StandardCharsets.UTF_8), contentType, OPERATIONS));
        assertThat(refused).as("refusal").isNotNull();
        return refused;
    }
}
