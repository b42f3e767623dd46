package org.cbhealth.routes.referral.out;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.model.Primitive;
import ca.uhn.hl7v2.model.Varies;
import ca.uhn.hl7v2.model.v251.datatype.CE;
import ca.uhn.hl7v2.model.v251.datatype.CX;
import ca.uhn.hl7v2.model.v251.datatype.ED;
import ca.uhn.hl7v2.model.v251.datatype.EI;
import ca.uhn.hl7v2.model.v251.datatype.HD;
import ca.uhn.hl7v2.model.v251.datatype.NM;
import ca.uhn.hl7v2.model.v251.datatype.RP;
import ca.uhn.hl7v2.model.v251.datatype.TS;
import ca.uhn.hl7v2.model.v251.datatype.TX;
import ca.uhn.hl7v2.model.v251.datatype.XAD;
import ca.uhn.hl7v2.model.v251.datatype.XPN;
import ca.uhn.hl7v2.model.v251.datatype.XTN;
import ca.uhn.hl7v2.model.v251.group.REF_I12_OBSERVATION;
import ca.uhn.hl7v2.model.v251.group.RRI_I12_OBSERVATION;
import ca.uhn.hl7v2.model.v251.message.REF_I12;
import ca.uhn.hl7v2.model.v251.message.RRI_I12;
import ca.uhn.hl7v2.model.v251.segment.DG1;
import ca.uhn.hl7v2.model.v251.segment.MSH;
import ca.uhn.hl7v2.model.v251.segment.NTE;
import ca.uhn.hl7v2.model.v251.segment.OBR;
import ca.uhn.hl7v2.model.v251.segment.OBX;
import ca.uhn.hl7v2.model.v251.segment.PID;
import ca.uhn.hl7v2.model.v251.segment.PRD;
import ca.uhn.hl7v2.model.v251.segment.RF1;
import ca.uhn.hl7v2.parser.CanonicalModelClassFactory;
import ca.uhn.hl7v2.parser.PipeParser;
import ca.uhn.hl7v2.util.idgenerator.InMemoryIDGenerator;
import ca.uhn.hl7v2.validation.impl.ValidationContextFactory;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.MissingResourceException;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.cbhealth.profiles.CbhCanonical;
import org.cbhealth.routes.referral.ReferralPackage;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.Annotation;
import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.BaseDateTimeType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.NamingSystem;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.PrimitiveType;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Task;

/**
 * Referrals and status notices as HL7 v2.5.1 messages for partners reached over MLLP, built with the HAPI v2.5.1
 * model and encoded by its {@link PipeParser} (segments end with a carriage return). It is the inverse of the
 * inbound mapping of {@code RefI12Translator}, so a REF^I12 written here is read back by the hub as the same
 * patient, diagnoses and destination.
 *
 * <p>Referral: REF^I12 — MSH (from {@value #SENDING_APPLICATION} at {@value #SENDING_FACILITY} to the owner's first
 * identifier; MSH-10 {@code CBH-<task id>-<version>}, so the same Task version always gets the same control id;
 * MSH-18 UNICODE UTF-8; MSH-19 the patient's preferred language), RF1 (status P, priority, RF1-6 the hub's referral
 * number assigned by {@value #ASSIGNING_AUTHORITY}, RF1-7/8 the requested period, RF1-11 the referrer's own
 * number), PRD RP (referring practitioner at the requesting organization), PRD RT (the owner's identifier in PRD-7
 * with its type and country), PID, one DG1 per Condition (ICD-10 as I10), OBR with the requested specialty in OBR-4
 * (the shared CBH specialty, coding system {@value #SPECIALTY_CODING_SYSTEM}, when the ServiceRequest has it), one OBX
 * per Observation, one NTE per ServiceRequest note.
 *
 * <p>Notes follow the OBR when there is one (notes on the order; an NTE after an OBX would belong to that OBX), else
 * they end the message.
 *
 * <p>Status notice: RRI^I12 (unsolicited, so without MSA) — MSH to the requester, RF1 whose RF1-1 carries the business
 * status: HL7 table 0283 has P (pending), A (accepted) and R (rejected) only, so created and received are P,
 * accepted and scheduled are A (scheduled with the appointment in RF1-7), declined is R, and completed and cancelled,
 * which the table lacks, are the hub's own codes {@code completed^^CBHTS} and {@code cancelled^^CBHTS}
 * ({@value #STATUS_CODING_SYSTEM}: the codes of {@code CbhCanonical.CS_TASK_BUSINESS_STATUS}); PRD RP and RT (the
 * message structure requires a PRD); PID; NTE with the status reason (comment type 1R) and the Task's notes (RE);
 * and for a completed referral with an outcome document an OBR/OBX pair whose OBX is a reference pointer (RP: the
 * document's URL, type of data and subtype from its MIME type), or encapsulated data (ED, Base64) when the document
 * has no URL. OBX-3 is the document's type, by default LOINC 11488-4 (consult note), with the document's title as
 * its text.
 *
 * <p>A package the writer cannot express — a Task without logical id or business status, a scheduled Task without
 * its appointment (Task.restriction.period.start) — is an {@link IllegalArgumentException} naming the Task.
 *
 * <p>HAPI's own message validation is off: these messages carry national text (Cyrillic, Latin with diacritics) and
 * hub ids longer than some v2.5.1 field lengths (MSH-10 is 20 characters in 2.5.1).
 */
