package certgate.adapters.cli;

import certgate.adapters.cli.StoreOption.StoreUnavailable;
import certgate.adapters.enroll.EnrollException;
import certgate.adapters.pem.PkiFileException;
import certgate.adapters.pem.PkiFiles;
import certgate.adapters.store.LoadCheck;
import certgate.adapters.store.OpenedStore;
import certgate.adapters.store.Progress;
import certgate.eventstore.Blob;
import certgate.eventstore.log.CorruptLogException;
import certgate.eventstore.log.FileEventLog;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** What the commands that append to a store share: files as objects, notes. */
final class StoreWrite {
    private StoreWrite() {
    }

    /** The objects of a certificate or CRL file, each named for messages. */
    static List<LoadCheck.Named> objects(Path workingDirectory, String file, PkiFiles.Kind kind)
            throws PkiFileException {
        Path path = workingDirectory.resolve(file);
        List<Blob> blobs = kind == PkiFiles.Kind.CERTIFICATE ? PkiFiles.certificates(path) : PkiFiles.crls(path);
        List<LoadCheck.Named> named = new ArrayList<>();
        for (int i = 0; i < blobs.size(); i++) {
            named.add(new LoadCheck.Named(file, i + 1, blobs.size(), blobs.get(i)));
        }
        return named;
    }

    /** Says so when opening the store truncated a torn tail: a crash's trace, never hidden. */
    static void noteRecovery(FileEventLog log, String command, PrintStream stderr) {
        log.recovered().ifPresent(torn -> stderr.println(Main.PROGRAM + " " + command + ": note: opening "
                + log.directory() + " truncated a " + torn.describe() + " (the trace of a crash; that write was"
                + " never acknowledged)"));
    }

    /** What a command does with the store open for appending and read; returns the exit status. */
    interface Appending {
        int run(OpenedStore store) throws EnrollException;
    }

    /**
     * Opens the store for appending (the writer lock held throughout), reads it, and runs {@code action}: a busy
     * store is status 4, a damaged one 5, and an {@link EnrollException} (a file that cannot be written, say)
     * is printed as it is with status 2, after which the action has appended nothing.
     */
    static int appending(StoreOption store, Args args, Clock clock, String command, PrintStream stderr,
            Appending action) {
        Progress progress = Terminal.progress(stderr, count -> command + ": reading the store, " + count
                + " events");
        try (FileEventLog log = store.openForAppend(args, clock)) {
            noteRecovery(log, command, stderr);
            OpenedStore opened = OpenedStore.appending(log,
                    OpenedStore.Opening.snapshots(progress, Terminal.warnings(stderr, command)));
            return action.run(opened);
        } catch (StoreUnavailable e) {
            progress.done();
            stderr.println(Main.PROGRAM + " " + command + ": " + Terminal.safe(e.getMessage()));
            return e.status();
        } catch (CorruptLogException e) {
            progress.done();
            stderr.println(Main.PROGRAM + " " + command + ": " + Terminal.safe(StoreOption.damaged(e)));
            return ExitStatus.STORE_DAMAGED;
        } catch (UncheckedIOException e) {
            progress.done();
            stderr.println(Main.PROGRAM + " " + command + ": " + Terminal.safe(StoreOption.damaged(e)));
            return ExitStatus.USAGE;
        } catch (EnrollException e) {
            progress.done();
            stderr.println(Main.PROGRAM + " " + command + ": " + Terminal.safe(e.getMessage()));
            stderr.println(Main.PROGRAM + " " + command + ": nothing appended");
            return ExitStatus.USAGE;
        }
    }
}
