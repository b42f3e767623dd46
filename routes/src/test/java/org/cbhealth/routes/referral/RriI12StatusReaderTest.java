package org.cbhealth.routes.referral;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.cbhealth.routes.hl7.Hl7Error;
import org.cbhealth.routes.hl7.Hl7v2RejectedException;
import org.junit.jupiter.api.Test;

class RriI12StatusReaderTest {

    private static final String MSH = "MSH|^~\\&|HIS|KB-STIP^4068491^L|CBHEALTH-HUB|CBHEALTH|20261122101500+0100||"
            + "RRI^I12^RRI_I12|MK-ST-9001|P|2.5.1|||AL|NE||UNICODE UTF-8|mk^^ISO639";
    private static final String PRD = "PRD|RT^Referred to Provider^HL70286||||||4068491^EMBS^MKD";
    private static final String PID = "PID|1||7501024918^^^BG-EGN&1.2.100.1&ISO^NNBGR||Иванова^Мария||19750102|F";

    private final RriI12StatusReader reader = new RriI12StatusReader();

    @Test
    void shouldReadPendingAsReceivedForTheHubReferralNumber() {
        StatusUpdate update = read("RF1|P^Pending^HL70283|||||4711^CBHEALTH");

        assertThat(update.referral()).isEqualTo("4711");
        assertThat(update.placerSystem()).isNull();
        assertThat(update.placerValue()).isNull();
        assertThat(update.status()).isEqualTo("received");
        assertThat(update.reason()).isNull();
        assertThat(update.scheduledStart()).isNull();
        assertThat(update.outcome()).isNull();
        assertThat(update.note()).isNull();
    }

    @Test
    void shouldReadAcceptedWithoutAnAppointmentAsAccepted() {
        StatusUpdate update = read("RF1|A^Accepted^HL70283|||||4711^CBHEALTH", "NTE|1||Ќе ве контактираме.");

        assertThat(update.status()).isEqualTo("accepted");
        assertThat(update.note()).isEqualTo("Ќе ве контактираме.");
        assertThat(update.scheduledStart()).isNull();
    }

    @Test
    void shouldReadAcceptedWithAnAppointmentInRf1_7AsScheduled() {
        StatusUpdate update = read("RF1|A^Accepted^HL70283|||||4711^CBHEALTH|20261203090000+0100");

        assertThat(update.status()).isEqualTo("scheduled");
        assertThat(update.scheduledStart()).isEqualTo("2026-12-03T09:00:00+01:00");
    }

    @Test
    void shouldReadTheHubsScheduledCodeWithItsAppointment() {
        StatusUpdate update = read("RF1|scheduled^^CBHTS|||||4711^CBHEALTH|202612030930");

        assertThat(update.status()).isEqualTo("scheduled");
        assertThat(update.scheduledStart()).isEqualTo("2026-12-03T09:30:00Z");
    }

    @Test
    void shouldReadRejectedAsDeclinedWithThePrimaryReasonAndTheRemarkApart() {
        StatusUpdate update = read(
                "RF1|R^Rejected^HL70283|||||4711^CBHEALTH",
                "NTE|1||Нема слободни термини.|1R^Primary Reason^HL70364",
                "NTE|2||Обратете се до Скопје.|RE^Remark^HL70364");

        assertThat(update.status()).isEqualTo("declined");
        assertThat(update.reason()).isEqualTo("Нема слободни термини.");
        assertThat(update.note()).isEqualTo("Обратете се до Скопје.");
    }

    @Test
    void shouldTakeTheCommentsAsTheReasonOfACancellationWithoutAPrimaryReason() {
        StatusUpdate update =
                read("RF1|cancelled^^CBHTS|||||4711^CBHEALTH", "NTE|1||Пациентот почина.~Известено семејството.");

        assertThat(update.status()).isEqualTo("cancelled");
        assertThat(update.reason()).isEqualTo("Пациентот почина.\nИзвестено семејството.");
        assertThat(update.note()).isNull();
    }

    @Test
    void shouldReadCompletedWithTheOutcomeDocumentUrl() {
        StatusUpdate update = read(
                "RF1|completed^^CBHTS|||||4711^CBHEALTH",
                "OBR|1|4711^CBHEALTH||cardiology^Cardiology^CBH-SPEC",
                "NTE|1||Контрола по 3 месеци.|RE^Remark^HL70364",
                "OBX|1|RP|11488-4^Отпусно писмо^LN||https://docs.kb-stip.example/out/555.pdf^KB-STIP^AP^PDF||||||F");

        assertThat(update.status()).isEqualTo("completed");
        assertThat(update.outcome().url()).isEqualTo("https://docs.kb-stip.example/out/555.pdf");
        assertThat(update.outcome().contentType()).isEqualTo("application/pdf");
        assertThat(update.outcome().title()).isEqualTo("Отпусно писмо");
        assertThat(update.outcome().data()).isNull();
        assertThat(update.note()).isEqualTo("Контрола по 3 месеци.");
    }

    @Test
    void shouldReadCompletedWithAnEmbeddedOutcomeDocument() {
        StatusUpdate update = read(
                "RF1|completed^^CBHTS|||||4711^CBHEALTH",
                "OBR|1|4711^CBHEALTH||cardiology^Cardiology^CBH-SPEC",
                "OBX|1|ED|11488-4^Consult note^LN||KB-STIP^TEXT^PLAIN^Base64^0JPQvtGC0L7QstC+||||||F");

        assertThat(update.outcome().url()).isNull();
        assertThat(update.outcome().contentType()).isEqualTo("text/plain");
        assertThat(new String(update.outcome().data(), StandardCharsets.UTF_8)).isEqualTo("Готово");
        assertThat(update.outcome().title()).isEqualTo("Consult note");
    }

