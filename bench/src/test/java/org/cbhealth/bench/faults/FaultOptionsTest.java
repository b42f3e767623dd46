package org.cbhealth.bench.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class FaultOptionsTest {

    @Test
    void shouldTakeTheIssuesRunWhenNoOptionIsGiven() {
        FaultOptions o = FaultOptions.parse(List.of(), Path.of("bench/results"));

        assertThat(o.referrals()).isEqualTo(10_000);
        assertThat(o.channels()).containsExactly(SendChannel.MLLP, SendChannel.JMS);
        assertThat(o.kills()).isEqualTo(5);
        assertThat(o.outage()).isEqualTo(Duration.ofSeconds(60));
        assertThat(o.duplicates()).isEqualTo(0.01);
        assertThat(o.poison()).isEqualTo(0.01);
        assertThat(o.ratePerSecond()).isEqualTo(20.0);
        assertThat(o.outboundMaxDeliveryAttempts()).isEqualTo(1000);
        assertThat(o.out()).isEqualTo(Path.of("bench/results/fault-injection.md"));
        assertThat(o.keepData()).isFalse();
    }

    @Test
    void shouldReadTheSmokeRunsOptions() {
        FaultOptions o = FaultOptions.parse(
                List.of(
                        "--referrals",
                        "200",
                        "--kills",
                        "1",
                        "--outage",
                        "10s",
                        "--channels",
                        "mllp,jms,rest",
                        "--rate",
                        "12.5",
                        "--drain-limit",
                        "3m",
                        "--out",
                        "x/f.md",
                        "--keep-data"),
                Path.of("bench/results"));

        assertThat(o.referrals()).isEqualTo(200);
        assertThat(o.kills()).isEqualTo(1);
        assertThat(o.outage()).isEqualTo(Duration.ofSeconds(10));
        assertThat(o.channels()).containsExactly(SendChannel.MLLP, SendChannel.JMS, SendChannel.REST);
        assertThat(o.ratePerSecond()).isEqualTo(12.5);
        assertThat(o.drainLimit()).isEqualTo(Duration.ofMinutes(3));
        assertThat(o.out()).isEqualTo(Path.of("x/f.md"));
        assertThat(o.keepData()).isTrue();
    }

    @Test
    void shouldReadDurationsInEveryUnit() {
        assertThat(FaultOptions.duration("--outage", "0")).isEqualTo(Duration.ZERO);
        assertThat(FaultOptions.duration("--outage", "90")).isEqualTo(Duration.ofSeconds(90));
        assertThat(FaultOptions.duration("--outage", "500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(FaultOptions.duration("--outage", "2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(FaultOptions.duration("--outage", "1h")).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void shouldNameTheOptionAndTheValueThatAreWrong() {
        Path results = Path.of("bench/results");
        assertThatThrownBy(() -> FaultOptions.parse(List.of("--outage", "soon"), results))
                .hasMessage("--outage: 'soon' is not a duration (60s, 2m, 500ms)");
        assertThatThrownBy(() -> FaultOptions.parse(List.of("--channels", "mllp,ftp"), results))
                .hasMessage("--channels: unknown channel 'ftp' (mllp, jms, rest)");
        assertThatThrownBy(() -> FaultOptions.parse(List.of("--poison", "0.9"), results))
                .hasMessage("--poison must be 0.0–0.5, was 0.9");
        assertThatThrownBy(() -> FaultOptions.parse(List.of("--kills"), results))
                .hasMessage("--kills needs a value");
        assertThatThrownBy(() -> FaultOptions.parse(List.of("--referrals", "0"), results))
                .hasMessage("--referrals must be 1–999999, was 0");
        assertThatThrownBy(() -> FaultOptions.parse(List.of("--fast"), results)).hasMessage("--fast needs a value");
        assertThatThrownBy(() -> FaultOptions.parse(List.of("--fast", "yes"), results))
                .hasMessage("unknown option --fast");
    }
}
