package org.cbhealth.routes.referral.out;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.v251.datatype.RP;
import ca.uhn.hl7v2.model.v251.datatype.TX;
import ca.uhn.hl7v2.model.v251.message.REF_I12;
import ca.uhn.hl7v2.model.v251.message.RRI_I12;
import ca.uhn.hl7v2.model.v251.segment.MSH;
import ca.uhn.hl7v2.model.v251.segment.OBX;
import ca.uhn.hl7v2.model.v251.segment.PID;
import ca.uhn.hl7v2.model.v251.segment.PRD;
import ca.uhn.hl7v2.model.v251.segment.RF1;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.cbhealth.profiles.CbhCanonical;
import org.cbhealth.profiles.identifier.NationalIdentifiers;
import org.cbhealth.routes.hl7.Hl7v2Reader;
import org.cbhealth.routes.referral.RefI12Checker;
import org.cbhealth.routes.referral.ReferralPackage;
import org.cbhealth.routes.referral.RriI12StatusReader;
import org.cbhealth.routes.referral.StatusUpdate;
import org.cbhealth.routes.translate.TranslationContext;
import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Hl7ReferralWriterTest {

    private final Hl7ReferralWriter writer = new Hl7ReferralWriter(
            Hl7ReferralWriter.oidsOf(ReferralFixtures.CONFORMANCE.all()),
            Clock.fixed(Instant.parse("2026-11-25T12:00:00Z"), ZoneOffset.UTC));

    @Test
    void shouldResolveTheOidsOfTheHubsNationalIdentifierSystems() {
        var oids = Hl7ReferralWriter.oidsOf(ReferralFixtures.CONFORMANCE.all());

        assertThat(oids.apply("https://fhir.cbhealth.eu/sid/bg-egn")).hasValue("1.2.100.1");
        assertThat(oids.apply("https://fhir.cbhealth.eu/sid/si-emso")).hasValue("2.16.705.1.1");
        assertThat(oids.apply("https://fhir.cbhealth.eu/sid/unknown")).isEmpty();
    }

    @Test
    void shouldWriteAReferralAsRefI12WithSegmentsEndingInCarriageReturns() {
        OutboundMessage message = writer.referral(ReferralFixtures.created());

        assertThat(message.body())
                .startsWith("MSH|^~\\&|CBHEALTH-HUB|CBHEALTH||4068491|20261120073105+0000||REF^I12^REF_I12|CBH-4711-1|P"
                        + "|2.5.1|||AL|NE||UNICODE UTF-8|bg^^ISO639\r")
                .doesNotContain("\n");
        assertThat(message.body().split("\r"))
                .extracting(s -> s.substring(0, 3))
                .containsExactly("MSH", "RF1", "PRD", "PRD", "PID", "DG1", "OBR", "NTE", "OBX");
        assertThat(message.contentType()).isEqualTo("x-application/hl7-v2+er7; charset=UTF-8");
        assertThat(message.headers())
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of("CBHealthMessageType", "referral", "CBHealthReferral", "4711"));
    }

    @Test
    void shouldWriteTheHeaderAndRf1() throws HL7Exception {
        REF_I12 referral = parseReferral(writer.referral(ReferralFixtures.created()));
        MSH msh = referral.getMSH();
        RF1 rf1 = referral.getRF1();

        assertThat(msh.getSendingApplication().getNamespaceID().getValue()).isEqualTo("CBHEALTH-HUB");
        assertThat(msh.getSendingFacility().getNamespaceID().getValue()).isEqualTo("CBHEALTH");
        assertThat(msh.getReceivingFacility().getNamespaceID().getValue()).isEqualTo("4068491");
        assertThat(msh.getMessageControlID().getValue()).isEqualTo("CBH-4711-1");
        assertThat(msh.getCharacterSet(0).getValue()).isEqualTo("UNICODE UTF-8");
        assertThat(msh.getPrincipalLanguageOfMessage().getIdentifier().getValue())
                .isEqualTo("bg");
        assertThat(rf1.getReferralStatus().getIdentifier().getValue()).isEqualTo("P");
        assertThat(rf1.getReferralPriority().getIdentifier().getValue()).isEqualTo("R");
        assertThat(rf1.getOriginatingReferralIdentifier().encode()).isEqualTo("4711^CBHEALTH");
        assertThat(rf1.getEffectiveDate().getTime().getValue()).isEqualTo("20261120");
        assertThat(rf1.getExpirationDate().getTime().getValue()).isEqualTo("20270220");
        assertThat(rf1.getExternalReferralIdentifier(0).encode()).isEqualTo("BG-REF-000123^101004535");
    }

    @Test
    void shouldWriteTheReferringAndTheReferredToProvider() throws HL7Exception {
        REF_I12 referral = parseReferral(writer.referral(ReferralFixtures.created()));
        PRD referring = referral.getPROVIDER_CONTACT(0).getPRD();
        PRD referredTo = referral.getPROVIDER_CONTACT(1).getPRD();

        assertThat(referring.getProviderRole(0).getIdentifier().getValue()).isEqualTo("RP");
        assertThat(referring.getProviderName(0).encode()).isEqualTo("Петров^Иван^Георгиев^^д-р");
        assertThat(referring.getProviderLocation().getFacility().encode())
                .isEqualTo("МБАЛ „Благоевград“ АД^101004535^L");
        assertThat(referring.getProviderIdentifiers(0).getIDNumber().getValue()).isEqualTo("0100001234");
        assertThat(referredTo.getProviderRole(0).getIdentifier().getValue()).isEqualTo("RT");
        assertThat(referredTo.getProviderIdentifiers(0).encode()).isEqualTo("4068491^EMBS^MKD");
        assertThat(referredTo.getProviderLocation().getFacility().encode())
                .isEqualTo("ЈЗУ Клиничка болница Штип^4068491^L");
        assertThat(referredTo.getProviderAddress(0).encode()).isEqualTo("^^Штип^^^MKD");
    }

    @Test
    void shouldWriteThePatientWithTheOidOfItsNationalIdentifier() throws HL7Exception {
        PID pid = parseReferral(writer.referral(ReferralFixtures.created())).getPID();

        assertThat(pid.getPatientIdentifierList(0).encode()).isEqualTo("7501024918^^^BG-EGN&1.2.100.1&ISO^NNBGR");
        assertThat(pid.getPatientName(0).encode()).isEqualTo("Иванова^Мария^Петрова");
        assertThat(pid.getDateTimeOfBirth().getTime().getValue()).isEqualTo("19750102");
        assertThat(pid.getAdministrativeSex().getValue()).isEqualTo("F");
        assertThat(pid.getPatientAddress(0).encode()).isEqualTo("ул. Тодор Александров 12^^Благоевград^^2700^BGR");
        assertThat(pid.getPhoneNumberHome(0).encode()).isEqualTo("+359 888 123456^PRN^PH");
    }

    @Test
    void shouldWriteDiagnosisSpecialtyObservationAndNote() throws HL7Exception {
        REF_I12 referral = parseReferral(writer.referral(ReferralFixtures.created()));

        assertThat(referral.getDG1Reps()).isEqualTo(1);
        assertThat(referral.getDG1(0).getDiagnosisCodeDG1().encode())
                .isEqualTo("I25.1^Атеросклеротична болест на сърцето^I10");
        assertThat(referral.getDG1(0).getDiagnosisDateTime().getTime().getValue())
                .isEqualTo("20261115");
        assertThat(referral.getDG1(0).getDiagnosisType().getValue()).isEqualTo("W");
        assertThat(referral.getOBSERVATION(0)
                        .getOBR()
                        .getUniversalServiceIdentifier()
                        .encode())
                .isEqualTo("cardiology^Cardiology^CBH-SPEC");
        assertThat(referral.getOBSERVATION(0).getOBR().getPlacerOrderNumber().encode())
                .isEqualTo("4711^CBHEALTH");
        OBX obx = referral.getOBSERVATION(0).getRESULTS_NOTES(0).getOBX();
        assertThat(obx.getValueType().getValue()).isEqualTo("TX");
        assertThat(obx.getObservationIdentifier().encode()).isEqualTo("18748-4^Diagnostic imaging study^LN");
        assertThat(((TX) obx.getObservationValue(0).getData()).getValue())
                .isEqualTo("Коронарография: стеноза 70% на LAD.");
        assertThat(obx.getObservationResultStatus().getValue()).isEqualTo("F");
        assertThat(referral.getOBSERVATION(0).getNTE(0).getComment(0).getValue())
                .isEqualTo("Пациентката предпочита лечение в Штип поради близост до роднини.");
    }

    @Test
    void shouldSplitMultiLineTextIntoRepetitionsAndKeepLineBreaksOutOfFields() throws HL7Exception {
        ReferralPackage referral = ReferralFixtures.created();
        referral.request().getNoteFirstRep().setText("Първи ред\nвтори ред");
        referral.patient().getNameFirstRep().setFamily("Иванова\r\nПетрова");
        OutboundMessage message = writer.referral(referral);
        REF_I12 parsed = parseReferral(message);

        assertThat(message.body()).doesNotContain("\n");
        assertThat(parsed.getOBSERVATION(0).getNTE(0).getComment(0).getValue()).isEqualTo("Първи ред");
        assertThat(parsed.getOBSERVATION(0).getNTE(0).getComment(1).getValue()).isEqualTo("втори ред");
        assertThat(parsed.getPID()
                        .getPatientName(0)
                        .getFamilyName()
                        .getSurname()
                        .getValue())
                .isEqualTo("Иванова Петрова");
    }

    @Test
    void shouldBeReadBackByTheInboundMappingAsTheSamePatientDiagnosesAndDestination() {
        String text = writer.referral(ReferralFixtures.created()).body();
        REF_I12 message = (REF_I12) new Hl7v2Reader(Set.of("REF^I12")).read(text);
        new RefI12Checker(
                        ReferralFixtures.CONFORMANCE::identifierSystemForOid,
                        (system, value) -> Optional.ofNullable(
                                NationalIdentifiers.check(system, value).problem()),
                        () -> LocalDate.of(2026, 11, 25))
                .check(message);
        TranslationContext hub = new TranslationContext(
                "cbhealth-hub",
                "referrals",
                new Reference("Organization/mbal-blagoevgrad"),
                CbhCanonical.CS_SPECIALTY,
                "bg",
                Map.of(),
                Map.of());
        Bundle bundle = ReferralFixtures.translator().translate(message, hub);

        Patient patient = ReferralFixtures.resource(bundle, Patient.class);
        assertThat(patient.getIdentifier())
                .extracting(i -> i.getSystem() + "|" + i.getValue())
                .containsExactly("https://fhir.cbhealth.eu/sid/bg-egn|7501024918");
        assertThat(patient.getBirthDateElement().getValueAsString()).isEqualTo("1975-01-02");
        assertThat(patient.getTelecomFirstRep().getValue()).isEqualTo("+359 888 123456");
        assertThat(patient.getAddressFirstRep().getCountry()).isEqualTo("BG");
        assertThat(ReferralFixtures.resources(bundle, Condition.class))
                .extracting(c -> c.getCode().getCodingFirstRep().getSystem() + "|"
                        + c.getCode().getCodingFirstRep().getCode())
                .containsExactly("http://hl7.org/fhir/sid/icd-10|I25.1");
        Task task = ReferralFixtures.resource(bundle, Task.class);
        assertThat(task.getOwner().getReference()).isEqualTo("Organization/kb-stip");
        ServiceRequest request = ReferralFixtures.resource(bundle, ServiceRequest.class);
        assertThat(request.getIdentifierFirstRep().getValue()).isEqualTo("4711");
        assertThat(request.getCode().getCodingFirstRep().getCode()).isEqualTo("cardiology");
        assertThat(request.getPriority()).isEqualTo(ServiceRequest.ServiceRequestPriority.ROUTINE);
        assertThat(request.getNoteFirstRep().getText())
                .isEqualTo("Пациентката предпочита лечение в Штип поради близост до роднини.");
    }

    @ParameterizedTest
    @CsvSource({
        "received, 2, P^Pending^HL70283",
        "accepted, 2, A^Accepted^HL70283",
        "declined, 2, R^Rejected^HL70283",
        "completed, 4, completed^^CBHTS",
        "cancelled, 3, cancelled^^CBHTS"
    })
    void shouldWriteEachBusinessStatusInRf1(String status, int version, String rf1Status) throws HL7Exception {
        OutboundMessage message =
                writer.status(ReferralFixtures.withStatus(ReferralFixtures.created(), status, version));
        RRI_I12 notice = parseNotice(message);

        assertThat(notice.getRF1().getReferralStatus().encode()).isEqualTo(rf1Status);
        assertThat(notice.getMSH().getMessageControlID().getValue()).isEqualTo("CBH-4711-" + version);
        assertThat(notice.getRF1().getEffectiveDate().getTime().getValue()).isNull();
        assertThat(message.headers())
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "CBHealthMessageType", "referral-status",
                        "CBHealthReferral", "4711",
                        "CBHealthStatus", status));
    }

    @Test
    void shouldWriteAScheduledReferralAsAcceptedWithTheAppointmentInRf1_7() throws HL7Exception {
        OutboundMessage message = writer.status(ReferralFixtures.scheduled());
        RRI_I12 notice = parseNotice(message);

        assertThat(message.body())
                .startsWith(
                        "MSH|^~\\&|CBHEALTH-HUB|CBHEALTH||101004535|20261122101500+0000||RRI^I12^RRI_I12|CBH-4711-3|P"
                                + "|2.5.1|||AL|NE||UNICODE UTF-8|bg^^ISO639\r")
                .doesNotContain("\rMSA|");
        assertThat(message.body().split("\r"))
                .extracting(s -> s.substring(0, 3))
                .containsExactly("MSH", "RF1", "PRD", "PRD", "PID", "NTE");
        RF1 rf1 = notice.getRF1();
        assertThat(rf1.getReferralStatus().encode()).isEqualTo("A^Accepted^HL70283");
        assertThat(rf1.getEffectiveDate().getTime().getValue()).isEqualTo("20261203090000+0100");
        assertThat(rf1.getOriginatingReferralIdentifier().encode()).isEqualTo("4711^CBHEALTH");
        assertThat(rf1.getExternalReferralIdentifier(0).encode()).isEqualTo("BG-REF-000123^101004535");
        assertThat(notice.getPID().getPatientIdentifierList(0).encode())
                .isEqualTo("7501024918^^^BG-EGN&1.2.100.1&ISO^NNBGR");
        assertThat(notice.getNTE(0).encode()).isEqualTo("NTE|1||Елате на гладно.|RE^Remark^HL70364");
    }

    @Test
    void shouldWriteTheReasonOfADeclinedReferralAsAPrimaryReasonNote() throws HL7Exception {
        RRI_I12 notice = parseNotice(writer.status(ReferralFixtures.declined()));

        assertThat(notice.getNTE(0).getComment(0).getValue()).isEqualTo("Нема слободни термини до март 2027.");
        assertThat(notice.getNTE(0).getCommentType().getIdentifier().getValue()).isEqualTo("1R");
    }

    @Test
    void shouldPointToTheOutcomeDocumentOfACompletedReferral() throws HL7Exception {
        RRI_I12 notice = parseNotice(writer.status(ReferralFixtures.completed()));
        OBX obx = notice.getOBSERVATION(0).getRESULTS_NOTES(0).getOBX();

        assertThat(notice.getOBSERVATION(0)
                        .getOBR()
                        .getUniversalServiceIdentifier()
                        .encode())
                .isEqualTo("cardiology^Cardiology^CBH-SPEC");
        assertThat(obx.getValueType().getValue()).isEqualTo("RP");
        assertThat(obx.getObservationIdentifier().encode()).isEqualTo("11488-4^Отпусно писмо^LN");
        RP pointer = (RP) obx.getObservationValue(0).getData();
        assertThat(pointer.encode()).isEqualTo("https://docs.kb-stip.example/out/555.pdf^CBHEALTH^AP^PDF");
        assertThat(obx.getObservationResultStatus().getValue()).isEqualTo("F");
    }

    @Test
    void shouldEmbedAnOutcomeDocumentWithoutUrlAsBase64() throws HL7Exception {
        ReferralPackage completed = ReferralFixtures.completed();
        Attachment attachment = completed.outcome().getContentFirstRep().getAttachment();
        attachment
                .setUrl(null)
                .setContentType("text/plain")
                .setData("Готово".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        OBX obx = parseNotice(writer.status(completed))
                .getOBSERVATION(0)
                .getRESULTS_NOTES(0)
                .getOBX();

        assertThat(obx.getValueType().getValue()).isEqualTo("ED");
        assertThat(obx.getObservationValue(0).getData().encode())
                .isEqualTo("CBHEALTH^TEXT^PLAIN^Base64^0JPQvtGC0L7QstC+");
    }

    @Test
    void shouldUseTheClockForTheMessageTimeWhenTheTaskHasNoTimestamps() throws HL7Exception {
        ReferralPackage referral = ReferralFixtures.created();
        referral.task().getMeta().setLastUpdated(null);

        assertThat(parseReferral(writer.referral(referral))
                        .getMSH()
                        .getDateTimeOfMessage()
                        .getTime()
                        .getValue())
                .isEqualTo("20261125120000+0000");
    }

    @ParameterizedTest
    @CsvSource({"received, 2", "accepted, 2", "declined, 2", "completed, 4", "cancelled, 3"})
    void shouldBeReadBackByTheStatusReaderWithTheSameStatus(String status, int version) {
        ReferralPackage referral = ReferralFixtures.withStatus(ReferralFixtures.created(), status, version);
        referral.task().getStatusReason().setText("Причина");

        StatusUpdate update =
                new RriI12StatusReader().read(writer.status(referral).body(), "mk-kb-stip");

        assertThat(update.referral()).isEqualTo("4711");
        assertThat(update.status()).isEqualTo(status);
        assertThat(update.reason()).isEqualTo("Причина");
    }

    @Test
    void shouldReadBackScheduledAndCompletedWithTheirAppointmentAndOutcome() {
        RriI12StatusReader reader = new RriI12StatusReader();

        StatusUpdate scheduled =
                reader.read(writer.status(ReferralFixtures.scheduled()).body(), "mk-kb-stip");
        assertThat(scheduled.status()).isEqualTo("scheduled");
        assertThat(scheduled.scheduledStart()).isEqualTo("2026-12-03T09:00:00+01:00");
        assertThat(scheduled.note()).isEqualTo("Елате на гладно.");

        ReferralPackage done = ReferralFixtures.completed();
        done.task().addNote().setText("Контрола по 3 месеци.");
        StatusUpdate completed = reader.read(writer.status(done).body(), "mk-kb-stip");
        assertThat(completed.note()).isEqualTo("Контрола по 3 месеци.");
        assertThat(completed.status()).isEqualTo("completed");
        assertThat(completed.outcome().url()).isEqualTo("https://docs.kb-stip.example/out/555.pdf");
        assertThat(completed.outcome().contentType()).isEqualTo("application/pdf");
        assertThat(completed.outcome().title()).isEqualTo("Отпусно писмо");
    }

    private static REF_I12 parseReferral(OutboundMessage message) {
        return (REF_I12) new Hl7v2Reader(Set.of("REF^I12")).read(message.body());
    }

    private static RRI_I12 parseNotice(OutboundMessage message) {
        return (RRI_I12) new Hl7v2Reader(Set.of("RRI^I12")).read(message.body());
    }
}
