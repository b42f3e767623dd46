package org.cbhealth.bench.referral;

import java.util.Arrays;

/**
 * Percentiles of a set of latencies by the nearest-rank method: the p-th percentile of n sorted values is the value
 * at rank ⌈p/100 · n⌉ (1-based), so every figure reported is a latency that was really measured.
 *
 * @param count how many latencies
 * @param p50Nanos median
 * @param p95Nanos 95th percentile
 * @param p99Nanos 99th percentile
 * @param maxNanos largest
 */
public record LatencyStats(int count, long p50Nanos, long p95Nanos, long p99Nanos, long maxNanos) {

    /** The statistics of these latencies (nanoseconds, any order); all zero when there are none. */
    public static LatencyStats of(long[] nanos) {
        if (nanos.length == 0) {
            return new LatencyStats(0, 0, 0, 0, 0);
        }
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return new LatencyStats(
                sorted.length,
                percentile(sorted, 50),
                percentile(sorted, 95),
                percentile(sorted, 99),
                sorted[sorted.length - 1]);
    }

    /** The nearest-rank {@code p}-th percentile (0 &lt; p ≤ 100) of values sorted ascending. */
    public static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            throw new IllegalArgumentException("no values");
        }
        if (!(p > 0 && p <= 100)) {
            throw new IllegalArgumentException("percentile must be in (0, 100], was " + p);
        }
        int rank = (int) Math.ceil(p * sorted.length / 100.0);
        return sorted[Math.max(rank, 1) - 1];
    }
}
