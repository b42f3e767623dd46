package org.cbhealth.routes.referral;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.cbhealth.profiles.CbhCanonical;
import org.cbhealth.profiles.identifier.NationalIdentifiers;
import org.cbhealth.profiles.validation.CbhConformanceResources;
import org.cbhealth.profiles.validation.CbhResourceValidator;
import org.cbhealth.routes.directory.SpecialtyMapper;
import org.cbhealth.routes.fhir.InputProblem;
import org.cbhealth.routes.fhir.InvalidMessageException;
import org.cbhealth.routes.translate.Translation;
import org.cbhealth.routes.translate.TranslationContext;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.Test;

class TreatmentAbroadTranslatorTest {

    private static final CbhConformanceResources CONFORMANCE = CbhConformanceResources.load(FhirContext.forR4Cached());
    private static final SpecialtyMapper SPECIALTIES = new SpecialtyMapper(CONFORMANCE.all());
    private static final String PARTNER = "https://fhir.cbhealth.eu/sid/partner/ua-lviv-regional-hospital/";
    private static final TreatmentAbroadReader READER = new TreatmentAbroadReader(
            (system, value) ->
                    Optional.ofNullable(NationalIdentifiers.check(system, value).problem()),
            CbhCanonical.SID_UA_RNOKPP,
            () -> LocalDate.of(2026, 11, 25));
    private static final TranslationContext CONTEXT = new TranslationContext(
            "ua-lviv-regional-hospital",
            "treatment-abroad",
            new Reference("Organization/ua-lviv-regional-hospital"),
            CbhCanonical.CS_UA_SPECIALTY,
            "uk",
            Map.of(),
            Map.of());

    private final TreatmentAbroadTranslator translator = new TreatmentAbroadTranslator(
            READER,
            SPECIALTIES,
            (value, type, name) -> "PL-RPWDL-000000012345".equals(value)
                    ? Optional.of(new Reference("Organization/pl-usk-rzeszow"))
                    : Optional.empty());

    @Test
    void shouldTranslateTheUkrainianApplicationIntoOneTransactionOfConditionalCreates() throws IOException {
        Translation translation = translator.translate(sample(), CONTEXT);
        Bundle bundle = (Bundle) translation.resources().get(0);

        assertThat(translation.resources()).hasSize(1);
        assertThat(translation.rejected()).isEmpty();
        assertThat(translation.unmappedCodes()).isEmpty();
        assertThat(bundle.getType()).isEqualTo(Bundle.BundleType.TRANSACTION);
        assertThat(bundle.getEntry())
                .extracting(e -> e.getResource().fhirType())
                .containsExactly(
                        "Patient",
                        "Practitioner",
                        "PractitionerRole",
                        "Condition",
                        "DocumentReference",
                        "ServiceRequest",
                        "Task");
        assertThat(bundle.getEntry()).allSatisfy(e -> {
            assertThat(e.getRequest().getMethod()).isEqualTo(Bundle.HTTPVerb.POST);
            assertThat(e.getRequest().getUrl()).isEqualTo(e.getResource().fhirType());
        });
        assertThat(bundle.getEntry())
                .extracting(e -> e.getRequest().getIfNoneExist())
                .containsExactly(
                        "identifier=https%3A%2F%2Ffhir.cbhealth.eu%2Fsid%2Fua-rnokpp%7C3297912347",
                        "identifier=https%3A%2F%2Ffhir.cbhealth.eu%2Fsid%2Fpartner%2Fua-lviv-regional-hospital"
                                + "%2Fpractitioner%7Cname%3A%D0%BA%D0%BE%D0%B2%D0%B0%D0%BB%D0%B5%D0%BD%D0%BA%D0%BE"
                                + "+%D0%BE%D0%BB%D0%B5%D0%B3+%D0%BF%D0%B5%D1%82%D1%80%D0%BE%D0%B2%D0%B8%D1%87",
                        "identifier=https%3A%2F%2Ffhir.cbhealth.eu%2Fsid%2Fpartner%2Fua-lviv-regional-hospital"
                                + "%2Fpractitioner-role%7Cname%3A%D0%BA%D0%BE%D0%B2%D0%B0%D0%BB%D0%B5%D0%BD%D0%BA%D0%BE"
                                + "+%D0%BE%D0%BB%D0%B5%D0%B3+%D0%BF%D0%B5%D1%82%D1%80%D0%BE%D0%B2%D0%B8%D1%87",
                        "identifier=https%3A%2F%2Ffhir.cbhealth.eu%2Fsid%2Fpartner%2Fua-lviv-regional-hospital"
                                + "%2Fcondition%7CLOKL-2026-004417%2Fdiagnosis%2F1",
                        "identifier=https%3A%2F%2Ffhir.cbhealth.eu%2Fsid%2Fpartner%2Fua-lviv-regional-hospital"
                                + "%2Fdocument%7CLOKL-2026-004417%2Fattachment%2F1",
                        "identifier=https%3A%2F%2Ffhir.cbhealth.eu%2Fsid%2Fpartner%2Fua-lviv-regional-hospital"
                                + "%2Freferral%7CLOKL-2026-004417",
                        "identifier=https%3A%2F%2Ffhir.cbhealth.eu%2Fsid%2Fpartner%2Fua-lviv-regional-hospital"
                                + "%2Freferral-task%7CLOKL-2026-004417");
        assertThat(entryOf(bundle, Patient.class).getFullUrl())
                .isEqualTo("urn:uuid:c1811418-3465-3034-8a4c-f4abc74d3719");
        assertThat(entryOf(bundle, Task.class).getFullUrl()).isEqualTo("urn:uuid:f5695bce-6e6b-37c4-998d-22e1d87a6f45");
    }

