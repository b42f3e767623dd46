package org.cbhealth.routes.referral;

import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.v251.datatype.CE;
import ca.uhn.hl7v2.model.v251.datatype.CX;
import ca.uhn.hl7v2.model.v251.datatype.XAD;
import ca.uhn.hl7v2.model.v251.datatype.XPN;
import ca.uhn.hl7v2.model.v251.datatype.XTN;
import ca.uhn.hl7v2.model.v251.group.REF_I12_OBSERVATION;
import ca.uhn.hl7v2.model.v251.group.REF_I12_RESULTS_NOTES;
import ca.uhn.hl7v2.model.v251.message.REF_I12;
import ca.uhn.hl7v2.model.v251.segment.DG1;
import ca.uhn.hl7v2.model.v251.segment.NTE;
import ca.uhn.hl7v2.model.v251.segment.OBX;
import ca.uhn.hl7v2.model.v251.segment.PID;
import ca.uhn.hl7v2.model.v251.segment.PRD;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.cbhealth.profiles.CbhCanonical;
import org.cbhealth.routes.directory.SpecialtyMapper;
import org.cbhealth.routes.hl7.Hl7Error;
import org.cbhealth.routes.hl7.Hl7v2RejectedException;
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
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Task;

/**
 * A REF^I12 (checked by {@link RefI12Checker}) → one FHIR transaction Bundle, along the HL7 Version 2-to-FHIR
 * mapping: PID → Patient, PRD (referring provider) → Practitioner and PractitionerRole, RF1 → ServiceRequest and
 * Task, DG1 → Condition, OBX → Observation, NTE → ServiceRequest.note. OBR-4 carries the requested specialty in the
 * partner's code system; its shared code is added through the partner's ConceptMap.
 *
 * <p>Every entry is a conditional create on a business identifier — the patient's national identifier, the
 * referral's placer number (RF1-6, else MSH-10) namespaced by the sending partner — so the same referral sent
 * again creates nothing new. The referred-to organization (PRD with role RT) must be a partner in the directory;
 * otherwise the referral is refused with AE naming that PRD.
 */
public class RefI12Translator {

    /** Finds a partner organization of the directory from the identifier a referral names it by. */
    @FunctionalInterface
    public interface Directory {

        /**
         * @return the partner's Organization, or empty when no partner has that identifier
         * @throws IllegalArgumentException with the reason when the partner exists but may not receive this
         *     referral (e.g. not allowed to exchange referrals with the sender)
         */
        Optional<Reference> organization(String identifierValue, String identifierType, String name);
    }

    private static final String ICD10 = "http://hl7.org/fhir/sid/icd-10";
    private static final String LOINC = "http://loinc.org";
    private static final Map<String, String> ALPHA3_TO_ALPHA2 = alpha3ToAlpha2();

    private final Function<String, Optional<String>> identifierSystemForOid;
    private final SpecialtyMapper specialties;
    private final Directory directory;

    public RefI12Translator(
            Function<String, Optional<String>> identifierSystemForOid,
            SpecialtyMapper specialties,
            Directory directory) {
        this.identifierSystemForOid = identifierSystemForOid;
        this.specialties = specialties;
        this.directory = directory;
    }

    public Bundle translate(REF_I12 referral, TranslationContext context) {
        try {
            return build(referral, context);
        } catch (HL7Exception e) {
            throw new Hl7v2RejectedException(
                    Hl7v2RejectedException.AckCode.AE,
                    List.of(new Hl7Error("MSH", 1, 0, Hl7Error.APPLICATION_INTERNAL_ERROR, e.getMessage())));
        }
    }

    private Bundle build(REF_I12 referral, TranslationContext context) throws HL7Exception {
        String partnerId = context.partnerId();
        String placer = text(referral.getRF1()
                        .getOriginatingReferralIdentifier()
                        .getEntityIdentifier()
                        .getValue())
                .orElse(referral.getMSH().getMessageControlID().getValue());
        Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);

        Patient patient = patient(referral.getPID(), referral);
        Reference patientRef = ReferralBundleEntries.conditionalCreate(bundle, patient, partnerId, placer);

