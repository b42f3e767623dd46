package org.cbhealth.profiles.search;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Names of the partner samples and demo partners, in Cyrillic and in Latin with diacritics, to Latin-ASCII. */
class LatinTransliteratorTest {

    private final LatinTransliterator transliterator = LatinTransliterator.instance();

    @Test
    void shouldWriteMacedonianCyrillicInLatinLetters() {
        assertThat(transliterator.toLatinAscii("Штип")).isEqualTo("Stip");
        assertThat(transliterator.toLatinAscii("ЈЗУ Клиничка болница Штип")).isEqualTo("JZU Klinicka bolnica Stip");
        assertThat(transliterator.toLatinAscii("Одделение за гинекологија и акушерство"))
                .isEqualTo("Oddelenie za ginekologija i akuserstvo");
    }

    @Test
    void shouldWriteBulgarianCyrillicInLatinLetters() {
        assertThat(transliterator.toLatinAscii("Благоевград")).isEqualTo("Blagoevgrad");
        assertThat(transliterator.toLatinAscii("Отделение по кардиология")).isEqualTo("Otdelenie po kardiologia");
    }

    @Test
    void shouldDropTheSoftSignAndApostrophesOfUkrainian() {
        assertThat(transliterator.toLatinAscii("Львів")).isEqualTo("Lviv");
        assertThat(transliterator.toLatinAscii("Мар’янівка")).isEqualTo("Maranivka");
    }

    @Test
    void shouldStripDiacriticsOfLatinScriptNames() {
        assertThat(transliterator.toLatinAscii("Maribor")).isEqualTo("Maribor");
        assertThat(transliterator.toLatinAscii("Univerzitetni klinični center Maribor"))
                .isEqualTo("Univerzitetni klinicni center Maribor");
        assertThat(transliterator.toLatinAscii("Kärnten")).isEqualTo("Karnten");
        assertThat(transliterator.toLatinAscii("Klinikum Klagenfurt am Wörthersee"))
                .isEqualTo("Klinikum Klagenfurt am Worthersee");
        assertThat(transliterator.toLatinAscii("Rzeszów")).isEqualTo("Rzeszow");
        assertThat(transliterator.toLatinAscii("Łódź")).isEqualTo("Lodz");
        assertThat(transliterator.toLatinAscii("Šiauliai")).isEqualTo("Siauliai");
        assertThat(transliterator.toLatinAscii("Rīga")).isEqualTo("Riga");
        assertThat(transliterator.toLatinAscii("Tartu Ülikooli Kliinikum")).isEqualTo("Tartu Ulikooli Kliinikum");
    }

    @Test
    void shouldRomanizeByTheBgnSystemOfTheLanguageWhenKnown() {
        assertThat(transliterator.toLatinAscii("Отделение по кардиология", "bg"))
                .contains("Otdelenie po kardiologiya");
        assertThat(transliterator.toLatinAscii("Пещера", "bg")).contains("Peshtera");
        assertThat(transliterator.toLatinAscii("Пещера")).isEqualTo("Pesera");
        assertThat(transliterator.toLatinAscii("КНП ЛОР «Львівська обласна клінічна лікарня»", "uk"))
                .contains("KNP LOR <<Lvivska oblasna klinichna likarnya>>");
        assertThat(transliterator.toLatinAscii("Університетська клінічна лікарня в Жешуві", "uk-UA"))
                .contains("Universytetska klinichna likarnya v Zheshuvi");
        assertThat(transliterator.toLatinAscii("Клиничка болница Штип", "mk")).contains("Klinicka bolnica Stip");
    }

    @Test
    void shouldWriteGermanUmlautsAsTwoLettersWhenTheLanguageIsGerman() {
        assertThat(transliterator.toLatinAscii("Kärnten", "de")).contains("Kaernten");
        assertThat(transliterator.toLatinAscii("Klinikum Klagenfurt am Wörthersee", "de"))
                .contains("Klinikum Klagenfurt am Woerthersee");
    }

    @Test
    void shouldGiveNoLanguageFormForLanguagesWithoutRomanizationOfTheirOwn() {
        assertThat(transliterator.toLatinAscii("Rzeszów", "pl")).isEmpty();
        assertThat(transliterator.toLatinAscii("Maribor", "sl")).isEmpty();
        assertThat(transliterator.toLatinAscii("MBAL Blagoevgrad", "en")).isEmpty();
        assertThat(transliterator.toLatinAscii("Штип", null)).isEmpty();
        assertThat(transliterator.toLatinAscii("Штип", " ")).isEmpty();
    }
}
