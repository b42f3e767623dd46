package org.cbhealth.bench.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.cbhealth.bench.MachineDescription;
import org.junit.jupiter.api.Test;

class FaultReportTest {

    private static final MachineDescription MACHINE =
            new MachineDescription(2, 24L << 30, "Intel Xeon", "Linux 6.1 amd64", "OpenJDK 17.0.15");

    private static FaultFigures figures(int lost, int duplicatedInStore, int effective, int parked, int poison) {
        return new FaultFigures(
                200,
                200,
                260,
                196,
                2,
                0,
                0,
                poison,
                2,
                0,
                2,
                2,
                198,
                0,
                duplicatedInStore,
                198,
                201,
                3,
                effective,
                lost,
                0,
                parked,
                parked,
                Math.min(parked, poison),
                0,
                0);
    }

    private static FaultReport report(FaultFigures figures, Duration stop) {
        return new FaultReport(
                MACHINE,
                "2026-12-07T10:00:00Z",
                "abc1234",
                "java -jar bench/target/cbhealth-bench.jar faults --referrals 200",
                "setup",
                List.of("t=0.0 s: first send", "t=12.5 s: kill -9 of the hub (1 of 1)"),
                figures,
                new FaultReport.Times(
                        Duration.ofSeconds(95),
                        Duration.ofMillis(4200),
                        Duration.ofMillis(30_500),
                        true,
                        Duration.ofMinutes(10),
                        List.of(Duration.ofSeconds(41), Duration.ofSeconds(38)),
                        stop,
                        Duration.ofSeconds(220)),
                Map.of("no ACK: ConnectException Connection refused", 17),
                "queue hub.parked",
                "1.0, 1.0, 1.0",
                "2.0, 2.0, 2.0");
    }

    @Test
    void shouldWriteTheCountsAsKeyValueRowsTheCiReads() {
        String md = report(figures(0, 0, 0, 4, 4), Duration.ofMillis(2100)).render();

        assertThat(md).contains("## Result: PASS");
        assertThat(md).contains("| lost | 0 |\n");
        assertThat(md).contains("| duplicated in store | 0 |\n");
        assertThat(md).contains("| effective duplicate deliveries | 0 |\n");
        assertThat(md).contains("| duplicate receipts | 3 |\n");
        assertThat(md).contains("| parked | 4 |\n");
        assertThat(md).contains("| poison | 4 |\n");
        assertThat(md).contains("| drain time from the last fault | 30.5 s |\n");
        assertThat(md).contains("| drain time from the last send | 4.2 s |\n");
        assertThat(md).contains("| hub start-ups | 41.0 s, 38.0 s |\n");
        assertThat(md).contains("| graceful stop (SIGTERM) | 2.1 s |\n");
        assertThat(md).contains("- t=12.5 s: kill -9 of the hub (1 of 1)\n");
        assertThat(md).contains("| no ACK: ConnectException Connection refused | 17 |\n");
        assertThat(md).contains("| cores | 2 |");
    }

    @Test
    void shouldFailEachCheckThatIsNotMet() {
        FaultReport report = report(figures(1, 2, 3, 5, 4), Duration.ofSeconds(31));

        assertThat(report.passed()).isFalse();
        assertThat(report.checks())
                .filteredOn(c -> !c.passed())
                .extracting(FaultReport.Check::name)
                .containsExactly(
                        "0 lost",
                        "0 duplicated in the store",
                        "0 effective duplicate deliveries",
                        "parked = poison",
                        "graceful stop < 30 s");
        assertThat(report.render()).contains("## Result: FAIL").contains("| 0 lost | FAIL | 1 acknowledged not stored");
    }

    @Test
    void shouldFailTheStopCheckWhenTheHubHadToBeKilled() {
        FaultReport report = report(figures(0, 0, 0, 4, 4), null);

        assertThat(report.checks())
                .filteredOn(c -> !c.passed())
                .extracting(FaultReport.Check::detail)
                .containsExactly("killed after the bound");
    }
}
