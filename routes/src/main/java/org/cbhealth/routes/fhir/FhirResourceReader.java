package org.cbhealth.routes.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.StrictErrorHandler;
import java.nio.charset.StandardCharsets;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * Parses one FHIR R4 resource from JSON or XML text, strictly: unknown elements, wrong types and
 * malformed text are refused with an {@link InvalidMessageException} that names the problem; before parsing, the
 * text is checked against the {@link FhirInputLimits} (nesting, string and number length, Bundle entries, no DOCTYPE).
 */
public class FhirResourceReader {

    private final FhirContext fhirContext;
    private final FhirInputLimits limits;

    /** A reader with the hub's default limits ({@link FhirInputLimits#DEFAULTS}). */
    public FhirResourceReader(FhirContext fhirContext) {
        this(fhirContext, FhirInputLimits.DEFAULTS);
    }

    public FhirResourceReader(FhirContext fhirContext, FhirInputLimits limits) {
        this.fhirContext = fhirContext;
        this.limits = limits;
    }

    public IBaseResource read(String text) {
        if (text == null || text.isBlank()) {
            throw new InvalidMessageException("Empty message: expected a FHIR resource in JSON or XML");
        }
        limits.check(text.getBytes(StandardCharsets.UTF_8));
        IParser parser = parserFor(text).setParserErrorHandler(new StrictErrorHandler());
        try {
            return parser.parseResource(text);
        } catch (DataFormatException e) {
            throw new InvalidMessageException("Not a valid FHIR R4 resource: " + e.getMessage(), e);
        }
    }

    private IParser parserFor(String text) {
        char first = text.strip().charAt(0);
        if (first == '{') {
            return fhirContext.newJsonParser();
        }
        if (first == '<') {
            return fhirContext.newXmlParser();
        }
        throw new InvalidMessageException(
                "Unrecognised content: a FHIR resource must start with '{' (JSON) or '<' (XML), found '" + first + "'");
    }
}
