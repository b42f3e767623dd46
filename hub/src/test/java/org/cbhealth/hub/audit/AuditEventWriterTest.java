package org.cbhealth.hub.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

class AuditEventWriterTest {

    /** Records each stored batch with the thread that stored it; can be held shut, or refuse literal references. */
    static final class RecordingStore implements AuditEventWriter.Store {
        final List<List<String>> batches = Collections.synchronizedList(new ArrayList<>());
        final List<AuditEvent> events = Collections.synchronizedList(new ArrayList<>());
        final List<String> threads = Collections.synchronizedList(new ArrayList<>());
        /** The threads that came to store, before the gate. */
        final List<String> entered = Collections.synchronizedList(new ArrayList<>());

        volatile CountDownLatch gate = new CountDownLatch(0);
        volatile boolean refuseReferences;

        @Override
        public void store(List<AuditEvent> batch) {
            entered.add(Thread.currentThread().getName());
            try {
                gate.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (refuseReferences
                    && batch.stream().anyMatch(e -> e.getEntity().stream()
                            .anyMatch(x -> x.getWhat().hasReference()))) {
                throw new IllegalStateException("Resource Task/9 is deleted");
            }
            batches.add(batch.stream().map(AuditEvent::getOutcomeDesc).toList());
            events.addAll(batch);
            threads.add(Thread.currentThread().getName());
        }

        List<String> stored() {
            synchronized (batches) {
                return batches.stream().flatMap(List::stream).toList();
            }
        }
    }

    private static AuditEvent event(int n) {
        AuditEvent event = new AuditEvent();
        event.setOutcome(AuditEvent.AuditEventOutcome._0).setOutcomeDesc("e" + n);
        event.addEntity().setWhat(new Reference("Task/" + n));
        return event;
    }

    private static AuditProperties properties(int capacity, int batchSize, Duration offerTimeout) {
        return new AuditProperties(true, capacity, batchSize, offerTimeout, Duration.ofSeconds(5));
    }

    @Test
    void storesQueuedEventsInBatchesOnItsOwnThreadInOrder() {
        RecordingStore store = new RecordingStore();
        store.gate = new CountDownLatch(1);
        AuditEventWriter writer =
                new AuditEventWriter(store, properties(100, 10, Duration.ofSeconds(1)), new SimpleMeterRegistry());
        writer.start();
        try {
            for (int i = 0; i < 25; i++) {
                writer.write(event(i));
            }
            // the writer is held at its first batch: everything else waits and is batched behind it
            store.gate.countDown();
            assertThat(writer.flush(Duration.ofSeconds(10))).isTrue();
        } finally {
            writer.stop();
        }
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            expected.add("e" + i);
        }
        assertThat(store.stored()).containsExactlyElementsOf(expected);
        assertThat(store.batches).allSatisfy(batch -> assertThat(batch).hasSizeLessThanOrEqualTo(10));
        // 1 (the held one, maybe with a few) + at most 3 batches of 10
        assertThat(store.batches.size()).isBetween(3, 4);
        assertThat(store.threads).containsOnly("cbh-audit-writer");
    }

    @Test
    void storesWhatIsQueuedWhenStopped() {
        RecordingStore store = new RecordingStore();
        store.gate = new CountDownLatch(1);
        AuditEventWriter writer =
                new AuditEventWriter(store, properties(1000, 50, Duration.ofSeconds(1)), new SimpleMeterRegistry());
        writer.start();
        for (int i = 0; i < 300; i++) {
            writer.write(event(i));
        }
        assertThat(writer.pending()).isGreaterThan(200);
        store.gate.countDown();
        writer.stop();

        assertThat(store.stored()).hasSize(300);
        assertThat(writer.pending()).isZero();
        assertThat(writer.isRunning()).isFalse();
        // after stop an event is stored by its caller at once
        writer.write(event(300));
        assertThat(store.stored()).hasSize(301).last().isEqualTo("e300");
        assertThat(store.threads.get(store.threads.size() - 1))
                .isEqualTo(Thread.currentThread().getName());
    }