    @Test
    void shouldReadTheSendersOwnNumberFromRf1_11WhenRf1_6IsNotTheHubs() {
        StatusUpdate update = read("RF1|A^Accepted^HL70283|||||MK-ST-77^KB-STIP|||||BG-REF-000123^101004535");

        assertThat(update.referral()).isNull();
        assertThat(update.placerSystem()).isEqualTo("https://fhir.cbhealth.eu/sid/partner/mk-kb-stip/referral");
        assertThat(update.placerValue()).isEqualTo("BG-REF-000123");
        assertThat(update.status()).isEqualTo("accepted");
    }

    @Test
    void shouldRefuseANoticeWithoutRf1() {
        assertThat(refusal(MSH + "\r" + PRD + "\r" + PID + "\r"))
                .containsExactly(new Hl7Error(
                        "RF1",
                        1,
                        0,
                        100,
                        "RF1 segment is missing: a status notice needs the referral number and its status"));
    }

    @Test
    void shouldRefuseAnUnknownStatusNamingRf1_1() {
        assertThat(refusal(message("RF1|E^Expired^HL70283|||||4711^CBHEALTH")))
                .containsExactly(new Hl7Error(
                        "RF1",
                        1,
                        1,
                        102,
                        "unknown referral status 'E' in RF1-1: expected P, A or R (HL7 table 0283) or received,"
                                + " accepted, declined, scheduled, completed, cancelled (CBHTS)"));
    }

    @Test
    void shouldRefuseAnEmptyStatus() {
        assertThat(refusal(message("RF1||||||4711^CBHEALTH")))
                .containsExactly(new Hl7Error("RF1", 1, 1, 101, "RF1-1 (referral status) is empty"));
    }

    @Test
    void shouldRefuseANoticeWithoutReferralNumberNamingRf1_6() {
        assertThat(refusal(message("RF1|A^Accepted^HL70283|||||MK-ST-77^KB-STIP")))
                .containsExactly(new Hl7Error(
                        "RF1",
                        1,
                        6,
                        101,
                        "no referral number: the hub's in RF1-6 (assigning authority CBHEALTH) or yours in RF1-11"));
    }

    @Test
    void shouldRefuseScheduledWithoutAppointmentNamingRf1_7() {
        assertThat(refusal(message("RF1|scheduled^^CBHTS|||||4711^CBHEALTH")))
                .containsExactly(new Hl7Error(
                        "RF1", 1, 7, 101, "a scheduled referral needs its appointment date and time in RF1-7"));
    }

    @Test
    void shouldRefuseAnImpossibleAppointmentDate() {
        assertThat(refusal(message("RF1|A^Accepted^HL70283|||||4711^CBHEALTH|20261332")))
                .containsExactly(new Hl7Error("RF1", 1, 7, 102, "impossible date/time 20261332 in RF1-7"));
    }

    @Test
    void shouldReportEveryProblemAtOnce() {
        assertThat(refusal(message("RF1|X"))).extracting(Hl7Error::location).containsExactly("RF1-6", "RF1-1");
    }

    @Test
    void shouldRefuseUndecodableOutcomeData() {
        assertThat(refusal(message(
                        "RF1|completed^^CBHTS|||||4711^CBHEALTH",
                        "OBR|1|4711^CBHEALTH||cardiology^Cardiology^CBH-SPEC",
                        "OBX|1|ED|11488-4^Consult note^LN||KB-STIP^AP^PDF^Base64^@@@@||||||F")))
                .extracting(e -> e.location() + " " + e.code())
                .containsExactly("OBX-5 102");
    }

    @Test
    void shouldAnswerArToAnotherMessageType() {
        Hl7v2RejectedException refused = catchThrowableOfType(
                Hl7v2RejectedException.class,
                () -> reader.read(
                        MSH.replace("RRI^I12^RRI_I12", "REF^I12^REF_I12") + "\rRF1|P||||||4711^CBHEALTH\r",
                        "mk-kb-stip"));

        assertThat(refused.ackCode()).isEqualTo(Hl7v2RejectedException.AckCode.AR);
        assertThat(refused.errors()).extracting(Hl7Error::location).containsExactly("MSH-9");
    }

    private StatusUpdate read(String rf1, String... rest) {
        return reader.read(message(rf1, rest), "mk-kb-stip");
    }

    private static String message(String rf1, String... rest) {
        StringBuilder text = new StringBuilder(MSH).append('\r').append(rf1).append('\r');
        text.append(PRD).append('\r').append(PID).append('\r');
        for (String segment : rest) {
            text.append(segment).append('\r');
        }
        return text.toString();
    }

    private List<Hl7Error> refusal(String text) {
        Hl7v2RejectedException refused =
                catchThrowableOfType(Hl7v2RejectedException.class, () -> reader.read(text, "mk-kb-stip"));
        assertThat(refused).as("refused").isNotNull();
        assertThat(refused.ackCode()).isEqualTo(Hl7v2RejectedException.AckCode.AE);
        return refused.errors();
    }
}
