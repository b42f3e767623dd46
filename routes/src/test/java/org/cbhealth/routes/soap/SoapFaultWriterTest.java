package org.cbhealth.routes.soap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.cbhealth.routes.fhir.InputProblem;
import org.cbhealth.routes.fhir.InvalidMessageException;
import org.cbhealth.routes.hl7.Hl7Error;
import org.cbhealth.routes.hl7.Hl7v2RejectedException;
import org.junit.jupiter.api.Test;

class SoapFaultWriterTest {

    private final SoapFaultWriter writer =
            new SoapFaultWriter(new HardenedXml(), "https://fhir.cbhealth.eu/soap/referral/v1");

    @Test
    void shouldWriteASoap11ClientFaultListingEachProblem() {
        String fault = writer.senderFault(
                SoapVersion.SOAP_11,
                new InvalidMessageException(
                        "Application refused",
                        List.of(
                                new InputProblem(
                                        "/SubmitReferral/patient/rnokpp",
                                        "UA RNOKPP 3297912348: wrong check digit (expected 7, found 8)"),
                                new InputProblem("/SubmitReferral/patient/sex", "required"))));

        SoapXml xml = SoapXml.of(fault);
        assertThat(xml.text("/s11:Envelope/s11:Body/s11:Fault/faultcode")).isEqualTo("soap:Client");
        assertThat(xml.text("/s11:Envelope/s11:Body/s11:Fault/faultstring"))
                .isEqualTo(
                        "Application refused: /SubmitReferral/patient/rnokpp: UA RNOKPP 3297912348: wrong check digit"
                                + " (expected 7, found 8); /SubmitReferral/patient/sex: required");
        String detail = "/s11:Envelope/s11:Body/s11:Fault/detail/cbh:Problems";
        assertThat(xml.text(detail + "/cbh:failedBy")).isEqualTo("sender");
        assertThat(xml.count(detail + "/cbh:problem")).isEqualTo(2);
        assertThat(xml.text(detail + "/cbh:problem[1]/cbh:location")).isEqualTo("/SubmitReferral/patient/rnokpp");
        assertThat(xml.text(detail + "/cbh:problem[1]/cbh:reason"))
                .isEqualTo("UA RNOKPP 3297912348: wrong check digit (expected 7, found 8)");
        assertThat(xml.text(detail + "/cbh:problem[2]/cbh:location")).isEqualTo("/SubmitReferral/patient/sex");
        xml.assertValid(detail);
    }

    @Test
    void shouldWriteASoap12SenderFault() {
        String fault =
                writer.senderFault(SoapVersion.SOAP_12, new InvalidMessageException("Not a referral: no patient"));

        SoapXml xml = SoapXml.of(fault);
        assertThat(xml.text("/s12:Envelope/s12:Body/s12:Fault/s12:Code/s12:Value"))
                .isEqualTo("soap:Sender");
        assertThat(xml.text("/s12:Envelope/s12:Body/s12:Fault/s12:Reason/s12:Text"))
                .isEqualTo("Not a referral: no patient");
        assertThat(xml.text("/s12:Envelope/s12:Body/s12:Fault/s12:Reason/s12:Text/@xml:lang"))
                .isEqualTo("en");
        String detail = "/s12:Envelope/s12:Body/s12:Fault/s12:Detail/cbh:Problems";
        assertThat(xml.text(detail + "/cbh:problem/cbh:location")).isEqualTo("message");
        assertThat(xml.text(detail + "/cbh:problem/cbh:reason")).isEqualTo("Not a referral: no patient");
        xml.assertValid(detail);
    }

    @Test
    void shouldListTheErrLocationsOfAnHl7Refusal() {
        String fault = writer.senderFault(
                SoapVersion.SOAP_11,
                new Hl7v2RejectedException(
                        Hl7v2RejectedException.AckCode.AE,
                        List.of(new Hl7Error("PID", 1, 7, Hl7Error.DATA_TYPE_ERROR, "not a date"))));

        SoapXml xml = SoapXml.of(fault);
        assertThat(xml.text("//cbh:problem/cbh:location")).isEqualTo("PID-7");
        assertThat(xml.text("//cbh:problem/cbh:reason")).isEqualTo("not a date");
    }

    @Test
    void shouldWriteAServerFaultWhenTheHubFailed() {
        String fault = writer.hubFault(SoapVersion.SOAP_11, "the hub could not process the message now; send it again");

        SoapXml xml = SoapXml.of(fault);
        assertThat(xml.text("/s11:Envelope/s11:Body/s11:Fault/faultcode")).isEqualTo("soap:Server");
        assertThat(xml.text("/s11:Envelope/s11:Body/s11:Fault/faultstring"))
                .isEqualTo("the hub could not process the message now; send it again");
        assertThat(xml.text("//cbh:Problems/cbh:failedBy")).isEqualTo("hub");
        assertThat(xml.count("//cbh:problem")).isZero();
    }
}
