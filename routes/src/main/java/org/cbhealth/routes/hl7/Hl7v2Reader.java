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
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cbhealth.routes.hl7.Hl7v2RejectedException.AckCode;

/**
 * Reads an HL7 v2.5.1 message from the text of one MLLP frame (or any other channel), checking what must
 * hold before any content is looked at: the text starts with {@code MSH}, segments end with carriage
 * returns, it parses, MSH-10 (message control id) is present, and the message type and version are ones the
 * hub accepts. Each failure is an {@code AR} refusal with an ERR naming segment and field.
 *
 * <p>Before HAPI parses anything, the shape of the text is bounded: at most {@value #MAX_SEGMENTS} segments,
 * {@value #MAX_FIELDS} fields in a segment and {@value #MAX_REPETITIONS} repetitions of a field, so a field or
 * repetition bomb is refused naming its segment instead of being built into a model. {@link #checkCharset} checks
 * the bytes against the channel's character set and MSH-18 (HL7 table 0211).
 */
public class Hl7v2Reader {

    public static final String VERSION = "2.5.1";

    public static final int MAX_SEGMENTS = 1000;
    public static final int MAX_FIELDS = 100;
    public static final int MAX_REPETITIONS = 100;

    /** HL7 table 0211 (MSH-18) values and the Java character sets they name; no MSH-18 means ASCII or the channel's. */
    private static final Map<String, Charset> TABLE_0211 = Map.of(
            "ASCII",
            StandardCharsets.US_ASCII,
            "8859/1",
            StandardCharsets.ISO_8859_1,
            "8859/2",
            Charset.forName("ISO-8859-2"),
            "8859/5",
            Charset.forName("ISO-8859-5"),
            "8859/7",
            Charset.forName("ISO-8859-7"),
            "8859/15",
            Charset.forName("ISO-8859-15"),
            "UNICODE UTF-8",
            StandardCharsets.UTF_8,
            "UNICODE",
            StandardCharsets.UTF_8);

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
        checkShape(text);
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
     * Counts segments, fields and repetitions on the raw text, refusing one over the limits with AR naming the
     * segment (and field).
     */
    static void checkShape(String text) {
        char fieldSeparator = text.length() > 3 ? text.charAt(3) : '|';
        char repetition = text.length() > 5 ? text.charAt(5) : '~';
        int segments = 0;
        Map<String, Integer> occurrences = new java.util.HashMap<>();
        int start = 0;
        while (start < text.length()) {
            int end = text.indexOf('\r', start);
            if (end < 0) {
                end = text.length();
            }
            if (end > start) {
                segments++;
                String name = text.substring(start, Math.min(start + 3, end));
                int occurrence = occurrences.merge(name, 1, Integer::sum);
                if (segments > MAX_SEGMENTS) {
                    throw refuse(new Hl7Error(
                            name,
                            occurrence,
                            0,
                            Hl7Error.SEGMENT_SEQUENCE_ERROR,
                            "more than " + MAX_SEGMENTS + " segments in one message"));
                }
                checkSegment(text, start, end, name, occurrence, fieldSeparator, repetition);
            }
            start = end + 1;
        }
    }

    private static void checkSegment(
            String text, int start, int end, String name, int sequence, char fieldSeparator, char repetition) {
        int field = 0;
        int repetitions = 1;
        // MSH-1 is the field separator itself and MSH-2 holds the encoding characters (a '~' among them)
        boolean header = "MSH".equals(name);
        for (int i = start + 3; i < end; i++) {
            char c = text.charAt(i);
            if (c == fieldSeparator) {
                field++;
                repetitions = 1;
                if (field > MAX_FIELDS) {
                    throw refuse(new Hl7Error(
                            name,
                            sequence,
                            0,
                            Hl7Error.SEGMENT_SEQUENCE_ERROR,
                            name + " has more than " + MAX_FIELDS + " fields"));
                }
            } else if (c == repetition && !(header && field <= 1)) {
                repetitions++;
                if (repetitions > MAX_REPETITIONS) {
                    int position = header ? field + 1 : field;
                    throw refuse(new Hl7Error(
                            name,
                            sequence,
                            position,
                            Hl7Error.DATA_TYPE_ERROR,
                            name + "-" + position + " has more than " + MAX_REPETITIONS + " repetitions"));
                }
            }
        }
    }