    @Test
    void shouldMapTheApplicantToThePatientMatchedOnTheRnokpp() throws IOException {
        Patient patient = resource(bundle(), Patient.class);

        assertThat(patient.getIdentifier())
                .extracting(i -> i.getSystem() + "|" + i.getValue())
                .containsExactly("https://fhir.cbhealth.eu/sid/ua-rnokpp|3297912347");
        assertThat(patient.getNameFirstRep().getFamily()).isEqualTo("Шевченко");
        assertThat(patient.getNameFirstRep().getGiven())
                .extracting(Object::toString)
                .containsExactly("Олена", "Іванівна");
        assertThat(patient.getBirthDateElement().getValueAsString()).isEqualTo("1990-04-17");
        assertThat(patient.getGender().toCode()).isEqualTo("female");
        assertThat(patient.getAddressFirstRep().getLine())
                .extracting(Object::toString)
                .containsExactly("вул. Городоцька 45, кв. 12");
        assertThat(patient.getAddressFirstRep().getCity()).isEqualTo("Львів");
        assertThat(patient.getAddressFirstRep().getPostalCode()).isEqualTo("79007");
        assertThat(patient.getAddressFirstRep().getCountry()).isEqualTo("UA");
        assertThat(patient.getTelecom())
                .extracting(t -> t.getSystem().toCode() + "|" + t.getValue())
                .containsExactly("phone|+380 67 123 4567");
        assertThat(patient.getCommunicationFirstRep()
                        .getLanguage()
                        .getCodingFirstRep()
                        .getSystem())
                .isEqualTo("urn:ietf:bcp:47");
        assertThat(patient.getCommunicationFirstRep()
                        .getLanguage()
                        .getCodingFirstRep()
                        .getCode())
                .isEqualTo("uk");
        assertThat(patient.getCommunicationFirstRep().getPreferred()).isTrue();
    }

    @Test
    void shouldKeyTheReferringDoctorOnTheNameAndSplitItSurnameFirst() throws IOException {
        Bundle bundle = bundle();
        Practitioner practitioner = resource(bundle, Practitioner.class);
        PractitionerRole role = resource(bundle, PractitionerRole.class);

        assertThat(practitioner.getIdentifierFirstRep().getSystem()).isEqualTo(PARTNER + "practitioner");
        assertThat(practitioner.getIdentifierFirstRep().getValue()).isEqualTo("name:коваленко олег петрович");
        assertThat(practitioner.getNameFirstRep().getFamily()).isEqualTo("Коваленко");
        assertThat(practitioner.getNameFirstRep().getGiven())
                .extracting(Object::toString)
                .containsExactly("Олег", "Петрович");
        assertThat(role.getIdentifierFirstRep().getSystem()).isEqualTo(PARTNER + "practitioner-role");
        assertThat(role.getIdentifierFirstRep().getValue()).isEqualTo("name:коваленко олег петрович");
        assertThat(role.getPractitioner().getReference())
                .isEqualTo(entryOf(bundle, Practitioner.class).getFullUrl());
        assertThat(role.getOrganization().getReference()).isEqualTo("Organization/ua-lviv-regional-hospital");
        assertThat(role.getCodeFirstRep().getText()).isEqualTo("лікар-онколог");
        assertThat(role.getTelecom())
                .extracting(t -> t.getSystem().toCode() + "|" + t.getUse().toCode() + "|" + t.getValue())
                .containsExactly("phone|work|+380 32 275 7100");
    }

