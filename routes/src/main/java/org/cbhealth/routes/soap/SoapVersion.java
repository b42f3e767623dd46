package org.cbhealth.routes.soap;

import java.util.Locale;
import java.util.Optional;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * SOAP 1.1 and SOAP 1.2: envelope namespace, HTTP content type, and the fault codes for "the sender must fix the
 * message" (1.1 {@code Client}, 1.2 {@code Sender}) and "the service failed" (1.1 {@code Server}, 1.2 {@code
 * Receiver}). The hub answers in the version of the request.
 */
public enum SoapVersion {
    SOAP_11("http://schemas.xmlsoap.org/soap/envelope/", "text/xml; charset=UTF-8", "Client", "Server"),
    SOAP_12("http://www.w3.org/2003/05/soap-envelope", "application/soap+xml; charset=UTF-8", "Sender", "Receiver");

    /** Prefix of the envelope namespace in the messages the hub writes. */
    public static final String PREFIX = "soap";

    private final String namespace;
    private final String contentType;
    private final String senderFaultCode;
    private final String receiverFaultCode;

    SoapVersion(String namespace, String contentType, String senderFaultCode, String receiverFaultCode) {
        this.namespace = namespace;
        this.contentType = contentType;
        this.senderFaultCode = senderFaultCode;
        this.receiverFaultCode = receiverFaultCode;
    }

    public String namespace() {
        return namespace;
    }

    /** Content type of a message in this version, always UTF-8. */
    public String contentType() {
        return contentType;
    }

    /** Local name of the fault code when the sender must fix the message. */
    public String senderFaultCode() {
        return senderFaultCode;
    }

    /** Local name of the fault code when the service failed. */
    public String receiverFaultCode() {
        return receiverFaultCode;
    }

    /** The version whose envelope namespace this is, or empty for anything else. */
    public static Optional<SoapVersion> ofNamespace(String namespace) {
        for (SoapVersion version : values()) {
            if (version.namespace.equals(namespace)) {
                return Optional.of(version);
            }
        }
        return Optional.empty();
    }

    /**
     * The version an HTTP content type announces: {@code application/soap+xml} is SOAP 1.2, anything else
     * (usually {@code text/xml}) SOAP 1.1. Used to answer a request whose envelope could not be read.
     */
    public static SoapVersion ofContentType(String contentType) {
        return contentType != null && contentType.toLowerCase(Locale.ROOT).contains("application/soap+xml")
                ? SOAP_12
                : SOAP_11;
    }

    /** A new envelope with an empty Body in {@code document}; returns the Body to put the payload in. */
    public Element newBody(Document document) {
        Element envelope = document.createElementNS(namespace, PREFIX + ":Envelope");
        envelope.setAttributeNS("http://www.w3.org/2000/xmlns/", "xmlns:" + PREFIX, namespace);
        document.appendChild(envelope);
        Element body = document.createElementNS(namespace, PREFIX + ":Body");
        envelope.appendChild(body);
        return body;
    }
}
