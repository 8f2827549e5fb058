package certgate.adapters.cli;

import certgate.eventstore.log.CorruptLogException;
import certgate.eventstore.log.FileEventLog;
import certgate.eventstore.log.StoreLockedException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the commands of the store keep their log: {@code --store DIR}, else {@code $CERTGATE_STORE}, else
 * {@code ./certgate-data}. A writer creates the directory on first use; a reader asks for an existing one, so a
 * mistyped path is an error, not an empty history. The environment and the working directory are given, not read
 * here, so that tests run the commands in-process against a store of their own.
 */
public record StoreOption(Function<String, String> environment, Path workingDirectory) {
    public static final String OPTION = "--store";
    static final String VARIABLE = "CERTGATE_STORE";
    static final String DEFAULT_DIRECTORY = "certgate-data";

    /** The help text's paragraph on the option, shared by every command of the store. */
    public static final String HELP = """
              --store DIR            the event store (a directory). Default: $CERTGATE_STORE, else
                                     ./certgate-data. Created by the first command that appends.
            """;

    /** How long a command that writes waits for another writer to finish: {@code --wait 30s}. */
    public static final String WAIT = "--wait";

    /** The help text's paragraph on {@link #WAIT}, for the commands that write. */
    public static final String WAIT_HELP = """
              --wait DURATION        when another command is writing to the store, wait up to DURATION
                                     for it (0, or a number with a unit: 500ms, 30s, 2m, 1h). Default 0:
                                     do not wait; a busy store exits with status 4.
            """;
    private static final Pattern DURATION = Pattern.compile("0|([0-9]{1,9})(ms|s|m|h)");

    /** The process's environment and working directory. */
    public static StoreOption ofProcess() {
        return new StoreOption(System::getenv, Path.of(""));
    }

    /** The store directory the command line names, or the environment's, or the default. */
    Path resolve(Args args) {
        Optional<String> given = args.value(OPTION);
        if (given.isPresent()) {
            return workingDirectory.resolve(given.get());
        }
        String variable = environment.apply(VARIABLE);
        if (variable != null && !variable.isBlank()) {
            return workingDirectory.resolve(variable);
        }
        return workingDirectory.resolve(DEFAULT_DIRECTORY);
    }

    /** The resolved directory, which must exist: readers never create a store. */
    Path existing(Args args) throws StoreUnavailable {
        Path dir = resolve(args);
        if (!Files.isDirectory(dir)) {
            throw new StoreUnavailable("no event store at " + dir + " (" + origin(args) + "); 'certgate load ca"
                    + " FILE' creates one, or name another with --store DIR or $" + VARIABLE);
        }
        return dir;
    }

    /**
     * The existing store directory, or empty after telling {@code stderr} why there is none, as "certgate COMMAND:
     * ..."; the command then exits {@link ExitStatus#USAGE}.
     */
    Optional<Path> existingOrSay(Args args, String command, PrintStream stderr) {
        try {
            return Optional.of(existing(args));
        } catch (StoreUnavailable e) {
            stderr.println(Main.PROGRAM + " " + command + ": " + Terminal.safe(e.getMessage()));
            return Optional.empty();
        }
    }

    /**
     * Opens the store for appending: takes the writer lock (waiting for it as {@code --wait} says), truncates a
     * torn tail left by a crash. A busy store is {@link ExitStatus#STORE_BUSY}, a damaged one
     * {@link ExitStatus#STORE_DAMAGED}.
     */
    public FileEventLog openForAppend(Args args, Clock clock) throws StoreUnavailable {
        Duration wait = waitOf(args);
        Path dir = resolve(args);
        try {
            return FileEventLog.openForAppend(dir, clock, wait);
        } catch (StoreLockedException e) {
            throw new StoreUnavailable(e.getMessage() + "; wait for it to finish"
                    + (wait.isZero() ? " (--wait DURATION waits for it)" : ""), ExitStatus.STORE_BUSY);
        } catch (CorruptLogException e) {
            // The log's own message names the repair when the damage is to acknowledged records; say it otherwise.
            String repair = e.getMessage().contains("certgate log repair") ? ""
                    : ": 'certgate log verify' reports the damage and 'certgate log repair' moves it aside";
            throw new StoreUnavailable(e.getMessage() + "; nothing is appended to a damaged store" + repair,
                    ExitStatus.STORE_DAMAGED);
        } catch (UncheckedIOException e) {
            throw new StoreUnavailable("cannot open event store " + dir + " (" + origin(args) + ") for writing: "
                    + cause(e.getCause()));
        }
    }

