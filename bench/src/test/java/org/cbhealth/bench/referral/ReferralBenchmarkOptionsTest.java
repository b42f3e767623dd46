package org.cbhealth.bench.referral;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReferralBenchmarkOptionsTest {

    private static final Path RESULTS = Path.of("bench", "results");

    @Test
    void shouldDefaultToTwoThousandReferralsOverFourConnectionsAtFullSpeed() {
        ReferralBenchmarkOptions options = ReferralBenchmarkOptions.parse(List.of(), RESULTS);

        assertThat(options)
                .isEqualTo(new ReferralBenchmarkOptions(
                        2000,
                        4,
                        0,
                        200,
                        ReferralBenchmarkOptions.Database.AUTO,
                        Path.of("hub", "target", "cbhealth-hub.jar"),
                        Path.of("bench", "results", "referral-e2e.md"),
                        15,
                        false,
                        List.of(Channel.MLLP)));
        assertThat(options.rateText())
                .isEqualTo("max (each connection sends as soon as its last referral is answered)");
    }

    @Test
    void shouldReadEveryOption() {
        ReferralBenchmarkOptions options = ReferralBenchmarkOptions.parse(
                List.of(
                        "--count",
                        "500",
                        "--connections",
                        "2",
                        "--rate",
                        "150.5",
                        "--warmup",
                        "0",
                        "--h2",
                        "--hub-jar",
                        "/opt/hub.jar",
                        "--out",
                        "/tmp/r.md",
                        "--quiet-seconds",
                        "3",
                        "--keep-data",
                        "--channel",
                        "jms"),
                RESULTS);

        assertThat(options)
                .isEqualTo(new ReferralBenchmarkOptions(
                        500,
                        2,
                        150.5,
                        0,
                        ReferralBenchmarkOptions.Database.H2,
                        Path.of("/opt/hub.jar"),
                        Path.of("/tmp/r.md"),
                        3,
                        true,
                        List.of(Channel.JMS)));
        assertThat(options.rateText()).isEqualTo("150.5 referrals/s");
        assertThat(ReferralBenchmarkOptions.parse(List.of("--rate", "200", "--postgres"), RESULTS))
                .extracting(ReferralBenchmarkOptions::rateText, ReferralBenchmarkOptions::database)
                .containsExactly("200 referrals/s", ReferralBenchmarkOptions.Database.POSTGRES);
    }

    @Test
    void shouldRunAllChannelsInOrderForAll() {
        assertThat(ReferralBenchmarkOptions.parse(List.of("--channel", "all"), RESULTS)
                        .channels())
                .containsExactly(Channel.MLLP, Channel.REST, Channel.JMS);
        assertThat(ReferralBenchmarkOptions.parse(List.of("--channel", "rest"), RESULTS)
                        .channels())
                .containsExactly(Channel.REST);
        assertThatThrownBy(() -> ReferralBenchmarkOptions.parse(List.of("--channel", "soap"), RESULTS))
                .hasMessage("--channel must be mllp, rest, jms or all, was 'soap'");
    }

    @Test
    void shouldRefuseBadValuesNamingTheOption() {
        assertThatThrownBy(() -> ReferralBenchmarkOptions.parse(List.of("--connections", "0"), RESULTS))
                .hasMessage("--connections must be at least 1, was 0");
        assertThatThrownBy(() -> ReferralBenchmarkOptions.parse(List.of("--count", "many"), RESULTS))
                .hasMessage("--count must be a whole number, was 'many'");
        assertThatThrownBy(() -> ReferralBenchmarkOptions.parse(List.of("--rate", "-5"), RESULTS))
                .hasMessage("--rate must be a positive number or 'max', was -5");
        assertThatThrownBy(() -> ReferralBenchmarkOptions.parse(List.of("--rate"), RESULTS))
                .hasMessage("--rate needs a value");
        assertThatThrownBy(() -> ReferralBenchmarkOptions.parse(List.of("--threads", "4"), RESULTS))
                .hasMessage("unknown option '--threads'");
        assertThatThrownBy(() -> ReferralBenchmarkOptions.parse(List.of("--count", "1000000"), RESULTS))
                .hasMessage("--count and --warmup must each stay below 1,000,000 (six-digit placer numbers)");
    }
}
