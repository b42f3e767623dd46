package org.cbhealth.bench.referral;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What one channel's phase of a run measured.
 *
 * @param channel the channel
 * @param warmup its warm-up (not in the figures)
 * @param figures its measured referrals
 * @param hubCpu CPU the hub used during the measured phase (send → last delivery); null when unknown
 * @param benchCpu CPU the load generator used in the same time; null when unknown
 * @param peakHeapBytes the largest heap in use the hub reported while this channel's referrals were sent and
 *     delivered (sampled every second); null when none could be read
 * @param peakRssBytes the largest resident memory sampled in the same time; null when none could be read
 * @param hubCounters the sender partner's counters on the hub over the measured phase (received, stored, failed,
 *     parked …), or "not available"
 * @param loadAfter the machine's load averages when the phase was drained
 */
public record ChannelResult(
        Channel channel,
        RunFigures warmup,
        RunFigures figures,
        Duration hubCpu,
        Duration benchCpu,
        Long peakHeapBytes,
        Long peakRssBytes,
        String hubCounters,
        String loadAfter) {

    /** The same phase with figures counted again (late deliveries and duplicates arrive after the phase ended). */
    public ChannelResult withFigures(RunFigures warmup, RunFigures figures) {
        return new ChannelResult(
                channel, warmup, figures, hubCpu, benchCpu, peakHeapBytes, peakRssBytes, hubCounters, loadAfter);
    }

    /**
     * The change of each counter from {@code before} to {@code after}, as "received 500, stored 4500, …" in the
     * hub's order (a counter missing before counts from 0; the hub never drops one); "not available" when either side
     * is unknown.
     */
    public static String counterDelta(Map<String, Long> before, Map<String, Long> after) {
        if (before == null || after == null) {
            return "not available";
        }
        Map<String, Long> delta = new LinkedHashMap<>();
        for (Map.Entry<String, Long> counter : after.entrySet()) {
            delta.put(counter.getKey(), counter.getValue() - before.getOrDefault(counter.getKey(), 0L));
        }
        return delta.isEmpty()
                ? "none"
                : delta.entrySet().stream()
                        .map(e -> e.getKey() + " " + e.getValue())
                        .collect(Collectors.joining(", "));
    }
}
