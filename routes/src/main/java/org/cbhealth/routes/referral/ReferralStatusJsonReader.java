package org.cbhealth.routes.referral;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.DateTimeException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.cbhealth.profiles.CbhCanonical;
import org.cbhealth.routes.fhir.InputProblem;
import org.cbhealth.routes.fhir.InvalidMessageException;

/**
 * Reads and checks a referral status update posted in JSON by a partner (schema: {@code
 * schemas/referral-status-update.schema.json}) into a {@link StatusUpdate}. The referral is named either by the
 * hub's referral number ({@code referral}) or by the referrer's own number ({@code placer}: the referring partner's
 * id and its number, namespaced as {@code CbhCanonical.partnerIdentifierSystem(partner, "referral-task")}).
 *
 * <p>Malformed JSON is refused with its line and column; an unknown field, a missing or unknown status, a missing
 * reason (declined, cancelled) or appointment (scheduled), a date-time without time zone, and an outcome document
 * that is not exactly one of inline base64 data (at most 10 MB) or an https URL are each reported with the JSON
 * pointer of the field, all at once. Input limits (nesting depth, string length, duplicate keys) are enforced while
 * parsing, as in {@link TreatmentAbroadReader}.
 */
public class ReferralStatusJsonReader {

    /** Largest outcome document accepted inline, decoded: 10 MB. */
    static final int MAX_OUTCOME_BYTES = 10 * 1024 * 1024;

    private static final Set<String> STATUSES =
            Set.of("received", "accepted", "declined", "scheduled", "completed", "cancelled");
    private static final Set<String> NEED_REASON = Set.of("declined", "cancelled");
    private static final Pattern PARTNER_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final Pattern REFERRAL_NUMBER = Pattern.compile("[A-Za-z0-9.-]{1,64}");
    private static final Pattern MEDIA_TYPE =
            Pattern.compile("[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*(\\s*;.*)?");
    private static final Pattern BLANKS = Pattern.compile("[ \t\r\n]");

    private final ObjectMapper mapper;