public class Hl7ReferralWriter implements ReferralWriter {

    public static final String CONTENT_TYPE = "x-application/hl7-v2+er7; charset=UTF-8";
    public static final String SENDING_APPLICATION = "CBHEALTH-HUB";
    public static final String SENDING_FACILITY = "CBHEALTH";
    /** Assigning authority (EI-2) of the hub's referral number in RF1-6. */
    public static final String ASSIGNING_AUTHORITY = "CBHEALTH";
    /** Coding system of RF1-1 for the business statuses HL7 table 0283 has no code for. */
    public static final String STATUS_CODING_SYSTEM = "CBHTS";
    /** Coding system name of the shared CBH specialty in OBR-4. */
    public static final String SPECIALTY_CODING_SYSTEM = "CBH-SPEC";

    private static final String VERSION = "2.5.1";
    private static final String ICD10 = "http://hl7.org/fhir/sid/icd-10";
    private static final String LOINC = "http://loinc.org";
    private static final String V2_CODING_SYSTEM = "urn:hl7v2:coding-system:";
    private static final String OID_PREFIX = "urn:oid:";
    private static final Pattern COUNTRY_PREFIXED = Pattern.compile("([a-z]{2})-.+");
    private static final DateTimeFormatter TS_FORMAT = DateTimeFormatter.ofPattern("yyyyMMddHHmmssZ");

    private final Function<String, Optional<String>> oidForIdentifierSystem;
    private final Clock clock;
    private final HapiContext hapi;
    private final PipeParser parser;

    /**
     * @param oidForIdentifierSystem the OID of an identifier system (for PID-3.4.2), the reverse of {@code
     *     CbhConformanceResources.identifierSystemForOid}; see {@link #oidsOf}
     */
    public Hl7ReferralWriter(Function<String, Optional<String>> oidForIdentifierSystem) {
        this(oidForIdentifierSystem, Clock.systemUTC());
    }

    /** @param clock the message time (MSH-7) when the Task carries no last-updated time */
    public Hl7ReferralWriter(Function<String, Optional<String>> oidForIdentifierSystem, Clock clock) {
        this.oidForIdentifierSystem = oidForIdentifierSystem;
        this.clock = clock;
        this.hapi = new DefaultHapiContext(new CanonicalModelClassFactory(VERSION));
        hapi.setValidationContext(ValidationContextFactory.noValidation());
        hapi.getParserConfiguration().setIdGenerator(new InMemoryIDGenerator());
        this.parser = hapi.getPipeParser();
    }

    /**
     * The OIDs of the identifier systems named by the NamingSystems among {@code conformanceResources} (preferred
     * URI → OID unique id), for the constructor.
     */
    public static Function<String, Optional<String>> oidsOf(List<? extends IBaseResource> conformanceResources) {
        List<NamingSystem> namingSystems = conformanceResources.stream()
                .filter(NamingSystem.class::isInstance)
                .map(NamingSystem.class::cast)
                .toList();
        return system -> namingSystems.stream()
                .filter(ns -> ns.getUniqueId().stream()
                        .anyMatch(id -> id.getType() == NamingSystem.NamingSystemIdentifierType.URI
                                && system.equals(id.getValue())))
                .flatMap(ns -> ns.getUniqueId().stream())
                .filter(id -> id.getType() == NamingSystem.NamingSystemIdentifierType.OID)
                .map(NamingSystem.NamingSystemUniqueIdComponent::getValue)
                .findFirst();
    }

