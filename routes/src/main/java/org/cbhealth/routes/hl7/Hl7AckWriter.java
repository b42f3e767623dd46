package org.cbhealth.routes.hl7;

import ca.uhn.hl7v2.AcknowledgmentCode;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.model.v251.message.ACK;
import ca.uhn.hl7v2.model.v251.segment.ERR;
import ca.uhn.hl7v2.model.v251.segment.MSH;
import ca.uhn.hl7v2.parser.PipeParser;
import java.io.IOException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Writes HL7 v2.5.1 acknowledgments (HL7 v2 chapter 2, original mode): {@code AA} for an accepted message,
 * {@code AE}/{@code AR} with one ERR segment per problem (ERR-2 location, ERR-3 code from table 0357,
 * ERR-4 severity, ERR-8 text). A message too broken to parse is still answered: the ACK then carries what
 * could be read of its MSH (sender and control id) by splitting the raw header.
 */
public class Hl7AckWriter {

    private static final Pattern SEGMENT_END = Pattern.compile("[\r\n]");

    private final String hubApplication;
    private final String hubFacility;
    private final PipeParser parser = Hl7v2Reader.hl7Context().getPipeParser();

    public Hl7AckWriter(String hubApplication, String hubFacility) {
        this.hubApplication = hubApplication;
        this.hubFacility = hubFacility;
    }

    /** {@code AA} for a message the hub has taken responsibility for. */
    public String accept(Message message) {
        return encode(ackFor(message, AcknowledgmentCode.AA, List.of()));
    }

    /** {@code AE} or {@code AR} for a parsed message, with one ERR per problem. */
    public String refuse(Message message, Hl7v2RejectedException refusal) {
        return encode(ackFor(message, code(refusal), refusal.errors()));
    }

    /** {@code AE} or {@code AR} for a message that could not be parsed, from its raw text. */
    public String refuse(String raw, Hl7v2RejectedException refusal) {
        return fromRaw(raw, code(refusal), refusal.errors());
    }

    /**
     * {@code AA} built from the raw text alone (MSH-3/4 echoed, MSH-10 in MSA-2), for channels that hand the
     * message on without keeping the parsed form.
     */
    public String accept(String raw) {
        return fromRaw(raw, AcknowledgmentCode.AA, List.of());
    }

    private String fromRaw(String raw, AcknowledgmentCode code, List<Hl7Error> errors) {
        try {
            ACK ack = new ACK();
            ack.setParser(parser);
            ack.initQuickstart("ACK", triggerOf(raw), "P");
            MSH msh = ack.getMSH();
            msh.getMessageType().getMessageStructure().setValue("ACK");
            msh.getSendingApplication().getNamespaceID().setValue(hubApplication);
            msh.getSendingFacility().getNamespaceID().setValue(hubFacility);
            parseInto(msh.getReceivingApplication(), rawMshWholeField(raw, 3));
            parseInto(msh.getReceivingFacility(), rawMshWholeField(raw, 4));
            ack.getMSA().getAcknowledgmentCode().setValue(code.name());
            ack.getMSA().getMessageControlID().setValue(rawMshField(raw, 10));
            addErrors(ack, errors);
            return encode(ack);
        } catch (HL7Exception | IOException e) {
            throw new IllegalStateException("cannot build an ACK", e);
        }
    }

    private ACK ackFor(Message message, AcknowledgmentCode code, List<Hl7Error> errors) {
        try {
            ACK ack = (ACK) message.generateACK(code, null);
            MSH original = Hl7v2Reader.mshOf(message);
            ack.getMSH().getSendingApplication().getNamespaceID().setValue(hubApplication);
            ack.getMSH().getSendingFacility().getNamespaceID().setValue(hubFacility);
            parseInto(
                    ack.getMSH().getReceivingApplication(),
                    original.getSendingApplication().encode());
            parseInto(
                    ack.getMSH().getReceivingFacility(),
                    original.getSendingFacility().encode());
            // generateACK adds an ERR only for an exception; ours are added one per problem
            while (ack.getERRReps() > 0) {
                ack.removeRepetition("ERR", 0);
            }
            addErrors(ack, errors);
            return ack;
        } catch (HL7Exception | IOException e) {
            throw new IllegalStateException("cannot build an ACK", e);
        }
    }

    /** Sets a composite field from its encoded form (components separated by {@code ^}). */
    private static void parseInto(ca.uhn.hl7v2.model.v251.datatype.HD target, String encoded) throws HL7Exception {
        target.clear();
        if (encoded != null && !encoded.isEmpty()) {
            target.parse(encoded);
        }
    }

    private static void addErrors(ACK ack, List<Hl7Error> errors) throws HL7Exception {
        for (int i = 0; i < errors.size(); i++) {
            Hl7Error error = errors.get(i);
            ERR err = ack.getERR(i);
            err.getErrorLocation(0).getSegmentID().setValue(error.segment());
            err.getErrorLocation(0).getSegmentSequence().setValue(Integer.toString(error.segmentSequence()));
            if (error.field() > 0) {
                err.getErrorLocation(0).getFieldPosition().setValue(Integer.toString(error.field()));
            }
            err.getHL7ErrorCode().getIdentifier().setValue(Integer.toString(error.code()));
            err.getHL7ErrorCode().getText().setValue(error.codeText());
            err.getHL7ErrorCode().getNameOfCodingSystem().setValue("HL70357");
            err.getSeverity().setValue("E");
            err.getUserMessage().setValue(error.text());
        }
    }

    private static AcknowledgmentCode code(Hl7v2RejectedException refusal) {
        return refusal.ackCode() == Hl7v2RejectedException.AckCode.AR ? AcknowledgmentCode.AR : AcknowledgmentCode.AE;
    }

    private String encode(ACK ack) {
        try {
            return parser.encode(ack);
        } catch (HL7Exception e) {
            throw new IllegalStateException("cannot encode an ACK", e);
        }
    }

    /** First component of field {@code n} of the raw MSH, or null if it cannot be read. */
    static String rawMshField(String raw, int n) {
        String field = rawMshWholeField(raw, n);
        if (field == null) {
            return null;
        }
        int component = field.indexOf('^');
        String value = component >= 0 ? field.substring(0, component) : field;
        return value.isEmpty() ? null : value;
    }

    /** Field {@code n} of the raw MSH with its components, or null (for the reader's checks). */
    static String rawMshWholeFieldOf(String raw, int n) {
        return rawMshWholeField(raw, n);
    }

    /** Field {@code n} of the raw MSH with its components (MSH-1 is the separator itself), or null. */
    private static String rawMshWholeField(String raw, int n) {
        int start = raw == null ? -1 : raw.indexOf("MSH");
        if (start < 0 || raw.length() < start + 4 || n < 2) {
            return null;
        }
        char separator = raw.charAt(start + 3);
        String header = SEGMENT_END.split(raw.substring(start), 2)[0];
        String[] fields = header.split(Pattern.quote(String.valueOf(separator)), -1);
        // fields[0] is "MSH" and fields[1] is MSH-2, so MSH-n is fields[n - 1]
        return n - 1 < fields.length ? fields[n - 1] : null;
    }

    private static String triggerOf(String raw) {
        String type = rawMshWholeField(raw, 9);
        String[] parts = type == null ? new String[0] : type.split("\\^");
        return parts.length > 1 ? parts[1] : null;
    }
}
