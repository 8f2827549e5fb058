package certgate.adapters.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import certgate.adapters.store.OpenedStore;
import certgate.adapters.store.Progress;
import certgate.adapters.store.StoreReading;
import certgate.eventstore.Blob;
import certgate.eventstore.PolicyRecorded;
import certgate.eventstore.RecordedEvent;
import certgate.eventstore.ValidationDecided;
import certgate.eventstore.ValidationRequested;
import certgate.eventstore.ValidationSettings;
import certgate.eventstore.log.FileEventLog;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The group commit: request threads lead rounds themselves when none is in progress, other threads leave theirs to
 * the committers, and whoever writes, every decision gets the id of its request's sequence, every caller returns
 * (or a decision answered later completes) only once its events are in the log, in the log's order though rounds
 * overlap, and closing drains what was queued.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class DurableStateTest {
    private static final Instant AT = Instant.parse(ServeFixture.AT);

    @TempDir
    Path dir;

    @Test
    void request_threads_and_other_threads_commit_together_and_every_id_names_its_sequence() throws Exception {
        Path store = dir.resolve("store");
        ServeFixture.loadExamplePki(store);
        Blob peer = Blob.of(Base64.getDecoder().decode(ServeFixture.base64Der("gw-good.pem")));
        int threads = 12;
        int each = 40;
        List<DurableState.Recorded> answered = Collections.synchronizedList(new ArrayList<>());
        List<Long> appended = Collections.synchronizedList(new ArrayList<>());
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        try (FileEventLog log = FileEventLog.openForAppend(store, Clock.systemUTC())) {
            DurableState state = new DurableState(log, OpenedStore.appending(log, Progress.silent()).replay(),
                    Clock.systemUTC(), new Metrics());
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                Runnable work = () -> {
                    try {
                        start.await();
                        for (int i = 0; i < each; i++) {
                            if (thread % 3 == 2) {
                                appended.addAll(state.appendDurably(List.of(new PolicyRecorded("r" + thread + "-"
                                        + i, "not a policy"))));
                            } else {
                                answered.add(state.decide(engine -> new ValidationRequested("d-?", peer, List.of(),
                                        Optional.empty(), AT, ValidationSettings.DEFAULTS, Optional.empty(),
                                        Optional.empty())).recorded());
                            }
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                };
                // Two thirds lead rounds as the service's request threads do; the rest are ordinary threads.
                workers.add(thread % 3 == 0 ? new Thread(work, "plain-" + thread)
                        : new DurableState.RequestThread(work, "request-" + thread));
            }
            workers.forEach(Thread::start);
            start.countDown();
            for (Thread worker : workers) {
                worker.join();
            }
            state.close();
            assertThrows(DurableState.Closing.class, () -> state.appendDurably(List.of(new PolicyRecorded("late",
                    "after close"))), "a closed state takes no more appends");
        }

        assertEquals(List.of(), failures);
        assertEquals(threads / 3 * 2 * each, answered.size());
        assertEquals(threads / 3 * each, appended.size());
        List<RecordedEvent> events = new ArrayList<>();
        StoreReading.read(store, events::add);
        for (DurableState.Recorded recorded : answered) {
            RecordedEvent request = events.get((int) recorded.requestSequence());
            RecordedEvent decision = events.get((int) recorded.decisionSequence());
            assertEquals("d-" + recorded.requestSequence(), recorded.id());
            assertEquals(recorded.id(), ((ValidationRequested) request.event()).requestId());
            assertEquals(recorded.id(), ((ValidationDecided) decision.event()).requestId());
            assertTrue(recorded.decisionSequence() == recorded.requestSequence() + 1, "appended together");
        }
        for (long sequence : appended) {
            assertTrue(events.get((int) sequence).event() instanceof PolicyRecorded, "at " + sequence);
        }
    }

    @Test
    void decisions_answered_later_complete_once_durable_with_their_sequence_and_no_thread_waiting()
            throws Exception {
        Path store = dir.resolve("store");
        ServeFixture.loadExamplePki(store);
        Blob peer = Blob.of(Base64.getDecoder().decode(ServeFixture.base64Der("gw-good.pem")));
        // Each completion notes the log's durable next sequence at that moment: it must already be past the decision.
        List<CompletableFuture<long[]>> pending = new ArrayList<>();
        // The order the decisions completed in: the log's, though rounds overlap (DurableState.ROUNDS_IN_FLIGHT).
        List<Long> completionOrder = Collections.synchronizedList(new ArrayList<>());
        List<RecordedEvent> events = new ArrayList<>();
        try (FileEventLog log = FileEventLog.openForAppend(store, Clock.systemUTC())) {
            DurableState state = new DurableState(log, OpenedStore.appending(log, Progress.silent()).replay(),
                    Clock.systemUTC(), new Metrics());
            // One ordinary thread queues 300 decisions without waiting for any: the committer makes them durable.
            for (int i = 0; i < 300; i++) {
                pending.add(state.decideLater(engine -> new ValidationRequested("d-?", peer, List.of(),
                        Optional.empty(), AT, ValidationSettings.DEFAULTS, Optional.empty(), Optional.empty()))
                        .thenApply(decided -> {
                            completionOrder.add(decided.recorded().requestSequence());
                            return new long[] {decided.recorded().requestSequence(),
                                    decided.recorded().decisionSequence(), log.nextSequence()};
                        }));
            }
            List<long[]> completed = new ArrayList<>();
            for (CompletableFuture<long[]> one : pending) {
                completed.add(one.get(30, TimeUnit.SECONDS));
            }
            state.close();
            StoreReading.read(store, events::add);
            for (int i = 0; i < completed.size(); i++) {
                long[] one = completed.get(i);
                assertTrue(one[1] < one[2], "completed before its decision (" + one[1] + ") was durable: the log's"
                        + " durable next sequence was " + one[2]);
                assertTrue(events.get((int) one[0]).event() instanceof ValidationRequested);
                assertTrue(events.get((int) one[1]).event() instanceof ValidationDecided);
                if (i > 0) {
                    assertTrue(one[0] > completed.get(i - 1)[0], "queued in order, appended in order");
                }
            }
            List<Long> sorted = new ArrayList<>(completionOrder);
            Collections.sort(sorted);
            assertEquals(sorted, completionOrder, "answered in log order");
        }
    }
}
