package org.cbhealth.routes.directory.soap;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.cbhealth.routes.fhir.InputProblem;
import org.cbhealth.routes.fhir.InvalidMessageException;
import org.cbhealth.routes.soap.HardenedXml;
import org.cbhealth.routes.soap.SoapVersion;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * One poll of a partner's directory service ({@code directory-service.wsdl}): writes the {@code ListDirectory}
 * request for each page, takes each answer, and once the last page is in gives the whole listing as one {@code
 * PolledDirectory} document, every page as received, in order.
 *
 * <p>Answers are parsed with {@link HardenedXml} (no DOCTYPE, no entities, bounded depth). A poll fails with a
 * {@link DirectoryPollException} naming the page and the reason when an answer is a SOAP Fault, an HTTP error or not
 * a {@code ListDirectoryResponse}, when a page is of another snapshot than the first, out of order, or repeats a
 * page token, when the listing has more than {@code maxPages} pages, and when the records of all pages do not add
 * up to the {@code totalRecords} the service announced. A failed poll gives nothing. One instance per poll; not
 * thread-safe.
 */
public final class DirectoryPoll {

    private static final String SOAP_11 = SoapVersion.SOAP_11.namespace();
    private static final String SOAP_12 = SoapVersion.SOAP_12.namespace();

    private final HardenedXml xml;
    private final int pageSize;
    private final int maxPages;
    private final Document listing;
    private final Set<String> tokens = new HashSet<>();
    private DirectoryPage first;
    private String nextToken;
    private int pages;
    private long records;
    private boolean complete;

    /**
     * @param pageSize the {@code pageSize} asked for (1 to {@value DirectorySoapContract#MAX_PAGE_SIZE})
     * @param maxPages the most pages a listing may have
     */
    public DirectoryPoll(HardenedXml xml, int pageSize, int maxPages) {
        if (pageSize < 1 || pageSize > DirectorySoapContract.MAX_PAGE_SIZE) {
            throw new IllegalArgumentException(
                    "pageSize must be 1 to " + DirectorySoapContract.MAX_PAGE_SIZE + ", not " + pageSize);
        }
        if (maxPages < 1) {
            throw new IllegalArgumentException("maxPages must be at least 1, not " + maxPages);
        }
        this.xml = xml;
        this.pageSize = pageSize;
        this.maxPages = maxPages;
        this.listing = xml.newDocument();
        this.listing.appendChild(this.listing.createElementNS(
                DirectorySoapContract.NAMESPACE, "dir:" + DirectorySoapContract.POLLED_DIRECTORY));
    }

