package org.cbhealth.hub.audit;

import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The one writer of the hub's AuditEvents (the REST interactions' and the exchange steps'): callers hand an event
 * over and go on; one thread stores the queued events in batches, each batch in a database transaction of its own.
 *
 * <p>No event is dropped silently. When the queue is full a caller waits up to {@code offerTimeout} and then
 * stores its event itself. Before {@link #start()} and after {@link #stop()} every event is stored synchronously.
 * A batch the store refuses is stored event by event; an event refused alone is stored once more with its entity
 * references turned into identifiers (a reference to a resource deleted or rolled back meanwhile); only an event
 * refused even then is lost, logged as an error and counted ({@code cbhealth.audit.events{outcome=lost}}).
 *
 * <p>A {@link SmartLifecycle} of the lowest phase: it stops after the web server and the Camel routes, which write
 * events, and before the data source closes; at stop it stores what is queued within {@code stopTimeout}.
 */
public class AuditEventWriter implements SmartLifecycle {

    /** Where a batch of AuditEvents goes: one database transaction, all or nothing. */
    @FunctionalInterface
    public interface Store {
        void store(List<AuditEvent> batch);
    }

    private static final Logger LOG = LoggerFactory.getLogger(AuditEventWriter.class);

    /** The user-data key marking the request details of the writer's own DAO writes. */
    private static final String AUDIT_WRITE = AuditEventWriter.class.getName();

    /** Request details for storing audit records: system (no REST interceptor sees them), marked as audit writes. */
    public static SystemRequestDetails auditWrite() {
        SystemRequestDetails request = new SystemRequestDetails();
        request.getUserData().put(AUDIT_WRITE, Boolean.TRUE);
        return request;
    }

    /** Whether a store call comes from the audit writer (its records are not validated as a caller's input). */
    public static boolean isAuditWrite(ca.uhn.fhir.rest.api.server.RequestDetails request) {
        return request != null && Boolean.TRUE.equals(request.getUserData().get(AUDIT_WRITE));
    }

    private final Store store;
    private final BlockingQueue<AuditEvent> queue;
    private final int batchSize;
    private final Duration offerTimeout;
    private final Duration stopTimeout;
    /** Held (shared) by callers while they queue, (exclusive) by stop while it closes the queue. */
    private final ReadWriteLock gate = new ReentrantReadWriteLock();

    private final Object progress = new Object();
    /** Events queued, and events the writer thread has finished with (stored or lost); guarded by progress. */
    private long queued;

    private long finished;

    private final Counter stored;
    private final Counter storedByCaller;
    private final Counter lost;

    private volatile boolean running;
    private Thread thread;

    public AuditEventWriter(Store store, AuditProperties properties, MeterRegistry meters) {
        this.store = store;
        this.queue = new ArrayBlockingQueue<>(properties.queueCapacity());
        this.batchSize = properties.batchSize();
        this.offerTimeout = properties.offerTimeout();
        this.stopTimeout = properties.stopTimeout();
        this.stored = counter(meters, "stored");
        this.storedByCaller = counter(meters, "stored-by-caller");
        this.lost = counter(meters, "lost");
        Gauge.builder("cbhealth.audit.queue", queue, BlockingQueue::size)
                .description("AuditEvents waiting to be stored")
                .register(meters);
    }

    private static Counter counter(MeterRegistry meters, String outcome) {
        return Counter.builder("cbhealth.audit.events")
                .description("AuditEvents by how they were kept")
                .tag("outcome", outcome)
                .register(meters);
    }

    /** Hands an event over: queued, or (queue full beyond the wait, writer not running) stored at once. */
    public void write(AuditEvent event) {
        gate.readLock().lock();
        try {
            if (running && queue.offer(event, offerTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                synchronized (progress) {
                    queued++;
                }
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            gate.readLock().unlock();
        }
        storeSafely(List.of(event));
        storedByCaller.increment();
    }

    /**
     * Hands an event over when the caller's database transaction ends, or at once outside one. An event about a
     * write made in that transaction (IHE BALP's create, update and delete events are made before the commit) names
     * the written version, which other transactions (the writer's) cannot see before the commit: stored earlier, its
     * reference would not resolve. After a commit the event goes as it is; after a rollback, what it names was never
     * stored, so it goes with outcome minor failure and its references kept as identifiers.
     */
    public void writeAtCompletion(AuditEvent event) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            write(event);
            return;
        }
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCompletion(int status) {
                write(status == STATUS_COMMITTED ? event : rolledBack(event));
            }
        });
    }

    /** The event of a write that was rolled back: a minor failure, naming by identifier what was never stored. */
    static AuditEvent rolledBack(AuditEvent event) {
        AuditEvent copy = withoutLiteralReferences(event);
        copy.setOutcome(AuditEvent.AuditEventOutcome._4);
        copy.setOutcomeDesc("rolled back: the write was not stored");
        return copy;
    }

    /**
     * Waits until every event queued before this call is stored (or given up on), at most {@code timeout}.
     *
     * @return whether all of them were
     */
    public boolean flush(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (progress) {
            long target = queued;
            while (finished < target) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(progress, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        }
    }

    /** How many events wait in the queue. */
    public int pending() {
        return queue.size();
    }

    @Override
    public void start() {
        gate.writeLock().lock();
        try {
            if (running) {
                return;
            }
            running = true;
            thread = new Thread(this::drain, "cbh-audit-writer");
            thread.setDaemon(true);
            thread.start();
        } finally {
            gate.writeLock().unlock();
        }
    }

    @Override
    public void stop() {
        Thread writer;
        gate.writeLock().lock();
        try {
            running = false;
            writer = thread;
            thread = null;
        } finally {
            gate.writeLock().unlock();
        }
        if (writer == null) {
            return;
        }
        try {
            writer.join(stopTimeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (writer.isAlive() || !queue.isEmpty()) {
            LOG.error(
                    "{} audit event(s) could not be stored within {} at shutdown; they are lost",
                    queue.size(),
                    stopTimeout);
            lost.increment(queue.size());
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Started before and stopped after everything that writes audit events; the data source closes later still. */
    @Override
    public int getPhase() {
        return Integer.MIN_VALUE + 1000;
    }

    private void drain() {
        List<AuditEvent> batch = new ArrayList<>(batchSize);
        while (true) {
            AuditEvent first;
            try {
                first = queue.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                // only stop() ends the writer: what is queued is still stored
                continue;
            }
            if (first == null) {
                if (!running && queue.isEmpty()) {
                    return;
                }
                continue;
            }
            batch.add(first);
            queue.drainTo(batch, batchSize - 1);
            storeSafely(batch);
            synchronized (progress) {
                finished += batch.size();
                progress.notifyAll();
            }
            batch.clear();
        }
    }

    private void storeSafely(List<AuditEvent> batch) {
        try {
            store.store(batch);
            stored.increment(batch.size());
            return;
        } catch (RuntimeException e) {
            if (batch.size() > 1) {
                LOG.warn(
                        "A batch of {} audit events was refused ({}); storing them one by one",
                        batch.size(),
                        e.toString());
            }
        }
        for (AuditEvent event : batch) {
            if (batch.size() > 1 && tryStore(event)) {
                continue;
            }
            if (tryStore(withoutLiteralReferences(event))) {
                continue;
            }
            lost.increment();
            LOG.error(
                    "An audit event ({} {}) could not be stored and is lost",
                    event.getType().getCode(),
                    event.getSubtypeFirstRep().getCode());
        }
    }

    private boolean tryStore(AuditEvent event) {
        try {
            store.store(List.of(event));
            stored.increment();
            return true;
        } catch (RuntimeException e) {
            LOG.warn("An audit event was refused by the store: {}", e.toString());
            return false;
        }
    }

    /** The event with each entity's resource reference kept as an identifier: nothing left to resolve. */
    static AuditEvent withoutLiteralReferences(AuditEvent event) {
        AuditEvent copy = event.copy();
        for (AuditEvent.AuditEventEntityComponent entity : copy.getEntity()) {
            Reference what = entity.getWhat();
            if (what.hasReference()) {
                what.getIdentifier().setValue(what.getReference());
                what.setReference(null);
            }
        }
        return copy;
    }
}
