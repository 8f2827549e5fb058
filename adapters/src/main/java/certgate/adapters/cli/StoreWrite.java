package certgate.adapters.cli;

import certgate.adapters.pem.PkiFileException;
import certgate.adapters.pem.PkiFiles;
import certgate.adapters.store.LoadCheck;
import certgate.eventstore.Blob;
import certgate.eventstore.log.FileEventLog;
import java.io.PrintStream;
import java.nio.file.Path;
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
}
