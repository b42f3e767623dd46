package org.cbhealth.bench.referral;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class LatencyStatsTest {

    @Test
    void shouldTakeNearestRankPercentilesOfOneToAHundred() {
        long[] values = LongStream.rangeClosed(1, 100).map(i -> 101 - i).toArray();
        assertThat(LatencyStats.of(values)).isEqualTo(new LatencyStats(100, 50, 95, 99, 100));
    }

    @Test
    void shouldRoundTheRankUpToAValueThatWasMeasured() {
        long[] values = {70, 10, 100, 40, 20, 90, 30, 60, 50, 80};
        assertThat(LatencyStats.of(values)).isEqualTo(new LatencyStats(10, 50, 100, 100, 100));
    }

    @Test
    void shouldTakeTheTwentiethOfTwoThousandAsP99Rank1980() {
        long[] values = LongStream.range(0, 2000).map(i -> i * 1_000_000L).toArray();
        LatencyStats stats = LatencyStats.of(values);
        assertThat(stats.p50Nanos()).isEqualTo(999_000_000L);
        assertThat(stats.p95Nanos()).isEqualTo(1_899_000_000L);
        assertThat(stats.p99Nanos()).isEqualTo(1_979_000_000L);
        assertThat(stats.maxNanos()).isEqualTo(1_999_000_000L);
    }

    @Test
    void shouldReportOneValueAsEveryPercentile() {
        assertThat(LatencyStats.of(new long[] {7})).isEqualTo(new LatencyStats(1, 7, 7, 7, 7));
    }

    @Test
    void shouldReportNoValuesAsZeros() {
        assertThat(LatencyStats.of(new long[0])).isEqualTo(new LatencyStats(0, 0, 0, 0, 0));
    }

    @Test
    void shouldNotSortTheCallersArray() {
        long[] values = {3, 1, 2};
        LatencyStats.of(values);
        assertThat(values).containsExactly(3, 1, 2);
    }

    @Test
    void shouldRefuseAPercentileOutsideZeroToHundred() {
        assertThatThrownBy(() -> LatencyStats.percentile(new long[] {1}, 0))
                .hasMessage("percentile must be in (0, 100], was 0.0");
        assertThatThrownBy(() -> LatencyStats.percentile(new long[0], 50)).hasMessage("no values");
    }
}
