package org.cbhealth.routes.fhirpoll;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cbhealth.routes.translate.FhirDirectoryTranslator;

/**
 * The settings of a {@code fhir-poll} channel (IHE mCSD Update, ITI-91): where the partner's FHIR server is, how
 * often it is asked for its changes, and the bounds of one poll.
 *
 * <pre>
 * settings:
 *   baseUrl: https://fhir.partner.example/r4   # required: the partner's FHIR R4 base URL
 *   interval: 15m                              # required: time between the end of a poll and the next (≥ 1s)
 *   resourceTypes: [Organization, Location]    # default: all seven directory types
 *   pageSize: 100                              # _count asked of the server (1-1000)
 *   maxPages: 500                              # a poll that needs more pages fails (the checkpoint stays)
 *   connectTimeout: 10s                        # durations: 500ms, 30s, 15m, 1h, 1h30m or ISO-8601 (PT15M)
 *   readTimeout: 60s
 *   overlap: 1m                                # how far before the server's time of the last poll to read again
 * </pre>
 *
 * @param resourceTypes the types asked for, each with its own {@code <Type>/_history?_since=}
 */
public record FhirPollSettings(
        String baseUrl,
        Duration interval,
        List<String> resourceTypes,
        int pageSize,
        int maxPages,
        Duration connectTimeout,
        Duration readTimeout,
        Duration overlap) {

    public static final int DEFAULT_PAGE_SIZE = 100;
    public static final int DEFAULT_MAX_PAGES = 500;
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration DEFAULT_OVERLAP = Duration.ofMinutes(1);

    private static final Set<String> KEYS = Set.of(
            "baseUrl", "interval", "resourceTypes", "pageSize", "maxPages", "connectTimeout", "readTimeout", "overlap");
    private static final Pattern SIMPLE_DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    public FhirPollSettings {
        resourceTypes = List.copyOf(resourceTypes);
    }

    /**
     * The settings of a channel as its partner file gives them.
     *
     * @throws IllegalArgumentException {@code "<key>: <reason>"} for the first setting that is wrong
     */
    public static FhirPollSettings of(Map<String, ?> settings) {
        for (String key : settings.keySet()) {
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException(
                        key + ": unknown setting of a fhir-poll channel; one of " + String.join(", ", sorted(KEYS)));
            }
        }
        Duration interval = duration(settings, "interval", null);
        if (interval.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("interval: '" + settings.get("interval") + "' must be at least 1s");
        }
        List<String> types = resourceTypes(settings.get("resourceTypes"));
        int pageSize = number(settings, "pageSize", DEFAULT_PAGE_SIZE, 1000);
        int maxPages = number(settings, "maxPages", DEFAULT_MAX_PAGES, Integer.MAX_VALUE);
        Duration connectTimeout =
                positive(duration(settings, "connectTimeout", DEFAULT_CONNECT_TIMEOUT), settings, "connectTimeout");
        Duration readTimeout =
                positive(duration(settings, "readTimeout", DEFAULT_READ_TIMEOUT), settings, "readTimeout");
        Duration overlap = duration(settings, "overlap", DEFAULT_OVERLAP);
        return new FhirPollSettings(
                baseUrl(settings.get("baseUrl")),
                interval,
                types,
                pageSize,
                maxPages,
                connectTimeout,
                readTimeout,
                overlap);
    }

    /** The settings as route template parameters: durations in milliseconds, the types comma-separated. */
    public Map<String, Object> asParameters() {
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("baseUrl", baseUrl);
        parameters.put("interval", interval.toMillis());
        parameters.put("resourceTypes", String.join(",", resourceTypes));
        parameters.put("pageSize", pageSize);
        parameters.put("maxPages", maxPages);
        parameters.put("connectTimeout", connectTimeout.toMillis());
        parameters.put("readTimeout", readTimeout.toMillis());
        parameters.put("overlap", overlap.toMillis());
        return parameters;
    }

    /** Settings back from route template parameters ({@link #asParameters()}). */
    public static FhirPollSettings fromParameters(
            String baseUrl,
            long interval,
            String resourceTypes,
            int pageSize,
            int maxPages,
            long connectTimeout,
            long readTimeout,
            long overlap) {
        return new FhirPollSettings(
                baseUrl,
                Duration.ofMillis(interval),
                Arrays.asList(resourceTypes.split(",")),
                pageSize,
                maxPages,
                Duration.ofMillis(connectTimeout),
                Duration.ofMillis(readTimeout),
                Duration.ofMillis(overlap));
    }

    /**
     * A duration as partner files write them: {@code 500ms}, {@code 30s}, {@code 15m}, {@code 1h}, {@code 2d},
     * combinations such as {@code 1h30m}, or ISO-8601 ({@code PT15M}).
     *
     * @throws IllegalArgumentException when the text is none of these
     */
    public static Duration parseDuration(String text) {
        String value = text.strip();
        if (value.startsWith("P") || value.startsWith("p")) {
            try {
                return Duration.parse(value);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("'" + text + "' is not an ISO-8601 duration");
            }
        }
        Matcher part = SIMPLE_DURATION.matcher(value);
        Duration total = Duration.ZERO;
        int end = 0;
        while (part.find() && part.start() == end) {
            long amount = Long.parseLong(part.group(1));
            total = total.plus(
                    switch (part.group(2)) {
                        case "ms" -> Duration.ofMillis(amount);
                        case "s" -> Duration.ofSeconds(amount);
                        case "m" -> Duration.ofMinutes(amount);
                        case "h" -> Duration.ofHours(amount);
                        default -> Duration.ofDays(amount);
                    });
            end = part.end();
        }
        if (end == 0 || end != value.length()) {
            throw new IllegalArgumentException(
                    "'" + text + "' is not a duration; write e.g. 500ms, 30s, 15m, 1h, 1h30m or PT15M");
        }
        return total;
    }

    private static Duration duration(Map<String, ?> settings, String key, Duration fallback) {
        Object value = settings.get(key);
        if (value == null || String.valueOf(value).isBlank()) {
            if (fallback == null) {
                throw new IllegalArgumentException(key + ": required, e.g. 15m");
            }
            return fallback;
        }
        try {
            return parseDuration(String.valueOf(value));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + ": " + e.getMessage());
        }
    }

    private static Duration positive(Duration duration, Map<String, ?> settings, String key) {
        if (duration.isZero()) {
            throw new IllegalArgumentException(key + ": '" + settings.get(key) + "' must be longer than 0");
        }
        return duration;
    }

    private static int number(Map<String, ?> settings, String key, int fallback, int max) {
        Object value = settings.get(key);
        if (value == null) {
            return fallback;
        }
        try {
            int number = Integer.parseInt(String.valueOf(value).strip());
            if (number >= 1 && number <= max) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(key + ": '" + value + "' must be a whole number from 1"
                + (max == Integer.MAX_VALUE ? " up" : " to " + max));
    }

    private static List<String> resourceTypes(Object value) {
        if (value == null) {
            return FhirDirectoryTranslator.DIRECTORY_TYPES;
        }
        List<String> names = new ArrayList<>();
        if (value instanceof List<?> list) {
            list.forEach(v -> names.add(String.valueOf(v).strip()));
        } else {
            for (String name : String.valueOf(value).split(",")) {
                names.add(name.strip());
            }
        }
        if (names.isEmpty()) {
            throw new IllegalArgumentException("resourceTypes: name at least one of "
                    + String.join(", ", FhirDirectoryTranslator.DIRECTORY_TYPES));
        }
        for (String name : names) {
            if (!FhirDirectoryTranslator.DIRECTORY_TYPES.contains(name)) {
                throw new IllegalArgumentException("resourceTypes: '" + name + "' is not a directory resource type;"
                        + " one of " + String.join(", ", FhirDirectoryTranslator.DIRECTORY_TYPES));
            }
        }
        return List.copyOf(new java.util.LinkedHashSet<>(names));
    }

    private static String baseUrl(Object value) {
        if (value == null || String.valueOf(value).isBlank()) {
            throw new IllegalArgumentException("baseUrl: required, the partner's FHIR base URL");
        }
        String text = String.valueOf(value).strip();
        try {
            URI uri = new URI(text);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new IllegalArgumentException("baseUrl: '" + text + "' must be an absolute http(s) URL");
            }
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("baseUrl: '" + text + "' is not a valid URI: " + e.getReason());
        }
        return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
    }

    private static List<String> sorted(Set<String> keys) {
        List<String> list = new ArrayList<>(keys);
        list.sort(String.CASE_INSENSITIVE_ORDER);
        return list;
    }
}
