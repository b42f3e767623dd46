package org.cbhealth.routes.hl7;

import java.util.List;
import java.util.stream.Collectors;
import org.cbhealth.routes.fhir.InvalidMessageException;

/**
 * An HL7 v2 message the hub refuses, with the acknowledgment code to answer and the ERR segments to send:
 * {@code AR} when the message itself cannot be processed (framing, MSH, type, version), {@code AE} when its
 * content is wrong (missing segment, bad field value).
 */
public class Hl7v2RejectedException extends InvalidMessageException {

    /** Acknowledgment codes of HL7 table 0008 used for refusals. */
    public enum AckCode {
        AE,
        AR
    }

    private final AckCode ackCode;
    private final transient List<Hl7Error> errors;

    public Hl7v2RejectedException(AckCode ackCode, List<Hl7Error> errors) {
        super(describe(ackCode, errors));
        this.ackCode = ackCode;
        this.errors = List.copyOf(errors);
    }

    public AckCode ackCode() {
        return ackCode;
    }

    public List<Hl7Error> errors() {
        return errors;
    }

    private static String describe(AckCode ackCode, List<Hl7Error> errors) {
        return "HL7 v2 message refused (" + ackCode + "): "
                + errors.stream().map(e -> e.location() + ": " + e.text()).collect(Collectors.joining("; "));
    }
}
