package org.cbhealth.bench.ingestion;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cbhealth.bench.referral.LatencyStats;

/**
 * One server's figures over its measured rounds. Throughput counts the Bundles answered 200 over the time spent in
 * the server's own rounds (the other server's rounds in between are not counted).
 *
 * @param rounds the rounds, in order
 * @param entriesPerBundle resources in each Bundle
 */
record ServerFigures(List<RoundResult> rounds, int entriesPerBundle) {

    ServerFigures {
        rounds = List.copyOf(rounds);
    }

    int bundles() {
        return rounds.stream().mapToInt(RoundResult::bundles).sum();
    }

    int succeeded() {
        return rounds.stream().mapToInt(RoundResult::succeeded).sum();
    }

    int errors() {
        return bundles() - succeeded();
    }

    long elapsedNanos() {
        return rounds.stream().mapToLong(RoundResult::elapsedNanos).sum();
    }

    double bundlesPerSecond() {
        long elapsed = elapsedNanos();
        return elapsed == 0 ? 0 : succeeded() * 1e9 / elapsed;
    }

    double resourcesPerSecond() {
        return bundlesPerSecond() * entriesPerBundle;
    }

    /** Latency percentiles over every Bundle of every round. */
    LatencyStats latency() {
        return LatencyStats.of(rounds.stream()
                .flatMapToLong(r -> Arrays.stream(r.latencyNanos()))
                .toArray());
    }

    /** Each distinct error text with how often it occurred, most frequent first. */
    Map<String, Integer> errorCounts() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (RoundResult round : rounds) {
            for (String error : round.errors()) {
                counts.merge(error, 1, Integer::sum);
            }
        }
        List<Map.Entry<String, Integer>> sorted = new ArrayList<>(counts.entrySet());
        sorted.sort(Map.Entry.<String, Integer>comparingByValue().reversed());
        Map<String, Integer> result = new LinkedHashMap<>();
        sorted.forEach(e -> result.put(e.getKey(), e.getValue()));
        return result;
    }

    /** Hub throughput over plain throughput; NaN when the plain server stored nothing. */
    static double ratio(ServerFigures hub, ServerFigures plain) {
        double base = plain.bundlesPerSecond();
        return base == 0 ? Double.NaN : hub.bundlesPerSecond() / base;
    }
}
