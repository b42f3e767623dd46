package org.cbhealth.bench.translation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TranslationNotesTest {

    private static final TranslationNotes.Comparison REFERRAL = new TranslationNotes.Comparison(
            "REF^I12", "hub", "baseline", steps("read", "read it", "translate", "translate it", "write", "write it"));

    private static Map<String, String> steps(String... pairs) {
        Map<String, String> steps = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            steps.put(pairs[i], pairs[i + 1]);
        }
        return steps;
    }

    @Test
    void shouldReportTheRatioAsBaselineTimeOverHubTime() {
        TranslationNotes notes = new TranslationNotes(0.5, "us/op", Map.of("hub", 400.0, "baseline", 100.0));

        assertThat(notes.ratio(REFERRAL)).isEqualTo(0.25);
        assertThat(notes.missed(REFERRAL)).isTrue();
    }

    @Test
    void shouldSayByHowMuchAMissedGoalIsMissed() {
        TranslationNotes notes = new TranslationNotes(
                0.5,
                "us/op",
                Map.of("hub", 400.0, "baseline", 100.0, "read", 150.0, "translate", 50.0, "write", 200.0));

        String md = notes.goalAndSteps(java.util.List.of(REFERRAL));

        assertThat(md)
                .contains("## Against the goal: translation ≥ 0.5× the parse+serialise baseline")
                .contains("| REF^I12 | 0.25× | ≥ 0.5× | missed by 0.25: the goal allows 200.0 us/op, the hub takes"
                        + " 400.0, 100 % more |")
                .contains("| REF^I12 | read it (`read`) | 150.0 us/op | 38 % |")
                .contains("| REF^I12 | translate it (`translate`) | 50.0 us/op | 13 % |")
                .contains("| REF^I12 | write it (`write`) | 200.0 us/op | 50 % |")
                .contains("| REF^I12 | sum of the steps (whole hub benchmark: 400.0 us/op) | 400.0 us/op | 100 % |");
    }

    @Test
    void shouldCallARunUnreliableWhenTheWholeAndTheSumOfItsStepsDisagree() {
        TranslationNotes consistent = new TranslationNotes(
                0.5,
                "us/op",
                Map.of("hub", 420.0, "baseline", 100.0, "read", 150.0, "translate", 50.0, "write", 200.0));
        TranslationNotes loaded = new TranslationNotes(
                0.5,
                "us/op",
                Map.of("hub", 1200.0, "baseline", 100.0, "read", 150.0, "translate", 50.0, "write", 200.0));

        assertThat(consistent.consistency(java.util.List.of(REFERRAL)))
                .contains("- REF^I12: 420.0 vs 400.0 us/op, within 25 %.");
        assertThat(loaded.consistency(java.util.List.of(REFERRAL)))
                .contains("- REF^I12: 1200.0 vs 400.0 us/op, 3.0× apart: **not reliable**");
    }

    @Test
    void shouldSayAMetGoalIsMet() {
        TranslationNotes notes = new TranslationNotes(0.5, "us/op", Map.of("hub", 150.0, "baseline", 100.0));

        assertThat(notes.missed(REFERRAL)).isFalse();
        assertThat(notes.goalAndSteps(java.util.List.of(REFERRAL)))
                .contains("| REF^I12 | 0.67× | ≥ 0.5× | met (the goal allows 200.0 us/op, the hub takes 150.0) |")
                .contains("| REF^I12 | read it (`read`) | not measured |  |");
    }

    @Test
    void shouldSayWhatWasNotMeasured() {
        TranslationNotes notes = new TranslationNotes(0.5, "us/op", Map.of("hub", 150.0));

        assertThat(notes.ratio(REFERRAL)).isNaN();
        assertThat(notes.missed(REFERRAL)).isFalse();
        assertThat(notes.goalAndSteps(java.util.List.of(REFERRAL))).contains("| REF^I12 | not measured | | |");
    }

    @Test
    void shouldPutTheAllocationBesideTheBaselinesAndTheStackInACodeBlock() {
        TranslationNotes notes = new TranslationNotes(0.5, "us/op", Map.of("hub", 400.0, "baseline", 100.0));

        String md =
                notes.profile(REFERRAL, new TranslationNotes.Profile("\n 40.0%  org.cbhealth.X.y\n", 3000.0, 1200.0));

        assertThat(md)
                .startsWith("### REF^I12: `hub` profiled\n")
                .contains("3000 bytes per operation in the hub, 1200 in the baseline (2.5×)")
                .endsWith("```\n40.0%  org.cbhealth.X.y\n```\n");
    }
}
