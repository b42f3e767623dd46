package org.cbhealth.routes.fhir;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.stream.Location;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * The limits a FHIR resource in JSON or XML is checked against before HAPI parses it, in one streaming pass that
 * builds nothing: nesting depth, length of a string (or XML text) and of a number, entries of a Bundle, and for XML
 * no document type declaration (so no entity is ever declared, expanded or fetched). A breach is an {@link
 * InvalidMessageException} naming line and column ({@code Bundle.entry} for too many entries); text that is not
 * well-formed JSON or XML is left to the FHIR parser, which names the problem itself.
 *
 * @param maxNestingDepth deepest nesting of JSON objects and arrays or of XML elements
 * @param maxStringLength longest JSON string or XML text or attribute value, in characters
 * @param maxNumberLength longest JSON number, in characters
 * @param maxBundleEntries most entries of a Bundle (the outermost resource)
 */
public record FhirInputLimits(int maxNestingDepth, int maxStringLength, int maxNumberLength, int maxBundleEntries) {

    /** The hub's defaults: as {@code cbhealth.limits.*} in the hub's application.yml. */
    public static final FhirInputLimits DEFAULTS = new FhirInputLimits(100, 2 * 1024 * 1024, 64, 1000);

    static final String DOCTYPE_REFUSED =
            "a document type declaration (DOCTYPE) is not accepted: entities are never declared, expanded or fetched";

    public FhirInputLimits {
        if (maxNestingDepth < 1 || maxStringLength < 1 || maxNumberLength < 1 || maxBundleEntries < 1) {
            throw new IllegalArgumentException("FHIR input limits must be positive");
        }
    }

    /** Thrown for a breach of a limit: the answer is "too large" (HTTP 413) rather than "malformed". */
    public static final class LimitExceededException extends InvalidMessageException {
        public LimitExceededException(InputProblem problem) {
            super("FHIR input refused", List.of(problem));
        }
    }

    /**
     * Checks a resource given as JSON (starting with <code>{</code>) or XML (starting with {@code <}).
     *
     * @throws LimitExceededException when a limit is exceeded
     * @throws InvalidMessageException when an XML resource carries a DOCTYPE
     */
    public void check(byte[] body) {
        int first = firstNonBlank(body);
        if (first < 0) {
            return;
        }
        if (body[first] == '{') {
            checkJson(body);
        } else if (body[first] == '<') {
            checkXml(body);
        }
    }

    private void checkJson(byte[] body) {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(maxNestingDepth)
                        .maxStringLength(maxStringLength)
                        .maxNumberLength(maxNumberLength)
                        .maxNameLength(1_000)
                        .build())
                .build();
        JsonParser parser = null;
        try {
            parser = factory.createParser(body);
            int depth = 0;
            int entries = 0;
            boolean inEntry = false;
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                switch (token) {
                    case START_OBJECT, START_ARRAY -> {
                        if (depth == 1 && token == JsonToken.START_ARRAY && "entry".equals(parser.currentName())) {
                            inEntry = true;
                        } else if (depth == 2 && inEntry && ++entries > maxBundleEntries) {
                            throw tooManyEntries(where(parser.currentTokenLocation()));
                        }
                        depth++;
                    }
                    case END_OBJECT, END_ARRAY -> {
                        depth--;
                        if (depth == 1) {
                            inEntry = false;
                        }
                    }
                    case VALUE_STRING -> parser.getText(); // a string's length is checked when it is read
                    default -> {}
                }
            }
        } catch (StreamConstraintsException e) {
            throw new LimitExceededException(new InputProblem(
                    where(e.getLocation() != null ? e.getLocation() : parser.currentLocation()),
                    describe(e.getOriginalMessage())));
        } catch (JsonProcessingException e) {
            // not well-formed: the FHIR parser answers that with its own words
        } catch (IOException e) {
            throw new IllegalStateException("reading JSON from memory failed", e);
        } finally {
            if (parser != null) {
                try {
                    parser.close();
                } catch (IOException e) {
                    // in memory: nothing to release
                }
            }
        }
    }

    private String describe(String jacksonMessage) {
        String message = jacksonMessage == null ? "" : jacksonMessage;
        if (message.contains("nesting depth")) {
            return "nested deeper than " + maxNestingDepth + " levels";
        }
        if (message.contains("Number value length") || message.contains("number value length")) {
            return "a number longer than " + maxNumberLength + " characters";
        }
        if (message.contains("String value length") || message.contains("string value length")) {
            return "a string longer than " + maxStringLength + " characters";
        }
        if (message.contains("Name length")) {
            return "a property name longer than 1000 characters";
        }
        return message;
    }

    private void checkXml(byte[] body) {
        // a factory per message: StAX factories are not promised to be thread-safe
        XMLInputFactory factory = XMLInputFactory.newDefaultFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        factory.setProperty(XMLInputFactory.IS_COALESCING, true);
        factory.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        try {
            XMLStreamReader reader = factory.createXMLStreamReader(new ByteArrayInputStream(body));
            try {
                int depth = 0;
                int entries = 0;
                boolean bundle = false;
                while (reader.hasNext()) {
                    int event = reader.next();
                    if (event == XMLStreamConstants.DTD) {
                        throw new InvalidMessageException(
                                "FHIR input refused",
                                List.of(new InputProblem(where(reader.getLocation()), DOCTYPE_REFUSED)));
                    } else if (event == XMLStreamConstants.START_ELEMENT) {
                        depth++;
                        if (depth == 1) {
                            bundle = "Bundle".equals(reader.getLocalName());
                        } else if (depth == 2
                                && bundle
                                && "entry".equals(reader.getLocalName())
                                && ++entries > maxBundleEntries) {
                            throw tooManyEntries(where(reader.getLocation()));
                        }
                        if (depth > maxNestingDepth) {
                            throw new LimitExceededException(new InputProblem(
                                    where(reader.getLocation()), "nested deeper than " + maxNestingDepth + " levels"));
                        }
                        for (int i = 0; i < reader.getAttributeCount(); i++) {
                            if (reader.getAttributeValue(i).length() > maxStringLength) {
                                throw tooLong(reader.getLocation());
                            }
                        }
                    } else if (event == XMLStreamConstants.END_ELEMENT) {
                        depth--;
                    } else if ((event == XMLStreamConstants.CHARACTERS || event == XMLStreamConstants.CDATA)
                            && reader.getTextLength() > maxStringLength) {
                        throw tooLong(reader.getLocation());
                    }
                }
            } finally {
                reader.close();
            }
        } catch (XMLStreamException e) {
            // not well-formed: the FHIR parser answers that with its own words
        }
    }

    private LimitExceededException tooLong(Location location) {
        return new LimitExceededException(
                new InputProblem(where(location), "a string longer than " + maxStringLength + " characters"));
    }

    private LimitExceededException tooManyEntries(String where) {
        return new LimitExceededException(new InputProblem(
                "Bundle.entry", "more than " + maxBundleEntries + " entries (at " + where + "); split the Bundle"));
    }

    private static int firstNonBlank(byte[] body) {
        int start = body.length >= 3 && (body[0] & 0xff) == 0xef && (body[1] & 0xff) == 0xbb && (body[2] & 0xff) == 0xbf
                ? 3
                : 0;
        for (int i = start; i < body.length; i++) {
            if (!Character.isWhitespace(body[i])) {
                return i;
            }
        }
        return -1;
    }

    private static String where(JsonLocation location) {
        return location == null ? "request" : "line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    private static String where(Location location) {
        return "line " + location.getLineNumber() + ", column " + location.getColumnNumber();
    }
}
