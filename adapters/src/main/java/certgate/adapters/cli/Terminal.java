package certgate.adapters.cli;

import certgate.adapters.store.Progress;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.LongFunction;
import java.util.function.LongSupplier;

/**
 * Text from files and certificates made safe for a terminal (no control characters, no escape sequences), and
 * whether standard error is a terminal, for the progress lines long work shows there and never on a pipe.
 */
public final class Terminal {
    private Terminal() {
    }

    /**
     * Standard error known to be a terminal. {@link Main#main} wraps the process's standard error in one when it
     * is a terminal; everything else (a pipe, a file, the streams of an in-process run) is a plain stream, on which
     * {@link #progress} is silent.
     */
    public static final class Stream extends PrintStream {
        private final LongSupplier nanoTime;

        /** {@code out} is a terminal; progress lines read the time from {@code nanoTime}. */
        public Stream(OutputStream out, LongSupplier nanoTime) {
            super(out, true, StandardCharsets.UTF_8);
            this.nanoTime = nanoTime;
        }
    }

    /** A progress line on {@code stderr} when it is a terminal; silent otherwise. */
    public static Progress progress(PrintStream stderr, LongFunction<String> line) {
        return stderr instanceof Stream terminal ? Progress.to(terminal, line, terminal.nanoTime) : Progress.silent();
    }

    /**
     * The process's standard error, as a {@link Stream} when it is a terminal. Java 17 cannot ask isatty(2) of
     * standard error: a console means standard input and output are terminals, and on Linux file descriptor 2 must
     * also lead to a terminal device (not {@code pipe:[...]} or a file).
     */
    static PrintStream standardError() {
        boolean terminal = System.console() != null && standardErrorIsTerminalDevice();
        return terminal ? new Stream(System.err, System::nanoTime)
                : new PrintStream(System.err, true, StandardCharsets.UTF_8);
    }

    private static boolean standardErrorIsTerminalDevice() {
        Path fd = Path.of("/proc/self/fd/2");
        if (!Files.exists(Path.of("/proc/self/fd"))) {
            return true; // no /proc: the console alone answers
        }
        try {
            String target = Files.readSymbolicLink(fd).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** Control characters become {@code \\uXXXX}, so a crafted subject cannot move the cursor or add a line. */
    /** Where a command's warnings go: one line each on standard error, after the command's name. */
    public static java.util.function.Consumer<String> warnings(PrintStream stderr, String command) {
        return line -> stderr.println(Main.PROGRAM + " " + command + ": warning: " + safe(line));
    }

    public static String safe(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                if (out == null) {
                    out = new StringBuilder(text.length() + 8).append(text, 0, i);
                }
                out.append(String.format("\\u%04x", (int) c));
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? text : out.toString();
    }
}
