package org.cbhealth.routes.referral.soap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.cbhealth.profiles.CbhCanonical;
import org.cbhealth.routes.referral.ReferralPackage;
import org.cbhealth.routes.referral.out.OutboundMessage;
import org.cbhealth.routes.soap.SoapXml;
import org.hl7.fhir.r4.model.Annotation;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.Test;

class SoapReferralWriterTest {

    private static final String REFERRAL = "/s11:Envelope/s11:Body/cbh:DeliverReferral";
    private static final String NOTICE = "/s11:Envelope/s11:Body/cbh:NotifyReferralStatus";

    private final SoapReferralWriter writer = new SoapReferralWriter();

    @Test
    void shouldWriteDeliverReferralWithItsSoapActionAndContentType() {
        OutboundMessage message = writer.referral(lvivToRzeszow(task("created")));

        assertThat(message.contentType()).isEqualTo("text/xml; charset=UTF-8");
        assertThat(message.headers())
                .containsExactly(java.util.Map.entry(
                        "SOAPAction", "\"https://fhir.cbhealth.eu/soap/referral/v1/DeliverReferral\""));
        assertThat(message.body()).startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"");
        SoapXml.of(message.body()).assertValid(REFERRAL);
    }

    @Test
    void shouldCarryTheReferralAsStored() {
        SoapXml xml = SoapXml.of(writer.referral(lvivToRzeszow(task("created"))).body());

        assertThat(xml.text(REFERRAL + "/cbh:referralNumber")).isEqualTo("4711");
        assertThat(xml.text(REFERRAL + "/cbh:placerNumber/cbh:system"))
                .isEqualTo("https://fhir.cbhealth.eu/sid/partner/ua-lviv-regional-hospital/referral");
        assertThat(xml.text(REFERRAL + "/cbh:placerNumber/cbh:value")).isEqualTo("LOKL-2026-004417");
        assertThat(xml.text(REFERRAL + "/cbh:status")).isEqualTo("created");
        assertThat(xml.text(REFERRAL + "/cbh:authoredOn")).isEqualTo("2026-11-19T14:05:00+02:00");
        assertThat(xml.text(REFERRAL + "/cbh:urgency")).isEqualTo("urgent");
        assertThat(xml.text(REFERRAL + "/cbh:referrer/cbh:name"))
                .isEqualTo("КНП ЛОР «Львівська обласна клінічна лікарня»");
        assertThat(xml.text(REFERRAL + "/cbh:referrer/cbh:identifier/cbh:value"))
                .isEqualTo("01994731");
        assertThat(xml.text(REFERRAL + "/cbh:referrer/cbh:country")).isEqualTo("UA");
        assertThat(xml.text(REFERRAL + "/cbh:referringDoctor/cbh:fullName")).isEqualTo("Олег Петрович Коваленко");
        assertThat(xml.text(REFERRAL + "/cbh:referringDoctor/cbh:position")).isEqualTo("лікар-онколог");
        assertThat(xml.text(REFERRAL + "/cbh:referringDoctor/cbh:phone")).isEqualTo("+380 32 275 7100");
        assertThat(xml.text(REFERRAL + "/cbh:destination/cbh:name"))
                .isEqualTo("Uniwersytecki Szpital Kliniczny w Rzeszowie");
        assertThat(xml.text(REFERRAL + "/cbh:destination/cbh:identifier/cbh:system"))
                .isEqualTo("https://fhir.cbhealth.eu/sid/registry/pl-rpwdl");
        String patient = REFERRAL + "/cbh:patient";
        assertThat(xml.text(patient + "/cbh:identifier/cbh:system"))
                .isEqualTo("https://fhir.cbhealth.eu/sid/ua-rnokpp");
        assertThat(xml.text(patient + "/cbh:identifier/cbh:value")).isEqualTo("3297912347");
        assertThat(xml.text(patient + "/cbh:lastName")).isEqualTo("Шевченко");
        assertThat(xml.text(patient + "/cbh:firstName")).isEqualTo("Олена");
        assertThat(xml.text(patient + "/cbh:middleName")).isEqualTo("Іванівна");
        assertThat(xml.text(patient + "/cbh:birthDate")).isEqualTo("1990-04-17");
        assertThat(xml.text(patient + "/cbh:sex")).isEqualTo("female");
        assertThat(xml.text(patient + "/cbh:address/cbh:line")).isEqualTo("вул. Городоцька 45, кв. 12");
        assertThat(xml.text(patient + "/cbh:address/cbh:country")).isEqualTo("UA");
        assertThat(xml.text(patient + "/cbh:phone")).isEqualTo("+380 67 123 4567");
        assertThat(xml.text(patient + "/cbh:preferredLanguage")).isEqualTo("uk");
        assertThat(xml.count(REFERRAL + "/cbh:requestedService/cbh:coding")).isEqualTo(2);
        assertThat(xml.text(REFERRAL + "/cbh:requestedService/cbh:coding[1]/cbh:code"))
                .isEqualTo("ONC-01");
        assertThat(xml.text(REFERRAL + "/cbh:requestedService/cbh:coding[2]/cbh:system"))
                .isEqualTo("https://fhir.cbhealth.eu/CodeSystem/cbh-specialty");
        assertThat(xml.text(REFERRAL + "/cbh:requestedService/cbh:text")).isEqualTo("Онкологія");
        assertThat(xml.text(REFERRAL + "/cbh:diagnosis/cbh:coding/cbh:code")).isEqualTo("C50.4");
        assertThat(xml.text(REFERRAL + "/cbh:observation/cbh:code/cbh:coding/cbh:code"))
                .isEqualTo("8302-2");
        assertThat(xml.text(REFERRAL + "/cbh:observation/cbh:value")).isEqualTo("168 cm");
        assertThat(xml.text(REFERRAL + "/cbh:note")).isEqualTo("Потреба у променевій терапії");
        assertThat(xml.text(REFERRAL + "/cbh:attachment/cbh:title")).isEqualTo("Виписка з медичної карти");
        assertThat(xml.text(REFERRAL + "/cbh:attachment/cbh:contentType")).isEqualTo("application/pdf");
        assertThat(xml.text(REFERRAL + "/cbh:attachment/cbh:data")).isEqualTo("JVBERi0xLjQ=");
    }

    @Test
    void shouldWriteAnAppointmentNotice() {
        Task task = task("scheduled");
        task.getRestriction().getPeriod().setStartElement(new DateTimeType("2026-12-03T09:30:00+01:00"));
        task.addNote(new Annotation().setText("earlier note"));
        task.addNote(new Annotation().setText("Proszę zabrać wyniki badań"));

        OutboundMessage message = writer.status(lvivToRzeszow(task));

        assertThat(message.headers())
                .containsEntry("SOAPAction", "\"https://fhir.cbhealth.eu/soap/referral/v1/NotifyReferralStatus\"");
        SoapXml xml = SoapXml.of(message.body());
        xml.assertValid(NOTICE);
        assertThat(xml.text(NOTICE + "/cbh:referralNumber")).isEqualTo("4711");
        assertThat(xml.text(NOTICE + "/cbh:placerNumber/cbh:value")).isEqualTo("LOKL-2026-004417");
        assertThat(xml.text(NOTICE + "/cbh:status")).isEqualTo("scheduled");
        assertThat(xml.text(NOTICE + "/cbh:scheduledStart")).isEqualTo("2026-12-03T09:30:00+01:00");
        assertThat(xml.text(NOTICE + "/cbh:note")).isEqualTo("Proszę zabrać wyniki badań");
        assertThat(xml.count(NOTICE + "/cbh:outcome")).isZero();
    }

    @Test
    void shouldWriteADeclineWithItsReasonAndACompletionWithItsOutcome() {
        Task declined = task("declined");
        declined.setStatusReason(new CodeableConcept().setText("Brak wolnych miejsc"));
        SoapXml decline = SoapXml.of(writer.status(lvivToRzeszow(declined)).body());
        decline.assertValid(NOTICE);
        assertThat(decline.text(NOTICE + "/cbh:status")).isEqualTo("declined");
        assertThat(decline.text(NOTICE + "/cbh:reason")).isEqualTo("Brak wolnych miejsc");

        DocumentReference outcome = new DocumentReference().setDescription("Karta informacyjna");
        outcome.addContent()
                .getAttachment()
                .setContentType("text/plain")
                .setData("Radioterapia zakończona.".getBytes(StandardCharsets.UTF_8));
        ReferralPackage done = withOutcome(lvivToRzeszow(task("completed")), outcome);
        SoapXml completion = SoapXml.of(writer.status(done).body());
        completion.assertValid(NOTICE);
        assertThat(completion.text(NOTICE + "/cbh:status")).isEqualTo("completed");
        assertThat(completion.text(NOTICE + "/cbh:outcome/cbh:title")).isEqualTo("Karta informacyjna");
        assertThat(completion.text(NOTICE + "/cbh:outcome/cbh:contentType")).isEqualTo("text/plain");
        assertThat(completion.text(NOTICE + "/cbh:outcome/cbh:data")).isEqualTo("UmFkaW90ZXJhcGlhIHpha2/FhGN6b25hLg==");
    }

    @Test
    void shouldWriteAMinimalReferralThatIsStillValid() {
        Task task = new Task().setStatus(Task.TaskStatus.REQUESTED);
        task.setId("Task/1");
        ReferralPackage bare =
                new ReferralPackage(task, null, null, List.of(), List.of(), List.of(), null, null, null, null, null);

        SoapXml xml = SoapXml.of(writer.referral(bare).body());

        xml.assertValid(REFERRAL);
        assertThat(xml.text(REFERRAL + "/cbh:referralNumber")).isEqualTo("1");
        assertThat(xml.text(REFERRAL + "/cbh:status")).isEqualTo("created");
    }

    @Test
    void shouldDeriveTheBusinessStatusFromTheTaskStatusWhenItHasNone() {
        assertThat(statusOf(Task.TaskStatus.REQUESTED)).isEqualTo("created");
        assertThat(statusOf(Task.TaskStatus.RECEIVED)).isEqualTo("received");
        assertThat(statusOf(Task.TaskStatus.ACCEPTED)).isEqualTo("accepted");
        assertThat(statusOf(Task.TaskStatus.REJECTED)).isEqualTo("declined");
        assertThat(statusOf(Task.TaskStatus.COMPLETED)).isEqualTo("completed");
        assertThat(statusOf(Task.TaskStatus.CANCELLED)).isEqualTo("cancelled");
        Task withAppointment = new Task().setStatus(Task.TaskStatus.ACCEPTED);
        withAppointment.getRestriction().getPeriod().setStartElement(new DateTimeType("2026-12-03"));
        assertThat(SoapReferralWriter.businessStatus(withAppointment)).isEqualTo("scheduled");
        assertThatThrownBy(() -> statusOf(Task.TaskStatus.FAILED))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Task 7 with status failed has no business status");
    }

    private static String statusOf(Task.TaskStatus status) {
        Task task = new Task().setStatus(status);
        task.setId("7");
        return SoapReferralWriter.businessStatus(task);
    }

    private static Task task(String businessStatus) {
        Task task = new Task().setStatus(Task.TaskStatus.REQUESTED).setIntent(Task.TaskIntent.ORDER);
        task.setId("Task/4711/_history/3");
        task.setBusinessStatus(new CodeableConcept()
                .addCoding(new Coding(CbhCanonical.CS_TASK_BUSINESS_STATUS, businessStatus, null)));
        return task;
    }

    private static ReferralPackage withOutcome(ReferralPackage p, DocumentReference outcome) {
        return new ReferralPackage(
                p.task(),
                p.request(),
                p.patient(),
                p.conditions(),
                p.observations(),
                p.attachments(),
                p.requester(),
                p.owner(),
                p.practitioner(),
                p.role(),
                outcome);
    }

    /** The Lviv → Rzeszów referral as the hub stores it (literal values of the sample application). */
    private static ReferralPackage lvivToRzeszow(Task task) {
        Patient patient = new Patient();
        patient.setId("Patient/31");
        patient.addIdentifier().setSystem(CbhCanonical.SID_UA_RNOKPP).setValue("3297912347");
        patient.addName()
                .setUse(HumanName.NameUse.OFFICIAL)
                .setFamily("Шевченко")
                .addGiven("Олена")
                .addGiven("Іванівна");
        patient.setBirthDateElement(new org.hl7.fhir.r4.model.DateType("1990-04-17"));
        patient.setGender(Enumerations.AdministrativeGender.FEMALE);
        patient.addAddress()
                .addLine("вул. Городоцька 45, кв. 12")
                .setCity("Львів")
                .setPostalCode("79007")
                .setCountry("UA");
        patient.addTelecom().setSystem(ContactPoint.ContactPointSystem.PHONE).setValue("+380 67 123 4567");
        patient.addCommunication()
                .setPreferred(true)
                .setLanguage(new CodeableConcept().addCoding(new Coding("urn:ietf:bcp:47", "uk", null)));

        ServiceRequest request = new ServiceRequest();
        request.setId("ServiceRequest/12");
        request.addIdentifier()
                .setSystem(CbhCanonical.partnerIdentifierSystem("ua-lviv-regional-hospital", "referral"))
                .setValue("LOKL-2026-004417");
        request.setAuthoredOnElement(new DateTimeType("2026-11-19T14:05:00+02:00"));
        request.setPriority(ServiceRequest.ServiceRequestPriority.URGENT);
        request.setCode(new CodeableConcept()
                .addCoding(new Coding(CbhCanonical.CS_UA_SPECIALTY, "ONC-01", "Онкологія"))
                .addCoding(new Coding(CbhCanonical.CS_SPECIALTY, "oncology", "Oncology"))
                .setText("Онкологія"));
        request.addNote(new Annotation().setText("Потреба у променевій терапії"));

        Condition condition = new Condition();
        condition.setCode(new CodeableConcept()
                .addCoding(new Coding("http://hl7.org/fhir/sid/icd-10", "C50.4", null))
                .setText("Злоякісне новоутворення верхньо-зовнішнього квадранта молочної залози"));
        Observation height = new Observation();
        height.setCode(new CodeableConcept().addCoding(new Coding("http://loinc.org", "8302-2", "Body height")));
        height.setValue(new org.hl7.fhir.r4.model.Quantity().setValue(168).setUnit("cm"));
        DocumentReference summary = new DocumentReference();
        summary.addContent()
                .getAttachment()
                .setTitle("Виписка з медичної карти")
                .setContentType("application/pdf")
                .setData("%PDF-1.4".getBytes(StandardCharsets.US_ASCII));

        Organization lviv = new Organization().setName("КНП ЛОР «Львівська обласна клінічна лікарня»");
        lviv.addIdentifier()
                .setSystem("https://fhir.cbhealth.eu/sid/registry/ua-edrpou")
                .setValue("01994731");
        lviv.addAddress().setCountry("UA");
        Organization rzeszow = new Organization().setName("Uniwersytecki Szpital Kliniczny w Rzeszowie");
        rzeszow.addIdentifier()
                .setSystem("https://fhir.cbhealth.eu/sid/registry/pl-rpwdl")
                .setValue("000000012345");
        rzeszow.addAddress().setCountry("POL");
        Practitioner doctor = new Practitioner();
        doctor.addName().setFamily("Коваленко").addGiven("Олег").addGiven("Петрович");
        doctor.addTelecom().setSystem(ContactPoint.ContactPointSystem.PHONE).setValue("+380 32 275 7100");
        PractitionerRole role = new PractitionerRole();
        role.addCode().setText("лікар-онколог");
        return new ReferralPackage(
                task,
                request,
                patient,
                List.of(condition),
                List.of(height),
                List.of(summary),
                lviv,
                rzeszow,
                doctor,
                role,
                null);
    }

    @Test
    void shouldLeaveOutCountryCodesTheSchemaDoesNotAllow() {
        SoapXml xml = SoapXml.of(writer.referral(lvivToRzeszow(task("created"))).body());

        assertThat(xml.count(REFERRAL + "/cbh:destination/cbh:country")).isZero();
        assertThat(xml.text(REFERRAL + "/cbh:destination/cbh:identifier/cbh:value"))
                .isEqualTo("000000012345");
    }

    @Test
    void shouldWriteObservationTextValuesAsTheyAre() {
        ReferralPackage p = lvivToRzeszow(task("created"));
        p.observations().get(0).setValue(new StringType("ECOG 1"));

        assertThat(SoapXml.of(writer.referral(p).body()).text(REFERRAL + "/cbh:observation/cbh:value"))
                .isEqualTo("ECOG 1");
    }
}
