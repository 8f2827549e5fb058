package certgate.adapters.cli;

import certgate.eventstore.log.CorruptLogException;
import certgate.eventstore.log.FileEventLog;
import certgate.eventstore.log.StoreLockedException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Function;

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

    /** Opens the store for appending: takes the writer lock, truncates a torn tail left by a crash. */
    public FileEventLog openForAppend(Args args, Clock clock) throws StoreUnavailable {
        Path dir = resolve(args);
        try {
            return FileEventLog.openForAppend(dir, clock);
        } catch (StoreLockedException e) {
            throw new StoreUnavailable(e.getMessage() + "; wait for it to finish, or stop it");
        } catch (CorruptLogException e) {
            throw new StoreUnavailable(e.getMessage() + "; 'certgate log verify' reports the damage, and nothing"
                    + " is appended to a damaged store");
        } catch (UncheckedIOException e) {
            throw new StoreUnavailable(e.getMessage());
        }
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

    /** The store cannot be used as asked; the message is one line. */
    public static final class StoreUnavailable extends Exception {
        private static final long serialVersionUID = 1L;

        StoreUnavailable(String message) {
            super(message);
        }
    }
}
