package org.cbhealth.profiles.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.cbhealth.profiles.search.SearchNames.NameText;
import org.junit.jupiter.api.Test;

class SearchNamesTest {

    private final SearchNames searchNames = SearchNames.standard();

    @Test
    void shouldGiveEveryWordStartInTheOriginalScriptAndInLatinLetters() {
        assertThat(searchNames.forms(List.of(new NameText("Клиничка болница Штип", null, true))))
                .containsExactly("болница Штип", "Штип", "Klinicka bolnica Stip", "bolnica Stip", "Stip");
    }

    @Test
    void shouldAddTheRomanizationOfTheLanguageWhenItDiffers() {
        assertThat(searchNames.forms(List.of(new NameText("Отделение по кардиология", "bg", true))))
                .containsExactly(
                        "по кардиология",
                        "кардиология",
                        "Otdelenie po kardiologia",
                        "po kardiologia",
                        "kardiologia",
                        "Otdelenie po kardiologiya",
                        "po kardiologiya",
                        "kardiologiya");
    }

    @Test
    void shouldKeepTheNameWithoutItsPunctuationAndEachWordAfterIt() {
        assertThat(searchNames.forms(List.of(new NameText("МБАЛ „Благоевград“ АД", "bg", true))))
                .containsExactly(
                        "МБАЛ Благоевград АД", "Благоевград АД", "АД", "MBAL Blagoevgrad AD", "Blagoevgrad AD", "AD");
    }

    @Test
    void shouldGiveNothingForASingleLatinWordTheNameSearchFindsAlready() {
        assertThat(searchNames.forms(List.of(new NameText("Maribor", "sl", true))))
                .isEmpty();
        assertThat(searchNames.forms(List.of(new NameText("Rzeszów", "pl", true))))
                .isEmpty();
    }

    @Test
    void shouldGiveATranslationWholeSinceTheNameSearchDoesNotIndexIt() {
        assertThat(searchNames.forms(List.of(
                        new NameText("Клиничка болница Штип", "mk", true),
                        new NameText("Clinical Hospital Štip", "en", false))))
                .containsExactly(
                        "болница Штип",
                        "Штип",
                        "Klinicka bolnica Stip",
                        "bolnica Stip",
                        "Stip",
                        "Clinical Hospital Štip",
                        "Hospital Štip");
    }

    @Test
    void shouldStartFormsAtTheFirstSixteenWordsOnly() {
        String name = IntStream.rangeClosed(1, 20).mapToObj(i -> "p" + i).collect(Collectors.joining(" "));

        List<String> forms = searchNames.forms(List.of(new NameText(name, null, true)));

        assertThat(forms).hasSize(15);
        assertThat(forms.get(0)).isEqualTo("p2 p3 p4 p5 p6 p7 p8 p9 p10 p11 p12 p13 p14 p15 p16 p17 p18 p19 p20");
        assertThat(forms.get(14)).isEqualTo("p16 p17 p18 p19 p20");
    }

    @Test
    void shouldSkipMissingAndBlankTexts() {
        assertThat(searchNames.forms(List.of(new NameText(null, null, false), new NameText(" ", "bg", false))))
                .isEmpty();
    }

    @Test
    void shouldLookForACyrillicQueryInLatinLettersToo() {
        assertThat(searchNames.queryForms("Благоевград")).containsExactly("Благоевград", "Blagoevgrad");
        assertThat(searchNames.queryForms("Штип")).containsExactly("Штип", "Stip");
        assertThat(searchNames.queryForms("Łódź")).containsExactly("Łódź", "Lodz");
    }

    @Test
    void shouldLeaveAQueryAloneWhenItsLatinFormIsTheSameForASearch() {
        assertThat(searchNames.queryForms("Stip")).containsExactly("Stip");
        assertThat(searchNames.queryForms("Rzeszów")).containsExactly("Rzeszów");
    }

    @Test
    void shouldSplitWordsAtPunctuationButKeepApostrophesInside() {
        assertThat(SearchNames.words("Мар'янівка — «Львів», O’Neill-Klinik"))
                .containsExactly("Мар'янівка", "Львів", "O’Neill", "Klinik");
    }
}