    @Override
    public OutboundMessage referral(ReferralPackage referral) {
        try {
            REF_I12 message = new REF_I12(hapi.getModelClassFactory());
            message.setParser(parser);
            header(message.getMSH(), "REF", "I12", "REF_I12", referral.owner(), referral);
            RF1 rf1 = message.getRF1();
            code(rf1.getReferralStatus(), "P", "Pending", "HL70283");
            priority(rf1.getReferralPriority(), referral.request());
            numbers(rf1, referral);
            ServiceRequest request = referral.request();
            if (request.hasOccurrencePeriod() && request.getOccurrencePeriod().hasStart()) {
                ts(rf1.getEffectiveDate(), request.getOccurrencePeriod().getStartElement());
            } else if (request.hasAuthoredOn()) {
                ts(rf1.getEffectiveDate(), request.getAuthoredOnElement());
            }
            if (request.hasOccurrencePeriod() && request.getOccurrencePeriod().hasEnd()) {
                ts(rf1.getExpirationDate(), request.getOccurrencePeriod().getEndElement());
            }
            referringProvider(message.getPROVIDER_CONTACT(0).getPRD(), referral);
            referredToProvider(message.getPROVIDER_CONTACT(1).getPRD(), referral.owner());
            pid(message.getPID(), referral.patient());
            for (int i = 0; i < referral.conditions().size(); i++) {
                diagnosis(message.getDG1(i), referral.conditions().get(i), i + 1);
            }
            Repetition<NTE> notes = message::getNTE;
            if (request.hasCode() || !referral.observations().isEmpty()) {
                REF_I12_OBSERVATION observations = message.getOBSERVATION(0);
                order(observations.getOBR(), referral);
                for (int i = 0; i < referral.observations().size(); i++) {
                    observation(
                            observations.getRESULTS_NOTES(i).getOBX(),
                            referral.observations().get(i),
                            i + 1);
                }
                notes = observations::getNTE;
            }
            int note = 0;
            for (Annotation annotation : request.getNote()) {
                if (annotation.hasText()) {
                    note(notes.get(note), ++note, annotation.getText(), null);
                }
            }
            return new OutboundMessage(parser.encode(message), CONTENT_TYPE, OutboundHeaders.referral(referral));
        } catch (HL7Exception e) {
            throw new IllegalStateException(
                    "Task/" + OutboundHeaders.referralNumber(referral) + ": cannot write REF^I12: " + e.getMessage(),
                    e);
        }
    }

    @Override
    public OutboundMessage status(ReferralPackage referral) {
        String status = OutboundHeaders.businessStatus(referral);
        try {
            RRI_I12 message = new RRI_I12(hapi.getModelClassFactory());
            message.setParser(parser);
            header(message.getMSH(), "RRI", "I12", "RRI_I12", referral.requester(), referral);
            RF1 rf1 = message.getRF1();
            switch (status) {
                case "created", "received" -> code(rf1.getReferralStatus(), "P", "Pending", "HL70283");
                case "accepted", "scheduled" -> code(rf1.getReferralStatus(), "A", "Accepted", "HL70283");
                case "declined" -> code(rf1.getReferralStatus(), "R", "Rejected", "HL70283");
                case "completed", "cancelled" -> code(rf1.getReferralStatus(), status, null, STATUS_CODING_SYSTEM);
                default -> throw new IllegalArgumentException("Task/" + OutboundHeaders.referralNumber(referral)
                        + ": business status '" + status + "' has no RF1-1 code");
            }
            priority(rf1.getReferralPriority(), referral.request());
            numbers(rf1, referral);
            Task task = referral.task();
            if ("scheduled".equals(status)) {
                if (!task.getRestriction().getPeriod().hasStart()) {
                    throw new IllegalArgumentException("Task/" + OutboundHeaders.referralNumber(referral)
                            + " is scheduled without an appointment (Task.restriction.period.start)");
                }
                ts(rf1.getEffectiveDate(), task.getRestriction().getPeriod().getStartElement());
            }
            referringProvider(message.getPROVIDER_CONTACT(0).getPRD(), referral);
            referredToProvider(message.getPROVIDER_CONTACT(1).getPRD(), referral.owner());
            pid(message.getPID(), referral.patient());
            Repetition<NTE> notes = message::getNTE;
            DocumentReference outcome = referral.outcome();
            if ("completed".equals(status) && outcome != null) {
                RRI_I12_OBSERVATION observation = message.getOBSERVATION(0);
                order(observation.getOBR(), referral);
                document(observation.getRESULTS_NOTES(0).getOBX(), outcome, 1);
                notes = observation::getNTE;
            }
            int note = 0;
            Optional<String> reason = text(task.getStatusReason());
            if (reason.isPresent()) {
                note(notes.get(note), ++note, reason.get(), "1R^Primary Reason^HL70364");
            }
            for (Annotation annotation : task.getNote()) {
                if (annotation.hasText()) {
                    note(notes.get(note), ++note, annotation.getText(), "RE^Remark^HL70364");
                }
            }
            return new OutboundMessage(parser.encode(message), CONTENT_TYPE, OutboundHeaders.status(referral));
        } catch (HL7Exception e) {
            throw new IllegalStateException(
                    "Task/" + OutboundHeaders.referralNumber(referral) + ": cannot write RRI^I12: " + e.getMessage(),
                    e);
        }
    }

