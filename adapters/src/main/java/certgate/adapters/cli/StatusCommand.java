package certgate.adapters.cli;

import certgate.adapters.store.OpenedStore;
import certgate.adapters.store.Progress;
import certgate.adapters.store.Replay;
import certgate.adapters.text.Times;
import certgate.eventstore.log.CorruptLogException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * {@code certgate status --expiring 30d}: the gateways' own certificates that expire within a window (or have
 * expired), for a monitoring check: exit status 1 when there is one, so that a renewal is not missed.
 */
public final class StatusCommand implements Command {
    private static final String DEFAULT_WINDOW = "30d";

    private final Clock clock;
    private final StoreOption store;

    public StatusCommand(Clock clock) {
        this(clock, StoreOption.ofProcess());
    }

    StatusCommand(Clock clock, StoreOption store) {
        this.clock = clock;
        this.store = store;
    }

    @Override
    public String name() {
        return "status";
    }

    @Override
    public String summary() {
        return "list the gateways' own certificates that expire soon; exit 1 when one does";
    }

    @Override
    public String help() {
        return """
                Usage: certgate status [--expiring DURATION] [--format text|json] [--store DIR]

                Lists the local certificates of the store (loaded with 'certgate load local') whose notAfter
                falls within DURATION from now, or has passed: gateway, subject, issuer, serial, notAfter and
                the days left. For a monitoring check: the exit status says whether any needs renewing.

                Options:
                  --expiring DURATION    the window: a number with a unit, 30d, 12h, 90m. Default: 30d
                  --format text|json     text (default), or one JSON object: window, until, expiring
                                         [gateway, subject, issuer, serial, notAfter, daysToExpiry, ...]
                """ + StoreOption.HELP + """

                Exit status:
                  0  no local certificate expires within the window
                  1  one or more expire within it (or have expired)
                  2  usage error; no store there; the store cannot be read
                  5  the store is damaged (the message names the first bad record)
                """;
    }

    @Override
    public int run(List<String> argv, InputStream stdin, PrintStream stdout, PrintStream stderr) {
        Args args;
        Duration window;
        boolean json;
        try {
            args = Args.parser().value("--expiring").value("--format").value(StoreOption.OPTION).parse(argv);
            if (args.helpRequested()) {
                stdout.print(help());
                return ExitStatus.OK;
            }
            String text = args.value("--expiring").orElse(DEFAULT_WINDOW);
            try {
                window = Times.window(text);
            } catch (IllegalArgumentException e) {
                throw new UsageException("--expiring: " + e.getMessage());
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
        Replay replay = Replay.counting();
        Progress progress = Terminal.progress(stderr, count -> name() + ": " + count + " events read");
        try {
            OpenedStore.reading(dir, replay, progress);
        } catch (CorruptLogException | UncheckedIOException e) {
            progress.done();
            return StoreOption.readFailed(name(), e, stderr);
        }
        Instant now = clock.instant();
        Instant until = now.plus(window);
        List<LocalCertificateList.Entry> all = LocalCertificateList.of(replay);
        List<LocalCertificateList.Entry> expiring = all.stream().filter(entry -> entry.expiresBy(until)).toList();
        if (json) {
            ObjectNode root = DecisionFormat.object();
            root.put("store", dir.toString()).put("now", now.toString()).put("window", window.toString())
                    .put("until", until.toString()).put("localCertificates", all.size());
            LocalCertificateList.json(expiring, now, root.putArray("expiring"));
            stdout.println(DecisionFormat.oneLine(root));
        } else {
            StringBuilder out = new StringBuilder();
            out.append("local certificates expiring by ").append(until).append(" (within ")
                    .append(args.value("--expiring").orElse(DEFAULT_WINDOW)).append(" of ").append(now)
                    .append("): ").append(expiring.size()).append(" of ").append(all.size()).append('\n');
            LocalCertificateList.text(expiring, now, out);
            stdout.print(out);
        }
        return expiring.isEmpty() ? ExitStatus.OK : ExitStatus.REJECTED;
    }
}
