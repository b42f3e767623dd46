package org.cbhealth.routes.directory;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class CrossBorderFlagTranslatorTest {

    @ParameterizedTest
    @CsvSource({
        "да,true", "Да,true", "ДА,true", "не,false", "Не,false", "так,true", "ні,false", "нет,false",
        "da,true", "ne,false", "ja,true", "Nein,false", "tak,true", "nie,false", "taip,true", "jā,true",
        "nē,false", "jah,true", "ei,false", "yes,true", "no,false", "' да ',true", "1,true", "0,false"
    })
    void shouldReadYesAndNoInPartnerLanguages(String word, boolean expected) {
        assertThat(CrossBorderFlagTranslator.toBoolean(word)).hasValue(expected);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"Може би", "maybe", "?", "2", "y"})
    void shouldNotGuessAnythingElse(String word) {
        assertThat(CrossBorderFlagTranslator.toBoolean(word)).isEmpty();
    }
}
