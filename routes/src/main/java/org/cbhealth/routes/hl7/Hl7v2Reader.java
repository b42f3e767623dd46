package org.cbhealth.routes.hl7;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.Location;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.model.v251.segment.MSH;
import ca.uhn.hl7v2.parser.CanonicalModelClassFactory;
import ca.uhn.hl7v2.parser.PipeParser;
import ca.uhn.hl7v2.util.idgenerator.InMemoryIDGenerator;
import ca.uhn.hl7v2.validation.impl.ValidationContextFactory;
import java.util.List;
import java.util.Set;
import org.cbhealth.routes.hl7.Hl7v2RejectedException.AckCode;

/**
 * Reads an HL7 v2.5.1 message from the text of one MLLP frame (or any other channel), checking what must
 * hold before any content is looked at: the text starts with {@code MSH}, segments end with carriage
 * returns, it parses, MSH-10 (message control id) is present, and the message type and version are ones the
 * hub accepts. Each failure is an {@code AR} refusal with an ERR naming segment and field.
 */
public class Hl7v2Reader {

    public static final String VERSION = "2.5.1";

    private final Set<String> acceptedTypes;
    private final PipeParser parser;

    /** @param acceptedTypes message types as {@code CODE^TRIGGER}, e.g. {@code REF^I12} */
    public Hl7v2Reader(Set<String> acceptedTypes) {
        this.acceptedTypes = Set.copyOf(acceptedTypes);
        this.parser = hl7Context().getPipeParser();
    }

    public Message read(String text) {
        if (text == null || text.isBlank()) {
            throw refuse(new Hl7Error("MSH", 1, 0, Hl7Error.SEGMENT_SEQUENCE_ERROR, "empty message"));
        }
        int msh = text.indexOf("MSH|");
        if (msh < 0) {
            throw refuse(new Hl7Error(
                    "MSH", 1, 0, Hl7Error.SEGMENT_SEQUENCE_ERROR, "no MSH segment: not an HL7 v2 message"));
        }
        if (msh > 0) {
            throw refuse(new Hl7Error(
                    "MSH",
                    1,
                    0,
                    Hl7Error.SEGMENT_SEQUENCE_ERROR,
                    msh + " characters before MSH: a message must start with the MSH segment"));
        }
        if (text.indexOf('\n') >= 0) {
            throw refuse(new Hl7Error(
                    "MSH",
                    1,
                    0,
                    Hl7Error.SEGMENT_SEQUENCE_ERROR,
                    "segments are separated by line feeds; HL7 v2 requires a carriage return (0x0D) after each"
                            + " segment"));
        }
        Message message;
        try {
            message = parser.parse(text);
        } catch (HL7Exception e) {
            throw refuse(fromParser(e));
        }
        MSH header = mshOf(message);
        String controlId = header.getMessageControlID().getValue();
        if (controlId == null || controlId.isBlank()) {
            throw refuse(new Hl7Error(
                    "MSH", 1, 10, Hl7Error.REQUIRED_FIELD_MISSING, "MSH-10 (message control id) is empty"));
        }
        String type = header.getMessageType().getMessageCode().getValue() + "^"
                + header.getMessageType().getTriggerEvent().getValue();
        if (!acceptedTypes.contains(type)) {
            throw refuse(new Hl7Error(
                    "MSH",
                    1,
                    9,
                    Hl7Error.UNSUPPORTED_MESSAGE_TYPE,
                    "message type " + type + " is not accepted here; accepted: " + String.join(", ", acceptedTypes)));
        }
        String version = header.getVersionID().getVersionID().getValue();
        if (!VERSION.equals(version)) {
            throw refuse(new Hl7Error(
                    "MSH",
                    1,
                    12,
                    Hl7Error.UNSUPPORTED_VERSION,
                    "version " + version + " is not accepted; send HL7 v" + VERSION));
        }
        return message;
    }

    /**
     * The HAPI context the hub parses and writes HL7 v2 with: the 2.5.1 model for every version, no
     * conformance-profile validation (the hub's own checks name the problems), and message ids generated in
     * memory (HAPI's default writes a counter file into the working directory).
     */
    static HapiContext hl7Context() {
        HapiContext context = new DefaultHapiContext(new CanonicalModelClassFactory(VERSION));
        context.setValidationContext(ValidationContextFactory.noValidation());
        context.getParserConfiguration().setIdGenerator(new InMemoryIDGenerator());
        return context;
    }

    /**
     * MSH-10 (message control id) read from the raw text without parsing, or null when there is none: the key a
     * message's copies are recognised by.
     */
    public static String controlIdOf(String raw) {
        return raw == null || !raw.startsWith("MSH") ? null : Hl7AckWriter.rawMshField(raw, 10);
    }

    /** The MSH of a message parsed by this reader (the canonical 2.5.1 model). */
    public static MSH mshOf(Message message) {
        try {
            return (MSH) message.get("MSH");
        } catch (HL7Exception e) {
            throw new IllegalStateException("parsed message without MSH", e);
        }
    }

    private static Hl7Error fromParser(HL7Exception e) {
        Location at = e.getLocation() != null ? e.getLocation() : Location.UNKNOWN;
        String segment = at.getSegmentName() != null ? at.getSegmentName() : "MSH";
        int sequence = Math.max(1, at.getSegmentRepetition());
        int field = Math.max(0, at.getField());
        int code = e.getErrorCode() > 0 && e.getErrorCode() < 300 ? e.getErrorCode() : Hl7Error.DATA_TYPE_ERROR;
        return new Hl7Error(segment, sequence, field, code, "cannot parse: " + e.getMessageWithoutLocation());
    }

    private static Hl7v2RejectedException refuse(Hl7Error error) {
        return new Hl7v2RejectedException(AckCode.AR, List.of(error));
    }
}
