package org.cbhealth.routes.soap;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import javax.xml.namespace.QName;
import org.cbhealth.routes.fhir.InputProblem;
import org.cbhealth.routes.fhir.InvalidMessageException;
import org.w3c.dom.Attr;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;

/**
 * Takes the operation element out of a SOAP 1.1 or 1.2 request envelope, parsed with {@link HardenedXml} (no
 * DOCTYPE, no entities, bounded depth). Refused, each with the path of what is wrong: a multipart (MTOM/XOP or
 * attachments) request, anything but a SOAP Envelope, a Body without exactly one element, an operation the service
 * does not have, a header the sender marked mustUnderstand (the hub understands none), and an {@code xop:Include}
 * anywhere in the Body, which is never resolved.
 */
public final class SoapEnvelopeReader {

    /**
     * One request: its SOAP version, the operation element, and that element alone as XML (with the namespace
     * declarations it inherited from the envelope), which is what the hub keeps and translates.
     */
    public record SoapRequest(SoapVersion version, Element payload, byte[] payloadXml) {

        public QName operation() {
            return new QName(payload.getNamespaceURI(), payload.getLocalName());
        }
    }

    private final HardenedXml xml;

    public SoapEnvelopeReader(HardenedXml xml) {
        this.xml = xml;
    }

    /**
     * @param contentType the HTTP Content-Type of the request, or null
     * @param operations the operation elements the service accepts
     * @throws InvalidMessageException naming what is wrong and where
     */
    public SoapRequest read(byte[] envelope, String contentType, Set<QName> operations) {
        if (contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("multipart/")) {
            throw new InvalidMessageException(
                    "SOAP request refused",
                    List.of(new InputProblem(
                            "Content-Type",
                            "a multipart request (MTOM/XOP or SOAP with attachments) is not accepted: send one SOAP"
                                    + " envelope with the content inline (base64)")));
        }
        return unwrap(xml.parse(envelope), operations);
    }

    /** As {@link #read}, for an envelope already parsed with {@link HardenedXml}. */
    public SoapRequest unwrap(Document document, Set<QName> operations) {
        Element envelope = document.getDocumentElement();
        SoapVersion version = "Envelope".equals(envelope.getLocalName())
                ? SoapVersion.ofNamespace(envelope.getNamespaceURI()).orElse(null)
                : null;
        if (version == null) {
            throw refused(
                    "/" + envelope.getNodeName(),
                    "not a SOAP envelope: expected Envelope in namespace " + SoapVersion.SOAP_11.namespace() + " (SOAP"
                            + " 1.1) or " + SoapVersion.SOAP_12.namespace() + " (SOAP 1.2)");
        }
        String ns = version.namespace();
        List<InputProblem> problems = new ArrayList<>();
        Element body = null;
        for (Element child : elements(envelope)) {
            String at = "/Envelope/" + child.getNodeName();
            if (ns.equals(child.getNamespaceURI()) && "Header".equals(child.getLocalName()) && body == null) {
                for (Element header : elements(child)) {
                    String mustUnderstand = header.getAttributeNS(ns, "mustUnderstand");
                    if ("1".equals(mustUnderstand) || "true".equals(mustUnderstand)) {
                        problems.add(new InputProblem(
                                "/Envelope/Header/" + header.getNodeName(),
                                "header marked mustUnderstand is not understood by the hub"));
                    }
                }
            } else if (ns.equals(child.getNamespaceURI()) && "Body".equals(child.getLocalName()) && body == null) {
                body = child;
            } else {
                problems.add(
                        new InputProblem(at, "not expected here: an Envelope holds an optional Header and a Body"));
            }
        }
        if (body == null) {
            problems.add(new InputProblem("/Envelope/Body", "required"));
            throw new InvalidMessageException("SOAP request refused", problems);
        }
        List<Element> parts = elements(body);
        if (parts.isEmpty()) {
            problems.add(new InputProblem("/Envelope/Body", "empty: expected one operation element"));
            throw new InvalidMessageException("SOAP request refused", problems);
        }
        for (int i = 1; i < parts.size(); i++) {
            problems.add(new InputProblem(
                    "/Envelope/Body/" + parts.get(i).getNodeName(), "one operation element per request, not more"));
        }
        Element payload = parts.get(0);
        QName operation = new QName(payload.getNamespaceURI(), payload.getLocalName());
        if (!operations.contains(operation)) {
            problems.add(new InputProblem(
                    "/Envelope/Body/" + payload.getNodeName(),
                    "unknown operation " + operation + "; this service has "
                            + operations.stream().map(QName::toString).sorted().collect(Collectors.joining(", "))));
        }
        xopIncludes(payload, "/Envelope/Body/" + payload.getNodeName(), problems);
        if (!problems.isEmpty()) {
            throw new InvalidMessageException("SOAP request refused", problems);
        }
        return new SoapRequest(version, payload, payloadXml(payload));
    }

    /** The operation element as a document of its own, keeping the namespace declarations of its ancestors. */
    private byte[] payloadXml(Element payload) {
        Document own = xml.newDocument();
        Element copy = (Element) own.importNode(payload, true);
        own.appendChild(copy);
        for (Node up = payload.getParentNode(); up instanceof Element ancestor; up = ancestor.getParentNode()) {
            NamedNodeMap attributes = ancestor.getAttributes();
            for (int i = 0; i < attributes.getLength(); i++) {
                Attr attribute = (Attr) attributes.item(i);
                if ("http://www.w3.org/2000/xmlns/".equals(attribute.getNamespaceURI())
                        && !copy.hasAttributeNS(attribute.getNamespaceURI(), attribute.getLocalName())) {
                    copy.setAttributeNS(attribute.getNamespaceURI(), attribute.getName(), attribute.getValue());
                }
            }
        }
        return xml.write(own).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static void xopIncludes(Element element, String path, List<InputProblem> problems) {
        for (Element child : elements(element)) {
            String at = path + "/" + child.getNodeName();
            if (ElementReader.XOP_NAMESPACE.equals(child.getNamespaceURI())) {
                problems.add(new InputProblem(at, ElementReader.XOP_REFUSED));
            } else {
                xopIncludes(child, at, problems);
            }
        }
    }

    private static List<Element> elements(Element parent) {
        List<Element> elements = new ArrayList<>();
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element) {
                elements.add(element);
            }
        }
        return elements;
    }

    private static InvalidMessageException refused(String location, String reason) {
        return new InvalidMessageException("SOAP request refused", List.of(new InputProblem(location, reason)));
    }
}