    @Test
    void aCallerFacingAFullQueueWaitsThenStoresItsEventItself() {
        RecordingStore store = new RecordingStore();
        store.gate = new CountDownLatch(1);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        AuditEventWriter writer = new AuditEventWriter(store, properties(5, 5, Duration.ofMillis(200)), meters);
        writer.start();
        try {
            // the writer takes the first and is held; 5 more fill the queue
            writer.write(event(0));
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> writer.pending() == 0);
            for (int i = 1; i <= 5; i++) {
                writer.write(event(i));
            }
            assertThat(writer.pending()).isEqualTo(5);
            // the queue is full: this caller waits 200 ms for room, then stores its own event
            Thread caller = new Thread(() -> writer.write(event(6)), "caller");
            caller.start();
            org.awaitility.Awaitility.await()
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> store.entered.contains("caller"));
            assertThat(writer.pending()).isEqualTo(5);
            store.gate.countDown();
            caller.join(5000);
            assertThat(writer.flush(Duration.ofSeconds(5))).isTrue();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        } finally {
            writer.stop();
        }
        assertThat(store.stored()).containsExactlyInAnyOrder("e0", "e1", "e2", "e3", "e4", "e5", "e6");
        assertThat(store.threads).contains("caller");
        assertThat(meters.get("cbhealth.audit.events")
                        .tag("outcome", "stored-by-caller")
                        .counter()
                        .count())
                .isEqualTo(1.0);
        assertThat(meters.get("cbhealth.audit.events")
                        .tag("outcome", "lost")
                        .counter()
                        .count())
                .isZero();
    }

    @Test
    void anEventRefusedForItsReferencesIsStoredWithThemAsIdentifiers() {
        RecordingStore store = new RecordingStore();
        store.refuseReferences = true;
        AuditEventWriter writer =
                new AuditEventWriter(store, properties(10, 10, Duration.ofSeconds(1)), new SimpleMeterRegistry());
        writer.start();
        try {
            writer.write(event(1));
            writer.write(event(2));
            assertThat(writer.flush(Duration.ofSeconds(5))).isTrue();
        } finally {
            writer.stop();
        }
        assertThat(store.stored()).containsExactly("e1", "e2");
        AuditEvent kept = AuditEventWriter.withoutLiteralReferences(event(9));
        assertThat(kept.getEntityFirstRep().getWhat().hasReference()).isFalse();
        assertThat(kept.getEntityFirstRep().getWhat().getIdentifier().getValue())
                .isEqualTo("Task/9");
    }

    @Test
    void anEventMadeInATransactionGoesWhenItEndsAsItIsAfterACommitAsAFailureAfterARollback() {
        RecordingStore store = new RecordingStore();
        AuditEventWriter writer =
                new AuditEventWriter(store, properties(10, 10, Duration.ofSeconds(1)), new SimpleMeterRegistry());
        writer.start();
        try {
            TransactionSynchronizationManager.initSynchronization();
            try {
                writer.writeAtCompletion(event(1));
                writer.writeAtCompletion(event(2));
                assertThat(writer.flush(Duration.ofSeconds(5))).isTrue();
                // the versions they name are not committed yet: nothing is handed over
                assertThat(writer.pending()).isZero();
                assertThat(store.events).isEmpty();
                List<TransactionSynchronization> ends = TransactionSynchronizationManager.getSynchronizations();
                assertThat(ends).hasSize(2);
                ends.get(0).afterCompletion(TransactionSynchronization.STATUS_COMMITTED);
                ends.get(1).afterCompletion(TransactionSynchronization.STATUS_ROLLED_BACK);
            } finally {
                TransactionSynchronizationManager.clearSynchronization();
            }
            // outside a transaction: at once
            writer.writeAtCompletion(event(3));
            assertThat(writer.flush(Duration.ofSeconds(5))).isTrue();
        } finally {
            writer.stop();
        }
        assertThat(store.events).hasSize(3);
        AuditEvent committed = store.events.get(0);
        assertThat(committed.getOutcome()).isEqualTo(AuditEvent.AuditEventOutcome._0);
        assertThat(committed.getEntityFirstRep().getWhat().getReference()).isEqualTo("Task/1");
        AuditEvent rolledBack = store.events.get(1);
        assertThat(rolledBack.getOutcome()).isEqualTo(AuditEvent.AuditEventOutcome._4);
        assertThat(rolledBack.getOutcomeDesc()).isEqualTo("rolled back: the write was not stored");
        assertThat(rolledBack.getEntityFirstRep().getWhat().hasReference()).isFalse();
        assertThat(rolledBack.getEntityFirstRep().getWhat().getIdentifier().getValue())
                .isEqualTo("Task/2");
        assertThat(store.events.get(2).getOutcomeDesc()).isEqualTo("e3");
    }
}
