package org.cbhealth.routes.directory.soap;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import javax.xml.namespace.NamespaceContext;
import javax.xml.transform.dom.DOMSource;
import javax.xml.validation.Schema;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathExpressionException;
import javax.xml.xpath.XPathFactory;
import org.cbhealth.routes.soap.HardenedXml;
import org.cbhealth.routes.soap.SoapVersion;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/** Test support: the directory fixtures, XPath over directory messages, validation against the directory schema. */
public final class DirectoryXml {

    private static final Schema SCHEMA =
            HardenedXml.schema(DirectoryXml.class.getClassLoader().getResource(DirectorySoapContract.SCHEMA));

    private final Document document;
    private final XPath xpath;

    private DirectoryXml(Document document) {
        this.document = document;
        this.xpath = XPathFactory.newDefaultInstance().newXPath();
        xpath.setNamespaceContext(new NamespaceContext() {
            @Override
            public String getNamespaceURI(String prefix) {
                return switch (prefix) {
                    case "s11" -> SoapVersion.SOAP_11.namespace();
                    case "dir" -> DirectorySoapContract.NAMESPACE;
                    default -> null;
                };
            }

            @Override
            public String getPrefix(String namespaceURI) {
                return null;
            }

            @Override
            public Iterator<String> getPrefixes(String namespaceURI) {
                return null;
            }
        });
    }

    public static DirectoryXml of(byte[] xml) {
        return new DirectoryXml(new HardenedXml().parse(xml));
    }

    public static DirectoryXml of(String xml) {
        return of(xml.getBytes(StandardCharsets.UTF_8));
    }

    /** A fixture under {@code src/test/resources/directory/soap/}. */
    public static byte[] fixture(String name) {
        try (InputStream in = DirectoryXml.class.getResourceAsStream("/directory/soap/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The fixture's text with {@code from} replaced by {@code to} (exactly once), for variants of a good listing. */
    public static byte[] fixtureWith(String name, String from, String to) {
        String text = new String(fixture(name), StandardCharsets.UTF_8);
        int at = text.indexOf(from);
        if (at < 0 || text.indexOf(from, at + 1) >= 0) {
            throw new IllegalArgumentException("'" + from + "' is not in " + name + " exactly once");
        }
        return text.replace(from, to).getBytes(StandardCharsets.UTF_8);
    }

    /** The text at the XPath ("" when nothing is there). */
    public String text(String expression) {
        try {
            return xpath.evaluate(expression, document);
        } catch (XPathExpressionException e) {
            throw new IllegalArgumentException(expression, e);
        }
    }

    public int count(String expression) {
        try {
            return ((Number) xpath.evaluate("count(" + expression + ")", document, XPathConstants.NUMBER)).intValue();
        } catch (XPathExpressionException e) {
            throw new IllegalArgumentException(expression, e);
        }
    }

    /** Validates the element at the XPath against {@code cbh-directory-v1.xsd}; throws with the schema's message. */
    public void assertValid(String expression) {
        try {
            Node node = (Node) xpath.evaluate(expression, document, XPathConstants.NODE);
            if (!(node instanceof Element element)) {
                throw new AssertionError("no element at " + expression);
            }
            SCHEMA.newValidator().validate(new DOMSource(element));
        } catch (SAXException e) {
            throw new AssertionError("not valid against " + DirectorySoapContract.SCHEMA + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (XPathExpressionException e) {
            throw new IllegalArgumentException(expression, e);
        }
    }

    /** A SOAP 1.1 envelope around {@code payload}. */
    public static String envelope(String payload) {
        return "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body>" + payload
                + "</s:Body></s:Envelope>";
    }

    /** One page's response envelope with {@code records} department records, coded {@code D<page>-<n>}. */
    public static String page(String snapshot, int page, int total, int records, String nextPageToken) {
        StringBuilder xml = new StringBuilder("<d:ListDirectoryResponse xmlns:d=\"" + DirectorySoapContract.NAMESPACE
                + "\"><d:snapshot>" + snapshot + "</d:snapshot><d:page>" + page + "</d:page><d:totalRecords>" + total
                + "</d:totalRecords>");
        for (int i = 1; i <= records; i++) {
            xml.append("<d:department><d:departmentCode>D")
                    .append(page)
                    .append('-')
                    .append(i)
                    .append("</d:departmentCode><d:name lang=\"sl\">Oddelek ")
                    .append(page)
                    .append('-')
                    .append(i)
                    .append("</d:name></d:department>");
        }
        if (nextPageToken != null) {
            xml.append("<d:nextPageToken>").append(nextPageToken).append("</d:nextPageToken>");
        }
        return envelope(xml.append("</d:ListDirectoryResponse>").toString());
    }
}
