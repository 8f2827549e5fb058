package certgate.eventstore.log;

import java.nio.file.Path;
import java.time.Duration;

/** Another writer holds the store: one writer at a time. The message names the holder as its lock file does. */
public final class StoreLockedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final Path directory;
    private final String holder;

    StoreLockedException(Path directory, String holder) {
        super("event store " + directory + " is already open for writing by " + holder
                + "; only one writer at a time (readers need no lock)");
        this.directory = directory;
        this.holder = holder;
    }

    /** The lock was still held after waiting {@code waited} for it. */
    StoreLockedException(Path directory, String holder, Duration waited) {
        super("event store " + directory + " is still open for writing by " + holder + " after waiting "
                + waited.toString().substring(2).toLowerCase(java.util.Locale.ROOT)
                + "; only one writer at a time (readers need no lock)");
        this.directory = directory;
        this.holder = holder;
    }

    public Path directory() {
        return directory;
    }

    /** The holder as recorded in the lock file, for example {@code pid 4242 (started 2025-01-01T10:00:00Z)}. */
    public String holder() {
        return holder;
    }
}
