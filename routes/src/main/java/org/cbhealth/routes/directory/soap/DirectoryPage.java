package org.cbhealth.routes.directory.soap;

import java.math.BigInteger;
import java.util.List;
import java.util.Set;
import org.cbhealth.routes.fhir.InputProblem;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * What a {@code ListDirectoryResponse} says of its place in the listing: the snapshot it belongs to, its page number,
 * the records the whole listing holds, the token of the next page (null on the last one), and how many records this
 * page carries (a practitioner with their roles is one).
 */
public record DirectoryPage(String snapshot, int page, long totalRecords, String nextPageToken, int records) {

    /** The record elements of a page. */
    static final Set<String> RECORDS = Set.of("site", "department", "practitioner", "endpoint", "affiliation");

    /**
     * Reads the page's header elements; each one missing or malformed is added to {@code problems} at {@code path}.
     *
     * @return the page, or null when its header has a problem
     */
    static DirectoryPage of(Element response, String path, List<InputProblem> problems) {
        int before = problems.size();
        String snapshot = text(response, "snapshot");
        if (snapshot == null || snapshot.isEmpty()) {
            problems.add(new InputProblem(path + "/snapshot", "required"));
        }
        Integer page = number(response, "page", path, 1, problems);
        Integer total = number(response, "totalRecords", path, 0, problems);
        String next = text(response, "nextPageToken");
        if (next != null && next.isEmpty()) {
            problems.add(new InputProblem(path + "/nextPageToken", "empty; leave it out on the last page"));
        }
        int records = 0;
        for (Node node = response.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element child
                    && DirectorySoapContract.NAMESPACE.equals(child.getNamespaceURI())
                    && RECORDS.contains(child.getLocalName())) {
                records++;
            }
        }
        if (problems.size() > before) {
            return null;
        }
        return new DirectoryPage(snapshot, page, total, next, records);
    }

    private static Integer number(Element response, String name, String path, int min, List<InputProblem> problems) {
        String text = text(response, name);
        if (text == null) {
            problems.add(new InputProblem(path + "/" + name, "required"));
            return null;
        }
        try {
            BigInteger value = new BigInteger(text);
            if (value.compareTo(BigInteger.valueOf(min)) < 0 || value.bitLength() > 31) {
                problems.add(new InputProblem(path + "/" + name, "'" + text + "' is out of range"));
                return null;
            }
            return value.intValue();
        } catch (NumberFormatException e) {
            problems.add(new InputProblem(path + "/" + name, "'" + text + "' is not a whole number"));
            return null;
        }
    }

    /** The stripped text of the first child element {@code name} in the directory namespace, or null. */
    private static String text(Element parent, String name) {
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element child
                    && DirectorySoapContract.NAMESPACE.equals(child.getNamespaceURI())
                    && name.equals(child.getLocalName())) {
                return child.getTextContent().strip();
            }
        }
        return null;
    }
}
