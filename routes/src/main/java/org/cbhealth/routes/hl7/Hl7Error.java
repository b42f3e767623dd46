package org.cbhealth.routes.hl7;

/**
 * One problem found in an HL7 v2 message, as an ERR segment reports it (HL7 v2.5.1 chapter 2, ERR-2 error
 * location and ERR-3 error code from table 0357).
 *
 * @param segment segment id, e.g. {@code PID}
 * @param segmentSequence 1-based occurrence of the segment
 * @param field 1-based field number, 0 when the whole segment is meant
 * @param code HL7 table 0357 code: 100 segment sequence error, 101 required field missing, 102 data type
 *     error, 200 unsupported message type, 203 unsupported version id, 207 application internal error
 * @param text what is wrong, for the sender
 */
public record Hl7Error(String segment, int segmentSequence, int field, int code, String text) {

    public static final int SEGMENT_SEQUENCE_ERROR = 100;
    public static final int REQUIRED_FIELD_MISSING = 101;
    public static final int DATA_TYPE_ERROR = 102;
    public static final int UNSUPPORTED_MESSAGE_TYPE = 200;
    public static final int UNSUPPORTED_VERSION = 203;
    public static final int UNKNOWN_KEY_IDENTIFIER = 204;
    public static final int APPLICATION_INTERNAL_ERROR = 207;

    /** The error location as {@code SEG-field} (or {@code SEG} alone), for messages to people. */
    public String location() {
        return field > 0 ? segment + "-" + field : segment;
    }

    /** Display text of the table 0357 code. */
    public String codeText() {
        return switch (code) {
            case SEGMENT_SEQUENCE_ERROR -> "Segment sequence error";
            case REQUIRED_FIELD_MISSING -> "Required field missing";
            case DATA_TYPE_ERROR -> "Data type error";
            case UNSUPPORTED_MESSAGE_TYPE -> "Unsupported message type";
            case UNSUPPORTED_VERSION -> "Unsupported version id";
            case UNKNOWN_KEY_IDENTIFIER -> "Unknown key identifier";
            default -> "Application internal error";
        };
    }
}
