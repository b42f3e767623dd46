package org.cbhealth.bench.ingestion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class IngestionOptionsTest {

    private static final Path RESULTS = Path.of("results");

    @Test
    void shouldTakeTheDefaultsWithoutOptions() {
        IngestionOptions options = IngestionOptions.parse(List.of(), RESULTS);

        assertThat(options.bundles()).isEqualTo(80);
        assertThat(options.entries()).isEqualTo(20);
        assertThat(options.rounds()).isEqualTo(4);
        assertThat(options.warmup()).isEqualTo(20);
        assertThat(options.clients()).isEqualTo(2);
        assertThat(options.jfr()).isTrue();
        assertThat(options.keepData()).isFalse();
        assertThat(options.out()).isEqualTo(Path.of("results", "ingestion.md"));
        assertThat(options.plainJar()).isEqualTo(Path.of("bench", "plain-hapi", "target", "plain-hapi.jar"));
    }

    @Test
    void shouldReadEveryOption() {
        IngestionOptions options = IngestionOptions.parse(
                List.of(
                        "--bundles",
                        "10",
                        "--entries",
                        "8",
                        "--rounds",
                        "2",
                        "--warmup",
                        "0",
                        "--clients",
                        "3",
                        "--seed",
                        "5",
                        "--no-jfr",
                        "--out",
                        "x.md",
                        "--keep-data"),
                RESULTS);

        assertThat(options)
                .extracting(
                        IngestionOptions::bundles,
                        IngestionOptions::entries,
                        IngestionOptions::rounds,
                        IngestionOptions::warmup,
                        IngestionOptions::clients,
                        IngestionOptions::seed,
                        IngestionOptions::jfr,
                        IngestionOptions::out,
                        IngestionOptions::keepData)
                .containsExactly(10, 8, 2, 0, 3, 5L, false, Path.of("x.md"), true);
    }

    @Test
    void shouldSpreadTheBundlesOverTheRoundsEvenly() {
        IngestionOptions options = IngestionOptions.parse(List.of("--bundles", "10", "--rounds", "4"), RESULTS);

        assertThat(List.of(
                        options.bundlesInRound(0),
                        options.bundlesInRound(1),
                        options.bundlesInRound(2),
                        options.bundlesInRound(3)))
                .containsExactly(3, 3, 2, 2);
    }

    @Test
    void shouldRefuseEntriesThatAreNotWholeGroups() {
        assertThatThrownBy(() -> IngestionOptions.parse(List.of("--entries", "10"), RESULTS))
                .hasMessage("--entries must be a multiple of 4 (Organization, Location, HealthcareService, Endpoint),"
                        + " was 10");
    }

    @Test
    void shouldRefuseMoreRoundsThanBundles() {
        assertThatThrownBy(() -> IngestionOptions.parse(List.of("--bundles", "2", "--rounds", "3"), RESULTS))
                .hasMessageStartingWith("--rounds (3) must not exceed --bundles (2)");
    }

    @Test
    void shouldRefuseUnknownOptionsAndMissingValues() {
        assertThatThrownBy(() -> IngestionOptions.parse(List.of("--fast"), RESULTS))
                .hasMessage("unknown option '--fast'");
        assertThatThrownBy(() -> IngestionOptions.parse(List.of("--bundles"), RESULTS))
                .hasMessage("--bundles needs a value");
        assertThatThrownBy(() -> IngestionOptions.parse(List.of("--clients", "0"), RESULTS))
                .hasMessage("--clients must be at least 1, was 0");
    }
}
