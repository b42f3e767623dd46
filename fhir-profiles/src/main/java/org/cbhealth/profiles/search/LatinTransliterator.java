package org.cbhealth.profiles.search;

import com.ibm.icu.text.Transliterator;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Turns a name in any script into its Latin-ASCII search form with ICU4J's transliterators: {@code Any-Latin} (ISO 9
 * for Cyrillic) then {@code Latin-ASCII}, so "Клиничка болница Штип" becomes "Klinicka bolnica Stip", "Rzeszów"
 * "Rzeszow" and "Łódź" "Lodz". When the language of a text is known and ICU has a romanization of its own for it
 * (the BGN/PCGN systems of {@code bg}, {@code mk}, {@code uk}, {@code ru}, {@code sr}, {@code be}, ..., or
 * {@code de-ASCII}), {@link #toLatinAscii(String, String)} gives that form too: Bulgarian "Щ" becomes "Sht",
 * Ukrainian "Г" "H", German "ä" "ae".
 *
 * <p>Apostrophes, primes and the BGN separator dot are dropped, as people type the names without them: "Львів"
 * (ISO 9 "Lʹvìv") becomes "Lviv". Instances are immutable and thread-safe (ICU transliterators are stateless).
 */
public final class LatinTransliterator {

    private static final String TO_ASCII = "Any-Latin; Latin-ASCII";

    /** Apostrophe, quotation mark, right single quote, modifier prime, double prime and apostrophe, middle dot. */
    private static final String DROP_APOSTROPHES = "[\\u0027\\u0022\\u2019\\u02B9\\u02BA\\u02BC\\u00B7] Remove";

    private static final LatinTransliterator INSTANCE = new LatinTransliterator();

    private final Transliterator generic = Transliterator.getInstance(TO_ASCII + "; " + DROP_APOSTROPHES);
    private final Set<String> available =
            Collections.list(Transliterator.getAvailableIDs()).stream().collect(Collectors.toUnmodifiableSet());
    private final Map<String, Optional<Transliterator>> byLanguage = new ConcurrentHashMap<>();

    private LatinTransliterator() {}

    /** The shared instance (building ICU transliterators is costly; using them is not). */
    public static LatinTransliterator instance() {
        return INSTANCE;
    }

    /** The Latin-ASCII form by the script's generic rules: "Благоевград" → "Blagoevgrad", "Kärnten" → "Karnten". */
    public String toLatinAscii(String text) {
        return generic.transliterate(text);
    }

    /**
     * The Latin-ASCII form by the romanization of the text's language, when ICU has one ("Клиничка" in {@code bg}
     * → "Klinichka", "Kärnten" in {@code de} → "Kaernten"); empty for languages without one ({@code pl},
     * {@code sl}, {@code en}, ...) and for no language. Characters the language's rules do not cover go through
     * the generic rules.
     *
     * @param language a BCP 47 tag; only its primary subtag counts ({@code uk-UA} → {@code uk})
     */
    public Optional<String> toLatinAscii(String text, String language) {
        if (language == null || language.isBlank()) {
            return Optional.empty();
        }
        String primary = language.strip().split("[-_]")[0].toLowerCase(Locale.ROOT);
        return byLanguage.computeIfAbsent(primary, this::languageTransliterator).map(t -> t.transliterate(text));
    }

    /** ICU's own romanization of a language: its BGN/PCGN transliterator, or else its {@code <lang>-ASCII} one. */
    private Optional<Transliterator> languageTransliterator(String language) {
        for (String id : new String[] {language + "-" + language + "_Latn/BGN", language + "-ASCII"}) {
            if (available.contains(id)) {
                return Optional.of(Transliterator.getInstance(id + "; " + TO_ASCII + "; " + DROP_APOSTROPHES));
            }
        }
        return Optional.empty();
    }
}
