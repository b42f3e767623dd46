package org.cbhealth.bench.referral;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.parser.PipeParser;
import ca.uhn.hl7v2.util.Terser;
import ca.uhn.hl7v2.validation.impl.ValidationContextFactory;

/**
 * Reads the hub's HL7 v2 acknowledgement with HAPI HL7 v2: the acknowledgement code (MSA-1), the control id it
 * answers (MSA-2) and, for a refusal, the first ERR's location (ERR-2), code (ERR-3) and message (ERR-8).
 */
public final class AckReader {

    /**
     * One acknowledgement.
     *
     * @param code MSA-1: AA, AE or AR
     * @param controlId MSA-2: the MSH-10 of the message it answers
     * @param error for AE/AR, "SEGMENT-FIELD code: message" of the first ERR; empty otherwise
     */
    public record Ack(String code, String controlId, String error) {}

    private final PipeParser parser;

    public AckReader() {
        HapiContext hapi = new DefaultHapiContext();
        hapi.setValidationContext(ValidationContextFactory.noValidation());
        this.parser = hapi.getPipeParser();
    }

    /** The acknowledgement in this text (segments separated by carriage returns). */
    public Ack read(String text) throws HL7Exception {
        Message message = parser.parse(text);
        Terser terser = new Terser(message);
        String code = nullToEmpty(terser.get("/MSA-1"));
        String controlId = nullToEmpty(terser.get("/MSA-2"));
        String error = "";
        if (!"AA".equals(code) && !"CA".equals(code)) {
            String segment = nullToEmpty(terser.get("/ERR-2-1"));
            String field = nullToEmpty(terser.get("/ERR-2-3"));
            String errorCode = nullToEmpty(terser.get("/ERR-3-1"));
            String errorText = nullToEmpty(terser.get("/ERR-8"));
            error = (segment + (field.isEmpty() ? "" : "-" + field) + " " + errorCode + ": " + errorText).strip();
        }
        return new Ack(code, controlId, error);
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }
}
