package certgate.eventstore.log;

import certgate.eventstore.RecordedEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Reads a store without taking the writer lock, so it can run beside the writer, and can tail: each
 * {@link #poll} delivers the events that became complete since the previous one, each exactly once, in order.
 *
 * <pre>{@code
 * try (LogReader reader = LogReader.open(dir)) {
 *     reader.poll(engine::apply);                       // replay what is there
 *     while (running) reader.await(engine::apply, Duration.ofSeconds(1));   // then follow the writer
 * }
 * }</pre>
 *
 * Every record's CRC and sequence number are checked on the way (the hash chain is {@link LogVerifier}'s job);
 * damage that is not a torn tail raises {@link CorruptLogException}. Not thread-safe: one reader per thread.
 */
public final class LogReader implements AutoCloseable {
    private final RecordCursor cursor;
    private final long fromSequence;

    private LogReader(RecordCursor cursor, long fromSequence) {
        this.cursor = cursor;
        this.fromSequence = fromSequence;
    }

    /** Where a log ends: the sequence after its last event and the chain value (hex) of its last record. */
    public record Head(long nextSequence, String chain) {
    }

    /**
     * The log's head as its writer last acknowledged it (the writer checkpoint), provided nothing lies past it:
     * the checkpoint's segment is the last and ends exactly where the checkpoint says. Empty otherwise (no
     * checkpoint, a write in progress or torn, a later segment), and the caller reads the log to find out. Costs
     * a read of the checkpoint and of a directory, not of the log; a store's snapshot taken at the head is
     * recognised by it without reading the last segment.
     */
    public static Optional<Head> acknowledgedHead(Path dir) {
        Optional<Checkpoint> checkpoint = Checkpoint.read(dir);
        if (checkpoint.isEmpty()) {
            return Optional.empty();
        }
        List<Segments.SegmentFile> segments = Segments.list(dir);
        if (segments.isEmpty() || segments.get(segments.size() - 1).base() != checkpoint.get().segmentBase()) {
            return Optional.empty();
        }
        try {
            if (Files.size(segments.get(segments.size() - 1).path()) != checkpoint.get().position()) {
                return Optional.empty();
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.of(new Head(checkpoint.get().nextSequence(),
                HexFormat.of().formatHex(checkpoint.get().head())));
    }

    /** A reader from the first event. The directory must exist; it may hold no segment yet. */
    public static LogReader open(Path dir) {
        return open(dir, 0);
    }

    /** A reader whose first poll starts at the event {@code fromSequence}. */
    public static LogReader open(Path dir, long fromSequence) {
        return new LogReader(new RecordCursor(dir, fromSequence), fromSequence);
    }

    /**
     * The log's chain value (hex) at the event just before this reader's start, {@code fromSequence - 1}: reads up
     * to it, decoding nothing, and answers what the log holds there (the value {@code log verify} would compute
     * there for an unaltered log). Empty for a reader from the first event, or when the log ends before its start.
     * Call it before the first {@link #poll}, which then starts at {@code fromSequence} as ever. A store's snapshot
     * names the chain value it covers; this is how an opener checks that the log still has that history.
     */
    public Optional<String> chainValueBefore() {
        if (fromSequence == 0) {
            return Optional.empty();
        }
        cursor.poll(fromSequence, (at, event, blob) -> { });
        return cursor.chainOf(fromSequence - 1).map(chain -> HexFormat.of().formatHex(chain));
    }

    /** Delivers every complete event not delivered yet; returns how many. */
    public int poll(Consumer<RecordedEvent> consumer) {
        return cursor.pollEvents(Long.MAX_VALUE, consumer);
    }

    /**
     * Polls until at least one event arrives or {@code timeout} passes (sleeping a little between polls);
     * returns how many were delivered.
     */
    public int await(Consumer<RecordedEvent> consumer, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long sleepMillis = 1;
        while (true) {
            int delivered = poll(consumer);
            if (delivered > 0 || System.nanoTime() - deadline >= 0) {
                return delivered;
            }
            Thread.sleep(sleepMillis);
            sleepMillis = Math.min(sleepMillis * 2, 50);
        }
    }

    /**
     * The chain value stored on the last record this reader passed, in hex: the log's head as its records state
     * it, for display. It is not recomputed here ({@link LogVerifier} does that); empty before the first record.
     */
    public Optional<String> storedHead() {
        return cursor.lastRecordChain().map(HexFormat.of()::formatHex);
    }

    /** The sequence of the next event {@link #poll} will deliver. */
    public long nextSequence() {
        return Math.max(fromSequence, cursor.nextSequence());
    }

    @Override
    public void close() {
        cursor.close();
    }
}
