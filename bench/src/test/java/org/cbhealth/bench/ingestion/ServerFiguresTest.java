package org.cbhealth.bench.ingestion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServerFiguresTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void shouldCountSucceededBundlesOverTheServersOwnRoundTimes() {
        ServerFigures figures = new ServerFigures(
                List.of(
                        new RoundResult(10, 2 * SECOND, new long[10], List.of()),
                        new RoundResult(10, 3 * SECOND, new long[10], List.of("HTTP 422: x", "HTTP 422: x"))),
                20);

        assertThat(figures.bundles()).isEqualTo(20);
        assertThat(figures.succeeded()).isEqualTo(18);
        assertThat(figures.errors()).isEqualTo(2);
        assertThat(figures.bundlesPerSecond()).isCloseTo(3.6, within(1e-9));
        assertThat(figures.resourcesPerSecond()).isCloseTo(72.0, within(1e-9));
        assertThat(figures.errorCounts()).containsExactly(Map.entry("HTTP 422: x", 2));
    }

    @Test
    void shouldTakeLatencyPercentilesOverAllRounds() {
        ServerFigures figures = new ServerFigures(
                List.of(
                        new RoundResult(2, SECOND, new long[] {10, 30}, List.of()),
                        new RoundResult(2, SECOND, new long[] {40, 20}, List.of())),
                4);

        assertThat(figures.latency().p50Nanos()).isEqualTo(20);
        assertThat(figures.latency().maxNanos()).isEqualTo(40);
    }

    @Test
    void shouldGiveTheHubOverPlainThroughputRatio() {
        ServerFigures hub = new ServerFigures(List.of(new RoundResult(4, SECOND, new long[4], List.of())), 4);
        ServerFigures plain = new ServerFigures(List.of(new RoundResult(16, SECOND, new long[16], List.of())), 4);

        assertThat(ServerFigures.ratio(hub, plain)).isCloseTo(0.25, within(1e-9));
        assertThat(ServerFigures.ratio(hub, new ServerFigures(List.of(), 4))).isNaN();
    }
}
