package certgate.adapters.serve;

import certgate.adapters.checkpoint.CheckpointKeys;
import certgate.adapters.checkpoint.Checkpoints;
import certgate.adapters.store.OpenedStore;
import certgate.adapters.store.StoreSnapshots;
import certgate.eventstore.CheckpointSigned;
import certgate.adapters.store.Replay;
import certgate.dsl.policy.CompiledPolicy;
import certgate.dsl.policy.Gateway;
import certgate.engine.Decision;
import certgate.engine.Engine;
import certgate.engine.PolicyDecisions;
import certgate.eventstore.Blob;
import certgate.eventstore.Event;
import certgate.eventstore.IkeIdentity;
import certgate.eventstore.RecordedEvent;
import certgate.eventstore.ValidationDecided;
import certgate.eventstore.ValidationRequested;
import certgate.eventstore.log.FileEventLog;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;

/**
 * The service's state and its one way into the log. This is the class that makes two promises at once:
 *
 * <h2>Durable before the answer, in a group commit shared by all requests</h2>
 * A request thread decides in parallel with the others (the engine is immutable and its caches are concurrent),
 * then queues the decision. Whoever holds the write lock takes everything queued, gives each decision its id
 * ({@code d-N}, N the sequence its request lands at, as {@code certgate validate} names them: only the holder
 * writes, so it knows N) and writes all of it as one round, and the round is forced; once it is durable its
 * requests are answered, in log order. Rounds overlap: the next one is written and its force started while up to
 * {@link #ROUNDS_IN_FLIGHT} earlier ones are still being forced (see {@link FileEventLog} on why that is sound),
 * so a decision waits for about one force after it arrives, not for the force in progress and then its own. The
 * writer is the request thread itself when it finds the lock and a force free (a lone request is answered without
 * any thread hand-off), else one of {@link #ROUNDS_IN_FLIGHT} committer threads, each of which writes a round,
 * forces it and answers it, so no thread hand-off lies between a round's write and its force. While every committer
 * is forcing, what arrives gathers into the next round. A crash before the force loses only decisions nobody was
 * told; a failed force fails every round not yet durable, and the log refuses all later ones.
 *
 * <h2>Every decision audits identically</h2>
 * An audit re-decides each request in the state the log holds before it. So nothing that changes the state
 * (CA certificates, CRLs, policies) may land between the state a decision was made in and its request: such
 * appends take the write side of {@link #order}, which waits for the decisions being made (each holds the read
 * side from deciding until it is queued; the queue is the log's order, so whatever is queued before a state change
 * lands before it) and holds new ones back until the new state is durable and published. Appends that leave the
 * state as it is (what an OCSP responder records, say) share the read side with decisions. Requests that arrive
 * after a policy activation is durable are therefore decided under it, and none before.
 *
 * <p>{@link #decideLater} answers without any thread waiting for the disk: the decision completes on the thread
 * that made it durable, which is how the service answers on its own HTTP server (see {@code LoopHttpServer}).
 *
 * <p>The fold ({@link Replay}) is advanced by the round's holder with the events exactly as appended; the engine
 * published to request threads is always the state as of the last durable event.
 */
final class DurableState implements ServiceState, AutoCloseable {
    /**
     * Decisions remembered for {@code GET /v1/decisions/{id}} without reading the log; older ones are read from
     * the log at their sequence. Kept small on purpose: what outlives a young collection is copied at each one it
     * outlives, about a millisecond per MB here. 100,000 remembered decisions (36 MB of survivors) made every young
     * pause 25 to 70 ms; 8,192 still put 6 MB into each one at 3,000 decisions/s.
     */
    static final int RECENT_DECISIONS = 1_024;
    /** At most this many queued items go into one batch, so one write stays a bounded size. */
    private static final int MAX_BATCH = 4_096;
    /**
     * Rounds written and being forced at once (1 to the log's {@link FileEventLog#FORCES_IN_FLIGHT}); the system
     * property {@code certgate.serve.roundsInFlight} sets it. Measured on this project's 2-core VM (BENCHMARKS.md):
     * 1 gives the most decisions a second, since this disk serves flushes one after another and small rounds only
     * add flushes; more shorten the open loop's tail, since one slow flush no longer holds the next round. 2 is
     * between; a disk that takes concurrent flushes (NVMe) gains from more.
     */
    static final int ROUNDS_IN_FLIGHT = Math.max(1, Math.min(FileEventLog.FORCES_IN_FLIGHT,
            Integer.getInteger("certgate.serve.roundsInFlight", 2)));

