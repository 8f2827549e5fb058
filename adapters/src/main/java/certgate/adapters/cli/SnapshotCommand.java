package certgate.adapters.cli;

import certgate.adapters.store.OpenedStore;
import certgate.adapters.store.Progress;
import certgate.adapters.store.Replay;
import certgate.adapters.store.StoreSnapshots;
import certgate.eventstore.log.CorruptLogException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * {@code certgate snapshot}: writes a snapshot of the store's state now, so that the commands after it open from
 * there and read only the events appended since. Reads without the writer lock, so it runs beside a writer (a
 * service, say); the snapshot covers the events complete when it read them.
 */
public final class SnapshotCommand implements Command {
    private final StoreOption store;

    public SnapshotCommand() {
        this(StoreOption.ofProcess());
    }

    SnapshotCommand(StoreOption store) {
        this.store = store;
    }

    @Override
    public String name() {
        return "snapshot";
    }

    @Override
    public String summary() {
        return "write a snapshot of the store's state, so that opening it replays only what follows";
    }

    @Override
    public String help() {
        return """
                Usage: certgate snapshot [--format text|json] [--store DIR]

                Folds the store's log (from its newest usable snapshot, then the events after it) and writes
                the state as a new snapshot in DIR/snapshots/, named by the sequence it covers, with the log's
                chain value at that sequence and a checksum over the whole file; written to a temporary file,
                forced and renamed, so a crash leaves the old snapshot or the new one. The newest 3 are kept.

                Snapshots are a cache: 'validate', 'explain', 'replay' and the other store commands open from
                the newest one whose chain value is the log's at its sequence and read only the events after
                it. A snapshot that does not match the log (repaired or rewritten since), is damaged, or was
                written by another release is not used: the command replays the whole log and says so in one
                warning line. 'log verify' and 'audit' never use one. A writer also writes one every 100,000
                events it appends.

                Options:
                  --format text|json     text (default): what was written, one line; json: one object with
                                         "file", "sequence" (of the last event covered), "nextSequence",
                                         "chain", "bytes", "millis" and "writtenAt"
                """ + StoreOption.HELP + """

                Exit status:
                  0  written (or the store holds no event yet: nothing to write, said on standard error)
                  2  usage error; no store there; the store cannot be read; the snapshot cannot be written
                  5  the store is damaged (the message names the first bad record)
                """;
    }

    @Override
    public int run(List<String> argv, InputStream stdin, PrintStream stdout, PrintStream stderr) {
        Args args;
        boolean json;
        try {
            args = Args.parser().value("--format").value(StoreOption.OPTION).parse(argv);
            if (args.helpRequested()) {
                stdout.print(help());
                return ExitStatus.OK;
            }
            json = DecisionOptions.json(args);
        } catch (UsageException e) {
            return Main.usageError(name(), e, stderr);
        }
        Optional<Path> existing = store.existingOrSay(args, name(), stderr);
        if (existing.isEmpty()) {
            return ExitStatus.USAGE;
        }
        Path dir = existing.get();
        Progress progress = Terminal.progress(stderr, count -> name() + ": " + count + " events read");
        OpenedStore opened;
        try {
            opened = OpenedStore.reading(dir, Replay.counting(), recorded -> true,
                    OpenedStore.Opening.snapshots(progress, Terminal.warnings(stderr, name())));
        } catch (CorruptLogException | UncheckedIOException e) {
            progress.done();
            return StoreOption.readFailed(name(), e, stderr);
        }
        Optional<StoreSnapshots.Written> written;
        try {
            written = opened.writeSnapshot();
        } catch (IOException | UncheckedIOException e) {
            stderr.println(Main.PROGRAM + " " + name() + ": cannot write a snapshot in "
                    + dir.resolve(StoreSnapshots.DIRECTORY) + ": " + Terminal.safe(String.valueOf(e.getMessage())));
            return ExitStatus.USAGE;
        }
        if (written.isEmpty()) {
            stderr.println(Main.PROGRAM + " " + name() + ": the store at " + dir + " holds no event yet: nothing to"
                    + " write");
            if (json) {
                stdout.println(DecisionFormat.oneLine(DecisionFormat.object().put("store", dir.toString())
                        .putNull("file")));
            }
            return ExitStatus.OK;
        }
        StoreSnapshots.Written snapshot = written.get();
        StoreSnapshots.Covered covered = snapshot.covered();
        long millis = snapshot.took().toMillis();
        if (json) {
            ObjectNode root = DecisionFormat.object();
            root.put("store", dir.toString()).put("file", snapshot.file().toString())
                    .put("sequence", covered.nextSequence() - 1).put("nextSequence", covered.nextSequence())
                    .put("chain", covered.chain()).put("bytes", snapshot.bytes()).put("millis", millis)
                    .put("writtenAt", covered.writtenAt().toString());
            opened.openedFrom().ifPresentOrElse(from -> root.put("openedFromSequence", from.nextSequence() - 1),
                    () -> root.putNull("openedFromSequence"));
            stdout.println(DecisionFormat.oneLine(root));
        } else {
            stdout.println("snapshot " + snapshot.file() + ": the state after sequence " + (covered.nextSequence() - 1)
                    + " (chain " + covered.chain().substring(0, 16) + "...), " + snapshot.bytes() + " bytes, written"
                    + " in " + millis + " ms" + opened.openedFrom().map(from -> " (read from the snapshot at"
                    + " sequence " + (from.nextSequence() - 1) + " and the " + (covered.nextSequence()
                    - from.nextSequence()) + " events after it)").orElse(""));
        }
        return ExitStatus.OK;
    }
}
