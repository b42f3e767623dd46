package org.cbhealth.routes.partner;

/**
 * MSH-10 (message control id) read cheaply from the MSH line of HL7 v2 text, without parsing the message: only
 * the first segment is looked at, so no patient data is touched. Used as a parked message's business key.
 */
final class Hl7ControlId {

    /** Only this much of the text is looked at; an MSH line is far shorter. */
    static final int MAX_HEAD = 4096;

    private static final int MAX_ID_LENGTH = 199;

    private Hl7ControlId() {}

    /** MSH-10, or null when the text does not start with an MSH segment or has none. */
    static String of(String text) {
        if (text == null) {
            return null;
        }
        String head = text.length() > MAX_HEAD ? text.substring(0, MAX_HEAD) : text;
        int start = head.indexOf("MSH");
        if (start < 0 || start > 16 || head.length() < start + 8) {
            return null;
        }
        char separator = head.charAt(start + 3);
        int end = start;
        while (end < head.length() && head.charAt(end) != '\r' && head.charAt(end) != '\n') {
            end++;
        }
        String[] fields =
                head.substring(start, end).split(java.util.regex.Pattern.quote(String.valueOf(separator)), -1);
        // fields[0] = "MSH", fields[1] = MSH-2 (encoding characters), so MSH-n is fields[n - 1]
        if (fields.length < 10) {
            return null;
        }
        String id = fields[9].trim();
        if (id.isEmpty() || id.length() > MAX_ID_LENGTH) {
            return null;
        }
        int component = id.indexOf(fields[1].isEmpty() ? '^' : fields[1].charAt(0));
        return component > 0 ? id.substring(0, component) : id;
    }
}
