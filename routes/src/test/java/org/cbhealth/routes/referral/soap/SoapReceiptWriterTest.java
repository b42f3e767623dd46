package org.cbhealth.routes.referral.soap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.cbhealth.routes.fhir.InputProblem;
import org.cbhealth.routes.partner.InboundOutcome;
import org.cbhealth.routes.soap.SoapVersion;
import org.cbhealth.routes.soap.SoapXml;
import org.junit.jupiter.api.Test;

class SoapReceiptWriterTest {

    private final SoapReceiptWriter writer = new SoapReceiptWriter();

    @Test
    void shouldAnswerAStoredReferralWithTheHubReferralNumberAndTheStoredIds() {
        String answer = writer.stored(
                SoapVersion.SOAP_11,
                "SubmitReferral",
                new InboundOutcome(
                        List.of("Patient/31/_history/1", "ServiceRequest/12/_history/1", "Task/4711/_history/1"),
                        List.of(),
                        List.of("https://fhir.cbhealth.eu/CodeSystem/ua-specialty|ONC-99")));

        SoapXml xml = SoapXml.of(answer);
        String response = "/s11:Envelope/s11:Body/cbh:SubmitReferralResponse";
        xml.assertValid(response);
        assertThat(xml.text(response + "/cbh:accepted")).isEqualTo("true");
        assertThat(xml.text(response + "/cbh:disposition")).isEqualTo("stored");
        assertThat(xml.text(response + "/cbh:referralNumber")).isEqualTo("4711");
        assertThat(xml.count(response + "/cbh:storedId")).isEqualTo(3);
        assertThat(xml.text(response + "/cbh:storedId[3]")).isEqualTo("Task/4711/_history/1");
        assertThat(xml.text(response + "/cbh:notice/cbh:location"))
                .isEqualTo("https://fhir.cbhealth.eu/CodeSystem/ua-specialty|ONC-99");
        assertThat(xml.text(response + "/cbh:notice/cbh:reason")).isEqualTo("not mapped to the shared value set");
    }

    @Test
    void shouldAnswerAKeptStatusUpdateInSoap12WithTheReason() {
        String answer =
                writer.kept(SoapVersion.SOAP_12, "UpdateReferralStatus", "no translator yet; kept and can be replayed");

        SoapXml xml = SoapXml.of(answer);
        String response = "/s12:Envelope/s12:Body/cbh:UpdateReferralStatusResponse";
        xml.assertValid(response);
        assertThat(xml.text(response + "/cbh:accepted")).isEqualTo("true");
        assertThat(xml.text(response + "/cbh:disposition")).isEqualTo("kept");
        assertThat(xml.count(response + "/cbh:referralNumber")).isZero();
        assertThat(xml.count(response + "/cbh:storedId")).isZero();
        assertThat(xml.text(response + "/cbh:notice/cbh:location")).isEqualTo("message");
        assertThat(xml.text(response + "/cbh:notice/cbh:reason"))
                .isEqualTo("no translator yet; kept and can be replayed");
    }

    @Test
    void shouldListRefusedPartsAsNotices() {
        String answer = writer.stored(
                SoapVersion.SOAP_11,
                "SubmitReferral",
                new InboundOutcome(
                        List.of("Task/9/_history/2"),
                        List.of(new InputProblem("Observation[identifier=X/OBX/1]", "value missing")),
                        List.of()));

        SoapXml xml = SoapXml.of(answer);
        assertThat(xml.text("//cbh:notice/cbh:location")).isEqualTo("Observation[identifier=X/OBX/1]");
        assertThat(xml.text("//cbh:notice/cbh:reason")).isEqualTo("value missing");
        assertThat(xml.text("//cbh:referralNumber")).isEqualTo("9");
    }
}