    @Test
    void shouldNormaliseTheDoctorsNameKeyForSpacingAndCase() {
        assertThat(TreatmentAbroadTranslator.nameKey("  КОВАЛЕНКО   Олег\tПетрович "))
                .isEqualTo("name:коваленко олег петрович");
    }

    @Test
    void shouldMapDiagnosesAndAttachments() throws IOException {
        Bundle bundle = bundle();
        Condition condition = resource(bundle, Condition.class);
        DocumentReference document = resource(bundle, DocumentReference.class);
        String patientUrl = entryOf(bundle, Patient.class).getFullUrl();

        assertThat(condition.getIdentifierFirstRep().getSystem()).isEqualTo(PARTNER + "condition");
        assertThat(condition.getIdentifierFirstRep().getValue()).isEqualTo("LOKL-2026-004417/diagnosis/1");
        assertThat(condition.getCode().getCoding())
                .extracting(c -> c.getSystem() + "|" + c.getCode())
                .containsExactly("http://hl7.org/fhir/sid/icd-10|C50.4");
        assertThat(condition.getCode().getText())
                .isEqualTo("Злоякісне новоутворення верхньо-зовнішнього квадранта молочної залози");
        assertThat(condition.getClinicalStatus().getCodingFirstRep().getSystem())
                .isEqualTo("http://terminology.hl7.org/CodeSystem/condition-clinical");
        assertThat(condition.getClinicalStatus().getCodingFirstRep().getCode()).isEqualTo("active");
        assertThat(condition.getVerificationStatus().getCodingFirstRep().getSystem())
                .isEqualTo("http://terminology.hl7.org/CodeSystem/condition-ver-status");
        assertThat(condition.getVerificationStatus().getCodingFirstRep().getCode())
                .isEqualTo("provisional");
        assertThat(condition.getSubject().getReference()).isEqualTo(patientUrl);

        assertThat(document.getIdentifierFirstRep().getSystem()).isEqualTo(PARTNER + "document");
        assertThat(document.getIdentifierFirstRep().getValue()).isEqualTo("LOKL-2026-004417/attachment/1");
        assertThat(document.getStatus().toCode()).isEqualTo("current");
        assertThat(document.getSubject().getReference()).isEqualTo(patientUrl);
        assertThat(document.getContentFirstRep().getAttachment().getContentType())
                .isEqualTo("application/pdf");
        assertThat(document.getContentFirstRep().getAttachment().getUrl()).isEqualTo("attachment:summary-004417.pdf");
        assertThat(document.getContentFirstRep().getAttachment().getTitle()).isEqualTo("Виписка з медичної карти");
    }

    @Test
    void shouldMapTheRequestedServiceToTheServiceRequest() throws IOException {
        Bundle bundle = bundle();
        ServiceRequest request = resource(bundle, ServiceRequest.class);

        assertThat(request.getIdentifierFirstRep().getSystem()).isEqualTo(PARTNER + "referral");
        assertThat(request.getIdentifierFirstRep().getValue()).isEqualTo("LOKL-2026-004417");
        assertThat(request.getStatus().toCode()).isEqualTo("active");
        assertThat(request.getIntent().toCode()).isEqualTo("order");
        assertThat(request.getPriority().toCode()).isEqualTo("urgent");
        assertThat(request.getCode().getCoding())
                .extracting(c -> c.getSystem() + "|" + c.getCode() + "|" + c.getDisplay())
                .containsExactly(
                        "https://fhir.cbhealth.eu/CodeSystem/ua-specialty|ONC-01|Онкологія",
                        "https://fhir.cbhealth.eu/CodeSystem/cbh-specialty|medical-oncology|Medical oncology");
        assertThat(request.getCode().getText()).isEqualTo("Онкологія");
        assertThat(request.getSubject().getReference())
                .isEqualTo(entryOf(bundle, Patient.class).getFullUrl());
        assertThat(request.getRequester().getReference())
                .isEqualTo(entryOf(bundle, PractitionerRole.class).getFullUrl());
        assertThat(request.getPerformer())
                .extracting(Reference::getReference)
                .containsExactly("Organization/pl-usk-rzeszow");
        assertThat(request.getReasonCode())
                .extracting(c -> c.getCodingFirstRep().getCode())
                .containsExactly("C50.4");
        assertThat(request.getReasonReference())
                .extracting(Reference::getReference)
                .containsExactly(entryOf(bundle, Condition.class).getFullUrl());
        assertThat(request.getSupportingInfo())
                .extracting(Reference::getReference)
                .containsExactly(entryOf(bundle, DocumentReference.class).getFullUrl());
        assertThat(request.getNote())
                .extracting(n -> n.getText())
                .containsExactly("Потреба у променевій терапії; обладнання в регіоні пошкоджене.");
        assertThat(request.getAuthoredOnElement().getValueAsString()).isEqualTo("2026-11-19T14:05:00+02:00");
    }

