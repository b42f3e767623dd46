package org.cbhealth.bench.directoryimport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.cbhealth.bench.referral.ReferralBenchmarkOptions.Database;
import org.junit.jupiter.api.Test;

class ImportBenchmarkOptionsTest {

    private static final Path RESULTS = Path.of("bench", "results");

    @Test
    void shouldDefaultToTenThousandRowsOnAFreshDatabase() {
        ImportBenchmarkOptions options = ImportBenchmarkOptions.parse(List.of(), RESULTS);
        assertThat(options.rows()).isEqualTo(10_000);
        assertThat(options.database()).isEqualTo(Database.AUTO);
        assertThat(options.seed()).isEqualTo(20260517L);
        assertThat(options.timeoutMinutes()).isEqualTo(30);
        assertThat(options.keepData()).isFalse();
        assertThat(options.hubJar()).isEqualTo(Path.of("hub", "target", "cbhealth-hub.jar"));
        assertThat(options.out()).isEqualTo(Path.of("bench", "results", "directory-import.md"));
    }

    @Test
    void shouldTakeEveryOption() {
        ImportBenchmarkOptions options = ImportBenchmarkOptions.parse(
                List.of(
                        "--rows",
                        "500",
                        "--h2",
                        "--seed",
                        "7",
                        "--timeout-minutes",
                        "5",
                        "--keep-data",
                        "--out",
                        "x.md"),
                RESULTS);
        assertThat(options.rows()).isEqualTo(500);
        assertThat(options.database()).isEqualTo(Database.H2);
        assertThat(options.seed()).isEqualTo(7L);
        assertThat(options.timeoutMinutes()).isEqualTo(5);
        assertThat(options.keepData()).isTrue();
        assertThat(options.out()).isEqualTo(Path.of("x.md"));
    }

    @Test
    void shouldRefuseTooFewOrTooManyRowsAndUnknownOptions() {
        assertThatThrownBy(() -> ImportBenchmarkOptions.parse(List.of("--rows", "24"), RESULTS))
                .hasMessage("--rows must be between 25 and 99999, was 24");
        assertThatThrownBy(() -> ImportBenchmarkOptions.parse(List.of("--rows", "100000"), RESULTS))
                .hasMessage("--rows must be between 25 and 99999, was 100000");
        assertThatThrownBy(() -> ImportBenchmarkOptions.parse(List.of("--rows"), RESULTS))
                .hasMessage("--rows needs a value");
        assertThatThrownBy(() -> ImportBenchmarkOptions.parse(List.of("--count", "5"), RESULTS))
                .hasMessage("unknown option '--count'");
    }
}
