package org.cbhealth.routes.referral.soap;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.xml.namespace.QName;
import org.cbhealth.routes.fhir.InputProblem;
import org.cbhealth.routes.fhir.InvalidMessageException;
import org.cbhealth.routes.referral.TreatmentAbroadApplication;
import org.cbhealth.routes.referral.TreatmentAbroadReader;
import org.cbhealth.routes.soap.ElementReader;
import org.cbhealth.routes.soap.HardenedXml;
import org.cbhealth.routes.soap.SoapEnvelopeReader;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * Reads the {@code SubmitReferral} element of {@code referral-service.wsdl} (alone, or inside a SOAP envelope) into
 * a {@link TreatmentAbroadApplication}, then runs the same checks as the JSON application ({@link
 * TreatmentAbroadReader#check}). XML is parsed hardened (no DOCTYPE, no entities, no XInclude, bounded depth).
 * Unknown and repeated elements, text where elements belong and MTOM/XOP references are reported together with the
 * failed checks, each located by an XPath-like path from the operation element, e.g. {@code
 * /SubmitReferral/patient/rnokpp}.
 */
public class SoapReferralReader {

    private static final QName OPERATION =
            new QName(ReferralSoapContract.NAMESPACE, ReferralSoapContract.SUBMIT_REFERRAL);
    private static final String ROOT = "/" + ReferralSoapContract.SUBMIT_REFERRAL;

    private final HardenedXml xml = new HardenedXml();
    private final SoapEnvelopeReader envelopes = new SoapEnvelopeReader(xml);
    private final TreatmentAbroadReader checks;

    /** @param checks the JSON application's reader, whose checks this reader runs on the XML application */
    public SoapReferralReader(TreatmentAbroadReader checks) {
        this.checks = checks;
    }

    /**
     * @throws InvalidMessageException listing every problem with its path
     */
    public TreatmentAbroadApplication read(byte[] message) {
        Element payload = operationElement(xml.parse(message));
        List<InputProblem> problems = new ArrayList<>();
        ElementReader root = ElementReader.root(payload, ReferralSoapContract.NAMESPACE, problems);
        TreatmentAbroadApplication application = new TreatmentAbroadApplication(
                root.text("applicationNumber"),
                root.text("submitted"),
                root.child("referringFacility")
                        .map(SoapReferralReader::facility)
                        .orElse(null),
                root.child("referringDoctor").map(SoapReferralReader::doctor).orElse(null),
                root.child("targetFacility").map(SoapReferralReader::target).orElse(null),
                root.child("patient").map(SoapReferralReader::applicant).orElse(null),
                root.children("diagnosis").stream()
                        .map(SoapReferralReader::diagnosis)
                        .toList(),
                root.child("requestedService")
                        .map(SoapReferralReader::requestedService)
                        .orElse(null),
                root.text("reason"),
                root.children("attachment").stream()
                        .map(SoapReferralReader::attachment)
                        .toList());
        root.finish();
        for (InputProblem problem : checks.check(application)) {
            problems.add(new InputProblem(xmlPath(problem.location()), problem.reason()));
        }
        if (!problems.isEmpty()) {
            throw new InvalidMessageException("Application refused", problems);
        }
        return application;
    }

    private Element operationElement(Document document) {
        Element root = document.getDocumentElement();
        if ("Envelope".equals(root.getLocalName())
                && org.cbhealth.routes.soap.SoapVersion.ofNamespace(root.getNamespaceURI())
                        .isPresent()) {
            return envelopes.unwrap(document, Set.of(OPERATION)).payload();
        }
        if (!OPERATION.equals(new QName(root.getNamespaceURI(), root.getLocalName()))) {
            throw new InvalidMessageException(
                    "Application refused",
                    List.of(new InputProblem(
                            "/" + root.getNodeName(),
                            "expected " + OPERATION + ": this channel takes applications for treatment abroad")));
        }
        return root;
    }

    /**
     * A JSON pointer of the application's checks as the path of the XML element: {@code /patient/rnokpp} →
     * {@code /SubmitReferral/patient/rnokpp}, {@code /attachments/0/url} → {@code /SubmitReferral/attachment[1]/url}.
     */
    static String xmlPath(String pointer) {
        StringBuilder path = new StringBuilder(ROOT);
        String[] segments = pointer.split("/");
        for (int i = 1; i < segments.length; i++) {
            String segment = segments[i];
            if (segment.chars().allMatch(Character::isDigit) && !segment.isEmpty()) {
                path.append('[').append(Integer.parseInt(segment) + 1).append(']');
            } else {
                path.append('/').append("attachments".equals(segment) ? "attachment" : segment);
            }
        }
        return path.toString();
    }

    private static TreatmentAbroadApplication.Facility facility(ElementReader e) {
        var facility = new TreatmentAbroadApplication.Facility(
                e.text("edrpou"), e.text("name"), e.text("city"), e.text("country"));
        e.finish();
        return facility;
    }

    private static TreatmentAbroadApplication.Doctor doctor(ElementReader e) {
        var doctor = new TreatmentAbroadApplication.Doctor(e.text("fullName"), e.text("position"), e.text("phone"));
        e.finish();
        return doctor;
    }

    private static TreatmentAbroadApplication.TargetFacility target(ElementReader e) {
        var target =
                new TreatmentAbroadApplication.TargetFacility(e.text("registryId"), e.text("name"), e.text("country"));
        e.finish();
        return target;
    }

    private static TreatmentAbroadApplication.Applicant applicant(ElementReader e) {
        var applicant = new TreatmentAbroadApplication.Applicant(
                e.text("rnokpp"),
                e.text("lastName"),
                e.text("firstName"),
                e.text("patronymic"),
                e.text("birthDate"),
                e.text("sex"),
                e.child("address").map(SoapReferralReader::address).orElse(null),
                e.text("phone"),
                e.text("preferredLanguage"));
        e.finish();
        return applicant;
    }

    private static TreatmentAbroadApplication.Address address(ElementReader e) {
        var address = new TreatmentAbroadApplication.Address(
                e.text("line"), e.text("city"), e.text("postalCode"), e.text("country"));
        e.finish();
        return address;
    }

    private static TreatmentAbroadApplication.Diagnosis diagnosis(ElementReader e) {
        var diagnosis = new TreatmentAbroadApplication.Diagnosis(e.text("icd10"), e.text("text"));
        e.finish();
        return diagnosis;
    }

    private static TreatmentAbroadApplication.RequestedService requestedService(ElementReader e) {
        var service = new TreatmentAbroadApplication.RequestedService(
                e.text("specialtyCode"), e.text("specialtyText"), e.text("urgency"));
        e.finish();
        return service;
    }

    private static TreatmentAbroadApplication.Attachment attachment(ElementReader e) {
        var attachment =
                new TreatmentAbroadApplication.Attachment(e.text("title"), e.text("contentType"), e.text("url"));
        e.finish();
        return attachment;
    }
}
