package org.cbhealth.profiles.search;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The search forms of names, so that a FHIR string search (which matches the start of a value, case and accents
 * ignored) finds a resource by any word of its name, in the name's own script or in Latin letters. A name gives:
 *
 * <ul>
 *   <li>the name from each of its words on, in its own script ("Клиничка болница Штип" → "болница Штип", "Штип");
 *   <li>its Latin-ASCII form from each word on ("Klinicka bolnica Stip", "bolnica Stip", "Stip");
 *   <li>the same from the romanization of its language when ICU has one (Macedonian, Bulgarian, Ukrainian ...
 *       BGN/PCGN, German {@code de-ASCII}).
 * </ul>
 *
 * <p>On the query side, {@link #queryForms(String)} adds the Latin-ASCII form of what was typed, so "Благоевград"
 * also finds "MBAL Blagoevgrad". Forms that a search would not tell apart (same letters once case and accents are
 * ignored) are given once. Only the first {@value #MAX_WORD_STARTS} words of a name start a form of their own.
 */
public final class SearchNames {

    /** Words of a name after which no further form starts (the forms before still contain them). */
    public static final int MAX_WORD_STARTS = 16;

    /** A word: letters, combining marks and digits, with apostrophes inside ("Мар'янівка", "O'Neill"). */
    private static final Pattern WORD =
            Pattern.compile("[\\p{L}\\p{M}\\p{N}]+(?:['\u2019\u02BC][\\p{L}\\p{M}\\p{N}]+)*");

    private static final Pattern COMBINING_MARKS = Pattern.compile("\\p{M}+");

    /**
     * A text to index.
     *
     * @param value the text as the partner wrote it
     * @param language its language (BCP 47), or null when unknown
     * @param alreadyIndexed whether the search parameter indexes the text itself already (a name or alias, as
     *     opposed to a translation), so the whole text is not repeated among the forms
     */
    public record NameText(String value, String language, boolean alreadyIndexed) {}

    private final LatinTransliterator transliterator;

    public SearchNames(LatinTransliterator transliterator) {
        this.transliterator = transliterator;
    }

    /** With the shared transliterator. */
    public static SearchNames standard() {
        return new SearchNames(LatinTransliterator.instance());
    }

    /** The search forms of the texts, in their order, each once; none for no text. */
    public List<String> forms(List<NameText> texts) {
        Set<String> indexed = new HashSet<>();
        for (NameText text : texts) {
            if (text.alreadyIndexed() && text.value() != null) {
                indexed.add(searchKey(text.value()));
            }
        }
        Map<String, String> forms = new LinkedHashMap<>();
        for (NameText text : texts) {
            if (text.value() == null || text.value().isBlank()) {
                continue;
            }
            addWordStarts(forms, indexed, text.value());
            addWordStarts(forms, indexed, transliterator.toLatinAscii(text.value()));
            transliterator
                    .toLatinAscii(text.value(), text.language())
                    .ifPresent(romanized -> addWordStarts(forms, indexed, romanized));
        }
        return List.copyOf(forms.values());
    }

    /** What a name search for {@code value} looks for: the value, and its Latin-ASCII form when that differs. */
    public List<String> queryForms(String value) {
        String ascii = transliterator.toLatinAscii(value).strip();
        if (ascii.isEmpty() || searchKey(ascii).equals(searchKey(value))) {
            return List.of(value);
        }
        return List.of(value, ascii);
    }

    /** The words of a text, in order. */
    static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        Matcher matcher = WORD.matcher(text);
        while (matcher.find()) {
            words.add(matcher.group());
        }
        return words;
    }

    /**
     * How a FHIR string search compares values (HAPI's normalisation): decomposed, combining marks removed, upper
     * case. Two forms with the same key are found by the same searches.
     */
    static String searchKey(String value) {
        String decomposed = Normalizer.normalize(value, Normalizer.Form.NFD);
        return COMBINING_MARKS.matcher(decomposed).replaceAll("").toUpperCase(Locale.ROOT);
    }

    private static void addWordStarts(Map<String, String> forms, Set<String> indexed, String text) {
        List<String> words = words(text);
        for (int start = 0; start < Math.min(words.size(), MAX_WORD_STARTS); start++) {
            String form = String.join(" ", words.subList(start, words.size()));
            String key = searchKey(form);
            if (!indexed.contains(key)) {
                forms.putIfAbsent(key, form);
            }
        }
    }
}