    /**
     * A decision as recorded, for {@code GET /v1/decisions/{id}}: what that answer shows, and no certificate (the
     * service remembers {@link #RECENT_DECISIONS} of these, which would otherwise hold every peer's certificate).
     */
    record Recorded(String id, long requestSequence, long decisionSequence, Instant at,
                    Optional<IkeIdentity> identity, Optional<String> gateway, Optional<String> policyRevision,
                    String peerSha256, List<String> chainSha256, ValidationDecided decision) {
        Recorded {
            chainSha256 = List.copyOf(chainSha256);
        }

        /** {@code request} at {@code requestSequence}, decided by {@code decision}, for {@code gateway}. */
        static Recorded of(ValidationRequested request, long requestSequence, ValidationDecided decision,
                long decisionSequence, Optional<String> gateway) {
            return new Recorded(request.requestId(), requestSequence, decisionSequence, request.at(),
                    request.identity(), gateway, request.policyRevision(), request.peer().sha256Hex(),
                    request.chain().stream().map(Blob::sha256Hex).toList(), decision);
        }
    }

    /** The gateway {@code request} is decided for in {@code state}: named in it, or the one its policy selects. */
    static Optional<String> gatewayOf(Engine state, ValidationRequested request) {
        if (request.gateway().isPresent()) {
            return request.gateway();
        }
        Optional<CompiledPolicy> policy = request.policyRevision().flatMap(state::policy);
        return policy.flatMap(p -> PolicyDecisions.select(p, request).chosen().map(Gateway::name));
    }

    /** What a decision request gets once durable: its record and the decision with its trace. */
    record Decided(Recorded recorded, Decision decision) {
    }

