package org.cbhealth.routes.referral;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import ca.uhn.hl7v2.model.v251.message.REF_I12;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.cbhealth.profiles.CbhCanonical;
import org.cbhealth.profiles.validation.CbhConformanceResources;
import org.cbhealth.profiles.validation.CbhResourceValidator;
import org.cbhealth.routes.directory.SpecialtyMapper;
import org.cbhealth.routes.hl7.Hl7Error;
import org.cbhealth.routes.hl7.Hl7v2Reader;
import org.cbhealth.routes.hl7.Hl7v2RejectedException;
import org.cbhealth.routes.translate.TranslationContext;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.Test;

class RefI12TranslatorTest {

    private static final CbhConformanceResources CONFORMANCE = CbhConformanceResources.load(FhirContext.forR4Cached());
    private static final Map<String, Reference> DIRECTORY = Map.of(
            "4068491", new Reference("Organization/kb-stip"),
            "KABEG-KK", new Reference("Organization/klinikum-klagenfurt"));

    private final RefI12Translator translator = new RefI12Translator(
            CONFORMANCE::identifierSystemForOid,
            new SpecialtyMapper(CONFORMANCE.all()),
            (value, type, name) -> Optional.ofNullable(DIRECTORY.get(value)));

    private static TranslationContext context(String partnerId, String organization, String specialtySystem) {
        return new TranslationContext(
                partnerId, "referrals", new Reference(organization), specialtySystem, "bg", Map.of(), Map.of());
    }

    private Bundle bulgarian() throws IOException {
        return translator.translate(
                read("ref-i12-bg-to-mk.hl7"),
                context("bg-mbal-blagoevgrad", "Organization/mbal-blagoevgrad", CbhCanonical.CS_BG_NHIF_SPECIALTY));
    }

    @Test
    void shouldTranslateTheBulgarianReferralIntoOneTransaction() throws IOException {
        Bundle bundle = bulgarian();

        assertThat(bundle.getType()).isEqualTo(Bundle.BundleType.TRANSACTION);
        assertThat(bundle.getEntry())
                .extracting(e -> e.getResource().fhirType())
                .containsExactly(
                        "Patient",
                        "Practitioner",
                        "PractitionerRole",
                        "Condition",
                        "Observation",
                        "ServiceRequest",
                        "Task");
        assertThat(bundle.getEntry()).allSatisfy(e -> {
            assertThat(e.getRequest().getMethod()).isEqualTo(Bundle.HTTPVerb.POST);
            assertThat(e.getRequest().getIfNoneExist()).startsWith("identifier=");
            assertThat(e.getFullUrl()).startsWith("urn:uuid:");
        });
        assertThat(bundle.getEntryFirstRep().getRequest().getIfNoneExist())
                .isEqualTo("identifier=https%3A%2F%2Ffhir.cbhealth.eu%2Fsid%2Fbg-egn%7C7501024918");
    }

    @Test
    void shouldMapPidToThePatientMatchedOnTheNationalIdentifier() throws IOException {
        Patient patient = resource(bulgarian(), Patient.class);

        assertThat(patient.getIdentifierFirstRep().getSystem()).isEqualTo(CbhCanonical.SID_BG_EGN);
        assertThat(patient.getIdentifierFirstRep().getValue()).isEqualTo("7501024918");
        assertThat(patient.getNameFirstRep().getFamily()).isEqualTo("Иванова");
        assertThat(patient.getNameFirstRep().getGiven())
                .extracting(Object::toString)
                .containsExactly("Мария", "Петрова");
        assertThat(patient.getBirthDateElement().getValueAsString()).isEqualTo("1975-01-02");
        assertThat(patient.getGender().toCode()).isEqualTo("female");
        assertThat(patient.getAddressFirstRep().getLine().get(0).getValue()).isEqualTo("ул. Тодор Александров 12");
        assertThat(patient.getAddressFirstRep().getCity()).isEqualTo("Благоевград");
        assertThat(patient.getAddressFirstRep().getCountry()).isEqualTo("BG");
        assertThat(patient.getTelecomFirstRep().getValue()).isEqualTo("+359 888 123456");
        assertThat(patient.getCommunicationFirstRep()
                        .getLanguage()
                        .getCodingFirstRep()
                        .getCode())
                .isEqualTo("bg");
    }

