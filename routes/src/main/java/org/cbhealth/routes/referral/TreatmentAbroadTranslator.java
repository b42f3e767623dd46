package org.cbhealth.routes.referral;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.cbhealth.profiles.CbhCanonical;
import org.cbhealth.routes.directory.SpecialtyMapper;
import org.cbhealth.routes.fhir.InputProblem;
import org.cbhealth.routes.fhir.InvalidMessageException;
import org.cbhealth.routes.translate.MessageTranslator;
import org.cbhealth.routes.translate.Translation;
import org.cbhealth.routes.translate.TranslationContext;
import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.Annotation;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Task;

/**
 * A JSON application for treatment abroad (read and checked by {@link TreatmentAbroadReader}) → one FHIR transaction
 * Bundle, in the manner of {@link RefI12Translator}: patient → Patient (cbh-patient, matched on the RNOKPP),
 * referringDoctor → Practitioner and PractitionerRole, diagnosis → Condition, attachments → DocumentReference,
 * requestedService and reason → ServiceRequest (cbh-servicerequest), and the workflow Task (cbh-task) owned by the
 * destination. The specialty keeps the sender's code and gains the shared code through the sender's ConceptMap; an
 * unmapped code is kept and reported in {@link Translation#unmappedCodes()}.
 *
 * <p>Every entry is a conditional create on its first business identifier, namespaced by the sending partner
 * ({@link CbhCanonical#partnerIdentifierSystem}); its fullUrl is a name-based UUID of partner, application number,
 * resource type and identifier, so the same application always yields the same Bundle and, stored again, creates
 * nothing new.
 *
 * <p>The application names no identifier for its doctor. The Practitioner's identifier (kind {@code practitioner})
 * is therefore a key made from the name: {@code name:} followed by the full name in Unicode NFC, blanks collapsed,
 * lower-cased ({@code name:коваленко олег петрович}). The same doctor named the same way in later applications is
 * one Practitioner; two doctors of one partner with exactly the same name would be one too, which is the price of a
 * format without doctor numbers. The prefix keeps these keys apart from real staff numbers in the same namespace.
 *
 * <p>The destination ({@code targetFacility.registryId}) must be a partner in the directory. The application is
 * refused, with the JSON pointer of each problem, when it is not, when it may not receive this sender's referrals,
 * and when what the stored referral needs is absent: the patient's RNOKPP (the patient is matched on it) and the
 * submission time (the referral's authoredOn).
 */
public class TreatmentAbroadTranslator implements MessageTranslator {

    private static final String ICD10 = "http://hl7.org/fhir/sid/icd-10";
    private static final String BCP_47 = "urn:ietf:bcp:47";
    private static final String CONDITION_CLINICAL = "http://terminology.hl7.org/CodeSystem/condition-clinical";
    private static final String CONDITION_VERIFICATION = "http://terminology.hl7.org/CodeSystem/condition-ver-status";

    private final TreatmentAbroadReader reader;
    private final SpecialtyMapper specialties;
    private final RefI12Translator.Directory directory;

    /**
     * @param reader reads and checks the JSON
     * @param specialties maps the sender's specialty code to the shared one
     * @param directory resolves the destination among the partners (the same contract as for REF^I12)
     */
    public TreatmentAbroadTranslator(
            TreatmentAbroadReader reader, SpecialtyMapper specialties, RefI12Translator.Directory directory) {
        this.reader = reader;
        this.specialties = specialties;
        this.directory = directory;
    }

    /**
     * Reads the application (UTF-8 JSON) and translates it.
     *
     * @return one transaction Bundle; diagnoses and attachments that carry nothing are in {@link
     *     Translation#rejected()}, an unmapped specialty code in {@link Translation#unmappedCodes()}
     * @throws InvalidMessageException when the body is not UTF-8, the reader refuses it, or the referral cannot be
     *     stored (see the class description)
     */
    @Override
    public Translation translate(byte[] body, TranslationContext context) {
        return translate(reader.read(utf8(body)), context);
    }

