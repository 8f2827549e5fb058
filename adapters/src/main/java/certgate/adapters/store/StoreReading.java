package certgate.adapters.store;

import certgate.eventstore.RecordedEvent;
import certgate.eventstore.log.LogReader;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Reads a store's events without the writer lock (so it can run beside a writer), from the first event to the
 * end of what is complete, or until the reader has seen enough. Damage raises the log's own exceptions
 * ({@code CorruptLogException}, {@code UncheckedIOException}), which name the segment and the record.
 */
public final class StoreReading {
    /** Ends a read early; carries no stack trace, it is control flow. */
    private static final class Enough extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Enough() {
            super("enough", null, false, false);
        }
    }

    private StoreReading() {
    }

    /** Feeds every event to {@code consumer}; returns how many. */
    public static long read(Path dir, Consumer<RecordedEvent> consumer) {
        return readWhile(dir, event -> {
            consumer.accept(event);
            return true;
        }, Progress.silent());
    }

    /**
     * Feeds events to {@code visitor} until it returns false (that event was seen and is counted) or the log
     * ends; ticks {@code progress} on the way. Returns how many events the visitor saw.
     */
    public static long readWhile(Path dir, Predicate<RecordedEvent> visitor, Progress progress) {
        return readStating(dir, visitor, progress).events();
    }

    /** What a read saw: how many events, and the chain value stored on the last record it passed (hex). */
    public record Read(long events, Optional<String> storedHead) {
    }

    /** {@link #readWhile}, saying also the head the last record passed states (not recomputed). */
    public static Read readStating(Path dir, Predicate<RecordedEvent> visitor, Progress progress) {
        long[] seen = {0};
        Enough enough = new Enough();
        try (LogReader reader = LogReader.open(dir)) {
            try {
                reader.poll(event -> {
                    seen[0]++;
                    if ((seen[0] & 0xffff) == 0) {
                        progress.tick(seen[0]);
                    }
                    if (!visitor.test(event)) {
                        throw enough;
                    }
                });
            } catch (Enough stop) {
                if (stop != enough) {
                    throw stop;
                }
            }
            return new Read(seen[0], reader.storedHead());
        }
    }
}
