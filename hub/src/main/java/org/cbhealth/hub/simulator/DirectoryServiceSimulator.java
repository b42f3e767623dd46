package org.cbhealth.hub.simulator;

import jakarta.xml.ws.Provider;
import jakarta.xml.ws.Service;
import jakarta.xml.ws.ServiceMode;
import jakarta.xml.ws.WebServiceProvider;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.xml.namespace.QName;
import javax.xml.transform.dom.DOMSource;
import org.apache.cxf.binding.soap.SoapFault;
import org.cbhealth.routes.directory.soap.DirectorySoapContract;
import org.cbhealth.routes.directory.soap.DirectorySoapContract.FaultCode;
import org.cbhealth.routes.soap.HardenedXml;
import org.cbhealth.routes.soap.SoapVersion;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * A partner's legacy SOAP directory service, for tests and the demo: implements {@code ListDirectory} of {@code
 * wsdl/directory-service.wsdl} (a CXF JAX-WS Provider, PAYLOAD mode) over a directory read from a fixture, a {@code
 * ListDirectoryResponse} holding every record. It pages the records as a real service would: each page at most
 * {@code pageSize} records, an opaque {@code nextPageToken} while more follow, every page with the snapshot of the
 * directory it shows; a new directory ({@link #serve}) is a new snapshot, and tokens of the old one are answered
 * {@code SnapshotExpired}.
 *
 * <p>It fails on demand ({@link #fail}): every request answered with a {@code soap:Server} Fault ({@code
 * ServiceUnavailable}), or only the pages after the first (a listing that cannot be completed). A bad request is
 * answered with a {@code soap:Client} Fault: {@code InvalidRequest} (page size out of range), {@code
 * InvalidPageToken}.
 */
@WebServiceProvider(
        serviceName = "DirectoryService",
        portName = "DirectoryServiceSoap11",
        targetNamespace = DirectorySoapContract.NAMESPACE,
        wsdlLocation = DirectorySoapContract.WSDL)
@ServiceMode(Service.Mode.PAYLOAD)
public class DirectoryServiceSimulator implements Provider<DOMSource> {

    /** How the service fails. */
    public enum Failure {
        /** It answers. */
        NONE,
        /** Every request is answered with a soap:Server Fault. */
        EVERY_REQUEST,
        /** The first page is answered, every later one with a soap:Server Fault. */
        PAGES_AFTER_THE_FIRST
    }

    /** The page size when the request asks none. */
    public static final int DEFAULT_PAGE_SIZE = 100;

    private static final String NS = DirectorySoapContract.NAMESPACE;
    private static final String SOAP_11 = SoapVersion.SOAP_11.namespace();

    private final HardenedXml xml = new HardenedXml();
    private final AtomicInteger requests = new AtomicInteger();
    private volatile int lastPageSize;
    private volatile Failure failure = Failure.NONE;
    private Snapshot snapshot;
    private int snapshots;

    /** One state of the directory: its records, in the order of the schema. */
    private record Snapshot(String id, String generated, List<Element> records) {}

    /** @param directory a {@code ListDirectoryResponse} holding every record of the directory */
    public DirectoryServiceSimulator(byte[] directory) {
        serve(directory);
    }

    /** Serves another directory from now on: a new snapshot. */
    public synchronized void serve(byte[] directory) {
        Element root = xml.parse(directory).getDocumentElement();
        if (!NS.equals(root.getNamespaceURI())
                || !DirectorySoapContract.LIST_DIRECTORY_RESPONSE.equals(root.getLocalName())) {
            throw new IllegalArgumentException("a directory is a {" + NS + "}ListDirectoryResponse with every record");
        }
        List<Element> records = new ArrayList<>();
        for (Node node = root.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element
                    && NS.equals(element.getNamespaceURI())
                    && List.of("site", "department", "practitioner", "endpoint", "affiliation")
                            .contains(element.getLocalName())) {
                records.add(element);
            }
        }
        snapshots++;
        snapshot = new Snapshot(
                "S" + snapshots,
                OffsetDateTime.now(ZoneOffset.UTC)
                        .truncatedTo(ChronoUnit.SECONDS)
                        .toString(),
                List.copyOf(records));
    }

    /** How the service fails from now on; {@link Failure#NONE} to answer again. */
    public void fail(Failure failure) {
        this.failure = failure;
    }

    /** Requests received so far, answered or not. */
    public int requests() {
        return requests.get();
    }

    /** The page size the last answered request asked for (0 before any). */
    public int lastPageSize() {
        return lastPageSize;
    }

    @Override
    public synchronized DOMSource invoke(DOMSource request) {
        requests.incrementAndGet();
        Element operation = request.getNode() instanceof Document document
                ? document.getDocumentElement()
                : (Element) request.getNode();
        if (failure == Failure.EVERY_REQUEST) {
            throw fault("Server", FaultCode.ServiceUnavailable, "the directory service is not available now");
        }
        int pageSize = pageSize(operation);
        lastPageSize = pageSize;
        String token = text(operation, "pageToken");
        int page = 1;
        int offset = 0;
        if (token != null) {
            String[] parts = decode(token);
            if (!parts[0].equals(snapshot.id())) {
                throw fault(
                        "Client",
                        FaultCode.SnapshotExpired,
                        "the page token is of a snapshot no longer kept; start again from the first page");
            }
            page = Integer.parseInt(parts[1]);
            offset = Integer.parseInt(parts[2]);
        }
        if (page > 1 && failure == Failure.PAGES_AFTER_THE_FIRST) {
            throw fault("Server", FaultCode.ServiceUnavailable, "the directory service is not available now");
        }
        return new DOMSource(page(page, offset, pageSize));
    }

    private Document page(int page, int offset, int pageSize) {
        Document document = xml.newDocument();
        Element response = document.createElementNS(NS, "dir:" + DirectorySoapContract.LIST_DIRECTORY_RESPONSE);
        document.appendChild(response);
        append(response, "snapshot", snapshot.id());
        append(response, "generated", snapshot.generated());
        append(response, "page", Integer.toString(page));
        append(response, "totalRecords", Integer.toString(snapshot.records().size()));
        int end = Math.min(offset + pageSize, snapshot.records().size());
        for (Element record : snapshot.records().subList(Math.min(offset, end), end)) {
            response.appendChild(document.importNode(record, true));
        }
        if (end < snapshot.records().size()) {
            append(response, "nextPageToken", encode(snapshot.id() + ":" + (page + 1) + ":" + end));
        }
        return document;
    }

    private static int pageSize(Element operation) {
        String text = text(operation, "pageSize");
        if (text == null) {
            return DEFAULT_PAGE_SIZE;
        }
        try {
            int size = Integer.parseInt(text);
            if (size >= 1 && size <= DirectorySoapContract.MAX_PAGE_SIZE) {
                return size;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw fault(
                "Client",
                FaultCode.InvalidRequest,
                "pageSize '" + text + "' is not a whole number from 1 to " + DirectorySoapContract.MAX_PAGE_SIZE);
    }

    /** snapshot, page and offset of a token this service issued. */
    private static String[] decode(String token) {
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8).split(":");
            if (parts.length == 3 && Integer.parseInt(parts[1]) > 1 && Integer.parseInt(parts[2]) > 0) {
                return parts;
            }
        } catch (IllegalArgumentException e) {
            // answered below (NumberFormatException is one)
        }
        throw fault("Client", FaultCode.InvalidPageToken, "this service never issued the page token");
    }

    private static String encode(String token) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(token.getBytes(StandardCharsets.UTF_8));
    }

    private static String text(Element parent, String name) {
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element
                    && NS.equals(element.getNamespaceURI())
                    && name.equals(element.getLocalName())) {
                return element.getTextContent().strip();
            }
        }
        return null;
    }

    private static void append(Element parent, String name, String text) {
        Element element = parent.getOwnerDocument().createElementNS(NS, "dir:" + name);
        element.setTextContent(text);
        parent.appendChild(element);
    }

    /** A SOAP 1.1 Fault ({@code Client} or {@code Server}) with a {@code DirectoryFault} detail. */
    private static SoapFault fault(String faultCode, FaultCode code, String message) {
        SoapFault fault = new SoapFault(message, new QName(SOAP_11, faultCode));
        Element detail = fault.getOrCreateDetail();
        Document document = detail.getOwnerDocument();
        Element directoryFault = document.createElementNS(NS, "dir:" + DirectorySoapContract.DIRECTORY_FAULT);
        Element codeElement = document.createElementNS(NS, "dir:code");
        codeElement.setTextContent(code.name());
        Element messageElement = document.createElementNS(NS, "dir:message");
        messageElement.setTextContent(message);
        directoryFault.appendChild(codeElement);
        directoryFault.appendChild(messageElement);
        detail.appendChild(directoryFault);
        return fault;
    }
}
