package certgate.adapters.store;

import certgate.engine.Decision;
import certgate.engine.Engine;
import certgate.eventstore.Event;
import certgate.eventstore.RecordedEvent;
import certgate.eventstore.ValidationDecided;
import certgate.eventstore.ValidationRequested;
import certgate.eventstore.log.FileEventLog;
import certgate.eventstore.log.LogReader;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A store as one command sees it: the log, opened for reading (no lock) or for appending (the writer lock held
 * by the {@link FileEventLog} given), and its events folded once, in one {@link Replay}, into the engine state
 * as of the log's head. Every store command reads the log through this class, once; what a writer appends is
 * read back from the log and folded in, so the engine never sees an event the log did not record.
 *
 * <p>Opened with an {@link Opening} that allows it, the fold starts from the newest snapshot of the store that
 * fits ({@link StoreSnapshots}: its chain value is the log's at its last event, and it reads back whole) and
 * folds only the events after it; a snapshot that exists but cannot be used costs a full replay and one warning.
 * A writer writes a snapshot every {@link #snapshotEvery} events; {@link #writeSnapshot} writes one now (a
 * service calls it on a clean shutdown, {@code certgate snapshot} on request).
 *
 * <pre>{@code
 * try (FileEventLog log = ...) {
 *     OpenedStore store = OpenedStore.appending(log, Opening.snapshots(progress, warnings));
 *     List<Long> sequences = store.append(store.check().crls(crls, now)...);
 *     OpenedStore.Decided decided = store.decide(request);
 * }
 * }</pre>
 */
public final class OpenedStore {
    private final Path directory;
    private final FileEventLog log;
    private final Replay replay;
    private final Consumer<String> warn;
    private long nextToFold;
    private long snapshotEvery = StoreSnapshots.DEFAULT_EVERY;
    private long lastSnapshot;
    private Optional<StoreSnapshots.Covered> openedFrom = Optional.empty();
    /**
     * A writer's reader of what it appends, left where the fold stopped: reading back continues from there rather
     * than from the start of the last segment, which a new reader must scan for the blobs its events refer to.
     */
    private LogReader follower;
    private Optional<String> storedHead = Optional.empty();

    private OpenedStore(Path directory, FileEventLog log, Replay replay, Consumer<String> warn) {
        this.directory = directory;
        this.log = log;
        this.replay = replay;
        this.warn = warn;
    }

    /**
     * How a command opens a store: its progress line, where the one warning about an unusable snapshot goes, and
     * which snapshots fit what it reads ({@code replay --until} cannot start after its end, say).
     */
    public record Opening(Progress progress, Consumer<String> warn, boolean useSnapshots,
                          Predicate<StoreSnapshots.Covered> fits) {
        public Opening {
            Objects.requireNonNull(progress, "progress");
            Objects.requireNonNull(warn, "warn");
            Objects.requireNonNull(fits, "fits");
        }

        /** From the newest snapshot that fits, else the whole log; {@code warn} hears of a snapshot not used. */
        public static Opening snapshots(Progress progress, Consumer<String> warn) {
            return new Opening(progress, warn, true, covered -> true);
        }

        /** The whole log, every event: what {@code audit}, {@code whatif} and {@code log verify} read. */
        public static Opening wholeLog(Progress progress) {
            return new Opening(progress, line -> { }, false, covered -> false);
        }

        /** Only snapshots that {@code fits} accepts. */
        public Opening fitting(Predicate<StoreSnapshots.Covered> fits) {
            return new Opening(progress, warn, useSnapshots, this.fits.and(fits));
        }
    }

    /** The store of {@code log} (opened for appending by the caller, who closes it), its events folded. */
    public static OpenedStore appending(FileEventLog log, Opening opening) {
        OpenedStore store = new OpenedStore(log.directory(), log, Replay.counting(), opening.warn());
        Optional<Start> start = store.fromSnapshot(opening, Optional.of(log));
        if (start.isEmpty()) {
            store.follower = LogReader.open(log.directory());
            store.follower.poll(store.ticking(opening.progress()));
        } else if (start.get().tail() != null) {
            store.follower = start.get().tail();
            store.follower.poll(store.ticking(opening.progress()));
        }
        store.requireFolded(log.nextSequence());
        store.lastSnapshot = store.openedFrom.map(StoreSnapshots.Covered::nextSequence).orElse(0L);
        opening.progress().done();
        return store;
    }

    /** As {@link #appending(FileEventLog, Opening)}, the whole log, no snapshot. */
    public static OpenedStore appending(FileEventLog log, Progress progress) {
        return appending(log, Opening.wholeLog(progress));
    }

    /**
     * The store in {@code dir}, read without the writer lock into {@code replay} while {@code keepGoing} accepts
     * the next event (the event it refuses is not folded). From a snapshot when {@code opening} allows one that
     * fits: then {@code replay} hears only of the decisions after it, so a listener that needs an earlier one
     * must open with {@link Opening#wholeLog}, or fall back to it. Damage raises the log's own exceptions, which
     * name the segment and the record.
     */
    public static OpenedStore reading(Path dir, Replay replay, Predicate<RecordedEvent> keepGoing, Opening opening) {
        OpenedStore store = new OpenedStore(dir, null, replay, opening.warn());
        Optional<Start> start = store.fromSnapshot(opening, Optional.empty());
        Predicate<RecordedEvent> visitor = recorded -> {
            if (!keepGoing.test(recorded)) {
                return false;
            }
            store.fold(recorded);
            return true;
        };
        if (start.isEmpty()) {
            try (LogReader whole = LogReader.open(dir)) {
                StoreReading.readWhile(whole, visitor, opening.progress());
                store.storedHead = whole.storedHead();
            }
        } else if (start.get().tail() != null) {
            try (LogReader tail = start.get().tail()) {
                StoreReading.readWhile(tail, visitor, opening.progress());
                store.storedHead = tail.storedHead();
            }
        }
        // Else the snapshot is the log's head: nothing to read (a reader takes the log as it is when it looks).
        store.lastSnapshot = store.openedFrom.map(StoreSnapshots.Covered::nextSequence).orElse(0L);
        opening.progress().done();
        return store;
    }

    /** The store in {@code dir}, read from the first event without the writer lock, while {@code keepGoing}. */
    public static OpenedStore reading(Path dir, Replay replay, Predicate<RecordedEvent> keepGoing,
            Progress progress) {
        return reading(dir, replay, keepGoing, Opening.wholeLog(progress));
    }

    /** The store in {@code dir}, every event read without the writer lock into {@code replay}. */
    public static OpenedStore reading(Path dir, Replay replay, Progress progress) {
        return reading(dir, replay, recorded -> true, progress);
    }

    /** Where the fold starts: a snapshot's state, and a reader positioned after it (null: nothing follows). */
    private record Start(StoreSnapshots.Candidate snapshot, LogReader tail) {
    }

    /**
     * The newest snapshot that fits, is the log's history and reads back whole, restored into the fold; empty for
     * a full replay. A snapshot that exists and fits but cannot be used is said once, in one line.
     */
    private Optional<Start> fromSnapshot(Opening opening, Optional<FileEventLog> writer) {
        if (!opening.useSnapshots()) {
            return Optional.empty();
        }
        List<Path> files;
        try {
            files = StoreSnapshots.files(directory);
        } catch (IOException e) {
            opening.warn().accept("the snapshots in " + StoreSnapshots.directory(directory) + " cannot be listed ("
                    + e.getMessage() + "); replaying the whole log");
            return Optional.empty();
        }
        String problem = null;
        for (Path file : files) {
            LogReader tail = null;
            try {
                StoreSnapshots.Candidate candidate = StoreSnapshots.header(file);
                StoreSnapshots.Covered covered = candidate.covered();
                if (!opening.fits().test(covered)) {
                    continue;
                }
                long next = covered.nextSequence();
                // At the head, nothing follows: the writer knows its head, a reader asks the writer checkpoint.
                boolean atHead = writer.isPresent() ? writer.get().nextSequence() == next
                        && writer.get().head().equalsIgnoreCase(covered.chain())
                        : LogReader.acknowledgedHead(directory).map(head -> head.nextSequence() == next
                        && head.chain().equalsIgnoreCase(covered.chain())).orElse(false);
                if (!atHead) {
                    tail = LogReader.open(directory, next);
                    Optional<String> chain = tail.chainValueBefore();
                    if (chain.isEmpty()) {
                        throw new StoreSnapshots.Unusable("it covers the events before sequence " + next
                                + ", but the log ends before that (repaired or replaced since)");
                    }
                    if (!StoreSnapshots.sameChain(covered, chain)) {
                        throw new StoreSnapshots.Unusable("the log's chain value at sequence " + (next - 1) + " is "
                                + chain.get().substring(0, 16) + "..., not the " + covered.chain().substring(0, 16)
                                + "... it was taken at (the log was repaired or rewritten since)");
                    }
                }
                Replay.State state = StoreSnapshots.read(candidate);
                replay.restore(state);
                nextToFold = next;
                openedFrom = Optional.of(covered);
                if (problem != null) {
                    opening.warn().accept(problem + "; opened from the older snapshot "
                            + file.getFileName() + " instead");
                }
                return Optional.of(new Start(candidate, tail));
            } catch (StoreSnapshots.Unusable e) {
                if (tail != null) {
                    tail.close();
                }
                if (problem == null) {
                    problem = "snapshot " + StoreSnapshots.DIRECTORY + "/" + file.getFileName() + " not used: "
                            + e.getMessage();
                }
            } catch (RuntimeException e) {
                if (tail != null) {
                    tail.close();
                }
                throw e;
            }
        }
        if (problem != null) {
            opening.warn().accept(problem + "; replaying the whole log");
        }
        return Optional.empty();
    }

    private Consumer<RecordedEvent> ticking(Progress progress) {
        return recorded -> {
            fold(recorded);
            if ((nextToFold & 0xffff) == 0) {
                progress.tick(nextToFold);
            }
        };
    }

    private void fold(RecordedEvent recorded) {
        replay.accept(recorded);
        nextToFold = recorded.sequence() + 1;
    }

    public Path directory() {
        return directory;
    }

    /** The engine's state as of the last event folded: the log's head, for a writer. */
    public Engine state() {
        return replay.engine();
    }

    /** The fold, with its counts and pairings. */
    public Replay replay() {
        return replay;
    }

    /** The snapshot the fold started from, if it did not start at the first event. */
    public Optional<StoreSnapshots.Covered> openedFrom() {
        return openedFrom;
    }

    /** A check of CA certificates and CRLs to load, against this state. */
    public LoadCheck check() {
        return LoadCheck.against(state());
    }

    /**
     * Writes a writer's snapshot after every {@code events} events appended since the last one (0: never). The
     * default is {@link StoreSnapshots#DEFAULT_EVERY}.
     */
    public OpenedStore snapshotEvery(long events) {
        if (events < 0) {
            throw new IllegalArgumentException("snapshotEvery must not be negative, was " + events);
        }
        this.snapshotEvery = events;
        return this;
    }

    /**
     * Writes the fold as the store's newest snapshot, now: a service calls it on a clean shutdown, once nothing is
     * being appended; {@code certgate snapshot} on request. Empty when no event has been folded.
     *
     * @throws IOException when the file cannot be written (the store itself is untouched)
     */
    public Optional<StoreSnapshots.Written> writeSnapshot() throws IOException {
        Optional<StoreSnapshots.Written> written = writeSnapshot(directory, replay, nextToFold);
        if (written.isPresent()) {
            lastSnapshot = nextToFold;
        }
        return written;
    }

    /**
     * Writes {@code replay}, which has folded every event of the store in {@code directory} before {@code next},
     * as its newest snapshot: for a writer that folds what it appends itself (the service). Empty when no event
     * has been folded.
     */
    public static Optional<StoreSnapshots.Written> writeSnapshot(Path directory, Replay replay, long next)
            throws IOException {
        return capture(directory, replay, next).write();
    }

    /**
     * The state of {@code replay}, which has folded every event before {@code next}, taken now (cheap: the engine
     * is an immutable value) to be written as a snapshot later, from another thread, while the fold goes on.
     */
    public static Capture capture(Path directory, Replay replay, long next) {
        return new Capture(directory, next == 0 || replay.last().isEmpty() ? null : replay.state(), next);
    }

    /** A fold's state as it was when captured; {@link #write} makes it the store's newest snapshot. */
    public static final class Capture {
        private final Path directory;
        private final Replay.State state;
        private final long next;

        private Capture(Path directory, Replay.State state, long next) {
            this.directory = directory;
            this.state = state;
            this.next = next;
        }

        /** Writes the snapshot at once; empty when the fold had read no event. */
        public Optional<StoreSnapshots.Written> write() throws IOException {
            return write(StoreSnapshots.WritePace.AT_ONCE);
        }

        /** Writes the snapshot at {@code pace}; empty when the fold had read no event. */
        public Optional<StoreSnapshots.Written> write(StoreSnapshots.WritePace pace) throws IOException {
            if (state == null) {
                return Optional.empty();
            }
            String chain;
            try (LogReader reader = LogReader.open(directory, next)) {
                chain = reader.chainValueBefore().orElseThrow(() -> new IllegalStateException("the log of "
                        + directory + " no longer holds sequence " + (next - 1) + ", which this command read"));
            }
            return Optional.of(StoreSnapshots.write(directory, state, next, chain, Instant.now(), pace));
        }
    }

    /** Appends {@code events} as one durable batch, folds them as the log returns them; their sequences. */
    public List<Long> append(List<? extends Event> events) {
        List<Long> sequences = writer().append(events);
        catchUp();
        snapshotWhenDue();
        return sequences;
    }

    /** A decision and where the log holds its request and itself. */
    public record Decided(Decision decision, long requestSequence, long decisionSequence) {
    }

    /** Appends the request, decides it as the log recorded it, in the state before it, appends the decision. */
    public Decided decide(ValidationRequested request) {
        FileEventLog writer = writer();
        long requestSequence = writer.append(request);
        Engine before = state();
        ValidationRequested[] asRecorded = {null};
        follow(recorded -> {
            fold(recorded);
            if (recorded.sequence() == requestSequence) {
                asRecorded[0] = (ValidationRequested) recorded.event();
            }
        });
        if (asRecorded[0] == null) {
            throw new IllegalStateException("request " + request.requestId() + " was appended at "
                    + requestSequence + " but the log does not return it");
        }
        Decision decision = before.decide(asRecorded[0]);
        long decisionSequence = writer.append(new ValidationDecided(asRecorded[0].requestId(), decision.verdict(),
                decision.reason()));
        catchUp();
        snapshotWhenDue();
        return new Decided(decision, requestSequence, decisionSequence);
    }

    /**
     * For a reader: the chain value stored on the last record it read (hex), as the records state it; not
     * recomputed, so not proof of anything ({@code log verify} is). Empty for an empty log, for a reader that read
     * nothing after its snapshot, and for a writer.
     */
    public Optional<String> storedHead() {
        return storedHead;
    }

    /** The head hash of the log, for a writer. */
    public String head() {
        return writer().head();
    }

    private void catchUp() {
        follow(this::fold);
        requireFolded(log.nextSequence());
    }

    /** Feeds what the log holds past the fold; the follower is opened (at the fold's end) when first needed. */
    private void follow(Consumer<RecordedEvent> consumer) {
        if (follower == null) {
            follower = LogReader.open(directory, nextToFold);
        }
        follower.poll(consumer);
    }

    /** A writer's fold must reach what its log acknowledged; anything else means the store changed under it. */
    private void requireFolded(long acknowledged) {
        if (follower != null && follower.nextSequence() < acknowledged) {
            throw new IllegalStateException("event store " + directory + " acknowledged events up to sequence "
                    + (acknowledged - 1) + " but reading it ends at " + (follower.nextSequence() - 1)
                    + "; was the store changed by hand?");
        }
    }

    /** Releases a writer's reader of its own appends (the log itself is the caller's to close). */
    public void close() {
        if (follower != null) {
            follower.close();
            follower = null;
        }
    }

    /** A writer's periodic snapshot; failing to write one is said, never fatal: the log holds the truth. */
    private void snapshotWhenDue() {
        if (snapshotEvery == 0 || nextToFold - lastSnapshot < snapshotEvery) {
            return;
        }
        try {
            writeSnapshot();
        } catch (IOException | RuntimeException e) {
            lastSnapshot = nextToFold;
            warn.accept("could not write a snapshot to " + StoreSnapshots.directory(directory) + ": " + e.getMessage()
                    + " (the next opening replays more of the log)");
        }
    }

    private FileEventLog writer() {
        if (log == null) {
            throw new IllegalStateException("the store at " + directory + " was opened for reading");
        }
        return log;
    }
}
