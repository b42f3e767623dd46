package org.cbhealth.bench.referral;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class StartupLogTest {

    @Test
    void shouldReadTheJvmUptimeWhenSpringBootStarted() {
        String log = "10:00:01 INFO starting\n"
                + "2026-11-25T10:01:20Z INFO 123 --- [main] o.c.hub.HubApplication : Started HubApplication in"
                + " 71.234 seconds (process running for 74.5)\n";

        assertThat(StartupLog.processRunningWhenStarted(log)).contains(Duration.ofMillis(74_500));
    }

    @Test
    void shouldBeEmptyWithoutTheLine() {
        assertThat(StartupLog.processRunningWhenStarted("Starting HubApplication using Java 17\n"))
                .isEmpty();
    }
}
