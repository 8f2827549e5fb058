package certgate.adapters.store;

import java.io.PrintStream;
import java.util.function.LongFunction;
import java.util.function.LongSupplier;

/**
 * A progress line on standard error for work that takes a while: rewritten in place at most once a second and
 * only after the first second, so short runs print nothing and the output of a command stays clean.
 */
public final class Progress {
    private static final long FIRST_AFTER_NANOS = 1_000_000_000L;
    private static final long EVERY_NANOS = 1_000_000_000L;

    private final PrintStream err;
    private final LongFunction<String> line;
    private final LongSupplier nanoTime;
    private final long started;
    private long lastPrinted;
    private boolean printed;

    private Progress(PrintStream err, LongFunction<String> line, LongSupplier nanoTime) {
        this.err = err;
        this.line = line;
        this.nanoTime = nanoTime;
        this.started = nanoTime.getAsLong();
    }

    /**
     * Prints {@code line.apply(count)} when a tick comes after the first second and a second after the last. Only
     * for a terminal: the commands get theirs from {@code Terminal.progress}, which is silent on a pipe or a file.
     */
    public static Progress to(PrintStream err, LongFunction<String> line) {
        return to(err, line, System::nanoTime);
    }

    /** As {@link #to(PrintStream, LongFunction)}, reading the time from {@code nanoTime} (tests move it). */
    public static Progress to(PrintStream err, LongFunction<String> line, LongSupplier nanoTime) {
        return new Progress(err, line, nanoTime);
    }

    public static Progress silent() {
        return new Progress(null, count -> "", () -> 0L);
    }

    public void tick(long count) {
        if (err == null) {
            return;
        }
        long now = nanoTime.getAsLong();
        if (now - started < FIRST_AFTER_NANOS || (printed && now - lastPrinted < EVERY_NANOS)) {
            return;
        }
        err.print("\r" + line.apply(count) + "   ");
        err.flush();
        printed = true;
        lastPrinted = now;
    }

    /** Ends the line, when one was printed, so that what follows starts on a line of its own. */
    public void done() {
        if (printed) {
            err.println();
            printed = false;
        }
    }
}
