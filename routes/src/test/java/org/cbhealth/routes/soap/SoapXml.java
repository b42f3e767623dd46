package org.cbhealth.routes.soap;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.concurrent.atomic.AtomicInteger;
import javax.xml.namespace.NamespaceContext;
import javax.xml.transform.dom.DOMSource;
import javax.xml.validation.Schema;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathExpressionException;
import javax.xml.xpath.XPathFactory;
import org.cbhealth.routes.referral.soap.ReferralSoapContract;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/** Test support: parse the hub's XML output, read values by XPath, validate against the referral schema. */
public final class SoapXml {

    private static final Schema SCHEMA =
            HardenedXml.schema(SoapXml.class.getClassLoader().getResource(ReferralSoapContract.SCHEMA));

    private final Document document;
    private final XPath xpath;

    private SoapXml(Document document) {
        this.document = document;
        this.xpath = XPathFactory.newDefaultInstance().newXPath();
        xpath.setNamespaceContext(new NamespaceContext() {
            @Override
            public String getNamespaceURI(String prefix) {
                return switch (prefix) {
                    case "s11" -> SoapVersion.SOAP_11.namespace();
                    case "s12" -> SoapVersion.SOAP_12.namespace();
                    case "cbh" -> ReferralSoapContract.NAMESPACE;
                    case "xml" -> javax.xml.XMLConstants.XML_NS_URI;
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

    public static SoapXml of(String xml) {
        return new SoapXml(new HardenedXml().parse(xml.getBytes(StandardCharsets.UTF_8)));
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

    /** Validates the element at the XPath against {@code cbh-referral-v1.xsd}; throws with the schema's message. */
    public void assertValid(String expression) {
        try {
            Node node = (Node) xpath.evaluate(expression, document, XPathConstants.NODE);
            if (!(node instanceof Element element)) {
                throw new AssertionError("no element at " + expression);
            }
            SCHEMA.newValidator().validate(new DOMSource(element));
        } catch (SAXException e) {
            throw new AssertionError("not valid against " + ReferralSoapContract.SCHEMA + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (XPathExpressionException e) {
            throw new IllegalArgumentException(expression, e);
        }
    }

    public static byte[] sample(String path) {
        try (InputStream in = SoapXml.class.getResourceAsStream("/samples/referral/" + path)) {
            if (in == null) {
                throw new IllegalArgumentException("no sample " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A local HTTP server that only counts requests, to prove that nothing is ever fetched. */
    public static final class CountingServer implements AutoCloseable {

        private final com.sun.net.httpserver.HttpServer server;
        private final AtomicInteger requests = new AtomicInteger();

        public CountingServer() {
            try {
                server = com.sun.net.httpserver.HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            server.createContext("/", exchange -> {
                requests.incrementAndGet();
                byte[] body = "<!ENTITY leaked \"fetched\">".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.start();
        }

        public String url(String path) {
            return "http://127.0.0.1:" + server.getAddress().getPort() + path;
        }

        public int requests() {
            return requests.get();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
