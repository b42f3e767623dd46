package org.cbhealth.routes.soap;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.cbhealth.routes.fhir.InputProblem;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Reads the child elements of one XML element by local name in one namespace, and knows each element's XPath-like
 * path ({@code /SubmitReferral/patient/rnokpp}, {@code /SubmitReferral/diagnosis[2]/icd10}) to name it in problems.
 * Order is not enforced. {@link #finish()} reports what was not read: unknown elements (with a hint when only the
 * namespace is wrong), repeated single elements, text where elements belong, and MTOM/XOP references, which are
 * never resolved. Problems are collected, not thrown, so a sender sees them all at once.
 */
public final class ElementReader {

    /** Namespace of MTOM/XOP references ({@code xop:Include}). */
    public static final String XOP_NAMESPACE = "http://www.w3.org/2004/08/xop/include";

    static final String XOP_REFUSED = "an MTOM/XOP reference (xop:Include) is not accepted and never resolved: send the"
            + " content inline (base64) or as a url";

    private static final String XSI_NAMESPACE = "http://www.w3.org/2001/XMLSchema-instance";

    private final Element element;
    private final String path;
    private final String namespace;
    private final List<InputProblem> problems;
    private final Set<String> read = new HashSet<>();

    private ElementReader(Element element, String path, String namespace, List<InputProblem> problems) {
        this.element = element;
        this.path = path;
        this.namespace = namespace;
        this.problems = problems;
    }

    /** Reads {@code element}, the root of the paths, whose children are in {@code namespace}. */
    public static ElementReader root(Element element, String namespace, List<InputProblem> problems) {
        return new ElementReader(element, "/" + element.getLocalName(), namespace, problems);
    }

    /** Reads {@code element}, named by {@code path} in problems, whose children are in {@code namespace}. */
    public static ElementReader at(Element element, String path, String namespace, List<InputProblem> problems) {
        return new ElementReader(element, path, namespace, problems);
    }

    /** The same element at the same path, its problems collected in {@code problems} (e.g. one list per record). */
    public ElementReader withProblems(List<InputProblem> problems) {
        return new ElementReader(element, path, namespace, problems);
    }

    public String path() {
        return path;
    }

    /**
     * The text of the single child element {@code name}, stripped of surrounding white space; null when absent or
     * {@code xsi:nil}. A repeated element or one holding elements is reported.
     */
    public String text(String name) {
        List<Element> found = named(name);
        if (found.isEmpty()) {
            return null;
        }
        if (found.size() > 1) {
            problems.add(new InputProblem(path + "/" + name + "[2]", "repeated; give " + name + " at most once"));
        }
        return textOf(found.get(0), path + "/" + name);
    }

    /** The single child element {@code name}, or empty; a repeated one is reported. */
    public Optional<ElementReader> child(String name) {
        List<Element> found = named(name);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        if (found.size() > 1) {
            problems.add(new InputProblem(path + "/" + name + "[2]", "repeated; give " + name + " at most once"));
        }
        return Optional.of(new ElementReader(found.get(0), path + "/" + name, namespace, problems));
    }

    /** Every child element {@code name}, in document order, with 1-based indexes in their paths. */
    public List<ElementReader> children(String name) {
        List<Element> found = named(name);
        List<ElementReader> readers = new ArrayList<>();
        for (int i = 0; i < found.size(); i++) {
            readers.add(new ElementReader(found.get(i), path + "/" + name + "[" + (i + 1) + "]", namespace, problems));
        }
        return readers;
    }

    /** The value of the unqualified attribute {@code name} of this element, stripped; null when absent. */
    public String attribute(String name) {
        return element.hasAttributeNS(null, name)
                ? element.getAttributeNS(null, name).strip()
                : null;
    }

    /**
     * The text of this element itself (an element with simple content), stripped; null when {@code xsi:nil}. An
     * element inside it is reported.
     */
    public String ownText() {
        return textOf(element, path);
    }

    /** Reports every child element not read and any text directly inside this element. */
    public void finish() {
        for (Node node = element.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element child) {
                if (namespace.equals(child.getNamespaceURI()) && read.contains(child.getLocalName())) {
                    continue;
                }
                String name = namespace.equals(child.getNamespaceURI()) ? child.getLocalName() : child.getNodeName();
                problems.add(new InputProblem(path + "/" + name, unknown(child)));
            } else if ((node.getNodeType() == Node.TEXT_NODE || node.getNodeType() == Node.CDATA_SECTION_NODE)
                    && !node.getNodeValue().isBlank()) {
                problems.add(new InputProblem(path, "text is not allowed here; expected elements"));
                return;
            }
        }
    }

    private String unknown(Element child) {
        if (XOP_NAMESPACE.equals(child.getNamespaceURI())) {
            return XOP_REFUSED;
        }
        if (!namespace.equals(child.getNamespaceURI())) {
            return "unknown element in namespace '" + (child.getNamespaceURI() == null ? "" : child.getNamespaceURI())
                    + "'; the elements of this service are in namespace " + namespace;
        }
        return "unknown element";
    }

    private List<Element> named(String name) {
        read.add(name);
        List<Element> found = new ArrayList<>();
        for (Node node = element.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element child
                    && namespace.equals(child.getNamespaceURI())
                    && name.equals(child.getLocalName())) {
                found.add(child);
            }
        }
        return found;
    }

    private String textOf(Element child, String childPath) {
        if ("true".equals(child.getAttributeNS(XSI_NAMESPACE, "nil"))) {
            return null;
        }
        StringBuilder text = new StringBuilder();
        for (Node node = child.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element inner) {
                problems.add(new InputProblem(
                        childPath + "/" + inner.getNodeName(),
                        XOP_NAMESPACE.equals(inner.getNamespaceURI()) ? XOP_REFUSED : "must be text, not elements"));
                return null;
            }
            if (node.getNodeType() == Node.TEXT_NODE || node.getNodeType() == Node.CDATA_SECTION_NODE) {
                text.append(node.getNodeValue());
            }
        }
        return text.toString().strip();
    }
}
