package org.cbhealth.bench.referral;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class RefI12MessagesTest {

    private final RefI12Messages messages = RefI12Messages.fromSample();

    @Test
    void shouldNumberPlacersWithSixDigits() {
        assertThat(RefI12Messages.placer("BENCH-1a2b", 7)).isEqualTo("BENCH-1a2b-000007");
        assertThat(RefI12Messages.placer("WARMUP-1a2b", 999_999)).isEqualTo("WARMUP-1a2b-999999");
    }

    @Test
    void shouldRefuseAPlacerLongerThanMsh10Allows() {
        assertThatThrownBy(() -> RefI12Messages.placer("WARMUP-1a2b3cd", 1))
                .hasMessage("placer number WARMUP-1a2b3cd-000001 is longer than MSH-10 allows (20)");
    }

    @Test
    void shouldPutThePlacerInMsh10Rf16AndObr2AndThePatientInPid3AndPid7() {
        String referral = messages.referral(
                "BENCH-1a2b-000042", new BgEgnGenerator.Person("4001010016", LocalDate.of(1940, 1, 1)));

        assertThat(field(referral, "MSH", 9)).isEqualTo("BENCH-1a2b-000042"); // MSH-10: MSH-1 is the separator
        assertThat(field(referral, "RF1", 6)).isEqualTo("BENCH-1a2b-000042^MBAL-BLAGOEVGRAD");
        assertThat(field(referral, "OBR", 2)).isEqualTo("BENCH-1a2b-000042");
        assertThat(field(referral, "PID", 3)).isEqualTo("4001010016^^^BG-EGN&1.2.100.1&ISO^NNBGR");
        assertThat(field(referral, "PID", 7)).isEqualTo("19400101");
        assertThat(field(referral, "PID", 8)).isEqualTo("F");
        assertThat(referral).doesNotContain("BG-REF-000123").doesNotContain("7501024918");
    }

    @Test
    void shouldLeaveEverythingElseOfTheSampleAsItIs() throws IOException {
        String sample = sample();
        String same =
                messages.referral("BG-REF-000123", new BgEgnGenerator.Person("7501024918", LocalDate.of(1975, 1, 2)));
        assertThat(segments(same)).isEqualTo(segments(sample));
        assertThat(segments(same)).hasSize(9);
    }

    private static List<String> segments(String message) {
        return Arrays.stream(message.split("\r")).filter(s -> !s.isEmpty()).toList();
    }

    private static String field(String message, String segment, int index) {
        return segments(message).stream()
                .filter(s -> s.startsWith(segment + "|"))
                .findFirst()
                .map(s -> s.split("\\|", -1)[index])
                .orElseThrow();
    }

    private static String sample() throws IOException {
        try (InputStream in = RefI12MessagesTest.class.getResourceAsStream(RefI12Messages.SAMPLE)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
