package org.cbhealth.routes.directory;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the yes/no column "accepts cross-border referrals" in the partners' languages (bg, mk, sr, uk, ru,
 * sl, hr, de, pl, lt, lv, et, en). Anything else is not a guess but an empty answer, reported by the caller.
 */
public final class CrossBorderFlagTranslator {

    private static final Map<String, Boolean> WORDS = Map.ofEntries(
            Map.entry("да", true),
            Map.entry("не", false),
            Map.entry("так", true),
            Map.entry("ні", false),
            Map.entry("нет", false),
            Map.entry("da", true),
            Map.entry("ne", false),
            Map.entry("ja", true),
            Map.entry("nein", false),
            Map.entry("tak", true),
            Map.entry("nie", false),
            Map.entry("taip", true),
            Map.entry("jā", true),
            Map.entry("nē", false),
            Map.entry("jah", true),
            Map.entry("ei", false),
            Map.entry("yes", true),
            Map.entry("no", false),
            Map.entry("true", true),
            Map.entry("false", false),
            Map.entry("1", true),
            Map.entry("0", false));

    private CrossBorderFlagTranslator() {}

    public static Optional<Boolean> toBoolean(String value) {
        if (value == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(WORDS.get(value.strip().toLowerCase(Locale.ROOT)));
    }
}
