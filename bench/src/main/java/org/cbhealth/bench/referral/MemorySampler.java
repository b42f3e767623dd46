package org.cbhealth.bench.referral;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Samples the hub's heap in use and resident memory every second while a channel's referrals are sent and delivered,
 * keeping the largest of each; {@link #takePeaks()} returns them and starts over for the next phase. One actuator
 * request a second is the cost to the hub.
 */
public final class MemorySampler implements AutoCloseable {

    private static final Duration INTERVAL = Duration.ofSeconds(1);

    /** The largest heap and resident memory since the last call, null where none could be read. */
    public record Peaks(Long heapBytes, Long rssBytes) {}

    private final HubProcess hub;
    private final AtomicLong heap = new AtomicLong(-1);
    private final AtomicLong rss = new AtomicLong(-1);
    private final Thread thread;
    private volatile boolean running = true;

    public MemorySampler(HubProcess hub) {
        this.hub = hub;
        this.thread = new Thread(this::sample, "bench-memory-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    private void sample() {
        while (running) {
            hub.heapUsedBytes().ifPresent(h -> heap.accumulateAndGet(h, Math::max));
            hub.procStatusBytes("VmRSS").ifPresent(r -> rss.accumulateAndGet(r, Math::max));
            LockSupport.parkNanos(INTERVAL.toNanos());
        }
    }

    /** The peaks since the last call, sampled once more now. */
    public Peaks takePeaks() {
        hub.heapUsedBytes().ifPresent(h -> heap.accumulateAndGet(h, Math::max));
        hub.procStatusBytes("VmRSS").ifPresent(r -> rss.accumulateAndGet(r, Math::max));
        long h = heap.getAndSet(-1);
        long r = rss.getAndSet(-1);
        return new Peaks(h < 0 ? null : h, r < 0 ? null : r);
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        LockSupport.unpark(thread);
        thread.join(INTERVAL.toMillis() * 15);
    }
}
