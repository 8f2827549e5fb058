package certgate.adapters.store;

import certgate.engine.Decision;
import certgate.engine.Engine;
import certgate.eventstore.Blob;
import certgate.eventstore.CaCertificateLoaded;
import certgate.eventstore.Event;
import certgate.eventstore.RecordedEvent;
import certgate.eventstore.ValidationDecided;
import certgate.eventstore.ValidationRequested;
import certgate.eventstore.log.FileEventLog;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A store as one command sees it: the log, opened for reading (no lock) or for appending (the writer lock held
 * by the {@link FileEventLog} given), and its events folded once, in one {@link Replay}, into the engine state
 * as of the log's head. Every store command reads the log through this class, once; what a writer appends is
 * read back from the log and folded in, so the engine never sees an event the log did not record.
 *
 * <pre>{@code
 * try (FileEventLog log = ...) {
 *     OpenedStore store = OpenedStore.appending(log, progress);
 *     List<Long> sequences = store.append(store.check().crls(crls, now)...);
 *     OpenedStore.Decided decided = store.decide(request);
 * }
 * }</pre>
 */
public final class OpenedStore {
    private final Path directory;
    private final FileEventLog log;
    private final Replay replay;
    private long nextToFold;
    private Optional<String> storedHead = Optional.empty();

    private OpenedStore(Path directory, FileEventLog log, Replay replay) {
        this.directory = directory;
        this.log = log;
        this.replay = replay;
    }

    /** The store of {@code log} (opened for appending by the caller, who closes it), its events folded. */
    public static OpenedStore appending(FileEventLog log, Progress progress) {
        OpenedStore store = new OpenedStore(log.directory(), log, Replay.counting());
        log.read(0, recorded -> {
            store.fold(recorded);
            if ((store.nextToFold & 0xffff) == 0) {
                progress.tick(store.nextToFold);
            }
        });
        progress.done();
        return store;
    }

    /**
     * The store in {@code dir}, read without the writer lock into {@code replay} from the first event while
     * {@code keepGoing} accepts the next one (the event it refuses is not folded). Damage raises the log's own
     * exceptions, which name the segment and the record.
     */
    public static OpenedStore reading(Path dir, Replay replay, Predicate<RecordedEvent> keepGoing,
            Progress progress) {
        OpenedStore store = new OpenedStore(dir, null, replay);
        store.storedHead = StoreReading.readStating(dir, recorded -> {
            if (!keepGoing.test(recorded)) {
                return false;
            }
            store.fold(recorded);
            return true;
        }, progress).storedHead();
        progress.done();
        return store;
    }

    /** The store in {@code dir}, every event read without the writer lock into {@code replay}. */
    public static OpenedStore reading(Path dir, Replay replay, Progress progress) {
        return reading(dir, replay, recorded -> true, progress);
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

    /** A check of CA certificates and CRLs to load, against this state. */
    public LoadCheck check() {
        return LoadCheck.against(state());
    }

    /** Appends {@code events} as one durable batch, folds them as the log returns them; their sequences. */
    public List<Long> append(List<? extends Event> events) {
        List<Long> sequences = writer().append(events);
        catchUp();
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
        writer.read(requestSequence, recorded -> {
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
        return new Decided(decision, requestSequence, decisionSequence);
    }

    /**
     * For a reader: the chain value stored on the last record it passed (hex), as the records state it; not
     * recomputed, so not proof of anything ({@code log verify} is). Empty for an empty log, and for a writer.
     */
    public Optional<String> storedHead() {
        return storedHead;
    }

    /** The head hash of the log, for a writer. */
    public String head() {
        return writer().head();
    }

    private void catchUp() {
        log.read(nextToFold, this::fold);
    }

    private FileEventLog writer() {
        if (log == null) {
            throw new IllegalStateException("the store at " + directory + " was opened for reading");
        }
        return log;
    }
}
