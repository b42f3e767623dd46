package org.cbhealth.hub.partner;

import java.time.Duration;
import org.springframework.boot.convert.DurationStyle;

/**
 * A duration in a partner file's channel settings, written as in the hub's own configuration: {@code 15m}, {@code
 * 30s}, {@code 500ms}, or ISO 8601 ({@code PT15M}); a bare number is milliseconds.
 */
final class DurationSetting {

    private DurationSetting() {}

    /** The duration a setting's value names, or null when it names none. */
    static Duration parse(Object value) {
        if (value == null) {
            return null;
        }
        try {
            return DurationStyle.detectAndParse(String.valueOf(value).strip());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The setting's duration, or {@code fallback} when it is not set. */
    static Duration parse(Object value, Duration fallback) {
        Duration duration = parse(value);
        return duration == null ? fallback : duration;
    }

    /** A duration as a person writes it: {@code 1s}, {@code 15m}, {@code 250ms}. */
    static String describe(Duration duration) {
        long millis = duration.toMillis();
        if (millis % 60_000 == 0) {
            return millis / 60_000 + "m";
        }
        return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
    }
}
