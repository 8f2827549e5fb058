package certgate.eventstore.log;

import certgate.eventstore.RecordedEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
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

    /** A reader from the first event. The directory must exist; it may hold no segment yet. */
    public static LogReader open(Path dir) {
        return open(dir, 0);
    }

    /** A reader whose first poll starts at the event {@code fromSequence}. */
    public static LogReader open(Path dir, long fromSequence) {
        return new LogReader(new RecordCursor(dir, fromSequence), fromSequence);
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
        return cursor.lastChain().map(HexFormat.of()::formatHex);
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