    /** The log refused an append or failed to make it durable: nothing of the batch was acknowledged. */
    static final class StoreFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        StoreFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The service is shutting down and takes no more appends. */
    static final class Closing extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Closing() {
            super("the service is shutting down", null, false, false);
        }
    }

    /**
     * A thread that may write a round of the log itself: NIO closes a file channel whose I/O thread is interrupted,
     * so only threads that nobody interrupts are made of this class (the service's request threads: its executor is
     * shut down, never shut down now). Others hand their events to the committer threads.
     */
    static final class RequestThread extends Thread {
        RequestThread(Runnable task, String name) {
            super(task, name);
        }
    }

    private sealed interface Pending permits Decide, Append {
    }

    private record Decide(ValidationRequested draft, Decision decision, Optional<String> gateway,
                          CompletableFuture<Decided> done) implements Pending {
    }

    private record Append(List<Event> events, CompletableFuture<List<Long>> done) implements Pending {
    }

    /** A round written to the log and not yet answered: its queued items, its events and where they landed. */
    private record WrittenRound(List<Pending> batch, List<Event> events, List<Long> sequences, FileEventLog.Round round,
                                long writtenAt) {
    }

    private final FileEventLog log;
    private final Clock clock;
    private final Replay replay;
    private final Metrics metrics;
    private final ReentrantReadWriteLock order = new ReentrantReadWriteLock(true);
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Map<String, Recorded> recent = new LinkedHashMap<>(1024, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Recorded> eldest) {
            return size() > RECENT_DECISIONS;
        }
    };
    /** Write, force and answer rounds; never interrupted (see {@link RequestThread}). */
    private final List<Thread> committers = new ArrayList<>();
    /** Committers with nothing to do, parked; a queued item wakes one. */
    private final ConcurrentLinkedDeque<Thread> idle = new ConcurrentLinkedDeque<>();
    /** Held while a round is given its ids and written, by a committer or a request thread leading it. */
    private final ReentrantLock writing = new ReentrantLock();
    /** One permit per round that may be written and not yet durable. */
    private final Semaphore inFlight = new Semaphore(ROUNDS_IN_FLIGHT);
    /** Rounds written and not yet answered, in log order; guarded by itself, taken after {@link #writing}. */
    private final ArrayDeque<WrittenRound> unanswered = new ArrayDeque<>();
    private final Metrics.Histogram appendSeconds;
    private volatile Engine engine;
    private volatile boolean closing;
    /** Writes the snapshots taken every {@link #snapshotEvery} events, off the committer's path. */
    private final ExecutorService snapshotWriter = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "certgate-serve-snapshot");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicBoolean snapshotting = new AtomicBoolean();
    private long sinceSnapshot;
    private final long snapshotEvery;

    /** The state of {@code log}, already folded into {@code replay} up to its head; appends go through it. */
    DurableState(FileEventLog log, Replay replay, Clock clock, Metrics metrics) {
        this(log, replay, clock, metrics, StoreSnapshots.DEFAULT_EVERY);
    }

    /** As above, writing a snapshot in the background every {@code snapshotEvery} events appended. */
    DurableState(FileEventLog log, Replay replay, Clock clock, Metrics metrics, long snapshotEvery) {
        this.snapshotEvery = snapshotEvery;
        this.log = log;
        this.clock = clock;
        this.replay = replay;
        this.metrics = metrics;
        this.engine = replay.engine();
        this.appendSeconds = metrics.histogram("certgate_log_append_seconds",
                "Time of one group-commit round from its write until it is durable (forced, fsync).",
                Metrics.Labels.NONE);
        for (int i = 0; i < ROUNDS_IN_FLIGHT; i++) {
            Thread committer = new Thread(this::commitLoop, "certgate-serve-committer-" + i);
            committer.setDaemon(true);
            committers.add(committer);
        }
        committers.forEach(Thread::start);
    }

    @Override
    public Engine state() {
        return engine;
    }

    /** The log's directory. */
    Path directory() {
        return log.directory();
    }

    /**
     * Decides the request {@code draft} makes of the current state (its id is given by the log) and returns once
     * the request and the decision are durable.
     */
    Decided decide(Function<Engine, ValidationRequested> draft) {
        return await(decideLater(draft));
    }

    /**
     * Decides as {@link #decide} does but returns at once: the decision completes once durable, on the thread that
     * made it durable (this one, when it leads the round itself), or fails with {@link StoreFailure} or
     * {@link Closing}. No thread waits for the disk meanwhile.
     */
    CompletableFuture<Decided> decideLater(Function<Engine, ValidationRequested> draft) {
        CompletableFuture<Decided> done = queueDecision(draft);
        lead(done);
        return done;
    }

    /**
     * Decides under the read side of {@link #order} and queues the decision before releasing it: the queue is the
     * log's order, so a state change (which takes the write side) lands after every decision queued before it, and
     * every decision made after it sees its state.
     */
    private CompletableFuture<Decided> queueDecision(Function<Engine, ValidationRequested> draft) {
        Lock shared = order.readLock();
        shared.lock();
        try {
            Engine now = engine;
            ValidationRequested request = draft.apply(now);
            Decision decision = now.decide(request);
            CompletableFuture<Decided> done = new CompletableFuture<>();
            queue(new Decide(request, decision, gatewayOf(now, request), done));
            return done;
        } finally {
            shared.unlock();
        }
    }

    @Override
    public List<Long> appendDurably(List<? extends Event> events) {
        return await(appendDurablyLater(events));
    }

    /**
     * Appends that leave the state as it is are queued under the read side of {@link #order} and complete on the
     * thread that made them durable; one that changes the state is appended alone ({@link #appendChangingState}),
     * waited for here.
     */
    @Override
    public CompletableFuture<List<Long>> appendDurablyLater(List<? extends Event> events) {
        List<Event> copy = List.copyOf(events);
        if (copy.isEmpty()) {
            return CompletableFuture.completedFuture(List.of());
        }
        CompletableFuture<List<Long>> done = null;
        Lock shared = order.readLock();
        shared.lock();
        try {
            if (leavesStateAsItIs(engine, copy)) {
                done = new CompletableFuture<>();
                queue(new Append(copy, done));
            }
        } finally {
            shared.unlock();
        }
        if (done == null) {
            return CompletableFuture.completedFuture(appendChangingState(before -> copy).orElseThrow());
        }
        lead(done);
        return done;
    }

    /**
     * Appends what {@code change} makes of the current state, alone: no decision is in flight meanwhile, and
     * requests wait until the state after it is published. Empty when {@code change} gives nothing to append.
     */
    Optional<List<Long>> appendChangingState(Function<Engine, List<? extends Event>> change) {
        Lock exclusive = order.writeLock();
        exclusive.lock();
        try {
            List<Event> events = List.copyOf(change.apply(engine));
            if (events.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(appendNow(events));
        } finally {
            exclusive.unlock();
        }
    }

    /**
     * Signs the log's head as it stands between two group commits and appends the signed checkpoint alone: under
     * the exclusive lock no decision or append is in flight, so the head signed is the head the checkpoint follows.
     */
    CheckpointSigned checkpoint(CheckpointKeys.SigningKey key) {
        Lock exclusive = order.writeLock();
        exclusive.lock();
        try {
            awaitAllAnswered();
            CheckpointSigned signed = Checkpoints.sign(key, log.nextSequence(), log.head());
            long at = appendNow(List.of(signed)).get(0);
            if (at != signed.sequence()) {
                throw new IllegalStateException("the checkpoint for sequence " + signed.sequence()
                        + " was appended at " + at + " under the exclusive lock: another writer?");
            }
            return signed;
        } finally {
            exclusive.unlock();
        }
    }

    /**
     * Waits until everything queued before it is answered (durable, or failed with the log), so the log's durable
     * head is its whole head unless the log failed; the caller holds the write side of {@link #order}, so nothing
     * new is queued meanwhile. The write lock is taken so that no round is between its write and its place among
     * the unanswered.
     */
    private void awaitAllAnswered() {
        while (true) {
            writing.lock();
            try {
                synchronized (unanswered) {
                    if (queue.isEmpty() && unanswered.isEmpty()) {
                        return;
                    }
                }
            } finally {
                writing.unlock();
            }
            wakeCommitter();
            LockSupport.parkNanos(100_000);
        }
    }

    private List<Long> appendNow(List<Event> events) {
        CompletableFuture<List<Long>> done = new CompletableFuture<>();
        queue(new Append(events, done));
        lead(done);
        return await(done);
    }

    private static boolean leavesStateAsItIs(Engine state, List<Event> events) {
        for (Event event : events) {
            if (state.apply(event) != state) {
                return false;
            }
        }
        return true;
    }

    /** The recorded decision with {@code id}, if this service recorded it recently. */
    Optional<Recorded> recent(String id) {
        synchronized (recent) {
            return Optional.ofNullable(recent.get(id));
        }
    }

    /** Runs {@code reader} on the fold as of the last durable event, with no append folded meanwhile. */
    <T> T withReplay(Function<Replay, T> reader) {
        synchronized (replay) {
            return reader.apply(replay);
        }
    }

    /** Queues {@code pending} for the next round; the queue's order is the log's. */
    private void queue(Pending pending) {
        // Under the same monitor as close(): whatever got in before closing is drained by the committer.
        synchronized (queue) {
            if (closing) {
                throw new Closing();
            }
            queue.add(pending);
        }
    }

    /**
     * Sees what was queued committed: a {@link RequestThread} writes and forces rounds itself while it finds the write
     * lock and a force free (so a lone request costs no thread hand-off at all); anyone else, or a request that finds
     * neither, leaves it to a committer.
     */
    private void lead(CompletableFuture<?> done) {
        if (Thread.currentThread() instanceof RequestThread) {
            while (!done.isDone() && inFlight.tryAcquire()) {
                try {
                    WrittenRound round = writing.tryLock() ? writeQueuedAndUnlock() : null;
                    if (round == null) {
                        break;
                    }
                    forceAndAnswer(round);
                } finally {
                    inFlight.release();
                }
            }
        }
        if (!queue.isEmpty()) {
            wakeCommitter();
        }
    }

    /** Wakes an idle committer, if any: the busy ones take what is queued when their round is answered. */
    private void wakeCommitter() {
        Thread committer = idle.pollFirst();
        if (committer != null) {
            LockSupport.unpark(committer);
        }
    }

    private static <T> T await(CompletableFuture<T> done) {
        try {
            return done.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    /**
     * A committer: writes what is queued as the next round, forces it and answers it, and again while anything is
     * queued; then waits among the idle ones. Drains the queue on close.
     */
    private void commitLoop() {
        Thread self = Thread.currentThread();
        while (true) {
            if (queue.isEmpty()) {
                if (closing) {
                    writing.lock(); // a round a request thread is writing ends first
                    try {
                        if (queue.isEmpty()) {
                            return;
                        }
                    } finally {
                        writing.unlock();
                    }
                    continue; // what was queued meanwhile is drained now, not after a nap
                }
                idle.addFirst(self);
                if (queue.isEmpty() && !closing) { // queued after the check above: whoever queued it saw this one idle
                    LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(50));
                }
                idle.remove(self);
                continue;
            }
            inFlight.acquireUninterruptibly();
            try {
                writing.lock();
                WrittenRound round = writeQueuedAndUnlock();
                if (round != null) {
                    forceAndAnswer(round);
                }
            } finally {
                inFlight.release();
            }
        }
    }

    /**
     * By the holder of {@link #writing}, which it releases: gives what is queued its ids and writes it as one round,
     * to be answered once durable; null when nothing was queued or the write failed (its waiters failed with it).
     */
    private WrittenRound writeQueuedAndUnlock() {
        try {
            List<Pending> batch = new ArrayList<>();
            queue.drainTo(batch, MAX_BATCH);
            if (batch.isEmpty()) {
                return null;
            }
            List<Event> events = new ArrayList<>();
            long next = log.nextSequenceToWrite();
            for (Pending pending : batch) {
                if (pending instanceof Decide decide) {
                    String id = "d-" + (next + events.size());
                    ValidationRequested draft = decide.draft();
                    events.add(new ValidationRequested(id, draft.peer(), draft.chain(), draft.identity(), draft.at(),
                            draft.settings(), draft.gateway(), draft.policyRevision()));
                    events.add(new ValidationDecided(id, decide.decision().verdict(), decide.decision().reason()));
                } else {
                    events.addAll(((Append) pending).events());
                }
            }
            long started = System.nanoTime();
            FileEventLog.Round written;
            try {
                written = log.write(events);
                if (written.sequences().get(0) != next) {
                    throw new IllegalStateException("the log placed a batch of " + events.size() + " events at "
                            + written.sequences() + ", expected from sequence " + next + ": another writer?");
                }
            } catch (RuntimeException e) {
                fail(batch, e);
                return null;
            }
            WrittenRound round = new WrittenRound(batch, events, written.sequences(), written, started);
            synchronized (unanswered) {
                unanswered.addLast(round);
            }
            return round;
        } finally {
            writing.unlock();
        }
    }

    /**
     * Forces {@code round} (which makes every round written before it durable too) and answers, in log order, every
     * round now durable; on failure, fails every round not yet answered.
     */
    private void forceAndAnswer(WrittenRound round) {
        try {
            log.force(round.round());
        } catch (RuntimeException e) {
            synchronized (unanswered) {
                for (WrittenRound lost = unanswered.pollFirst(); lost != null; lost = unanswered.pollFirst()) {
                    fail(lost.batch(), e);
                }
            }
            return;
        }
        synchronized (unanswered) {
            long durable = log.nextSequence();
            while (!unanswered.isEmpty() && unanswered.peekFirst().round().nextSequence() <= durable) {
                answer(unanswered.pollFirst());
            }
        }
    }

    private void fail(List<Pending> batch, RuntimeException cause) {
        StoreFailure failure = new StoreFailure("appending to " + log.directory() + " failed; nothing of this"
                + " batch was acknowledged: " + cause.getMessage(), cause);
        for (Pending pending : batch) {
            (pending instanceof Decide d ? d.done() : ((Append) pending).done()).completeExceptionally(failure);
        }
    }

    /** Answers a durable round: its decisions, the fold, then its appends. */
    private void answer(WrittenRound round) {
        List<Event> events = round.events();
        List<Long> sequences = round.sequences();
        appendSeconds.observe(System.nanoTime() - round.writtenAt());
        metrics.counter("certgate_log_appends_total", "Group-commit appends made durable.", Metrics.Labels.NONE)
                .increment();
        metrics.counter("certgate_log_appended_events_total", "Events made durable.", Metrics.Labels.NONE)
                .add(events.size());
        // Decisions are answered before the fold: they leave the state as it is, a state change in the same batch
        // was queued after them (see the class comment), and their answers should not wait for bookkeeping.
        // The fold's lock is taken first, so a reader of the fold (GET /v1/state) after an answer sees its decision.
        // Appends are answered after it: one that changed the state returns to a caller who expects requests
        // after it to be decided under the new state, which is published by the fold.
        List<Runnable> appendsAnswered = new ArrayList<>();
        synchronized (replay) {
            int at = 0;
            for (Pending pending : round.batch()) {
                if (pending instanceof Decide decide) {
                    ValidationRequested request = (ValidationRequested) events.get(at);
                    Recorded recorded = Recorded.of(request, sequences.get(at),
                            (ValidationDecided) events.get(at + 1), sequences.get(at + 1), decide.gateway());
                    synchronized (recent) {
                        recent.put(recorded.id(), recorded);
                    }
                    decide.done().complete(new Decided(recorded, decide.decision()));
                    at += 2;
                } else {
                    Append append = (Append) pending;
                    List<Long> appended = sequences.subList(at, at + append.events().size());
                    appendsAnswered.add(() -> append.done().complete(appended));
                    at += appended.size();
                }
            }
            fold(events, sequences);
        }
        appendsAnswered.forEach(Runnable::run);
    }

    /**
     * Folds what was just made durable and publishes the state after it; starts a snapshot when one is due. The
     * caller holds the fold's lock.
     */
    private void fold(List<Event> events, List<Long> sequences) {
        Instant appendedAt = clock.instant();
        for (int i = 0; i < events.size(); i++) {
            replay.accept(new RecordedEvent(sequences.get(i), appendedAt, events.get(i)));
        }
        sinceSnapshot += events.size();
        if (sinceSnapshot >= snapshotEvery && snapshotting.compareAndSet(false, true)) {
            sinceSnapshot = 0;
            OpenedStore.Capture capture = OpenedStore.capture(log.directory(), replay,
                    sequences.get(sequences.size() - 1) + 1);
            snapshotWriter.execute(() -> {
                try {
                    capture.write(StoreSnapshots.WritePace.BACKGROUND);
                    metrics.counter("certgate_snapshots_written_total", "Snapshots the service wrote while running.",
                            Metrics.Labels.NONE).increment();
                } catch (IOException | RuntimeException e) {
                    // A snapshot is a cache: the next one is tried after as many events again.
                } finally {
                    snapshotting.set(false);
                }
            });
        }
        engine = replay.engine();
    }

    /**
     * Takes no more appends, makes everything queued durable, and stops the committers. The caller closes the
     * log after it (which forces and releases the writer lock).
     */
    @Override
    public void close() {
        synchronized (queue) {
            closing = true;
        }
        committers.forEach(LockSupport::unpark);
        boolean interrupted = false;
        for (Thread committer : committers) {
            while (committer.isAlive()) {
                try {
                    committer.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        inFlight.acquireUninterruptibly(ROUNDS_IN_FLIGHT); // every round a request thread wrote is answered
        snapshotWriter.shutdown();
        try {
            snapshotWriter.awaitTermination(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            interrupted = true;
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
