package org.cbhealth.routes.referral.soap;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.cbhealth.profiles.CbhCanonical;
import org.cbhealth.routes.referral.ReferralPackage;
import org.cbhealth.routes.referral.out.OutboundMessage;
import org.cbhealth.routes.referral.out.ReferralWriter;
import org.cbhealth.routes.soap.HardenedXml;
import org.cbhealth.routes.soap.SoapVersion;
import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.Annotation;
import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.PrimitiveType;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Task;
import org.hl7.fhir.r4.model.Type;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * Writes referrals and status notices as SOAP 1.1 requests of {@code referral-receiver.wsdl}: {@code DeliverReferral}
 * for the destination and {@code NotifyReferralStatus} for the other side, each with its {@code SOAPAction} header
 * and content type {@code text/xml; charset=UTF-8}. Every body is valid against {@code cbh-referral-v1.xsd}.
 *
 * <p>The referral number is the Task's logical id; the placer number is the referrer's own number (the
 * ServiceRequest's first identifier). The business status is the Task's {@code CbhCanonical.CS_TASK_BUSINESS_STATUS}
 * code, or derived from Task.status when it has none (requested → created, received, accepted → accepted or, with an
 * appointment in Task.restriction.period.start, scheduled, rejected → declined, completed, cancelled). Country codes
 * that are not ISO 3166 alpha-2 are left out, since the schema allows only those.
 */
public class SoapReferralWriter implements ReferralWriter {

    public static final String CONTENT_TYPE = "text/xml; charset=UTF-8";

    private static final String NS = ReferralSoapContract.NAMESPACE;
    private static final Pattern COUNTRY = Pattern.compile("[A-Z]{2}");

    private final HardenedXml xml = new HardenedXml();

    @Override
    public OutboundMessage referral(ReferralPackage referral) {
        Document document = xml.newDocument();
        Element root = operation(document, ReferralSoapContract.DELIVER_REFERRAL);
        Task task = referral.task();
        ServiceRequest request = referral.request();
        text(root, "referralNumber", referralNumber(task));
        placerNumber(root, request);
        text(root, "status", businessStatus(task));
        if (request != null && request.hasAuthoredOn()) {
            text(root, "authoredOn", request.getAuthoredOnElement().getValueAsString());
        }
        if (request != null && request.hasPriority()) {
            text(root, "urgency", request.getPriority().toCode());
        }
        organization(root, "referrer", referral.requester());
        if (referral.practitioner() != null) {
            doctor(root, referral);
        }
        organization(root, "destination", referral.owner());
        patient(root, referral.patient());
        if (request != null && request.hasCode()) {
            concept(root, "requestedService", request.getCode());
        }
        for (Condition condition : referral.conditions()) {
            if (condition.hasCode()) {
                concept(root, "diagnosis", condition.getCode());
            }
        }
        for (Observation observation : referral.observations()) {
            Element item = child(root, "observation");
            concept(item, "code", observation.getCode());
            valueText(observation.getValue()).ifPresent(v -> text(item, "value", v));
        }
        if (request != null) {
            for (Annotation note : request.getNote()) {
                if (note.hasText()) {
                    text(root, "note", note.getText());
                }
            }
        }
        for (DocumentReference attachment : referral.attachments()) {
            for (DocumentReference.DocumentReferenceContentComponent content : attachment.getContent()) {
                document(root, "attachment", content.getAttachment(), attachment.getDescription());
            }
        }
        return message(document, ReferralSoapContract.DELIVER_REFERRAL);
    }

    @Override
    public OutboundMessage status(ReferralPackage referral) {
        Document document = xml.newDocument();
        Element root = operation(document, ReferralSoapContract.NOTIFY_REFERRAL_STATUS);
        Task task = referral.task();
        text(root, "referralNumber", referralNumber(task));
        placerNumber(root, referral.request());
        text(root, "status", businessStatus(task));
        if (task.hasStatusReason()) {
            conceptText(task.getStatusReason()).ifPresent(r -> text(root, "reason", r));
        }
        if (task.getRestriction().getPeriod().hasStart()) {
            text(
                    root,
                    "scheduledStart",
                    task.getRestriction().getPeriod().getStartElement().getValueAsString());
        }
        List<Annotation> notes = task.getNote();
        for (int i = notes.size() - 1; i >= 0; i--) {
            if (notes.get(i).hasText()) {
                text(root, "note", notes.get(i).getText());
                break;
            }
        }
        DocumentReference outcome = referral.outcome();
        if (outcome != null && outcome.hasContent()) {
            document(root, "outcome", outcome.getContentFirstRep().getAttachment(), outcome.getDescription());
        }
        return message(document, ReferralSoapContract.NOTIFY_REFERRAL_STATUS);
    }

    /**
     * The business status code of the Task (see the class comment).
     *
     * @throws IllegalArgumentException for a Task whose status has no business status
     */
    static String businessStatus(Task task) {
        for (Coding coding : task.getBusinessStatus().getCoding()) {
            if (CbhCanonical.CS_TASK_BUSINESS_STATUS.equals(coding.getSystem()) && coding.hasCode()) {
                return coding.getCode();
            }
        }
        Task.TaskStatus status = task.getStatus();
        if (status == null) {
            throw new IllegalArgumentException(
                    "Task " + referralNumber(task) + " has neither business status nor status");
        }
        return switch (status) {
            case DRAFT, REQUESTED -> "created";
            case RECEIVED -> "received";
            case ACCEPTED, READY, INPROGRESS -> task.getRestriction()
                            .getPeriod()
                            .hasStart()
                    ? "scheduled"
                    : "accepted";
            case REJECTED -> "declined";
            case COMPLETED -> "completed";
            case CANCELLED -> "cancelled";
            default -> throw new IllegalArgumentException(
                    "Task " + referralNumber(task) + " with status " + status.toCode() + " has no business status");
        };
    }

    private static String referralNumber(Task task) {
        return Objects.requireNonNull(
                task.getIdElement().getIdPart(), "the referral's Task has no id: only stored referrals are delivered");
    }

    private static void placerNumber(Element root, ServiceRequest request) {
        if (request == null) {
            return;
        }
        request.getIdentifier().stream()
                .filter(Identifier::hasValue)
                .findFirst()
                .ifPresent(id -> identifier(root, "placerNumber", id));
    }

    private static void organization(Element parent, String name, Organization organization) {
        Element element = child(parent, name);
        if (organization == null) {
            return;
        }
        if (organization.hasName()) {
            text(element, "name", organization.getName());
        }
        organization.getIdentifier().stream()
                .filter(Identifier::hasValue)
                .forEach(id -> identifier(element, "identifier", id));
        organization.getAddress().stream()
                .map(Address::getCountry)
                .filter(c -> c != null && COUNTRY.matcher(c).matches())
                .findFirst()
                .ifPresent(c -> text(element, "country", c));
    }

    private static void doctor(Element parent, ReferralPackage referral) {
        Element doctor = child(parent, "referringDoctor");
        referral.practitioner().getName().stream()
                .findFirst()
                .map(SoapReferralWriter::fullName)
                .filter(n -> !n.isBlank())
                .ifPresent(n -> text(doctor, "fullName", n));
        if (referral.role() != null && referral.role().hasCode()) {
            conceptText(referral.role().getCodeFirstRep()).ifPresent(p -> text(doctor, "position", p));
        }
        phone(referral.practitioner().getTelecom()).ifPresent(p -> text(doctor, "phone", p));
    }

    private static void patient(Element parent, Patient patient) {
        Element element = child(parent, "patient");
        if (patient == null) {
            return;
        }
        patient.getIdentifier().stream()
                .filter(Identifier::hasValue)
                .forEach(id -> identifier(element, "identifier", id));
        if (patient.hasName()) {
            HumanName name = patient.getName().stream()
                    .filter(n -> n.getUse() == HumanName.NameUse.OFFICIAL)
                    .findFirst()
                    .orElse(patient.getNameFirstRep());
            if (name.hasFamily()) {
                text(element, "lastName", name.getFamily());
            }
            List<StringType> given = name.getGiven();
            if (!given.isEmpty()) {
                text(element, "firstName", given.get(0).getValue());
            }
            if (given.size() > 1) {
                text(
                        element,
                        "middleName",
                        given.subList(1, given.size()).stream()
                                .map(StringType::getValue)
                                .collect(Collectors.joining(" ")));
            }
        }
        if (patient.hasBirthDate()) {
            text(element, "birthDate", patient.getBirthDateElement().getValueAsString());
        }
        if (patient.hasGender()) {
            text(element, "sex", patient.getGender().toCode());
        }
        if (patient.hasAddress()) {
            Address address = patient.getAddressFirstRep();
            Element item = child(element, "address");
            if (address.hasLine()) {
                text(
                        item,
                        "line",
                        address.getLine().stream().map(StringType::getValue).collect(Collectors.joining(", ")));
            }
            if (address.hasCity()) {
                text(item, "city", address.getCity());
            }
            if (address.hasPostalCode()) {
                text(item, "postalCode", address.getPostalCode());
            }
            if (address.hasCountry() && COUNTRY.matcher(address.getCountry()).matches()) {
                text(item, "country", address.getCountry());
            }
        }
        phone(patient.getTelecom()).ifPresent(p -> text(element, "phone", p));
        patient.getCommunication().stream()
                .filter(Patient.PatientCommunicationComponent::getPreferred)
                .findFirst()
                .or(() -> patient.getCommunication().stream().findFirst())
                .flatMap(c -> c.getLanguage().getCoding().stream()
                        .filter(Coding::hasCode)
                        .findFirst())
                .ifPresent(language -> text(element, "preferredLanguage", language.getCode()));
    }

    private static void identifier(Element parent, String name, Identifier identifier) {
        Element element = child(parent, name);
        if (identifier.hasSystem()) {
            text(element, "system", identifier.getSystem());
        }
        text(element, "value", identifier.getValue());
    }

    private static void concept(Element parent, String name, CodeableConcept concept) {
        Element element = child(parent, name);
        for (Coding coding : concept.getCoding()) {
            if (!coding.hasCode()) {
                continue;
            }
            Element item = child(element, "coding");
            if (coding.hasSystem()) {
                text(item, "system", coding.getSystem());
            }
            text(item, "code", coding.getCode());
            if (coding.hasDisplay()) {
                text(item, "display", coding.getDisplay());
            }
        }
        if (concept.hasText()) {
            text(element, "text", concept.getText());
        }
    }

    /** A document: inline data as base64, else its url; an attachment with neither is left out. */
    private static void document(Element parent, String name, Attachment attachment, String description) {
        if (!attachment.hasData() && !attachment.hasUrl()) {
            return;
        }
        Element element = child(parent, name);
        String title = attachment.hasTitle() ? attachment.getTitle() : description;
        if (title != null && !title.isBlank()) {
            text(element, "title", title);
        }
        text(
                element,
                "contentType",
                attachment.hasContentType() ? attachment.getContentType() : "application/octet-stream");
        if (attachment.hasData()) {
            text(element, "data", attachment.getDataElement().getValueAsString());
        } else {
            text(element, "url", attachment.getUrl());
        }
    }

    private static Optional<String> valueText(Type value) {
        if (value instanceof Quantity quantity && quantity.hasValue()) {
            return Optional.of(
                    quantity.getValue().toPlainString() + (quantity.hasUnit() ? " " + quantity.getUnit() : ""));
        }
        if (value instanceof CodeableConcept concept) {
            return conceptText(concept);
        }
        if (value instanceof PrimitiveType<?> primitive && primitive.hasValue()) {
            return Optional.of(primitive.getValueAsString());
        }
        return Optional.empty();
    }

    private static Optional<String> conceptText(CodeableConcept concept) {
        if (concept.hasText()) {
            return Optional.of(concept.getText());
        }
        return concept.getCoding().stream()
                .map(c -> c.hasDisplay() ? c.getDisplay() : c.getCode())
                .filter(Objects::nonNull)
                .findFirst();
    }

    private static Optional<String> phone(List<ContactPoint> telecom) {
        return telecom.stream()
                .filter(t -> t.getSystem() == ContactPoint.ContactPointSystem.PHONE && t.hasValue())
                .map(ContactPoint::getValue)
                .findFirst();
    }

    private static String fullName(HumanName name) {
        if (name.hasText()) {
            return name.getText();
        }
        StringBuilder full = new StringBuilder();
        name.getPrefix().forEach(p -> full.append(p.getValue()).append(' '));
        name.getGiven().forEach(g -> full.append(g.getValue()).append(' '));
        if (name.hasFamily()) {
            full.append(name.getFamily());
        }
        return full.toString().strip();
    }

    private Element operation(Document document, String operation) {
        Element body = SoapVersion.SOAP_11.newBody(document);
        Element root = document.createElementNS(NS, "cbh:" + operation);
        root.setAttributeNS("http://www.w3.org/2000/xmlns/", "xmlns:cbh", NS);
        body.appendChild(root);
        return root;
    }

    private OutboundMessage message(Document document, String operation) {
        return new OutboundMessage(
                xml.write(document),
                CONTENT_TYPE,
                Map.of("SOAPAction", "\"" + ReferralSoapContract.soapAction(operation) + "\""));
    }

    private static Element child(Element parent, String name) {
        Element element = parent.getOwnerDocument().createElementNS(NS, "cbh:" + name);
        parent.appendChild(element);
        return element;
    }

    private static void text(Element parent, String name, String value) {
        child(parent, name).setTextContent(value);
    }
}