        Reference destination = destination(referral);
        Reference requester = context.organization().copy();
        Optional<PRD> referring = provider(referral, "RP");
        Reference serviceRequester = requester;
        if (referring.isPresent()) {
            Optional<Practitioner> practitioner = practitioner(referring.get(), partnerId);
            if (practitioner.isPresent()) {
                Reference practitionerRef =
                        ReferralBundleEntries.conditionalCreate(bundle, practitioner.get(), partnerId, placer);
                PractitionerRole role = new PractitionerRole();
                role.addIdentifier()
                        .setSystem(CbhCanonical.partnerIdentifierSystem(partnerId, "practitioner-role"))
                        .setValue(practitioner.get().getIdentifierFirstRep().getValue());
                role.setActive(true);
                role.setPractitioner(practitionerRef);
                role.setOrganization(requester.copy());
                serviceRequester = ReferralBundleEntries.conditionalCreate(bundle, role, partnerId, placer);
            }
        }

        List<Reference> conditions = new ArrayList<>();
        List<CodeableConcept> reasons = new ArrayList<>();
        for (int i = 0; i < referral.getDG1Reps(); i++) {
            DG1 dg1 = referral.getDG1(i);
            Condition condition = condition(dg1, patientRef, partnerId, placer, i + 1);
            conditions.add(ReferralBundleEntries.conditionalCreate(bundle, condition, partnerId, placer));
            reasons.add(condition.getCode().copy());
        }
        List<Reference> observations = new ArrayList<>();
        List<Annotation> notes = new ArrayList<>();
        collectNotes(referral.getNTEAll(), notes);
        int obx = 0;
        String requestedSpecialty = null;
        String requestedSpecialtyText = null;
        for (int i = 0; i < referral.getOBSERVATIONReps(); i++) {
            REF_I12_OBSERVATION observation = referral.getOBSERVATION(i);
            CE service = observation.getOBR().getUniversalServiceIdentifier();
            if (requestedSpecialty == null
                    && text(service.getIdentifier().getValue()).isPresent()) {
                requestedSpecialty = service.getIdentifier().getValue();
                requestedSpecialtyText = service.getText().getValue();
            }
            collectNotes(observation.getNTEAll(), notes);
            for (int j = 0; j < observation.getRESULTS_NOTESReps(); j++) {
                REF_I12_RESULTS_NOTES result = observation.getRESULTS_NOTES(j);
                collectNotes(result.getNTEAll(), notes);
                if (!result.getOBX().isEmpty()) {
                    obx++;
                    observations.add(ReferralBundleEntries.conditionalCreate(
                            bundle,
                            observation(result.getOBX(), patientRef, partnerId, placer, obx),
                            partnerId,
                            placer));
                }
            }
        }