    private void header(
            MSH msh, String code, String trigger, String structure, Organization receiver, ReferralPackage referral)
            throws HL7Exception {
        msh.getFieldSeparator().setValue("|");
        msh.getEncodingCharacters().setValue("^~\\&");
        msh.getSendingApplication().getNamespaceID().setValue(SENDING_APPLICATION);
        msh.getSendingFacility().getNamespaceID().setValue(SENDING_FACILITY);
        registryIdentifier(receiver)
                .ifPresent(id -> set(msh.getReceivingFacility().getNamespaceID(), id.getValue()));
        msh.getDateTimeOfMessage().getTime().setValue(messageTime(referral.task()));
        msh.getMessageType().getMessageCode().setValue(code);
        msh.getMessageType().getTriggerEvent().setValue(trigger);
        msh.getMessageType().getMessageStructure().setValue(structure);
        String version = OutboundHeaders.version(referral);
        msh.getMessageControlID()
                .setValue("CBH-" + OutboundHeaders.referralNumber(referral) + (version == null ? "" : "-" + version));
        msh.getProcessingID().getProcessingID().setValue("P");
        msh.getVersionID().getVersionID().setValue(VERSION);
        msh.getAcceptAcknowledgmentType().setValue("AL");
        msh.getApplicationAcknowledgmentType().setValue("NE");
        msh.getCharacterSet(0).setValue("UNICODE UTF-8");
        Optional<Coding> language = language(referral.patient());
        if (language.isPresent()) {
            CE ce = msh.getPrincipalLanguageOfMessage();
            set(ce.getIdentifier(), language.get().getCode().split("-")[0]);
            set(ce.getText(), language.get().getDisplay());
            ce.getNameOfCodingSystem().setValue("ISO639");
        }
    }