    /** The {@code --wait} of a command that offers it; a command that does not, does not wait. */
    static Duration waitOf(Args args) throws StoreUnavailable {
        Optional<String> text;
        try {
            text = args.value(WAIT);
        } catch (IllegalArgumentException notOffered) {
            return Duration.ZERO;
        }
        if (text.isEmpty()) {
            return Duration.ZERO;
        }
        Matcher m = DURATION.matcher(text.get().trim());
        if (!m.matches()) {
            throw new StoreUnavailable(WAIT + " '" + text.get() + "' is not a duration: 0, or a number with a"
                    + " unit: 500ms, 30s, 2m, 1h");
        }
        if (m.group(1) == null) {
            return Duration.ZERO;
        }
        long amount = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            default -> Duration.ofHours(amount);
        };
    }

    /** What went wrong in words a person knows ("permission denied"), with the file it concerns. */
    static String cause(IOException e) {
        if (!(e instanceof FileSystemException fs)) {
            return String.valueOf(e.getMessage());
        }
        if (fs instanceof AccessDeniedException) {
            return "permission denied: " + fs.getFile();
        }
        if (fs instanceof NoSuchFileException) {
            return "no such directory: " + fs.getFile();
        }
        if (fs instanceof NotDirectoryException || fs instanceof FileAlreadyExistsException) {
            return "not a directory: " + fs.getFile();
        }
        if (fs.getReason() != null) {
            return fs.getReason().toLowerCase(Locale.ROOT) + ": " + fs.getFile();
        }
        return String.valueOf(e.getMessage());
    }

    /** Says where the directory came from, for messages. */
    String origin(Args args) {
        if (args.value(OPTION).isPresent()) {
            return "from --store";
        }
        String variable = environment.apply(VARIABLE);
        return variable != null && !variable.isBlank() ? "from $" + VARIABLE : "the default; --store and $"
                + VARIABLE + " are not set";
    }

    /**
     * A message for a read that stopped at damage or at an I/O error: the log's own message names the segment,
     * offset and sequence.
     */
    public static String damaged(RuntimeException e) {
        return e.getMessage() + "; 'certgate log verify' checks the whole store";
    }

    /**
     * Says on {@code stderr} that reading the store stopped at damage or at an I/O error, and gives the exit
     * status: {@link ExitStatus#STORE_DAMAGED} for damage, {@link ExitStatus#USAGE} for a store that cannot be read.
     */
    static int readFailed(String command, RuntimeException e, PrintStream stderr) {
        stderr.println(Main.PROGRAM + " " + command + ": " + Terminal.safe(damaged(e)));
        return e instanceof CorruptLogException ? ExitStatus.STORE_DAMAGED : ExitStatus.USAGE;
    }

    /** The store cannot be used as asked; the message is one line. */
    public static final class StoreUnavailable extends Exception {
        private static final long serialVersionUID = 1L;

        private final int status;

        StoreUnavailable(String message) {
            this(message, ExitStatus.USAGE);
        }

        StoreUnavailable(String message, int status) {
            super(message);
            this.status = status;
        }

        /** The exit status the command ends with: usage, store busy or store damaged. */
        public int status() {
            return status;
        }
    }
}