        ServiceRequest request = new ServiceRequest();
        request.addIdentifier()
                .setSystem(CbhCanonical.partnerIdentifierSystem(partnerId, "referral"))
                .setValue(placer);
        request.setStatus(ServiceRequest.ServiceRequestStatus.ACTIVE);
        request.setIntent(ServiceRequest.ServiceRequestIntent.ORDER);
        priority(referral.getRF1().getReferralPriority().getIdentifier().getValue())
                .ifPresent(request::setPriority);
        request.setCode(specialty(requestedSpecialty, requestedSpecialtyText, context.localSpecialtySystem()));
        request.setSubject(patientRef.copy());
        String effective = referral.getRF1().getEffectiveDate().getTime().getValue();
        String expiration = referral.getRF1().getExpirationDate().getTime().getValue();
        request.setAuthoredOnElement(dateTime(text(effective)
                .orElse(referral.getMSH().getDateTimeOfMessage().getTime().getValue())));
        if (text(effective).isPresent() || text(expiration).isPresent()) {
            Period period = new Period();
            text(effective).ifPresent(d -> period.setStartElement(dateTime(d)));
            text(expiration).ifPresent(d -> period.setEndElement(dateTime(d)));
            request.setOccurrence(period);
        }
        request.setRequester(serviceRequester.copy());
        request.addPerformer(destination.copy());
        reasons.forEach(request::addReasonCode);
        conditions.forEach(c -> request.addReasonReference(c.copy()));
        observations.forEach(o -> request.addSupportingInfo(o.copy()));
        notes.forEach(request::addNote);
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
        task.setAuthoredOnElement(
                dateTime(referral.getMSH().getDateTimeOfMessage().getTime().getValue()));
        task.setRequester(requester.copy());
        task.setOwner(destination.copy());
        ReferralBundleEntries.conditionalCreate(bundle, task, partnerId, placer);
        return bundle;
    }

    private Patient patient(PID pid, REF_I12 referral) throws HL7Exception {
        Patient patient = new Patient();
        for (CX cx : pid.getPatientIdentifierList()) {
            String oid = cx.getAssigningAuthority().getUniversalID().getValue();
            Optional<String> system = text(oid).flatMap(identifierSystemForOid);
            if (system.isPresent() && text(cx.getIDNumber().getValue()).isPresent()) {
                patient.addIdentifier()
                        .setSystem(system.get())
                        .setValue(cx.getIDNumber().getValue());
            }
        }
        if (!patient.hasIdentifier()) {
            throw new Hl7v2RejectedException(
                    Hl7v2RejectedException.AckCode.AE,
                    List.of(new Hl7Error(
                            "PID",
                            1,
                            3,
                            Hl7Error.REQUIRED_FIELD_MISSING,
                            "no national identifier with a known assigning authority (OID in PID-3.4.2)")));
        }
        for (XPN xpn : pid.getPatientName()) {
            name(xpn).ifPresent(patient::addName);
        }
        text(pid.getDateTimeOfBirth().getTime().getValue())
                .ifPresent(d -> patient.setBirthDateElement(new DateType(hl7Date(d.substring(0, 8)))));
        patient.setGender(gender(pid.getAdministrativeSex().getValue()));
        for (XAD xad : pid.getPatientAddress()) {
            address(xad).ifPresent(patient::addAddress);
        }
        for (XTN xtn : pid.getPhoneNumberHome()) {
            phone(xtn).ifPresent(p -> patient.addTelecom()
                    .setSystem(ContactPoint.ContactPointSystem.PHONE)
                    .setUse(ContactPoint.ContactPointUse.HOME)
                    .setValue(p));
        }
        text(referral.getMSH().getPrincipalLanguageOfMessage().getIdentifier().getValue())
                .ifPresent(language -> patient.addCommunication()
                        .setLanguage(new CodeableConcept().addCoding(new Coding("urn:ietf:bcp:47", language, null)))
                        .setPreferred(true));
        return patient;
    }

    private Optional<Practitioner> practitioner(PRD prd, String partnerId) throws HL7Exception {
        if (prd.getProviderIdentifiers().length == 0
                || text(prd.getProviderIdentifiers(0).getIDNumber().getValue()).isEmpty()) {
            return Optional.empty();
        }
        Practitioner practitioner = new Practitioner();
        practitioner
                .addIdentifier()
                .setSystem(CbhCanonical.partnerIdentifierSystem(partnerId, "practitioner"))
                .setValue(prd.getProviderIdentifiers(0).getIDNumber().getValue());
        practitioner.setActive(true);
        for (XPN xpn : prd.getProviderName()) {
            name(xpn).ifPresent(practitioner::addName);
        }
        if (!practitioner.hasName()) {
            return Optional.empty();
        }
        return Optional.of(practitioner);
    }

    private Reference destination(REF_I12 referral) throws HL7Exception {
        for (int i = 0; i < referral.getPROVIDER_CONTACTReps(); i++) {
            PRD prd = referral.getPROVIDER_CONTACT(i).getPRD();
            if (!"RT".equals(role(prd))) {
                continue;
            }
            String name =
                    prd.getProviderLocation().getFacility().getNamespaceID().getValue();
            String facilityId =
                    prd.getProviderLocation().getFacility().getUniversalID().getValue();
            String id = prd.getProviderIdentifiers().length > 0
                    ? prd.getProviderIdentifiers(0).getIDNumber().getValue()
                    : null;
            String type = prd.getProviderIdentifiers().length > 0
                    ? prd.getProviderIdentifiers(0).getTypeOfIDNumber().getValue()
                    : null;
            String key = text(id).orElse(facilityId);
            Optional<Reference> found;
            try {
                found = text(key).flatMap(k -> directory.organization(k, type, name));
            } catch (IllegalArgumentException refused) {
                throw new Hl7v2RejectedException(
                        Hl7v2RejectedException.AckCode.AE,
                        List.of(new Hl7Error("PRD", i + 1, 7, Hl7Error.UNKNOWN_KEY_IDENTIFIER, refused.getMessage())));
            }
            if (found.isPresent()) {
                return found.get();
            }
            throw new Hl7v2RejectedException(
                    Hl7v2RejectedException.AckCode.AE,
                    List.of(new Hl7Error(
                            "PRD",
                            i + 1,
                            7,
                            Hl7Error.UNKNOWN_KEY_IDENTIFIER,
                            "the referred-to organization " + (key == null ? "(no identifier)" : key)
                                    + " is not a partner of the hub")));
        }
        throw new Hl7v2RejectedException(
                Hl7v2RejectedException.AckCode.AE,
                List.of(new Hl7Error(
                        "PRD",
                        1,
                        1,
                        Hl7Error.REQUIRED_FIELD_MISSING,
                        "no PRD with role RT (referred-to provider): the referral has no destination")));
    }

    private static Optional<PRD> provider(REF_I12 referral, String role) throws HL7Exception {
        for (int i = 0; i < referral.getPROVIDER_CONTACTReps(); i++) {
            PRD prd = referral.getPROVIDER_CONTACT(i).getPRD();
            if (role.equals(role(prd))) {
                return Optional.of(prd);
            }
        }
        return Optional.empty();
    }

    private static String role(PRD prd) {
        return prd.getProviderRole().length == 0
                ? null
                : prd.getProviderRole(0).getIdentifier().getValue();
    }

    private static Condition condition(DG1 dg1, Reference patient, String partnerId, String placer, int setId)
            throws HL7Exception {
        Condition condition = new Condition();
        condition
                .addIdentifier()
                .setSystem(CbhCanonical.partnerIdentifierSystem(partnerId, "condition"))
                .setValue(placer + "/DG1/" + setId);
        condition.setClinicalStatus(new CodeableConcept()
                .addCoding(new Coding("http://terminology.hl7.org/CodeSystem/condition-clinical", "active", null)));
        String type = dg1.getDiagnosisType().getValue();
        condition.setVerificationStatus(new CodeableConcept()
                .addCoding(new Coding(
                        "http://terminology.hl7.org/CodeSystem/condition-ver-status",
                        "F".equals(type) ? "confirmed" : "provisional",
                        null)));
        CE code = dg1.getDiagnosisCodeDG1();
        CodeableConcept concept = new CodeableConcept();
        String codingSystem = code.getNameOfCodingSystem().getValue();
        concept.addCoding(new Coding(
                "I10".equals(codingSystem) ? ICD10 : "urn:hl7v2:coding-system:" + codingSystem,
                code.getIdentifier().getValue(),
                null));
        text(code.getText().getValue()).ifPresent(concept::setText);
        condition.setCode(concept);
        condition.setSubject(patient.copy());
        text(dg1.getDiagnosisDateTime().getTime().getValue())
                .ifPresent(d -> condition.setRecordedDateElement(dateTime(d)));
        return condition;
    }

    private static Observation observation(OBX obx, Reference patient, String partnerId, String placer, int index)
            throws HL7Exception {
        Observation observation = new Observation();
        observation
                .addIdentifier()
                .setSystem(CbhCanonical.partnerIdentifierSystem(partnerId, "observation"))
                .setValue(placer + "/OBX/" + index);
        observation.setStatus(
                switch (String.valueOf(obx.getObservationResultStatus().getValue())) {
                    case "P" -> Observation.ObservationStatus.PRELIMINARY;
                    case "C" -> Observation.ObservationStatus.CORRECTED;
                    case "X" -> Observation.ObservationStatus.CANCELLED;
                    default -> Observation.ObservationStatus.FINAL;
                });
        CE code = obx.getObservationIdentifier();
        String system = code.getNameOfCodingSystem().getValue();
        CodeableConcept concept = new CodeableConcept()
                .addCoding(new Coding(
                        "LN".equals(system) ? LOINC : "urn:hl7v2:coding-system:" + system,
                        code.getIdentifier().getValue(),
                        code.getText().getValue()));
        observation.setCode(concept);
        observation.setSubject(patient.copy());
        StringBuilder value = new StringBuilder();
        for (var v : obx.getObservationValue()) {
            if (value.length() > 0) {
                value.append('\n');
            }
            value.append(v.getData().encode());
        }
        if (value.length() > 0) {
            observation.setValue(new StringType(value.toString()));
        }
        return observation;
    }

    private CodeableConcept specialty(String code, String display, String localSystem) {
        CodeableConcept concept = new CodeableConcept();
        if (code != null && localSystem != null) {
            concept.addCoding(new Coding(localSystem, code, display));
            specialties.toShared(localSystem, code).ifPresent(concept::addCoding);
        }
        if (display != null) {
            concept.setText(display);
        }
        return concept;
    }

    private static void collectNotes(List<NTE> segments, List<Annotation> notes) throws HL7Exception {
        for (NTE nte : segments) {
            for (var comment : nte.getComment()) {
                text(comment.getValue()).ifPresent(t -> notes.add(new Annotation().setText(t)));
            }
        }
    }

    private static Optional<HumanName> name(XPN xpn) {
        String family = xpn.getFamilyName().getSurname().getValue();
        if (text(family).isEmpty()) {
            return Optional.empty();
        }
        HumanName name = new HumanName().setFamily(family);
        text(xpn.getGivenName().getValue()).ifPresent(name::addGiven);
        text(xpn.getSecondAndFurtherGivenNamesOrInitialsThereof().getValue()).ifPresent(name::addGiven);
        text(xpn.getPrefixEgDR().getValue()).ifPresent(name::addPrefix);
        return Optional.of(name);
    }

    private static Optional<Address> address(XAD xad) {
        Address address = new Address();
        text(xad.getStreetAddress().getStreetOrMailingAddress().getValue()).ifPresent(address::addLine);
        text(xad.getCity().getValue()).ifPresent(address::setCity);
        text(xad.getZipOrPostalCode().getValue()).ifPresent(address::setPostalCode);
        text(xad.getCountry().getValue())
                .map(c -> ALPHA3_TO_ALPHA2.getOrDefault(c.toUpperCase(Locale.ROOT), c))
                .ifPresent(address::setCountry);
        return address.isEmpty() ? Optional.empty() : Optional.of(address);
    }

    private static Optional<String> phone(XTN xtn) {
        Optional<String> local = text(xtn.getLocalNumber().getValue());
        if (local.isEmpty()) {
            return text(xtn.getTelephoneNumber().getValue());
        }
        StringBuilder phone = new StringBuilder();
        text(xtn.getCountryCode().getValue())
                .ifPresent(c -> phone.append('+').append(c).append(' '));
        text(xtn.getAreaCityCode().getValue()).ifPresent(a -> phone.append(a).append(' '));
        return Optional.of(phone.append(local.get()).toString());
    }

    private static Enumerations.AdministrativeGender gender(String sex) {
        return switch (sex == null ? "" : sex) {
            case "F" -> Enumerations.AdministrativeGender.FEMALE;
            case "M" -> Enumerations.AdministrativeGender.MALE;
            case "O", "A" -> Enumerations.AdministrativeGender.OTHER;
            default -> Enumerations.AdministrativeGender.UNKNOWN;
        };
    }

    private static Optional<ServiceRequest.ServiceRequestPriority> priority(String code) {
        return switch (code == null ? "" : code) {
            case "R" -> Optional.of(ServiceRequest.ServiceRequestPriority.ROUTINE);
            case "A" -> Optional.of(ServiceRequest.ServiceRequestPriority.ASAP);
            case "S" -> Optional.of(ServiceRequest.ServiceRequestPriority.STAT);
            case "U" -> Optional.of(ServiceRequest.ServiceRequestPriority.URGENT);
            default -> Optional.empty();
        };
    }

    /** {@code yyyyMMdd[HHmm[ss[.S…]]][±zzzz]} → a FHIR dateTime (date only when the time is not given). */
    static DateTimeType dateTime(String hl7) {
        String value = hl7.strip();
        String zone = "";
        int sign = Math.max(value.indexOf('+'), value.indexOf('-'));
        if (sign > 0) {
            String z = value.substring(sign);
            zone = z.substring(0, 3) + ":" + z.substring(3, 5);
            value = value.substring(0, sign);
        }
        int dot = value.indexOf('.');
        if (dot > 0) {
            value = value.substring(0, dot);
        }
        String date = hl7Date(value.substring(0, 8));
        if (value.length() < 12) {
            return new DateTimeType(date);
        }
        String time = value.substring(8, 10) + ":" + value.substring(10, 12) + ":"
                + (value.length() >= 14 ? value.substring(12, 14) : "00");
        return new DateTimeType(date + "T" + time + (zone.isEmpty() ? "Z" : zone));
    }

    private static String hl7Date(String yyyymmdd) {
        return yyyymmdd.substring(0, 4) + "-" + yyyymmdd.substring(4, 6) + "-" + yyyymmdd.substring(6, 8);
    }

    private static Optional<String> text(String value) {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
    }

    private static Map<String, String> alpha3ToAlpha2() {
        Map<String, String> map = new HashMap<>();
        for (String alpha2 : Locale.getISOCountries()) {
            map.put(new Locale("", alpha2).getISO3Country(), alpha2);
        }
        return map;
    }
}