    @Test
    void shouldOpenTheTaskOwnedByTheDestination() throws IOException {
        Bundle bundle = bundle();
        Task task = resource(bundle, Task.class);

        assertThat(task.getIdentifierFirstRep().getSystem()).isEqualTo(PARTNER + "referral-task");
        assertThat(task.getIdentifierFirstRep().getValue()).isEqualTo("LOKL-2026-004417");
        assertThat(task.getStatus().toCode()).isEqualTo("requested");
        assertThat(task.getIntent().toCode()).isEqualTo("order");
        assertThat(task.getBusinessStatus().getCoding())
                .extracting(c -> c.getSystem() + "|" + c.getCode())
                .containsExactly("https://fhir.cbhealth.eu/CodeSystem/cbh-task-business-status|created");
        assertThat(task.getFocus().getReference())
                .isEqualTo(entryOf(bundle, ServiceRequest.class).getFullUrl());
        assertThat(task.getFor().getReference())
                .isEqualTo(entryOf(bundle, Patient.class).getFullUrl());
        assertThat(task.getAuthoredOnElement().getValueAsString()).isEqualTo("2026-11-19T14:05:00+02:00");
        assertThat(task.getRequester().getReference()).isEqualTo("Organization/ua-lviv-regional-hospital");
        assertThat(task.getOwner().getReference()).isEqualTo("Organization/pl-usk-rzeszow");
    }

    @Test
    void sameApplicationTranslatesToTheSameBundle() throws IOException {
        var parser = FhirContext.forR4Cached().newJsonParser();

        String first = parser.encodeResourceToString(bundle());
        String second = parser.encodeResourceToString(bundle());

        assertThat(second).isEqualTo(first);
        assertThat(first).contains("\"fullUrl\":\"urn:uuid:c1811418-3465-3034-8a4c-f4abc74d3719\"");
    }

    @Test
    void everyEntryConformsToTheProfiles() throws IOException {
        CbhResourceValidator validator = new CbhResourceValidator(FhirContext.forR4Cached(), CONFORMANCE);
        for (Bundle.BundleEntryComponent entry : bundle().getEntry()) {
            List<SingleValidationMessage> errors = validator.validate(entry.getResource()).getMessages().stream()
                    .filter(m ->
                            m.getSeverity() == ResultSeverityEnum.ERROR || m.getSeverity() == ResultSeverityEnum.FATAL)
                    .toList();
            assertThat(errors).as(entry.getResource().fhirType()).isEmpty();
        }
    }

    @Test
    void shouldRefuseAnApplicationToAnOrganizationThatIsNotAPartner() throws IOException {
        TreatmentAbroadTranslator noPartners =
                new TreatmentAbroadTranslator(READER, SPECIALTIES, (value, type, name) -> Optional.empty());

        InvalidMessageException refused =
                catchThrowableOfType(InvalidMessageException.class, () -> noPartners.translate(sample(), CONTEXT));

        assertThat(refused.problems())
                .containsExactly(new InputProblem(
                        "/targetFacility/registryId",
                        "the referred-to organization PL-RPWDL-000000012345 is not a partner of the hub"));
    }

    @Test
    void shouldRefuseAnApplicationToAPartnerThatMayNotReceiveIt() throws IOException {
        TreatmentAbroadTranslator notAllowed =
                new TreatmentAbroadTranslator(READER, SPECIALTIES, (value, type, name) -> {
                    throw new IllegalArgumentException("partner 'pl-usk-rzeszow' (PL-RPWDL-000000012345) and"
                            + " 'ua-lviv-regional-hospital' may not exchange referrals: each must list the other in"
                            + " referralPartners");
                });

        InvalidMessageException refused =
                catchThrowableOfType(InvalidMessageException.class, () -> notAllowed.translate(sample(), CONTEXT));

        assertThat(refused.problems())
                .containsExactly(new InputProblem(
                        "/targetFacility/registryId",
                        "partner 'pl-usk-rzeszow' (PL-RPWDL-000000012345) and 'ua-lviv-regional-hospital' may not"
                                + " exchange referrals: each must list the other in referralPartners"));
    }