    /** MSH-7: when the Task reached this version at the hub, else its last modification, else now. */
    private String messageTime(Task task) {
        if (task.getMeta().hasLastUpdated()) {
            return hl7(task.getMeta().getLastUpdatedElement());
        }
        if (task.hasLastModified()) {
            return hl7(task.getLastModifiedElement());
        }
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC).format(TS_FORMAT);
    }

    private static Optional<Coding> language(Patient patient) {
        return patient.getCommunication().stream()
                .sorted((a, b) -> Boolean.compare(b.getPreferred(), a.getPreferred()))
                .flatMap(c -> c.getLanguage().getCoding().stream())
                .filter(Coding::hasCode)
                .findFirst();
    }

    private static void code(CE ce, String code, String text, String system) throws HL7Exception {
        ce.getIdentifier().setValue(code);
        ce.getText().setValue(text);
        ce.getNameOfCodingSystem().setValue(system);
    }

    private static void priority(CE ce, ServiceRequest request) throws HL7Exception {
        if (!request.hasPriority()) {
            return;
        }
        switch (request.getPriority()) {
            case ROUTINE -> code(ce, "R", "Routine", "HL70280");
            case URGENT -> code(ce, "U", "Urgent", "HL70280");
            case ASAP -> code(ce, "A", "ASAP", "HL70280");
            case STAT -> code(ce, "S", "STAT", "HL70280");
            default -> {
                // NULL: no priority
            }
        }
    }

    /** RF1-6 the hub's referral number, RF1-11 the referrer's own number (namespaced by its registry id). */
    private static void numbers(RF1 rf1, ReferralPackage referral) throws HL7Exception {
        EI originating = rf1.getOriginatingReferralIdentifier();
        originating.getEntityIdentifier().setValue(OutboundHeaders.referralNumber(referral));
        originating.getNamespaceID().setValue(ASSIGNING_AUTHORITY);
        Optional<Identifier> placer = referral.request().getIdentifier().stream()
                .filter(i -> i.hasValue() && !CbhCanonical.SID_HUB_REFERRAL.equals(i.getSystem()))
                .findFirst();
        if (placer.isPresent()) {
            EI external = rf1.getExternalReferralIdentifier(0);
            set(external.getEntityIdentifier(), placer.get().getValue());
            registryIdentifier(referral.requester()).ifPresent(id -> set(external.getNamespaceID(), id.getValue()));
        }
    }

    private void referringProvider(PRD prd, ReferralPackage referral) throws HL7Exception {
        code(prd.getProviderRole(0), "RP", "Referring Provider", "HL70286");
        Organization requester = referral.requester();
        if (referral.practitioner() != null) {
            int n = 0;
            for (HumanName name : referral.practitioner().getName()) {
                name(prd.getProviderName(n++), name);
            }
            Optional<Identifier> id = referral.practitioner().getIdentifier().stream()
                    .filter(Identifier::hasValue)
                    .findFirst();
            if (id.isPresent()) {
                set(prd.getProviderIdentifiers(0).getIDNumber(), id.get().getValue());
                typeCode(id.get())
                        .ifPresent(t -> set(prd.getProviderIdentifiers(0).getTypeOfIDNumber(), t));
            }
        }
        List<Address> addresses =
                referral.practitioner() != null && referral.practitioner().hasAddress()
                        ? referral.practitioner().getAddress()
                        : requester == null ? List.of() : requester.getAddress();
        if (!addresses.isEmpty()) {
            address(prd.getProviderAddress(0), addresses.get(0));
        }
        facility(prd, requester);
        List<ContactPoint> telecoms = new ArrayList<>();
        if (referral.role() != null) {
            telecoms.addAll(referral.role().getTelecom());
        }
        if (telecoms.isEmpty() && requester != null) {
            telecoms.addAll(requester.getTelecom());
        }
        phones(telecoms, prd::getProviderCommunicationInformation, "WPN");
    }

    private void referredToProvider(PRD prd, Organization owner) throws HL7Exception {
        code(prd.getProviderRole(0), "RT", "Referred to Provider", "HL70286");
        if (owner == null) {
            return;
        }
        if (owner.hasAddress()) {
            address(prd.getProviderAddress(0), owner.getAddressFirstRep());
        }
        facility(prd, owner);
        phones(owner.getTelecom(), prd::getProviderCommunicationInformation, "WPN");
        Optional<Identifier> id = registryIdentifier(owner);
        if (id.isPresent()) {
            set(prd.getProviderIdentifiers(0).getIDNumber(), id.get().getValue());
            Optional<String> type =
                    typeCode(id.get()).or(() -> registryType(id.get().getSystem()));
            type.ifPresent(t -> set(prd.getProviderIdentifiers(0).getTypeOfIDNumber(), t));
            owner.getAddress().stream()
                    .filter(Address::hasCountry)
                    .findFirst()
                    .ifPresent(a -> set(
                            prd.getProviderIdentifiers(0).getStateOtherQualifyingInformation(),
                            alpha3(a.getCountry())));
        }
    }

    private static void facility(PRD prd, Organization organization) throws HL7Exception {
        if (organization == null) {
            return;
        }
        HD facility = prd.getProviderLocation().getFacility();
        set(facility.getNamespaceID(), organization.getName());
        Optional<Identifier> id = registryIdentifier(organization);
        if (id.isPresent()) {
            set(facility.getUniversalID(), id.get().getValue());
            facility.getUniversalIDType().setValue("L");
        }
    }

    private void pid(PID pid, Patient patient) throws HL7Exception {
        pid.getSetIDPID().setValue("1");
        int n = 0;
        for (Identifier identifier : patient.getIdentifier()) {
            if (!identifier.hasSystem() || !identifier.hasValue()) {
                continue;
            }
            CX cx = pid.getPatientIdentifierList(n++);
            set(cx.getIDNumber(), identifier.getValue());
            String system = identifier.getSystem();
            Optional<String> oid = system.startsWith(OID_PREFIX)
                    ? Optional.of(system.substring(OID_PREFIX.length()))
                    : oidForIdentifierSystem.apply(system);
            if (!system.startsWith(OID_PREFIX)) {
                set(
                        cx.getAssigningAuthority().getNamespaceID(),
                        lastSegment(system).toUpperCase(Locale.ROOT));
            }
            if (oid.isPresent()) {
                set(cx.getAssigningAuthority().getUniversalID(), oid.get());
                cx.getAssigningAuthority().getUniversalIDType().setValue("ISO");
            }
            typeCode(identifier)
                    .or(() -> nationalNumberType(system))
                    .ifPresent(t -> set(cx.getIdentifierTypeCode(), t));
        }
        n = 0;
        for (HumanName name : patient.getName()) {
            name(pid.getPatientName(n++), name);
        }
        if (patient.hasBirthDate()) {
            pid.getDateTimeOfBirth().getTime().setValue(hl7(patient.getBirthDateElement()));
        }
        if (patient.hasGender()) {
            pid.getAdministrativeSex()
                    .setValue(
                            switch (patient.getGender()) {
                                case FEMALE -> "F";
                                case MALE -> "M";
                                case OTHER -> "O";
                                default -> "U";
                            });
        }
        n = 0;
        for (Address address : patient.getAddress()) {
            address(pid.getPatientAddress(n++), address);
        }
        List<ContactPoint> home = patient.getTelecom().stream()
                .filter(t -> t.getUse() != ContactPoint.ContactPointUse.WORK)
                .toList();
        List<ContactPoint> work = patient.getTelecom().stream()
                .filter(t -> t.getUse() == ContactPoint.ContactPointUse.WORK)
                .toList();
        phones(home, pid::getPhoneNumberHome, "PRN");
        phones(work, pid::getPhoneNumberBusiness, "WPN");
    }

    private static void diagnosis(DG1 dg1, Condition condition, int setId) throws HL7Exception {
        dg1.getSetIDDG1().setValue(String.valueOf(setId));
        CodeableConcept code = condition.getCode();
        Coding coding = code.getCoding().stream()
                .filter(c -> ICD10.equals(c.getSystem()))
                .findFirst()
                .orElse(code.getCodingFirstRep());
        CE ce = dg1.getDiagnosisCodeDG1();
        set(ce.getIdentifier(), coding.getCode());
        set(ce.getText(), code.hasText() ? code.getText() : coding.getDisplay());
        set(ce.getNameOfCodingSystem(), codingSystemName(coding.getSystem()));
        if (condition.hasRecordedDate()) {
            dg1.getDiagnosisDateTime().getTime().setValue(hl7(condition.getRecordedDateElement()));
        }
        boolean confirmed =
                condition.getVerificationStatus().getCoding().stream().anyMatch(c -> "confirmed".equals(c.getCode()));
        dg1.getDiagnosisType().setValue(confirmed ? "F" : "W");
    }

    /** OBR-1, OBR-2 (the hub's referral number) and OBR-4, the requested specialty. */
    private static void order(OBR obr, ReferralPackage referral) throws HL7Exception {
        obr.getSetIDOBR().setValue("1");
        obr.getPlacerOrderNumber().getEntityIdentifier().setValue(OutboundHeaders.referralNumber(referral));
        obr.getPlacerOrderNumber().getNamespaceID().setValue(ASSIGNING_AUTHORITY);
        CodeableConcept specialty = referral.request().getCode();
        Optional<Coding> shared = specialty.getCoding().stream()
                .filter(c -> CbhCanonical.CS_SPECIALTY.equals(c.getSystem()) && c.hasCode())
                .findFirst();
        Optional<Coding> coding = shared.or(
                () -> specialty.getCoding().stream().filter(Coding::hasCode).findFirst());
        CE ce = obr.getUniversalServiceIdentifier();
        if (coding.isPresent()) {
            set(ce.getIdentifier(), coding.get().getCode());
            set(ce.getText(), coding.get().hasDisplay() ? coding.get().getDisplay() : specialty.getText());
            set(
                    ce.getNameOfCodingSystem(),
                    shared.isPresent()
                            ? SPECIALTY_CODING_SYSTEM
                            : lastSegment(coding.get().getSystem()).toUpperCase(Locale.ROOT));
        } else {
            set(ce.getText(), specialty.getText());
        }
    }

    private void observation(OBX obx, Observation observation, int setId) throws HL7Exception {
        obx.getSetIDOBX().setValue(String.valueOf(setId));
        Coding coding = observation.getCode().getCodingFirstRep();
        CE code = obx.getObservationIdentifier();
        set(code.getIdentifier(), coding.getCode());
        set(
                code.getText(),
                coding.hasDisplay()
                        ? coding.getDisplay()
                        : observation.getCode().getText());
        set(code.getNameOfCodingSystem(), codingSystemName(coding.getSystem()));
        if (observation.getValue() instanceof Quantity quantity && quantity.hasValue()) {
            obx.getValueType().setValue("NM");
            NM nm = new NM(obx.getMessage());
            nm.setValue(quantity.getValue().toPlainString());
            obx.getObservationValue(0).setData(nm);
            set(obx.getUnits().getIdentifier(), quantity.hasCode() ? quantity.getCode() : quantity.getUnit());
            set(obx.getUnits().getText(), quantity.getUnit());
            if ("http://unitsofmeasure.org".equals(quantity.getSystem())) {
                obx.getUnits().getNameOfCodingSystem().setValue("UCUM");
            }
        } else if (observation.getValue() instanceof CodeableConcept concept) {
            obx.getValueType().setValue("CE");
            CE ce = new CE(obx.getMessage());
            Coding value = concept.getCodingFirstRep();
            set(ce.getIdentifier(), value.getCode());
            set(ce.getText(), value.hasDisplay() ? value.getDisplay() : concept.getText());
            set(ce.getNameOfCodingSystem(), codingSystemName(value.getSystem()));
            obx.getObservationValue(0).setData(ce);
        } else if (observation.getValue() instanceof PrimitiveType<?> primitive && primitive.hasValue()) {
            obx.getValueType().setValue("TX");
            String text = observation.getValue() instanceof StringType s ? s.getValue() : primitive.getValueAsString();
            String[] lines = text.split("\\r\\n|\\r|\\n");
            for (int i = 0; i < lines.length; i++) {
                TX tx = new TX(obx.getMessage());
                tx.setValue(lines[i]);
                obx.getObservationValue(i).setData(tx);
            }
        }
        if (observation.hasEffectiveDateTimeType()) {
            obx.getDateTimeOfTheObservation().getTime().setValue(hl7(observation.getEffectiveDateTimeType()));
        }
        obx.getObservationResultStatus()
                .setValue(
                        switch (observation.getStatus() == null
                                ? Observation.ObservationStatus.FINAL
                                : observation.getStatus()) {
                            case PRELIMINARY, REGISTERED -> "P";
                            case CORRECTED, AMENDED -> "C";
                            case CANCELLED -> "X";
                            case ENTEREDINERROR -> "W";
                            default -> "F";
                        });
    }

    /** The outcome document: RP (its URL) when it has one, else ED (its data, Base64). */
    private static void document(OBX obx, DocumentReference document, int setId) throws HL7Exception {
        obx.getSetIDOBX().setValue(String.valueOf(setId));
        Attachment attachment = document.getContentFirstRep().getAttachment();
        Coding type = document.getType().getCoding().stream()
                .filter(Coding::hasCode)
                .findFirst()
                .orElse(new Coding(LOINC, "11488-4", "Consult note"));
        CE code = obx.getObservationIdentifier();
        set(code.getIdentifier(), type.getCode());
        set(
                code.getText(),
                attachment.hasTitle()
                        ? attachment.getTitle()
                        : document.hasDescription() ? document.getDescription() : type.getDisplay());
        set(code.getNameOfCodingSystem(), codingSystemName(type.getSystem()));
        String mime = attachment.hasContentType() ? attachment.getContentType() : "application/octet-stream";
        String[] parts = mime.split(";")[0].strip().split("/", 2);
        String typeOfData =
                switch (parts[0].toLowerCase(Locale.ROOT)) {
                    case "image" -> "IM";
                    case "text" -> "TEXT";
                    case "audio" -> "AU";
                    case "multipart" -> "multipart";
                    default -> "AP";
                };
        String subtype = parts.length > 1 ? parts[1].toUpperCase(Locale.ROOT) : "OCTET-STREAM";
        Varies value = obx.getObservationValue(0);
        if (attachment.hasUrl()) {
            obx.getValueType().setValue("RP");
            RP rp = new RP(obx.getMessage());
            rp.getPointer().setValue(attachment.getUrl());
            rp.getApplicationID().getNamespaceID().setValue(SENDING_FACILITY);
            rp.getTypeOfData().setValue(typeOfData);
            rp.getSubtype().setValue(subtype);
            value.setData(rp);
        } else if (attachment.hasData()) {
            obx.getValueType().setValue("ED");
            ED ed = new ED(obx.getMessage());
            ed.getSourceApplication().getNamespaceID().setValue(SENDING_FACILITY);
            ed.getTypeOfData().setValue(typeOfData);
            ed.getDataSubtype().setValue(subtype);
            ed.getEncoding().setValue("Base64");
            ed.getData().setValue(Base64.getEncoder().encodeToString(attachment.getData()));
            value.setData(ed);
        }
        obx.getObservationResultStatus().setValue("F");
    }

    private static void note(NTE nte, int setId, String text, String commentType) throws HL7Exception {
        nte.getSetIDNTE().setValue(String.valueOf(setId));
        String[] lines = text.split("\\r\\n|\\r|\\n");
        for (int i = 0; i < lines.length; i++) {
            nte.getComment(i).setValue(lines[i]);
        }
        if (commentType != null) {
            String[] ce = commentType.split("\\^");
            nte.getCommentType().getIdentifier().setValue(ce[0]);
            nte.getCommentType().getText().setValue(ce[1]);
            nte.getCommentType().getNameOfCodingSystem().setValue(ce[2]);
        }
    }

    private static void name(XPN xpn, HumanName name) {
        set(xpn.getFamilyName().getSurname(), name.getFamily());
        if (!name.getGiven().isEmpty()) {
            set(xpn.getGivenName(), name.getGiven().get(0).getValue());
        }
        if (name.getGiven().size() > 1) {
            set(
                    xpn.getSecondAndFurtherGivenNamesOrInitialsThereof(),
                    String.join(
                            " ",
                            name.getGiven().subList(1, name.getGiven().size()).stream()
                                    .map(StringType::getValue)
                                    .toList()));
        }
        if (name.hasPrefix()) {
            set(xpn.getPrefixEgDR(), name.getPrefixAsSingleString());
        }
    }

    private static void address(XAD xad, Address address) {
        if (address.hasLine()) {
            set(
                    xad.getStreetAddress().getStreetOrMailingAddress(),
                    address.getLine().get(0).getValue());
        }
        if (address.getLine().size() > 1) {
            set(xad.getOtherDesignation(), address.getLine().get(1).getValue());
        }
        set(xad.getCity(), address.getCity());
        set(xad.getStateOrProvince(), address.getState());
        set(xad.getZipOrPostalCode(), address.getPostalCode());
        if (address.hasCountry()) {
            set(xad.getCountry(), alpha3(address.getCountry()));
        }
    }

    /** One repetition of a repeating segment or field, created on first access. */
    @FunctionalInterface
    private interface Repetition<T> {
        T get(int rep) throws HL7Exception;
    }

    /** Phone numbers as given (XTN-1, which the hub reads back as it is); e-mail in XTN-4. */
    private static void phones(List<ContactPoint> telecoms, Repetition<XTN> field, String phoneUse)
            throws HL7Exception {
        int n = 0;
        for (ContactPoint telecom : telecoms) {
            if (!telecom.hasValue()) {
                continue;
            }
            if (telecom.getSystem() == ContactPoint.ContactPointSystem.EMAIL) {
                XTN xtn = field.get(n++);
                xtn.getTelecommunicationUseCode().setValue("NET");
                xtn.getTelecommunicationEquipmentType().setValue("Internet");
                set(xtn.getEmailAddress(), telecom.getValue());
            } else if (telecom.getSystem() == null
                    || telecom.getSystem() == ContactPoint.ContactPointSystem.PHONE
                    || telecom.getSystem() == ContactPoint.ContactPointSystem.SMS) {
                XTN xtn = field.get(n++);
                set(xtn.getTelephoneNumber(), telecom.getValue());
                xtn.getTelecommunicationUseCode().setValue(phoneUse);
                xtn.getTelecommunicationEquipmentType()
                        .setValue(telecom.getUse() == ContactPoint.ContactPointUse.MOBILE ? "CP" : "PH");
            }
        }
    }

    /** The organization's first identifier: its registry identifier at the hub. */
    private static Optional<Identifier> registryIdentifier(Organization organization) {
        if (organization == null) {
            return Optional.empty();
        }
        return organization.getIdentifier().stream()
                .filter(Identifier::hasValue)
                .findFirst();
    }

    private static Optional<String> typeCode(Identifier identifier) {
        return identifier.getType().getCoding().stream()
                .filter(Coding::hasCode)
                .map(Coding::getCode)
                .findFirst();
    }

    /** {@code https://fhir.cbhealth.eu/sid/registry/mk-embs} → {@code EMBS}: the register's name without its country. */
    private static Optional<String> registryType(String system) {
        if (system == null) {
            return Optional.empty();
        }
        String segment = lastSegment(system);
        var country = COUNTRY_PREFIXED.matcher(segment);
        return Optional.of((country.matches() ? segment.substring(3) : segment).toUpperCase(Locale.ROOT));
    }

    /** {@code …/sid/bg-egn} → {@code NNBGR}: HL7 table 0203 "national number" of the system's country. */
    private static Optional<String> nationalNumberType(String system) {
        var country = COUNTRY_PREFIXED.matcher(lastSegment(system));
        if (!country.matches()) {
            return Optional.empty();
        }
        String alpha3 = alpha3(country.group(1).toUpperCase(Locale.ROOT));
        return alpha3.length() == 3 ? Optional.of("NN" + alpha3) : Optional.empty();
    }

    private static String codingSystemName(String system) {
        if (system == null) {
            return null;
        }
        if (ICD10.equals(system)) {
            return "I10";
        }
        if (LOINC.equals(system)) {
            return "LN";
        }
        if (system.startsWith(V2_CODING_SYSTEM)) {
            return system.substring(V2_CODING_SYSTEM.length());
        }
        return lastSegment(system).toUpperCase(Locale.ROOT);
    }

    private static String lastSegment(String uri) {
        String trimmed = uri.endsWith("/") ? uri.substring(0, uri.length() - 1) : uri;
        return trimmed.substring(Math.max(trimmed.lastIndexOf('/'), trimmed.lastIndexOf(':')) + 1);
    }

    private static String alpha3(String country) {
        if (country.length() != 2) {
            return country;
        }
        try {
            return new Locale("", country.toUpperCase(Locale.ROOT)).getISO3Country();
        } catch (MissingResourceException e) {
            return country;
        }
    }

    private static Optional<String> text(CodeableConcept concept) {
        if (concept.hasText()) {
            return Optional.of(concept.getText());
        }
        return concept.getCoding().stream()
                .map(c -> c.hasDisplay() ? c.getDisplay() : c.getCode())
                .filter(s -> s != null && !s.isBlank())
                .findFirst();
    }

    private static void ts(TS ts, BaseDateTimeType value) throws HL7Exception {
        ts.getTime().setValue(hl7(value));
    }

    /** A FHIR date, dateTime or instant as an HL7 TS of the same precision (seconds at most, with its offset). */
    static String hl7(BaseDateTimeType value) {
        String text = value.getValueAsString();
        if (text.length() <= 10) {
            return text.replace("-", "");
        }
        return OffsetDateTime.parse(text).format(TS_FORMAT);
    }

    /** Sets a field from FHIR text: blank stays empty, line breaks (not allowed inside a field) become spaces. */
    private static void set(Primitive field, String value) {
        if (value == null || value.isBlank()) {
            return;
        }
        try {
            field.setValue(value.strip().replaceAll("\\s*[\\r\\n]+\\s*", " "));
        } catch (HL7Exception e) {
            throw new IllegalStateException("cannot set " + field.getName() + ": " + e.getMessage(), e);
        }
    }
}
