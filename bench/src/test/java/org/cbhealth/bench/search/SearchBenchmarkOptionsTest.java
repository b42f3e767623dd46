package org.cbhealth.bench.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.cbhealth.bench.referral.ReferralBenchmarkOptions.Database;
import org.junit.jupiter.api.Test;

class SearchBenchmarkOptionsTest {

    private static final Path RESULTS = Path.of("bench", "results");

    @Test
    void shouldDefaultToAHundredThousandResourcesOnAFreshDatabase() {
        SearchBenchmarkOptions options = SearchBenchmarkOptions.parse(List.of(), RESULTS);
        assertThat(options.resources()).isEqualTo(100_000);
        assertThat(options.units()).isEqualTo(12_500);
        assertThat(options.database()).isEqualTo(Database.AUTO);
        assertThat(options.reuseDatabase()).isNull();
        assertThat(options.queries()).isEqualTo(200);
        assertThat(options.concurrency()).isEqualTo(1);
        assertThat(options.loadMinutes()).isZero();
        assertThat(options.out()).isEqualTo(Path.of("bench", "results", "search.md"));
    }

    @Test
    void shouldRoundTheResourcesDownToWholeUnits() {
        assertThat(SearchBenchmarkOptions.parse(List.of("--resources", "2007"), RESULTS)
                        .units())
                .isEqualTo(250);
    }

    @Test
    void shouldRunAReusedDatabaseOnPostgres() {
        SearchBenchmarkOptions options = SearchBenchmarkOptions.parse(
                List.of(
                        "--reuse-database",
                        "cbhealth_bench_search_ab12",
                        "--queries",
                        "50",
                        "--concurrency",
                        "4",
                        "--load-minutes",
                        "30"),
                RESULTS);
        assertThat(options.database()).isEqualTo(Database.POSTGRES);
        assertThat(options.reuseDatabase()).isEqualTo("cbhealth_bench_search_ab12");
        assertThat(options.queries()).isEqualTo(50);
        assertThat(options.concurrency()).isEqualTo(4);
        assertThat(options.loadMinutes()).isEqualTo(30);
    }

    @Test
    void shouldSearchAsTheIntegratorWithEveryInteractionAuditedByDefault() {
        SearchBenchmarkOptions options = SearchBenchmarkOptions.parse(List.of(), RESULTS);
        assertThat(options.caller()).isEqualTo(SearchBenchmarkOptions.Caller.INTEGRATOR);
        assertThat(options.restAudit()).isTrue();

        SearchBenchmarkOptions partner =
                SearchBenchmarkOptions.parse(List.of("--as", "partner", "--no-rest-audit"), RESULTS);
        assertThat(partner.caller()).isEqualTo(SearchBenchmarkOptions.Caller.PARTNER);
        assertThat(partner.restAudit()).isFalse();
        assertThatThrownBy(() -> SearchBenchmarkOptions.parse(List.of("--as", "viewer"), RESULTS))
                .hasMessage("--as must be integrator or partner, was 'viewer'");
    }

    @Test
    void shouldRefuseAReusedDatabaseOnH2() {
        assertThatThrownBy(() -> SearchBenchmarkOptions.parse(List.of("--h2", "--reuse-database", "x"), RESULTS))
                .hasMessageContaining("--reuse-database needs PostgreSQL");
    }

    @Test
    void shouldRefuseADatabaseNameThatIsNotPlain() {
        assertThatThrownBy(() -> SearchBenchmarkOptions.parse(List.of("--reuse-database", "a; DROP"), RESULTS))
                .hasMessageContaining("plain database name");
    }

    @Test
    void shouldRefuseFewerResourcesThanOneUnit() {
        assertThatThrownBy(() -> SearchBenchmarkOptions.parse(List.of("--resources", "7"), RESULTS))
                .hasMessage("--resources must be at least 8, was 7");
    }

    @Test
    void shouldRefuseUnknownOptions() {
        assertThatThrownBy(() -> SearchBenchmarkOptions.parse(List.of("--fast"), RESULTS))
                .hasMessage("unknown option '--fast'");
    }
}