    /** Translates an application already read; see {@link #translate(byte[], TranslationContext)}. */
    public Translation translate(TreatmentAbroadApplication application, TranslationContext context) {
        List<InputProblem> problems = new ArrayList<>();
        Reference destination = destination(application.targetFacility(), problems);
        if (text(application.patient().rnokpp()).isEmpty()) {
            problems.add(new InputProblem(
                    "/patient/rnokpp", "required to store the referral: the patient is matched on the RNOKPP"));
        }
        if (text(application.submitted()).isEmpty()) {
            problems.add(new InputProblem(
                    "/submitted", "required to store the referral: it is the referral's date (authoredOn)"));
        }
        if (!problems.isEmpty()) {
            throw new InvalidMessageException("Application refused", problems);
        }

        String partnerId = context.partnerId();
        String placer = application.applicationNumber();
        DateTimeType submitted = dateTime(application.submitted());
        List<InputProblem> rejected = new ArrayList<>();
        List<String> unmapped = new ArrayList<>();
        Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);

        Reference patientRef =
                ReferralBundleEntries.conditionalCreate(bundle, patient(application.patient()), partnerId, placer);

        Reference requester = context.organization().copy();
        Reference serviceRequester = requester;
        Optional<Practitioner> practitioner = practitioner(application.referringDoctor(), partnerId);
        if (practitioner.isPresent()) {
            Reference practitionerRef =
                    ReferralBundleEntries.conditionalCreate(bundle, practitioner.get(), partnerId, placer);
            serviceRequester = ReferralBundleEntries.conditionalCreate(
                    bundle,
                    role(application.referringDoctor(), practitioner.get(), practitionerRef, requester, partnerId),
                    partnerId,
                    placer);
        }

        List<Reference> conditions = new ArrayList<>();
        List<CodeableConcept> reasons = new ArrayList<>();
        List<TreatmentAbroadApplication.Diagnosis> diagnoses = listOf(application.diagnosis());
        for (int i = 0; i < diagnoses.size(); i++) {
            Optional<Condition> condition = condition(diagnoses.get(i), patientRef, partnerId, placer, i + 1);
            if (condition.isEmpty()) {
                rejected.add(new InputProblem("/diagnosis/" + i, "neither icd10 nor text: not stored"));
                continue;
            }
            conditions.add(ReferralBundleEntries.conditionalCreate(bundle, condition.get(), partnerId, placer));
            reasons.add(condition.get().getCode().copy());
        }

        List<Reference> documents = new ArrayList<>();
        List<TreatmentAbroadApplication.Attachment> attachments = listOf(application.attachments());
        for (int i = 0; i < attachments.size(); i++) {
            Optional<DocumentReference> document = document(attachments.get(i), patientRef, partnerId, placer, i + 1);
            if (document.isEmpty()) {
                rejected.add(new InputProblem("/attachments/" + i, "neither url nor title: not stored"));
                continue;
            }
            documents.add(ReferralBundleEntries.conditionalCreate(bundle, document.get(), partnerId, placer));
        }

        TreatmentAbroadApplication.RequestedService service = application.requestedService();
        ServiceRequest request = new ServiceRequest();
        request.addIdentifier()
                .setSystem(CbhCanonical.partnerIdentifierSystem(partnerId, "referral"))
                .setValue(placer);
        request.setStatus(ServiceRequest.ServiceRequestStatus.ACTIVE);
        request.setIntent(ServiceRequest.ServiceRequestIntent.ORDER);
        text(service.urgency())
                .map(ServiceRequest.ServiceRequestPriority::fromCode)
                .ifPresent(request::setPriority);
        request.setCode(specialty(service, context.localSpecialtySystem(), unmapped));
        request.setSubject(patientRef.copy());
        request.setAuthoredOnElement(submitted.copy());
        request.setRequester(serviceRequester.copy());
        request.addPerformer(destination.copy());
        reasons.forEach(request::addReasonCode);
        conditions.forEach(c -> request.addReasonReference(c.copy()));
        documents.forEach(d -> request.addSupportingInfo(d.copy()));
        text(application.reason()).ifPresent(r -> request.addNote(new Annotation().setText(r)));
        Reference requestRef = ReferralBundleEntries.conditionalCreate(bundle, request, partnerId, placer);