    /** Refuses a message longer than {@code maxCharacters} with AR on MSH, before anything else reads it. */
    public static void checkSize(String text, int maxCharacters) {
        if (text != null && text.length() > maxCharacters) {
            throw refuse(new Hl7Error(
                    "MSH",
                    1,
                    0,
                    Hl7Error.DATA_TYPE_ERROR,
                    "frame too large: " + text.length() + " characters, the limit is " + maxCharacters));
        }
    }

    /**
     * Checks the character set: the text, decoded with the channel's {@code charset}, has no undecodable bytes
     * (they become U+FFFD), and MSH-18, when present, names that character set. AR with ERR on MSH-18 otherwise.
     */
    public static void checkCharset(String text, Charset channelCharset) {
        String declared = text == null ? null : Hl7AckWriter.rawMshWholeFieldOf(text, 18);
        if (text != null && text.indexOf('\uFFFD') >= 0) {
            throw refuse(new Hl7Error(
                    "MSH",
                    1,
                    18,
                    Hl7Error.DATA_TYPE_ERROR,
                    "the bytes are not valid " + channelCharset.name() + " text, the character set this channel reads"
                            + (declared == null || declared.isEmpty() ? "" : " (MSH-18 says " + declared + ")")));
        }
        if (declared == null || declared.isEmpty()) {
            return;
        }
        Charset named = TABLE_0211.get(declared.split("\\^")[0]);
        if (named == null) {
            throw refuse(new Hl7Error(
                    "MSH",
                    1,
                    18,
                    Hl7Error.DATA_TYPE_ERROR,
                    "MSH-18 '" + declared + "' is not a character set of HL7 table 0211 this hub reads"));
        }
        if (!named.equals(channelCharset)) {
            throw refuse(new Hl7Error(
                    "MSH",
                    1,
                    18,
                    Hl7Error.DATA_TYPE_ERROR,
                    "MSH-18 declares " + named.name() + " but this channel reads " + channelCharset.name()));
        }
    }

    /**
     * Checks that MSH-4 (sending facility) is one the connection may send as: its namespace id (MSH-4.1) or universal
     * id (MSH-4.2) is among {@code bound}, and neither names another partner's facility ({@code foreign}: a value
     * and the partner it belongs to, not named to the sender). Refused AR with ERR on MSH-4 otherwise; a text without MSH is left to
     * {@link #read}, which refuses it with its own reason.
     *
     * @param bound the sending facilities of the channel, matched exactly
     * @param foreign ids and registry identifiers of the other partners, each with its partner
     * @param partnerId the channel's partner, named in the refusal
     * @return the sending facility as sent (MSH-4 with its components), for the audit record
     */
    public static String checkSendingFacility(
            String text, java.util.Collection<String> bound, Map<String, String> foreign, String partnerId) {
        if (text == null || !text.startsWith("MSH") || text.length() < 8) {
            return null;
        }
        String facility = Hl7AckWriter.rawMshWholeFieldOf(text, 4);
        if (facility == null || facility.isEmpty()) {
            throw refuse(new Hl7Error(
                    "MSH",
                    1,
                    4,
                    Hl7Error.REQUIRED_FIELD_MISSING,
                    "MSH-4 (sending facility) is empty; this connection of partner " + partnerId + " sends as "
                            + String.join(", ", bound)));
        }
        // MSH-2 starts with the component separator
        String[] components = facility.split(java.util.regex.Pattern.quote(String.valueOf(text.charAt(4))), -1);
        List<String> claimed = java.util.stream.Stream.of(components)
                .limit(2)
                .filter(c -> !c.isEmpty())
                .toList();
        // a facility of another partner is refused even when listed here: one facility, one partner
        boolean another = claimed.stream().anyMatch(foreign::containsKey);
        if (another || claimed.stream().noneMatch(bound::contains)) {
            throw refuse(new Hl7Error(
                    "MSH",
                    1,
                    4,
                    Hl7Error.UNKNOWN_KEY_IDENTIFIER,
                    "sending facility '" + facility + "' is not bound to this connection of partner " + partnerId));
        }
        return facility;
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