    @Test
    void shouldMapRf1Obr4AndTheReferringProviderToTheServiceRequest() throws IOException {
        Bundle bundle = bulgarian();
        ServiceRequest request = resource(bundle, ServiceRequest.class);
        String roleUrl = entryOf(bundle, PractitionerRole.class).getFullUrl();

        assertThat(request.getIdentifierFirstRep().getSystem())
                .isEqualTo("https://fhir.cbhealth.eu/sid/partner/bg-mbal-blagoevgrad/referral");
        assertThat(request.getIdentifierFirstRep().getValue()).isEqualTo("BG-REF-000123");
        assertThat(request.getIntent()).isEqualTo(ServiceRequest.ServiceRequestIntent.ORDER);
        assertThat(request.getPriority()).isEqualTo(ServiceRequest.ServiceRequestPriority.ROUTINE);
        assertThat(request.getCode().getCoding())
                .extracting(c -> c.getSystem() + "|" + c.getCode())
                .containsExactly(CbhCanonical.CS_BG_NHIF_SPECIALTY + "|05", CbhCanonical.CS_SPECIALTY + "|cardiology");
        assertThat(request.getCode().getText()).isEqualTo("Кардиология");
        assertThat(request.getAuthoredOnElement().getValueAsString()).isEqualTo("2026-11-20");
        assertThat(request.getOccurrencePeriod().getEndElement().getValueAsString())
                .isEqualTo("2027-02-20");
        assertThat(request.getRequester().getReference()).isEqualTo(roleUrl);
        assertThat(request.getPerformerFirstRep().getReference()).isEqualTo("Organization/kb-stip");
        assertThat(request.getReasonCodeFirstRep().getCodingFirstRep().getCode())
                .isEqualTo("I25.1");
        assertThat(request.getReasonReferenceFirstRep().getReference())
                .isEqualTo(entryOf(bundle, Condition.class).getFullUrl());
        assertThat(request.getSupportingInfoFirstRep().getReference())
                .isEqualTo(entryOf(bundle, Observation.class).getFullUrl());
        assertThat(request.getNote())
                .extracting(n -> n.getText())
                .containsExactly("Пациентката предпочита лечение в Штип поради близост до роднини.");

        Practitioner practitioner = resource(bundle, Practitioner.class);
        assertThat(practitioner.getIdentifierFirstRep().getValue()).isEqualTo("0100001234");
        assertThat(practitioner.getNameFirstRep().getFamily()).isEqualTo("Петров");
        assertThat(practitioner.getNameFirstRep().getPrefixAsSingleString()).isEqualTo("д-р");
        assertThat(resource(bundle, PractitionerRole.class).getOrganization().getReference())
                .isEqualTo("Organization/mbal-blagoevgrad");
    }

    @Test
    void shouldMapTheTaskDiagnosisAndObservation() throws IOException {
        Bundle bundle = bulgarian();
        Task task = resource(bundle, Task.class);

        assertThat(task.getStatus()).isEqualTo(Task.TaskStatus.REQUESTED);
        assertThat(task.getIntent()).isEqualTo(Task.TaskIntent.ORDER);
        assertThat(task.getBusinessStatus().getCodingFirstRep().getCode()).isEqualTo("created");
        assertThat(task.getFocus().getReference())
                .isEqualTo(entryOf(bundle, ServiceRequest.class).getFullUrl());
        assertThat(task.getFor().getReference())
                .isEqualTo(entryOf(bundle, Patient.class).getFullUrl());
        assertThat(task.getRequester().getReference()).isEqualTo("Organization/mbal-blagoevgrad");
        assertThat(task.getOwner().getReference()).isEqualTo("Organization/kb-stip");
        assertThat(task.getAuthoredOnElement().getValueAsString()).isEqualTo("2026-11-20T09:30:00+02:00");

        Condition condition = resource(bundle, Condition.class);
        assertThat(condition.getCode().getCodingFirstRep().getSystem()).isEqualTo("http://hl7.org/fhir/sid/icd-10");
        assertThat(condition.getCode().getText()).isEqualTo("Атеросклеротична болест на сърцето");
        assertThat(condition.getVerificationStatus().getCodingFirstRep().getCode())
                .isEqualTo("provisional");
        assertThat(condition.getRecordedDateElement().getValueAsString()).isEqualTo("2026-11-15");

        Observation observation = resource(bundle, Observation.class);
        assertThat(observation.getCode().getCodingFirstRep().getSystem()).isEqualTo("http://loinc.org");
        assertThat(observation.getCode().getCodingFirstRep().getCode()).isEqualTo("18748-4");
        assertThat(observation.getValueStringType().getValue()).isEqualTo("Коронарография: стеноза 70% на LAD.");
        assertThat(observation.getStatus()).isEqualTo(Observation.ObservationStatus.FINAL);
    }