        Task task = new Task();
        task.addIdentifier()
                .setSystem(CbhCanonical.partnerIdentifierSystem(partnerId, "referral-task"))
                .setValue(placer);
        task.setStatus(Task.TaskStatus.REQUESTED);
        task.setIntent(Task.TaskIntent.ORDER);
        task.setBusinessStatus(
                new CodeableConcept().addCoding(new Coding(CbhCanonical.CS_TASK_BUSINESS_STATUS, "created", null)));
        task.setFocus(requestRef.copy());
        task.setFor(patientRef.copy());
        task.setAuthoredOnElement(submitted.copy());
        task.setRequester(requester.copy());
        task.setOwner(destination.copy());
        ReferralBundleEntries.conditionalCreate(bundle, task, partnerId, placer);
        return new Translation(List.of(bundle), rejected, unmapped);
    }

    private Reference destination(TreatmentAbroadApplication.TargetFacility target, List<InputProblem> problems) {
        String location = "/targetFacility/registryId";
        String registryId = target.registryId();
        try {
            Optional<Reference> found = directory.organization(registryId, null, target.name());
            if (found.isPresent()) {
                return found.get();
            }
            problems.add(new InputProblem(
                    location, "the referred-to organization " + registryId + " is not a partner of the hub"));
        } catch (IllegalArgumentException refused) {
            problems.add(new InputProblem(location, refused.getMessage()));
        }
        return null;
    }

    private static Patient patient(TreatmentAbroadApplication.Applicant applicant) {
        Patient patient = new Patient();
        patient.addIdentifier().setSystem(CbhCanonical.SID_UA_RNOKPP).setValue(applicant.rnokpp());
        HumanName name = new HumanName().setFamily(applicant.lastName().strip());
        name.addGiven(applicant.firstName().strip());
        text(applicant.patronymic()).ifPresent(name::addGiven);
        patient.addName(name);
        patient.setBirthDateElement(new DateType(applicant.birthDate()));
        patient.setGender(Enumerations.AdministrativeGender.fromCode(applicant.sex()));
        address(applicant.address()).ifPresent(patient::addAddress);
        text(applicant.phone()).ifPresent(phone -> patient.addTelecom()
                .setSystem(ContactPoint.ContactPointSystem.PHONE)
                .setValue(phone));
        text(applicant.preferredLanguage()).ifPresent(language -> patient.addCommunication()
                .setLanguage(new CodeableConcept().addCoding(new Coding(BCP_47, language, null)))
                .setPreferred(true));
        return patient;
    }

    private static Optional<Address> address(TreatmentAbroadApplication.Address source) {
        if (source == null) {
            return Optional.empty();
        }
        Address address = new Address();
        text(source.line()).ifPresent(address::addLine);
        text(source.city()).ifPresent(address::setCity);
        text(source.postalCode()).ifPresent(address::setPostalCode);
        text(source.country()).ifPresent(address::setCountry);
        return address.isEmpty() ? Optional.empty() : Optional.of(address);
    }

    /** "Коваленко Олег Петрович" → family Коваленко, given Олег, Петрович (surname first, as the format writes it). */
    private static Optional<Practitioner> practitioner(TreatmentAbroadApplication.Doctor doctor, String partnerId) {
        if (doctor == null || text(doctor.fullName()).isEmpty()) {
            return Optional.empty();
        }
        List<String> parts = Arrays.asList(doctor.fullName().strip().split("\\s+"));
        Practitioner practitioner = new Practitioner();
        practitioner
                .addIdentifier()
                .setSystem(CbhCanonical.partnerIdentifierSystem(partnerId, "practitioner"))
                .setValue(nameKey(doctor.fullName()));
        practitioner.setActive(true);
        HumanName name = new HumanName().setFamily(parts.get(0));
        parts.subList(1, parts.size()).forEach(name::addGiven);
        practitioner.addName(name);
        return Optional.of(practitioner);
    }

    /** The stable key of a doctor known only by name: see the class description. */
    static String nameKey(String fullName) {
        return "name:"
                + Normalizer.normalize(fullName, Normalizer.Form.NFC)
                        .strip()
                        .replaceAll("\\s+", " ")
                        .toLowerCase(Locale.ROOT);
    }

    private static PractitionerRole role(
            TreatmentAbroadApplication.Doctor doctor,
            Practitioner practitioner,
            Reference practitionerRef,
            Reference organization,
            String partnerId) {
        PractitionerRole role = new PractitionerRole();
        role.addIdentifier()
                .setSystem(CbhCanonical.partnerIdentifierSystem(partnerId, "practitioner-role"))
                .setValue(practitioner.getIdentifierFirstRep().getValue());
        role.setActive(true);
        role.setPractitioner(practitionerRef.copy());
        role.setOrganization(organization.copy());
        text(doctor.position()).ifPresent(position -> role.addCode(new CodeableConcept().setText(position)));
        text(doctor.phone()).ifPresent(phone -> role.addTelecom()
                .setSystem(ContactPoint.ContactPointSystem.PHONE)
                .setUse(ContactPoint.ContactPointUse.WORK)
                .setValue(phone));
        return role;
    }

    private static Optional<Condition> condition(
            TreatmentAbroadApplication.Diagnosis diagnosis, Reference patient, String partnerId, String placer, int n) {
        if (diagnosis == null
                || (text(diagnosis.icd10()).isEmpty() && text(diagnosis.text()).isEmpty())) {
            return Optional.empty();
        }
        Condition condition = new Condition();
        condition
                .addIdentifier()
                .setSystem(CbhCanonical.partnerIdentifierSystem(partnerId, "condition"))
                .setValue(placer + "/diagnosis/" + n);
        condition.setClinicalStatus(new CodeableConcept().addCoding(new Coding(CONDITION_CLINICAL, "active", null)));
        condition.setVerificationStatus(
                new CodeableConcept().addCoding(new Coding(CONDITION_VERIFICATION, "provisional", null)));
        CodeableConcept code = new CodeableConcept();
        text(diagnosis.icd10()).ifPresent(icd10 -> code.addCoding(new Coding(ICD10, icd10, null)));
        text(diagnosis.text()).ifPresent(code::setText);
        condition.setCode(code);
        condition.setSubject(patient.copy());
        return Optional.of(condition);
    }

    private static Optional<DocumentReference> document(
            TreatmentAbroadApplication.Attachment attachment,
            Reference patient,
            String partnerId,
            String placer,
            int n) {
        if (attachment == null
                || (text(attachment.url()).isEmpty() && text(attachment.title()).isEmpty())) {
            return Optional.empty();
        }
        DocumentReference document = new DocumentReference();
        document.addIdentifier()
                .setSystem(CbhCanonical.partnerIdentifierSystem(partnerId, "document"))
                .setValue(placer + "/attachment/" + n);
        document.setStatus(Enumerations.DocumentReferenceStatus.CURRENT);
        document.setSubject(patient.copy());
        var content = document.addContent().getAttachment();
        text(attachment.contentType()).ifPresent(content::setContentType);
        text(attachment.url()).ifPresent(content::setUrl);
        text(attachment.title()).ifPresent(content::setTitle);
        return Optional.of(document);
    }

    private CodeableConcept specialty(
            TreatmentAbroadApplication.RequestedService service, String localSystem, List<String> unmapped) {
        CodeableConcept concept = new CodeableConcept();
        String code = service.specialtyCode().strip();
        String display = text(service.specialtyText()).orElse(null);
        if (localSystem != null) {
            concept.addCoding(new Coding(localSystem, code, display));
            Optional<Coding> shared = specialties.toShared(localSystem, code);
            shared.ifPresent(concept::addCoding);
            if (shared.isEmpty()) {
                unmapped.add("/requestedService/specialtyCode: " + code);
            }
        } else {
            unmapped.add("/requestedService/specialtyCode: " + code + " (the partner has no specialty code system)");
        }
        if (display != null) {
            concept.setText(display);
        }
        return concept;
    }

    /** ISO 8601 with offset (checked by the reader) → a FHIR dateTime, seconds always written. */
    private static DateTimeType dateTime(String iso) {
        return new DateTimeType(DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(OffsetDateTime.parse(iso.strip())));
    }

    private static String utf8(byte[] body) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new InvalidMessageException("Not valid UTF-8: the application must be JSON in UTF-8", e);
        }
    }

    private static <T> List<T> listOf(List<T> list) {
        return list == null ? List.of() : list;
    }

    private static Optional<String> text(String value) {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
    }
}
