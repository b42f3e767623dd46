package org.cbhealth.routes.hl7;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.model.v251.message.REF_I12;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.Test;

class Hl7v2ReaderTest {

    private final Hl7v2Reader reader = new Hl7v2Reader(Set.of("REF^I12"));

    @Test
    void shouldReadBulgarianReferralKeepingCyrillicNames() throws Exception {
        REF_I12 referral = (REF_I12) reader.read(sample("referral/ref-i12-bg-to-mk.hl7"));

        assertThat(referral.getMSH().getMessageControlID().getValue()).isEqualTo("BG-REF-000123");
        assertThat(referral.getPID()
                        .getPatientName(0)
                        .getFamilyName()
                        .getSurname()
                        .getValue())
                .isEqualTo("Иванова");
        assertThat(referral.getPID().getPatientIdentifierList(0).getIDNumber().getValue())
                .isEqualTo("7501024918");
    }

    @Test
    void shouldReadSlovenianReferralWithDiacritics() throws Exception {
        REF_I12 referral = (REF_I12) reader.read(sample("referral/ref-i12-si-to-at.hl7"));

        assertThat(referral.getMSH().getMessageControlID().getValue()).isEqualTo("SI-UKCMB-77812");
        assertThat(referral.getPROVIDER_CONTACT(1)
                        .getPRD()
                        .getProviderAddress(0)
                        .getCity()
                        .getValue())
                .isEqualTo("Klagenfurt am Wörthersee");
    }

    @Test
    void shouldRefuseGarbageBeforeMshCountingIt() throws IOException {
        Hl7Error error = refusedOnly(sample("referral/bad/garbage-before-msh.hl7"));

        assertThat(error)
                .isEqualTo(new Hl7Error(
                        "MSH", 1, 0, 100, "25 characters before MSH: a message must start with the MSH segment"));
    }

    @Test
    void shouldRefuseMissingControlIdNamingMsh10() throws IOException {
        Hl7Error error = refusedOnly(sample("referral/bad/missing-msh10.hl7"));

        assertThat(error).isEqualTo(new Hl7Error("MSH", 1, 10, 101, "MSH-10 (message control id) is empty"));
    }

    @Test
    void shouldRefuseLineFeedDelimiters() throws IOException {
        Hl7Error error = refusedOnly(sample("referral/bad/newline-delimiters.hl7"));

        assertThat(error.code()).isEqualTo(100);
        assertThat(error.text())
                .isEqualTo("segments are separated by line feeds; HL7 v2 requires a carriage return (0x0D) after"
                        + " each segment");
    }

    @Test
    void shouldRefuseUnsupportedMessageTypeNamingMsh9() {
        String adt = "MSH|^~\\&|BIS|MBAL|CBHUB|CBHEALTH|20261120093000||ADT^A01^ADT_A01|X1|P|2.5.1\rEVN|A01\r"
                + "PID|1||1^^^X||Doe^John\rPV1|1|I\r";

        Hl7Error error = refusedOnly(adt);

        assertThat(error.location()).isEqualTo("MSH-9");
        assertThat(error.code()).isEqualTo(200);
        assertThat(error.text()).isEqualTo("message type ADT^A01 is not accepted here; accepted: REF^I12");
    }

    @Test
    void shouldRefuseOtherVersionNamingMsh12() throws IOException {
        String v23 = sample("referral/ref-i12-bg-to-mk.hl7").replace("|P|2.5.1|", "|P|2.3|");

        Hl7Error error = refusedOnly(v23);

        assertThat(error).isEqualTo(new Hl7Error("MSH", 1, 12, 203, "version 2.3 is not accepted; send HL7 v2.5.1"));
    }

    @Test
    void shouldRefuseTextWithoutMsh() {
        Hl7Error error = refusedOnly("{\"resourceType\":\"Patient\"}");

        assertThat(error.text()).isEqualTo("no MSH segment: not an HL7 v2 message");
    }

    private Hl7Error refusedOnly(String text) {
        Hl7v2RejectedException refused = catchThrowableOfType(Hl7v2RejectedException.class, () -> reader.read(text));
        assertThat(refused).as("refusal").isNotNull();
        assertThat(refused.ackCode()).isEqualTo(Hl7v2RejectedException.AckCode.AR);
        assertThat(refused.errors()).hasSize(1);
        return refused.errors().get(0);
    }

    static String sample(String path) throws IOException {
        try (InputStream in = Hl7v2ReaderTest.class.getResourceAsStream("/samples/" + path)) {
            assertThat(in).as(path).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static Message parsed(String path) throws IOException {
        return new Hl7v2Reader(Set.of("REF^I12")).read(sample(path));
    }
}
