package certgate.adapters.store;

import java.io.PrintStream;
import java.util.function.LongFunction;

/**
 * A progress line on standard error for work that takes a while: rewritten in place at most once a second and
 * only after the first second, so short runs print nothing and the output of a command stays clean.
 */
public final class Progress {
    private static final long FIRST_AFTER_NANOS = 1_000_000_000L;
    private static final long EVERY_NANOS = 1_000_000_000L;

    private final PrintStream err;
    private final LongFunction<String> line;
    private final long started = System.nanoTime();
    private long lastPrinted;
    private boolean printed;

    private Progress(PrintStream err, LongFunction<String> line) {
        this.err = err;
        this.line = line;
    }

    /** Prints {@code line.apply(count)} when a tick comes after the first second and a second after the last. */
    public static Progress to(PrintStream err, LongFunction<String> line) {
        return new Progress(err, line);
    }

    public static Progress silent() {
        return new Progress(null, count -> "");
    }

    public void tick(long count) {
        if (err == null) {
            return;
        }
        long now = System.nanoTime();
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
