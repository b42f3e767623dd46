package org.cbhealth.routes.soap;

import java.util.List;
import org.cbhealth.routes.fhir.InputProblem;
import org.cbhealth.routes.fhir.InvalidMessageException;
import org.cbhealth.routes.hl7.Hl7v2RejectedException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * Writes SOAP Faults (SOAP 1.1 §4.4, SOAP 1.2 part 1 §5.4) in the version of the request. A message the sender must
 * fix is a {@code Client} (1.2: {@code Sender}) fault whose detail is a {@code Problems} element listing who must
 * act and each problem's location and reason; a failure of the hub is a {@code Server} (1.2: {@code Receiver})
 * fault telling the sender to send again later. The detail element is in the namespace of the service's schema.
 */
public final class SoapFaultWriter {

    private static final String XML_NAMESPACE = "http://www.w3.org/XML/1998/namespace";

    private final HardenedXml xml;
    private final String detailNamespace;

    /** @param detailNamespace namespace of the {@code Problems} detail element (the service's schema) */
    public SoapFaultWriter(HardenedXml xml, String detailNamespace) {
        this.xml = xml;
        this.detailNamespace = detailNamespace;
    }

    /** The sender must fix the message: each located problem of the refusal in the detail. */
    public String senderFault(SoapVersion version, InvalidMessageException refused) {
        return fault(version, true, refused.getMessage(), "sender", problemsOf(refused));
    }

    /** The hub failed (or cannot take the message now): the sender keeps the message and sends it again later. */
    public String hubFault(SoapVersion version, String reason) {
        return fault(version, false, reason, "hub", List.of());
    }

    /**
     * A fault envelope.
     *
     * @param sender true when the sender must fix the message, false when the service failed
     * @param failedBy who must act: sender, hub or receiver
     */
    public String fault(
            SoapVersion version, boolean sender, String faultString, String failedBy, List<InputProblem> problems) {
        Document document = xml.newDocument();
        Element body = version.newBody(document);
        String ns = version.namespace();
        String code = SoapVersion.PREFIX + ":" + (sender ? version.senderFaultCode() : version.receiverFaultCode());
        Element fault = append(body, ns, SoapVersion.PREFIX + ":Fault", null);
        Element detailParent;
        if (version == SoapVersion.SOAP_11) {
            append(fault, null, "faultcode", code);
            append(fault, null, "faultstring", faultString).setAttributeNS(XML_NAMESPACE, "xml:lang", "en");
            detailParent = append(fault, null, "detail", null);
        } else {
            Element value = append(fault, ns, SoapVersion.PREFIX + ":Code", null);
            append(value, ns, SoapVersion.PREFIX + ":Value", code);
            Element reason = append(fault, ns, SoapVersion.PREFIX + ":Reason", null);
            append(reason, ns, SoapVersion.PREFIX + ":Text", faultString)
                    .setAttributeNS(XML_NAMESPACE, "xml:lang", "en");
            detailParent = append(fault, ns, SoapVersion.PREFIX + ":Detail", null);
        }
        Element detail = append(detailParent, detailNamespace, "cbh:Problems", null);
        detail.setAttributeNS("http://www.w3.org/2000/xmlns/", "xmlns:cbh", detailNamespace);
        append(detail, detailNamespace, "cbh:failedBy", failedBy);
        for (InputProblem problem : problems) {
            Element item = append(detail, detailNamespace, "cbh:problem", null);
            append(item, detailNamespace, "cbh:location", problem.location());
            append(item, detailNamespace, "cbh:reason", problem.reason());
        }
        return xml.write(document);
    }

    /** The refusal's located problems; an HL7 v2 refusal's ERR locations; else the whole message as one problem. */
    static List<InputProblem> problemsOf(InvalidMessageException refused) {
        if (refused instanceof Hl7v2RejectedException hl7 && !hl7.errors().isEmpty()) {
            return hl7.errors().stream()
                    .map(e -> new InputProblem(e.location(), e.text()))
                    .toList();
        }
        if (!refused.problems().isEmpty()) {
            return refused.problems();
        }
        return List.of(new InputProblem("message", refused.getMessage()));
    }

    private static Element append(Element parent, String namespace, String name, String text) {
        Element element = parent.getOwnerDocument().createElementNS(namespace, name);
        if (text != null) {
            element.setTextContent(text);
        }
        parent.appendChild(element);
        return element;
    }
}
