package certgate.adapters.cli;

import certgate.adapters.store.Audit;
import certgate.adapters.store.Progress;
import certgate.adapters.store.Replay;
import certgate.eventstore.Verdict;
import certgate.eventstore.log.CorruptLogException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code certgate audit}: re-decides every recorded decision in one pass over the log and lists each one that a
 * replay does not reproduce. Reads without the writer lock.
 */
public final class AuditCommand implements Command {
    private final StoreOption store;

    public AuditCommand() {
        this(StoreOption.ofProcess());
    }

    AuditCommand(StoreOption store) {
        this.store = store;
    }

    @Override
    public String name() {
        return "audit";
    }

    @Override
    public String summary() {
        return "re-decide every recorded decision and list those that differ";
    }

    @Override
    public String help() {
        return """
                Usage: certgate audit [--from TIME] [--until TIME] [--threads N] [--format text|json]
                                      [--store DIR]

                Reads the event log once, rebuilding the state as it goes, and decides every recorded request
                again, as recorded, in the state it was recorded in. Prints the counts and every mismatch: a
                decision whose verdict or reason a replay does not reproduce, or a decision that answers no
                request. Requests left without a decision (a writer stopped between the two) are listed, but
                are not mismatches. A progress line goes to standard error on long logs.

                Options:
                  --from TIME            audit only decisions whose request was appended at or after TIME
                                         (ISO-8601, 2030-01-01T00:00:00Z or a date)
                  --until TIME           ... and at or before TIME. The events before the window are still
                                         read: they make the state its requests were decided in.
                  --threads N            threads that re-decide (default: one per processor); the log
                                         is read on another, and mismatches are listed in log order
                                         whatever N
                  --format text|json     text (default), or JSON lines: {"mismatch": {...}} for each
                                         mismatch, in log order, then one {"summary": {...}}
                """ + StoreOption.HELP + """

                Exit status:
                  0  every audited decision re-decides the same
                  1  at least one mismatch
                  2  usage error; no store there; the store cannot be read
                  5  the store is damaged (the message names the first bad record)
                """;
    }

    @Override
    public int run(List<String> argv, InputStream stdin, PrintStream stdout, PrintStream stderr) {
        Args args;
        Optional<Instant> from;
        Optional<Instant> until;
        int threads;
        boolean json;
        try {
            args = Args.parser().value("--from").value("--until").value("--threads").value("--format")
                    .value(StoreOption.OPTION).parse(argv);
            if (args.helpRequested()) {
                stdout.print(help());
                return ExitStatus.OK;
            }
            TimeWindow window = TimeWindow.of(args);
            from = window.from();
            until = window.until();
            threads = threads(args);
            json = DecisionOptions.json(args);
        } catch (UsageException e) {
            return Main.usageError(name(), e, stderr);
        }
        Optional<Path> existing = store.existingOrSay(args, name(), stderr);
        if (existing.isEmpty()) {
            return ExitStatus.USAGE;
        }
        Path dir = existing.get();
        Progress progress = Terminal.progress(stderr, count -> "audit: " + count + " events read");
        Audit.Result result;
        try {
            result = Audit.run(dir, from, until, threads, mismatch -> {
                progress.done();
                stdout.println(json ? DecisionFormat.oneLine(mismatch(mismatch))
                        : "MISMATCH " + Terminal.safe(mismatch.describe()));
            }, progress);
        } catch (CorruptLogException e) {
            progress.done();
            stdout.flush();
            stderr.println(Main.PROGRAM + " " + name() + ": " + Terminal.safe(StoreOption.damaged(e)));
            return ExitStatus.STORE_DAMAGED;
        } catch (UncheckedIOException e) {
            progress.done();
            stdout.flush();
            stderr.println(Main.PROGRAM + " " + name() + ": " + Terminal.safe(StoreOption.damaged(e)));
            return ExitStatus.USAGE;
        }
        if (json) {
            stdout.println(DecisionFormat.oneLine(summary(dir, result, from, until)));
            return result.passed() ? ExitStatus.OK : ExitStatus.REJECTED;
        }
        Replay replay = result.replay();
        Map<Verdict, Long> verdicts = replay.byVerdict();
        stdout.println("store " + dir + ": " + replay.events() + " events, " + replay.decisions()
                + " decisions (accept " + verdicts.get(Verdict.ACCEPT) + ", reject " + verdicts.get(Verdict.REJECT)
                + ")");
        String window = from.map(t -> " from " + t).orElse("") + until.map(t -> " until " + t).orElse("");
        stdout.println("audited " + result.audited() + " decisions" + window + ": " + result.matched()
                + " re-decided the same, " + result.mismatched() + " mismatch" + (result.mismatched() == 1 ? "" : "es")
                + (result.outsideWindow() > 0 ? " (" + result.outsideWindow() + " outside the window)" : ""));
        List<Replay.Request> unanswered = result.unanswered();
        if (!unanswered.isEmpty()) {
            stdout.println("requests without a decision: " + unanswered.size());
            for (Replay.Request request : unanswered.subList(0, Math.min(unanswered.size(), 20))) {
                stdout.println("  " + Terminal.safe(request.request().requestId()) + " at sequence "
                        + request.recorded().sequence());
            }
        }
        stdout.println(result.passed() ? "audit passed" : "audit FAILED");
        return result.passed() ? ExitStatus.OK : ExitStatus.REJECTED;
    }