    @Test
    void shouldRefuseWhatTheStoredReferralNeedsAllAtOnce() {
        String json = "{\"applicationNumber\":\"A-1\",\"referringFacility\":{\"name\":\"X\",\"country\":\"UA\"},"
                + "\"targetFacility\":{\"registryId\":\"NOWHERE\",\"country\":\"PL\"},\"patient\":{"
                + "\"lastName\":\"Шевченко\",\"firstName\":\"Олена\",\"birthDate\":\"1990-04-17\",\"sex\":\"female\"},"
                + "\"requestedService\":{\"specialtyCode\":\"ONC-01\"}}";

        InvalidMessageException refused = catchThrowableOfType(
                InvalidMessageException.class,
                () -> translator.translate(json.getBytes(StandardCharsets.UTF_8), CONTEXT));

        assertThat(refused.problems())
                .containsExactly(
                        new InputProblem(
                                "/targetFacility/registryId",
                                "the referred-to organization NOWHERE is not a partner of the hub"),
                        new InputProblem(
                                "/patient/rnokpp",
                                "required to store the referral: the patient is matched on the RNOKPP"),
                        new InputProblem(
                                "/submitted",
                                "required to store the referral: it is the referral's date (authoredOn)"));
    }

    @Test
    void shouldReportEmptyPartsAndAnUnmappedSpecialtyWithoutLosingTheReferral() {
        String json = "{\"applicationNumber\":\"A-2\",\"submitted\":\"2026-11-19T14:05+02:00\","
                + "\"referringFacility\":{\"name\":\"X\",\"country\":\"UA\"},"
                + "\"referringDoctor\":{\"position\":\"лікар\"},"
                + "\"targetFacility\":{\"registryId\":\"PL-RPWDL-000000012345\",\"country\":\"PL\"},"
                + "\"patient\":{\"rnokpp\":\"3297912347\",\"lastName\":\"Шевченко\",\"firstName\":\"Олена\","
                + "\"birthDate\":\"1990-04-17\",\"sex\":\"female\"},"
                + "\"diagnosis\":[{}],\"attachments\":[{\"contentType\":\"application/pdf\"}],"
                + "\"requestedService\":{\"specialtyCode\":\"XYZ-99\"}}";

        Translation translation = translator.translate(json.getBytes(StandardCharsets.UTF_8), CONTEXT);
        Bundle bundle = (Bundle) translation.resources().get(0);

        assertThat(bundle.getEntry())
                .extracting(e -> e.getResource().fhirType())
                .containsExactly("Patient", "ServiceRequest", "Task");
        assertThat(translation.rejected())
                .containsExactly(
                        new InputProblem("/diagnosis/0", "neither icd10 nor text: not stored"),
                        new InputProblem("/attachments/0", "neither url nor title: not stored"));
        assertThat(translation.unmappedCodes()).containsExactly("/requestedService/specialtyCode: XYZ-99");
        ServiceRequest request = resource(bundle, ServiceRequest.class);
        assertThat(request.getCode().getCoding())
                .extracting(c -> c.getSystem() + "|" + c.getCode())
                .containsExactly("https://fhir.cbhealth.eu/CodeSystem/ua-specialty|XYZ-99");
        assertThat(request.getRequester().getReference()).isEqualTo("Organization/ua-lviv-regional-hospital");
        assertThat(request.hasPriority()).isFalse();
        assertThat(request.getAuthoredOnElement().getValueAsString()).isEqualTo("2026-11-19T14:05:00+02:00");
    }

    @Test
    void shouldRefuseABodyThatIsNotUtf8() {
        byte[] latin1 = "{\"applicationNumber\":\"Èxx\"}".getBytes(StandardCharsets.ISO_8859_1);

        InvalidMessageException refused =
                catchThrowableOfType(InvalidMessageException.class, () -> translator.translate(latin1, CONTEXT));

        assertThat(refused.getMessage()).isEqualTo("Not valid UTF-8: the application must be JSON in UTF-8");
    }

    private Bundle bundle() throws IOException {
        return (Bundle) translator.translate(sample(), CONTEXT).resources().get(0);
    }

    private static <T extends Resource> T resource(Bundle bundle, Class<T> type) {
        return type.cast(entryOf(bundle, type).getResource());
    }

    private static Bundle.BundleEntryComponent entryOf(Bundle bundle, Class<? extends Resource> type) {
        return bundle.getEntry().stream()
                .filter(e -> type.isInstance(e.getResource()))
                .findFirst()
                .orElseThrow();
    }

    private static byte[] sample() throws IOException {
        try (InputStream in = TreatmentAbroadTranslatorTest.class.getResourceAsStream(
                "/samples/referral/treatment-abroad-ua-to-pl.json")) {
            assertThat(in).isNotNull();
            return in.readAllBytes();
        }
    }
}
