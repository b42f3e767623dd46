package org.cbhealth.bench.referral;

import java.time.Duration;

/**
 * The hub's start-up time and memory (item 5 of the benchmarks issue), each null where it could not be read. Heap is
 * {@code jvm.memory.used} (area heap) from the actuator, resident memory {@code VmRSS}/{@code VmHWM} from
 * {@code /proc/<pid>/status}; a full GC is requested with {@code jcmd <pid> GC.run}.
 *
 * @param ready process start → {@code /actuator/health} UP and the partners' routes Started
 * @param springStarted the "Started … in N seconds" of Spring Boot's log, as the JVM's uptime ("process running
 *     for"), when the log says it
 * @param heapAfterStart heap in use right after the hub was ready, before any referral
 * @param rssAfterStart resident memory at the same moment
 * @param fullGc how the full GC was requested, or why it could not be
 * @param heapIdleAfterGc heap in use after a full GC, still before any referral: the live set of the idle hub
 * @param rssIdleAfterGc resident memory at the same moment
 * @param peakHeapUnderLoad the largest heap in use sampled (every second) while referrals were sent and delivered
 * @param peakRssUnderLoad the largest resident memory sampled in the same time
 * @param peakRssEver the process's peak resident memory ({@code VmHWM}) at the end of the run
 * @param heapAfterRunGc heap in use after a full GC once all channels were done: the live set after the load
 * @param rssAfterRun resident memory at the same moment
 */
public record MemoryFigures(
        Duration ready,
        Duration springStarted,
        Long heapAfterStart,
        Long rssAfterStart,
        String fullGc,
        Long heapIdleAfterGc,
        Long rssIdleAfterGc,
        Long peakHeapUnderLoad,
        Long peakRssUnderLoad,
        Long peakRssEver,
        Long heapAfterRunGc,
        Long rssAfterRun) {

    /** The goal from the issue: heap below 1 GB. */
    public static final long GOAL_HEAP_BYTES = 1L << 30;
    /** The goal from the issue: start-up below 20 s. */
    public static final Duration GOAL_START = Duration.ofSeconds(20);
}