    /** One mismatch as a JSON line: {"mismatch": {...}}. */
    private static ObjectNode mismatch(Audit.Mismatch mismatch) {
        ObjectNode root = DecisionFormat.object();
        Replay.Answer answer = mismatch.answer();
        ObjectNode node = root.putObject("mismatch").put("requestId", answer.decision().requestId())
                .put("decisionSequence", answer.recorded().sequence());
        answer.request().ifPresentOrElse(request -> node.put("requestSequence", request.recorded().sequence()),
                () -> node.putNull("requestSequence"));
        node.putObject("recorded").put("verdict", DecisionFormat.lower(answer.decision().verdict()))
                .put("reason", answer.decision().reason().name());
        mismatch.redecided().ifPresentOrElse(decision -> node.putObject("redecided")
                .put("verdict", DecisionFormat.lower(decision.verdict())).put("reason", decision.reason().name()),
                () -> node.putNull("redecided"));
        node.put("detail", mismatch.describe());
        return root;
    }

    /** The last JSON line: {"summary": {...}} with the counts the text prints. */
    private static ObjectNode summary(Path dir, Audit.Result result, Optional<Instant> from,
                                      Optional<Instant> until) {
        ObjectNode root = DecisionFormat.object();
        Replay replay = result.replay();
        Map<Verdict, Long> verdicts = replay.byVerdict();
        ObjectNode node = root.putObject("summary").put("store", dir.toString()).put("events", replay.events())
                .put("decisions", replay.decisions()).put("accept", verdicts.get(Verdict.ACCEPT))
                .put("reject", verdicts.get(Verdict.REJECT));
        from.ifPresentOrElse(t -> node.put("from", t.toString()), () -> node.putNull("from"));
        until.ifPresentOrElse(t -> node.put("until", t.toString()), () -> node.putNull("until"));
        node.put("audited", result.audited()).put("matched", result.matched())
                .put("mismatched", result.mismatched()).put("outsideWindow", result.outsideWindow());
        ArrayNode unanswered = node.putArray("requestsWithoutDecision");
        for (Replay.Request request : result.unanswered()) {
            unanswered.addObject().put("requestId", request.request().requestId())
                    .put("sequence", request.recorded().sequence());
        }
        node.put("passed", result.passed());
        return root;
    }

    private static int threads(Args args) throws UsageException {
        return args.intValue("--threads", 1, 256, Runtime.getRuntime().availableProcessors());
    }
}
