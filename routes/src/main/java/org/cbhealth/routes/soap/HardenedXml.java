package org.cbhealth.routes.soap;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.net.URL;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.stream.Location;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;
import org.cbhealth.routes.fhir.InputProblem;
import org.cbhealth.routes.fhir.InvalidMessageException;
import org.w3c.dom.Document;
import org.w3c.dom.Node;
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * XML from partners parsed, and XML for partners written, with the JDK's own implementations hardened as the OWASP
 * XXE prevention cheat sheet says: a document type declaration (DOCTYPE) is refused with a clear problem, so no
 * entity is ever declared, expanded or fetched; no external DTD, schema or stylesheet is loaded; XInclude is off;
 * JAXP secure processing and its entity limits are on; elements nested deeper than {@link #MAX_DEPTH} are refused.
 *
 * <p>A first streaming pass refuses a DOCTYPE and deep nesting with their line and column before any tree is built;
 * the DOM parse that follows is configured to refuse the same, in case the first pass is ever bypassed.
 */
public final class HardenedXml {

    /** Deepest element nesting accepted; the referral messages need fewer than 10 levels inside a SOAP envelope. */
    public static final int MAX_DEPTH = 64;

    private static final String DOCTYPE_REFUSED =
            "a document type declaration (DOCTYPE) is not accepted: entities are never declared, expanded or fetched";

    /** Configured once; only used to create builders, which the JDK's implementation does safely from any thread. */
    private final DocumentBuilderFactory domFactory;

    public HardenedXml() {
        domFactory = DocumentBuilderFactory.newDefaultInstance();
        try {
            domFactory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            domFactory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            domFactory.setFeature("http://xml.org/sax/features/external-general-entities", false);
            domFactory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            domFactory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK XML parser does not support hardening", e);
        }
        domFactory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        domFactory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        domFactory.setAttribute("jdk.xml.maxElementDepth", Integer.toString(MAX_DEPTH));
        domFactory.setAttribute("jdk.xml.entityExpansionLimit", "100");
        domFactory.setNamespaceAware(true);
        domFactory.setXIncludeAware(false);
        domFactory.setExpandEntityReferences(false);
        domFactory.setValidating(false);
    }

    /**
     * Parses a whole message into a namespace-aware DOM.
     *
     * @throws InvalidMessageException naming line and column when the bytes are not well-formed XML, carry a
     *     DOCTYPE or nest elements too deeply
     */
    public Document parse(byte[] xml) {
        scan(xml);
        try {
            DocumentBuilder builder = domFactory.newDocumentBuilder();
            builder.setErrorHandler(RETHROW);
            builder.setEntityResolver((publicId, systemId) -> {
                throw new SAXException("external entity '" + systemId + "' is not resolved");
            });
            return builder.parse(new ByteArrayInputStream(xml));
        } catch (SAXParseException e) {
            throw refused(
                    "line " + e.getLineNumber() + ", column " + e.getColumnNumber(),
                    e.getMessage() != null && e.getMessage().contains("DOCTYPE")
                            ? DOCTYPE_REFUSED
                            : "not well-formed XML: " + e.getMessage());
        } catch (SAXException e) {
            throw refused("message", "not well-formed XML: " + e.getMessage());
        } catch (IOException | ParserConfigurationException e) {
            throw new IllegalStateException("reading XML from memory failed", e);
        }
    }

    /** The streaming pass: well-formedness, no DOCTYPE, bounded depth. */
    private static void scan(byte[] xml) {
        // a factory per message: StAX factories are not promised to be thread-safe
        XMLInputFactory streamFactory = XMLInputFactory.newDefaultFactory();
        streamFactory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        streamFactory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        streamFactory.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        streamFactory.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        try {
            XMLStreamReader reader = streamFactory.createXMLStreamReader(new ByteArrayInputStream(xml));
            try {
                int depth = 0;
                while (reader.hasNext()) {
                    int event = reader.next();
                    if (event == XMLStreamConstants.DTD) {
                        throw refused(where(reader.getLocation()), DOCTYPE_REFUSED);
                    } else if (event == XMLStreamConstants.START_ELEMENT && ++depth > MAX_DEPTH) {
                        throw refused(
                                where(reader.getLocation()),
                                "elements nested deeper than " + MAX_DEPTH + " levels are not accepted");
                    } else if (event == XMLStreamConstants.END_ELEMENT) {
                        depth--;
                    }
                }
            } finally {
                reader.close();
            }
        } catch (XMLStreamException e) {
            String message = e.getMessage() == null ? "" : e.getMessage();
            int at = message.indexOf("Message: ");
            throw refused(
                    e.getLocation() == null ? "message" : where(e.getLocation()),
                    "not well-formed XML: " + (at < 0 ? message : message.substring(at + "Message: ".length())));
        }
    }

    /** A new, empty namespace-aware document to build a message in. */
    public Document newDocument() {
        try {
            return domFactory.newDocumentBuilder().newDocument();
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The node as UTF-8 XML text, with an XML declaration when it is a document. */
    public String write(Node node) {
        try {
            TransformerFactory factory = TransformerFactory.newDefaultInstance();
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_STYLESHEET, "");
            Transformer transformer = factory.newTransformer();
            transformer.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
            transformer.setOutputProperty(
                    OutputKeys.OMIT_XML_DECLARATION, node.getNodeType() == Node.DOCUMENT_NODE ? "no" : "yes");
            StringWriter out = new StringWriter();
            transformer.transform(new DOMSource(node), new StreamResult(out));
            return out.toString();
        } catch (TransformerException e) {
            throw new IllegalStateException("writing XML failed", e);
        }
    }

    /** A W3C XML Schema from the class path; its imports and includes are resolved only next to it. */
    public static Schema schema(URL xsd) {
        try {
            SchemaFactory factory = SchemaFactory.newDefaultInstance();
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            factory.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "jar:file,file");
            return factory.newSchema(xsd);
        } catch (SAXException e) {
            throw new IllegalStateException("schema " + xsd + " does not load", e);
        }
    }

    private static String where(Location location) {
        return "line " + location.getLineNumber() + ", column " + location.getColumnNumber();
    }

    private static InvalidMessageException refused(String location, String reason) {
        return new InvalidMessageException("XML refused", List.of(new InputProblem(location, reason)));
    }

    private static final ErrorHandler RETHROW = new ErrorHandler() {
        @Override
        public void warning(SAXParseException exception) {
            // warnings do not refuse a message
        }

        @Override
        public void error(SAXParseException exception) throws SAXException {
            throw exception;
        }

        @Override
        public void fatalError(SAXParseException exception) throws SAXException {
            throw exception;
        }
    };
}