    /** The SOAP 1.1 envelope asking for the next page (the first one until a page came in). */
    public byte[] nextRequest() {
        if (complete) {
            throw new IllegalStateException("the listing is complete");
        }
        Document document = xml.newDocument();
        Element body = SoapVersion.SOAP_11.newBody(document);
        Element request = document.createElementNS(DirectorySoapContract.NAMESPACE, "dir:ListDirectory");
        body.appendChild(request);
        append(request, "pageSize", Integer.toString(pageSize));
        if (nextToken != null) {
            append(request, "pageToken", nextToken);
        }
        return xml.write(document).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Takes the answer to the last request.
     *
     * @param answer the HTTP response body (a SOAP envelope), possibly empty
     * @param httpStatus the HTTP status of the answer
     * @throws DirectoryPollException when the answer ends the poll without a listing
     */
    public void take(byte[] answer, int httpStatus) {
        int number = pages + 1;
        String page = "page " + number;
        if (answer == null || answer.length == 0) {
            throw new DirectoryPollException(page + ": HTTP " + httpStatus + " without a SOAP answer");
        }
        Document document;
        try {
            document = xml.parse(answer);
        } catch (InvalidMessageException e) {
            throw new DirectoryPollException(
                    page + ": HTTP " + httpStatus + ", the answer is not well-formed XML (" + e.getMessage() + ")");
        }
        Element payload = bodyElement(document, page, httpStatus);
        if (isFault(payload)) {
            throw new DirectoryPollException(page + ": " + fault(payload, httpStatus));
        }
        if (httpStatus != 200) {
            throw new DirectoryPollException(page + ": HTTP " + httpStatus + " without a SOAP Fault");
        }
        if (!DirectorySoapContract.NAMESPACE.equals(payload.getNamespaceURI())
                || !DirectorySoapContract.LIST_DIRECTORY_RESPONSE.equals(payload.getLocalName())) {
            throw new DirectoryPollException(page + ": expected {" + DirectorySoapContract.NAMESPACE + "}"
                    + DirectorySoapContract.LIST_DIRECTORY_RESPONSE + ", not " + qualified(payload));
        }
        List<InputProblem> problems = new ArrayList<>();
        DirectoryPage header = DirectoryPage.of(payload, "/" + DirectorySoapContract.LIST_DIRECTORY_RESPONSE, problems);
        if (header == null) {
            throw new DirectoryPollException(page + ": "
                    + String.join(
                            "; ", problems.stream().map(InputProblem::toString).toList()));
        }
        check(header, number, page);
        listing.getDocumentElement().appendChild(listing.importNode(payload, true));
        pages = number;
        records += header.records();
        if (header.nextPageToken() == null) {
            complete = true;
            if (records != first.totalRecords()) {
                throw new DirectoryPollException("the pages do not add up: " + records + " records in " + pages
                        + " pages, the service announced " + first.totalRecords());
            }
        } else {
            nextToken = header.nextPageToken();
        }
    }

    private void check(DirectoryPage header, int number, String page) {
        if (header.page() != number) {
            throw new DirectoryPollException(page + ": the service numbered it " + header.page());
        }
        if (first == null) {
            first = header;
        } else if (!first.snapshot().equals(header.snapshot())) {
            throw new DirectoryPollException(
                    page + ": of another snapshot than page 1; the directory changed while" + " it was read");
        } else if (first.totalRecords() != header.totalRecords()) {
            throw new DirectoryPollException(
                    page + ": announces " + header.totalRecords() + " records, page 1 " + first.totalRecords());
        }
        if (header.nextPageToken() != null) {
            if (!tokens.add(header.nextPageToken())) {
                throw new DirectoryPollException(page + ": repeats the page token of an earlier page");
            }
            if (number >= maxPages) {
                throw new DirectoryPollException(
                        page + ": more pages follow, beyond the limit of " + maxPages + " pages per poll");
            }
        }
    }

    /** True once the last page is in. */
    public boolean complete() {
        return complete;
    }

    public int pages() {
        return pages;
    }

    public long records() {
        return records;
    }

    /** The whole listing, a {@code PolledDirectory} of every page in order, as UTF-8 XML. */
    public byte[] listing() {
        if (!complete) {
            throw new IllegalStateException("the listing is not complete: " + pages + " pages so far");
        }
        return xml.write(listing).getBytes(StandardCharsets.UTF_8);
    }

    private static Element bodyElement(Document document, String page, int httpStatus) {
        Element envelope = document.getDocumentElement();
        String ns = envelope.getNamespaceURI();
        if (!"Envelope".equals(envelope.getLocalName()) || !(SOAP_11.equals(ns) || SOAP_12.equals(ns))) {
            throw new DirectoryPollException(
                    page + ": HTTP " + httpStatus + ", the answer is not a SOAP envelope but " + qualified(envelope));
        }
        Element body = child(envelope, ns, "Body");
        Element payload = body == null ? null : firstElement(body);
        if (payload == null) {
            throw new DirectoryPollException(page + ": HTTP " + httpStatus + ", the SOAP answer has an empty Body");
        }
        return payload;
    }

    private static boolean isFault(Element payload) {
        return "Fault".equals(payload.getLocalName())
                && (SOAP_11.equals(payload.getNamespaceURI()) || SOAP_12.equals(payload.getNamespaceURI()));
    }

    /** "SOAP Fault soap:Client (InvalidPageToken): reason", from a SOAP 1.1 or 1.2 Fault. */
    private static String fault(Element fault, int httpStatus) {
        String code;
        String reason;
        Element detail;
        if (SOAP_11.equals(fault.getNamespaceURI())) {
            code = textOf(child(fault, null, "faultcode"));
            reason = textOf(child(fault, null, "faultstring"));
            detail = child(fault, null, "detail");
        } else {
            Element codeElement = child(fault, SOAP_12, "Code");
            code = codeElement == null ? null : textOf(child(codeElement, SOAP_12, "Value"));
            Element reasonElement = child(fault, SOAP_12, "Reason");
            reason = reasonElement == null ? null : textOf(child(reasonElement, SOAP_12, "Text"));
            detail = child(fault, SOAP_12, "Detail");
        }
        Element directoryFault = detail == null
                ? null
                : child(detail, DirectorySoapContract.NAMESPACE, DirectorySoapContract.DIRECTORY_FAULT);
        String directoryCode =
                directoryFault == null ? null : textOf(child(directoryFault, DirectorySoapContract.NAMESPACE, "code"));
        return "HTTP " + httpStatus + ", SOAP Fault " + (code == null ? "(no code)" : code)
                + (directoryCode == null ? "" : " (" + directoryCode + ")")
                + (reason == null ? "" : ": " + shortened(reason));
    }

    private void append(Element parent, String name, String text) {
        Element element = parent.getOwnerDocument().createElementNS(DirectorySoapContract.NAMESPACE, "dir:" + name);
        element.setTextContent(text);
        parent.appendChild(element);
    }

    /** The first child element {@code name}, in {@code namespace} (or none, for SOAP 1.1's unqualified parts). */
    private static Element child(Element parent, String namespace, String name) {
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element
                    && name.equals(element.getLocalName())
                    && (namespace == null
                            ? element.getNamespaceURI() == null
                            : namespace.equals(element.getNamespaceURI()))) {
                return element;
            }
        }
        return null;
    }

    private static Element firstElement(Element parent) {
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element) {
                return element;
            }
        }
        return null;
    }

    private static String textOf(Element element) {
        return element == null ? null : element.getTextContent().strip();
    }

    private static String qualified(Element element) {
        return "{" + (element.getNamespaceURI() == null ? "" : element.getNamespaceURI()) + "}"
                + element.getLocalName();
    }

    /** A partner's fault text, bounded, on one line. */
    private static String shortened(String text) {
        String line = text.replaceAll("\\s+", " ");
        return line.length() <= 200 ? line : line.substring(0, 200) + "…";
    }
}
