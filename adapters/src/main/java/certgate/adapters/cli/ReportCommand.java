package certgate.adapters.cli;

import certgate.adapters.report.Report;
import certgate.adapters.store.History;
import certgate.adapters.store.Progress;
import certgate.eventstore.log.CorruptLogException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * {@code certgate report --out FILE}: one self-contained HTML page of a store's history (decisions over time by
 * verdict, rejection reasons, gateways, CRL freshness per CA, policy revisions, local certificates, the log's head
 * and latest checkpoint), read from the log in one pass without the writer lock.
 */
public final class ReportCommand implements Command {
    private final Clock clock;
    private final StoreOption store;

    public ReportCommand(Clock clock) {
        this(clock, StoreOption.ofProcess());
    }

    ReportCommand(Clock clock, StoreOption store) {
        this.clock = clock;
        this.store = store;
    }

    @Override
    public String name() {
        return "report";
    }

    @Override
    public String summary() {
        return "write a self-contained HTML report of the store: decisions, CRLs, policies, certificates";
    }

    @Override
    public String help() {
        return """
                Usage: certgate report --out FILE [--from TIME] [--until TIME] [--store DIR]

                Reads the event log once and writes FILE: one HTML page that loads nothing (inline style, inline
                SVG charts, no script), to open in a browser, print, or attach to an audit. It shows the decisions
                per hour (or day, or week: chosen from the window) stacked by verdict, the top rejection reasons,
                a table per gateway, the age of each CA's CRL over time against its nextUpdate and the active
                policy's refresh-interval, the policy revisions on the time axis, the local certificates and the
                days to their expiry, the log's head and its latest signed checkpoint. Text from the log (names,
                sources) is escaped: a DN cannot add markup to the page.

                Options:
                  --out FILE             the page to write (replaced if it exists); required
                  --from TIME            count only decisions whose request was appended at or after TIME
                                         (ISO-8601, 2030-01-01T00:00:00Z or a date)
                  --until TIME           ... and at or before TIME. Expiry and freshness are judged at TIME
                                         when given, else now. Without either: from the first decision to
                                         the last.
                """ + StoreOption.HELP + """

                Exit status:
                  0  the page was written
                  2  usage error; no store there; the store cannot be read; FILE cannot be written
                  5  the store is damaged (the message names the first bad record)
                """;
    }

    @Override
    public int run(List<String> argv, InputStream stdin, PrintStream stdout, PrintStream stderr) {
        Args args;
        Optional<Instant> from;
        Optional<Instant> until;
        String out;
        try {
            args = Args.parser().value("--out").value("--from").value("--until").value(StoreOption.OPTION)
                    .parse(argv);
            if (args.helpRequested()) {
                stdout.print(help());
                return ExitStatus.OK;
            }
            out = args.value("--out").orElseThrow(() -> new UsageException("--out FILE is required: the page to"
                    + " write"));
            TimeWindow window = TimeWindow.of(args);
            from = window.from();
            until = window.until();
        } catch (UsageException e) {
            return Main.usageError(name(), e, stderr);
        }
        Optional<Path> existing = store.existingOrSay(args, name(), stderr);
        if (existing.isEmpty()) {
            return ExitStatus.USAGE;
        }
        Path dir = existing.get();
        Progress progress = Terminal.progress(stderr, count -> "report: " + count + " events read");
        History history;
        try {
            history = History.read(dir, from, until, progress);
        } catch (CorruptLogException | UncheckedIOException e) {
            progress.done();
            return StoreOption.readFailed(name(), e, stderr);
        }
        String page = Report.html(history, args.value(StoreOption.OPTION).orElse(dir.toString()),
                until.orElseGet(clock::instant));
        Path target = store.workingDirectory().resolve(out);
        try {
            write(target, page);
        } catch (IOException e) {
            stderr.println(Main.PROGRAM + " " + name() + ": cannot write " + Terminal.safe(out) + ": "
                    + Terminal.safe(StoreOption.cause(e)));
            return ExitStatus.USAGE;
        }
        stdout.println("report of " + history.decided() + " decision" + (history.decided() == 1 ? "" : "s")
                + " (" + history.accepted() + " accepted, " + history.rejected() + " rejected) written to "
                + Terminal.safe(out) + " (" + (page.length() + 1023) / 1024 + " KiB)");
        return ExitStatus.OK;
    }

    /** Writes beside the target and moves it into place, so that a reader never sees half a page. */
    private static void write(Path target, String page) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path parent = absolute.getParent();
        Path temporary = Files.createTempFile(parent, "." + absolute.getFileName(), ".tmp");
        try {
            Files.writeString(temporary, page, StandardCharsets.UTF_8);
            Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }
}