    @Test
    void shouldTranslateTheSlovenianReferralWithItsOwnSpecialtySystem() throws IOException {
        Bundle bundle = translator.translate(
                read("ref-i12-si-to-at.hl7"),
                context("si-ukc-maribor", "Organization/ukc-maribor", CbhCanonical.CS_SI_ZZZS_SPECIALTY));

        assertThat(bundle.getEntry())
                .extracting(e -> e.getResource().fhirType())
                .containsExactly("Patient", "Practitioner", "PractitionerRole", "Condition", "ServiceRequest", "Task");
        Patient patient = resource(bundle, Patient.class);
        assertThat(patient.getIdentifierFirstRep().getSystem()).isEqualTo(CbhCanonical.SID_SI_EMSO);
        assertThat(patient.getIdentifierFirstRep().getValue()).isEqualTo("2309982500069");
        ServiceRequest request = resource(bundle, ServiceRequest.class);
        assertThat(request.getPriority()).isEqualTo(ServiceRequest.ServiceRequestPriority.ASAP);
        assertThat(request.getCode().getCoding())
                .extracting(c -> c.getCode())
                .containsExactly("ONK", "medical-oncology");
        assertThat(request.getNote())
                .extracting(n -> n.getText())
                .containsExactly("Prosimo za PET-CT in mnenje konzilija za torakalno kirurgijo.");
        assertThat(resource(bundle, Task.class).getOwner().getReference())
                .isEqualTo("Organization/klinikum-klagenfurt");
    }

    @Test
    void everyResourceOfBothReferralsConformsToTheProfiles() throws IOException {
        CbhResourceValidator validator = new CbhResourceValidator(FhirContext.forR4Cached(), CONFORMANCE);
        Bundle si = translator.translate(
                read("ref-i12-si-to-at.hl7"),
                context("si-ukc-maribor", "Organization/ukc-maribor", CbhCanonical.CS_SI_ZZZS_SPECIALTY));
        for (Bundle bundle : List.of(bulgarian(), si)) {
            for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
                List<SingleValidationMessage> errors = validator.validate(entry.getResource()).getMessages().stream()
                        .filter(m -> m.getSeverity() == ResultSeverityEnum.ERROR
                                || m.getSeverity() == ResultSeverityEnum.FATAL)
                        .toList();
                assertThat(errors).as(entry.getResource().fhirType()).isEmpty();
            }
        }
    }

    @Test
    void shouldRefuseAReferralToAnOrganizationThatIsNotAPartner() throws IOException {
        RefI12Translator noPartners = new RefI12Translator(
                CONFORMANCE::identifierSystemForOid,
                new SpecialtyMapper(CONFORMANCE.all()),
                (value, type, name) -> Optional.empty());

        assertThatThrownBy(() -> noPartners.translate(
                        read("ref-i12-bg-to-mk.hl7"),
                        context("bg-mbal-blagoevgrad", "Organization/x", CbhCanonical.CS_BG_NHIF_SPECIALTY)))
                .isInstanceOfSatisfying(Hl7v2RejectedException.class, e -> {
                    assertThat(e.ackCode()).isEqualTo(Hl7v2RejectedException.AckCode.AE);
                    assertThat(e.errors())
                            .containsExactly(new Hl7Error(
                                    "PRD",
                                    2,
                                    7,
                                    Hl7Error.UNKNOWN_KEY_IDENTIFIER,
                                    "the referred-to organization 4068491 is not a partner of the hub"));
                });
    }

    @Test
    void sameMessageTranslatesToTheSameBundleKeys() throws IOException {
        assertThat(bulgarian().getEntry())
                .extracting(Bundle.BundleEntryComponent::getFullUrl)
                .containsExactlyElementsOf(bulgarian().getEntry().stream()
                        .map(Bundle.BundleEntryComponent::getFullUrl)
                        .toList());
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

    private static REF_I12 read(String sample) throws IOException {
        try (InputStream in = RefI12TranslatorTest.class.getResourceAsStream("/samples/referral/" + sample)) {
            return (REF_I12)
                    new Hl7v2Reader(Set.of("REF^I12")).read(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }
}