    public ReferralStatusJsonReader() {
        this.mapper = JsonMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        mapper.getFactory()
                .setStreamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(32)
                        // room for a 10 MB document in base64 (13 981 016 characters), so that one a little
                        // larger is answered with its size rather than with a parser limit
                        .maxStringLength(16_000_000)
                        .maxNumberLength(32)
                        .build());
    }

    /**
     * @throws InvalidMessageException naming what is wrong: the position of malformed JSON, or the JSON pointer and
     *     reason of each problem ({@link InvalidMessageException#problems()})
     */
    public StatusUpdate read(String json) {
        JsonNode tree;
        try {
            tree = mapper.readTree(json);
        } catch (StreamConstraintsException e) {
            throw new InvalidMessageException(
                    "Input limit exceeded" + where(e.getLocation()) + ": " + e.getOriginalMessage(), e);
        } catch (JsonProcessingException e) {
            throw new InvalidMessageException(
                    "Not valid JSON" + where(e.getLocation()) + ": " + e.getOriginalMessage(), e);
        }
        if (tree == null || !tree.isObject()) {
            throw new InvalidMessageException("Not a status update: expected a JSON object");
        }
        StatusMessage message;
        try {
            message = mapper.treeToValue(tree, StatusMessage.class);
        } catch (UnrecognizedPropertyException e) {
            throw new InvalidMessageException(
                    "Status update refused", List.of(new InputProblem(pointer(e), "unknown field")));
        } catch (JsonProcessingException e) {
            String pointer = e instanceof JsonMappingException mapping ? pointer(mapping) : "/";
            throw new InvalidMessageException(
                    "Status update refused", List.of(new InputProblem(pointer, e.getOriginalMessage())));
        }
        List<InputProblem> problems = new ArrayList<>();
        checkReferral(problems, message);
        checkStatus(problems, message);
        String scheduledStart = scheduledStart(problems, message);
        StatusUpdate.Outcome outcome = outcome(problems, message.outcome());
        if (!problems.isEmpty()) {
            throw new InvalidMessageException("Status update refused", problems);
        }
        Placer placer = message.placer();
        return new StatusUpdate(
                message.referral(),
                placer == null ? null : CbhCanonical.partnerIdentifierSystem(placer.partner(), "referral-task"),
                placer == null ? null : placer.value(),
                message.status(),
                blankToNull(message.reason()),
                scheduledStart,
                outcome,
                blankToNull(message.note()));
    }

    private static void checkReferral(List<InputProblem> problems, StatusMessage message) {
        if (message.referral() == null && message.placer() == null) {
            problems.add(new InputProblem(
                    "/referral", "required: the hub's referral number, or /placer with the referrer's own number"));
            return;
        }
        if (message.referral() != null && message.placer() != null) {
            problems.add(new InputProblem("/placer", "give either /referral or /placer, not both"));
            return;
        }
        if (message.referral() != null) {
            if (!REFERRAL_NUMBER.matcher(message.referral()).matches()) {
                problems.add(new InputProblem(
                        "/referral",
                        "'" + message.referral()
                                + "' is not a referral number of the hub (1 to 64 letters, digits, '-' or '.')"));
            }
            return;
        }
        Placer placer = message.placer();
        if (required(problems, "/placer/partner", placer.partner())
                && !PARTNER_ID.matcher(placer.partner()).matches()) {
            problems.add(new InputProblem(
                    "/placer/partner",
                    "'" + placer.partner() + "' is not a partner id (lower-case letters, digits and '-', at most 63)"));
        }
        required(problems, "/placer/value", placer.value());
    }

    private static void checkStatus(List<InputProblem> problems, StatusMessage message) {
        String status = message.status();
        if (!required(problems, "/status", status)) {
            return;
        }
        if (!STATUSES.contains(status)) {
            problems.add(new InputProblem("/status", "'" + status + "' is not one of " + sorted(STATUSES)));
            return;
        }
        if (NEED_REASON.contains(status) && isBlank(message.reason())) {
            problems.add(new InputProblem("/reason", "required when the status is " + status));
        }
        if ("scheduled".equals(status) && message.scheduledStart() == null) {
            problems.add(new InputProblem("/scheduledStart", "required when the status is scheduled"));
        }
    }

    /** The appointment as a FHIR dateTime (seconds always written), or null when absent or wrong. */
    private static String scheduledStart(List<InputProblem> problems, StatusMessage message) {
        String value = message.scheduledStart();
        if (value == null) {
            return null;
        }
        try {
            return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(OffsetDateTime.parse(value));
        } catch (DateTimeException e) {
            problems.add(new InputProblem(
                    "/scheduledStart",
                    "'" + value + "' is not a date-time with a time zone (ISO 8601, e.g. 2026-12-03T09:00:00+01:00)"));
            return null;
        }
    }

    private static StatusUpdate.Outcome outcome(List<InputProblem> problems, OutcomeDocument outcome) {
        if (outcome == null) {
            return null;
        }
        boolean hasData = outcome.data() != null;
        boolean hasUrl = outcome.url() != null;
        if (hasData == hasUrl) {
            problems.add(new InputProblem(
                    "/outcome",
                    hasData ? "give either data or url, not both" : "data (base64) or url (https) required"));
            return null;
        }
        int before = problems.size();
        if (outcome.contentType() == null) {
            if (hasData) {
                problems.add(new InputProblem("/outcome/contentType", "required with data"));
            }
        } else if (!MEDIA_TYPE.matcher(outcome.contentType()).matches()) {
            problems.add(new InputProblem(
                    "/outcome/contentType",
                    "'" + outcome.contentType() + "' is not a media type (e.g. application/pdf)"));
        }
        byte[] data = hasData ? decode(problems, outcome.data()) : null;
        if (hasUrl && !isHttpsUrl(outcome.url())) {
            problems.add(new InputProblem("/outcome/url", "'" + outcome.url() + "' is not an absolute https URL"));
        }
        if (problems.size() > before) {
            return null;
        }
        return new StatusUpdate.Outcome(blankToNull(outcome.title()), outcome.contentType(), data, outcome.url());
    }

    private static byte[] decode(List<InputProblem> problems, String base64) {
        String compact = BLANKS.matcher(base64).replaceAll("");
        if (compact.isEmpty()) {
            problems.add(new InputProblem("/outcome/data", "empty: the document has no content"));
            return null;
        }
        int padding = compact.endsWith("==") ? 2 : compact.endsWith("=") ? 1 : 0;
        long size = (long) compact.length() * 3 / 4 - padding;
        if (size > MAX_OUTCOME_BYTES) {
            problems.add(new InputProblem(
                    "/outcome/data",
                    "the document is " + size + " bytes, more than the " + MAX_OUTCOME_BYTES
                            + " (10 MB) accepted inline; send a url instead"));
            return null;
        }
        try {
            return Base64.getDecoder().decode(compact);
        } catch (IllegalArgumentException e) {
            problems.add(new InputProblem("/outcome/data", "not valid base64: " + e.getMessage()));
            return null;
        }
    }

    private static boolean isHttpsUrl(String value) {
        try {
            URI uri = new URI(value);
            return "https".equalsIgnoreCase(uri.getScheme()) && uri.getHost() != null;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static boolean required(List<InputProblem> problems, String pointer, String value) {
        if (isBlank(value)) {
            problems.add(new InputProblem(pointer, "required"));
            return false;
        }
        return true;
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }

    private static String blankToNull(String value) {
        return isBlank(value) ? null : value;
    }

    private static String where(JsonLocation at) {
        return at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
    }

    private static String pointer(JsonMappingException e) {
        return "/"
                + e.getPath().stream()
                        .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : Integer.toString(ref.getIndex()))
                        .collect(Collectors.joining("/"));
    }

    private static String sorted(Set<String> values) {
        return values.stream().sorted().collect(Collectors.joining(", "));
    }

    /** The JSON as posted; field for field the schema's properties. */
    record StatusMessage(
            String referral,
            Placer placer,
            String status,
            String reason,
            String scheduledStart,
            String note,
            OutcomeDocument outcome) {}

    /** The referrer's own number: the referring partner's id and its referral (application) number. */
    record Placer(String partner, String value) {}

    /** The outcome document: {@code data} (base64) or {@code url}, exactly one. */
    record OutcomeDocument(String title, String contentType, String data, String url) {}
}
