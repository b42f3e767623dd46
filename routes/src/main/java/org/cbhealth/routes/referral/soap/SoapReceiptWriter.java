package org.cbhealth.routes.referral.soap;

import java.util.ArrayList;
import java.util.List;
import org.cbhealth.routes.fhir.InputProblem;
import org.cbhealth.routes.partner.InboundOutcome;
import org.cbhealth.routes.soap.HardenedXml;
import org.cbhealth.routes.soap.SoapVersion;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * Writes the hub's answers to {@code SubmitReferral} and {@code UpdateReferralStatus} ({@code <operation>Response},
 * type {@code Receipt} of {@code cbh-referral-v1.xsd}) once the hub has the message in its custody: {@code stored}
 * with the stored ids and the hub's referral number (the logical id of the stored Task), or {@code kept} (parked
 * for replay) with the reason as a notice. Refusals are SOAP Faults ({@link org.cbhealth.routes.soap.SoapFaultWriter}).
 */
public class SoapReceiptWriter {

    private static final String NS = ReferralSoapContract.NAMESPACE;

    private final HardenedXml xml = new HardenedXml();

    /** The message was stored: what was stored, what was refused of it, which codes were not mapped. */
    public String stored(SoapVersion version, String operation, InboundOutcome outcome) {
        List<InputProblem> notices = new ArrayList<>(outcome.rejected());
        for (String code : outcome.unmappedCodes()) {
            notices.add(new InputProblem(code, "not mapped to the shared value set"));
        }
        String referralNumber = outcome.storedIds().stream()
                .filter(id -> id.startsWith("Task/"))
                .map(id -> id.split("/")[1])
                .findFirst()
                .orElse(null);
        return receipt(version, operation, "stored", referralNumber, outcome.storedIds(), notices);
    }

    /** The message was kept (parked with its reason) and can be replayed; nothing was stored yet. */
    public String kept(SoapVersion version, String operation, String reason) {
        return receipt(version, operation, "kept", null, List.of(), List.of(new InputProblem("message", reason)));
    }

    private String receipt(
            SoapVersion version,
            String operation,
            String disposition,
            String referralNumber,
            List<String> storedIds,
            List<InputProblem> notices) {
        Document document = xml.newDocument();
        Element body = version.newBody(document);
        Element response = document.createElementNS(NS, "cbh:" + operation + "Response");
        response.setAttributeNS("http://www.w3.org/2000/xmlns/", "xmlns:cbh", NS);
        body.appendChild(response);
        append(response, "accepted", "true");
        append(response, "disposition", disposition);
        if (referralNumber != null) {
            append(response, "referralNumber", referralNumber);
        }
        storedIds.forEach(id -> append(response, "storedId", id));
        for (InputProblem notice : notices) {
            Element item = append(response, "notice", null);
            append(item, "location", notice.location());
            append(item, "reason", notice.reason());
        }
        return xml.write(document);
    }

    private static Element append(Element parent, String name, String text) {
        Element element = parent.getOwnerDocument().createElementNS(NS, "cbh:" + name);
        if (text != null) {
            element.setTextContent(text);
        }
        parent.appendChild(element);
        return element;
    }
}
