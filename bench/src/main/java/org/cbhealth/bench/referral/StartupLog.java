package org.cbhealth.bench.referral;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads Spring Boot's start-up line from the hub's log ({@code Started HubApplication in 41.2 seconds (process
 * running for 43.9)}), so the report can split the start-up time: the JVM and Spring context, then the partners'
 * routes and health.
 */
final class StartupLog {

    private static final Pattern STARTED = Pattern.compile(
            "Started \\S+ in ([0-9]+(?:\\.[0-9]+)?) seconds \\(process running for ([0-9]+(?:\\.[0-9]+)?)\\)");

    private StartupLog() {}

    /** The JVM's uptime when Spring Boot said it had started, from the first such line of the log. */
    static Optional<Duration> processRunningWhenStarted(String log) {
        Matcher m = STARTED.matcher(log);
        if (!m.find()) {
            return Optional.empty();
        }
        return Optional.of(Duration.ofMillis(Math.round(Double.parseDouble(m.group(2)) * 1000)));
    }
}
