package certgate.adapters.cli;

import certgate.adapters.cli.StoreOption.StoreUnavailable;
import certgate.adapters.policy.PolicySource;
import certgate.adapters.store.Progress;
import certgate.adapters.store.WhatIf;
import certgate.dsl.policy.CompiledPolicy;
import certgate.engine.trace.TraceStep;
import certgate.eventstore.log.CorruptLogException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@code certgate whatif --policy NEW}: re-decides the recorded history under a policy that is not live yet and
 * lists every decision it would change, with the first trace step that differs. Reads without the writer lock and
 * never writes.
 */
public final class WhatifCommand implements Command {
    private final StoreOption store;
    private final Path workingDirectory;

    public WhatifCommand() {
        this(StoreOption.ofProcess(), Path.of(""));
    }

    WhatifCommand(StoreOption store) {
        this(store, Path.of(""));
    }

    WhatifCommand(StoreOption store, Path workingDirectory) {
        this.store = store;
        this.workingDirectory = workingDirectory;
    }

    @Override
    public String name() {
        return "whatif";
    }

    @Override
    public String summary() {
        return "re-decide the recorded decisions under another policy and list those that change";
    }

    @Override
    public String help() {
        return """
                Usage: certgate whatif --policy FILE [--from TIME] [--until TIME] [--format text|json]
                                       [--store DIR]

                Before a policy goes live: reads the event log once, rebuilding the state as it goes, and
                decides every recorded request again under FILE, bound to it as 'validate --policy' binds a
                request, in the state it was recorded in. Prints the counts (by old -> new verdict and reason,
                by gateway) and each decision whose verdict or reason would change: its id, the peer, both
                outcomes and the first trace step that differs. Never writes to the store.

                Options:
                  --policy FILE          the policy to try (required); one that does not compile is
                                         reported as 'certgate check' reports it
                  --from TIME            only decisions whose request was appended at or after TIME
                                         (ISO-8601, 2030-01-01T00:00:00Z or a date)
                  --until TIME           ... and at or before TIME. The events before the window are still
                                         read: they make the state its requests were decided in.
                  --format text|json     text (default), or one JSON object: {"summary": {...},
                                         "changes": [...]}
                """ + StoreOption.HELP + """

                Exit status:
                  0  no decision changes
                  1  at least one decision changes
                  2  usage error; the policy does not compile; no store there; the store cannot be read
                  5  the store is damaged (the message names the first bad record)
                """;
    }

    @Override
    public int run(List<String> argv, InputStream stdin, PrintStream stdout, PrintStream stderr) {
        Args args;
        Optional<Instant> from;
        Optional<Instant> until;
        boolean json;
        String file;
        try {
            args = Args.parser().value(PolicyOption.POLICY).value("--from").value("--until").value("--format")
                    .value(StoreOption.OPTION).parse(argv);
            if (args.helpRequested()) {
                stdout.print(help());
                return ExitStatus.OK;
            }
            file = args.value(PolicyOption.POLICY).orElseThrow(() -> new UsageException(PolicyOption.POLICY
                    + " FILE is required: the policy to try"));
            TimeWindow window = TimeWindow.of(args);
            from = window.from();
            until = window.until();
            json = DecisionOptions.json(args);
        } catch (UsageException e) {
            return Main.usageError(name(), e, stderr);
        }
        PolicySource source;
        try {
            source = PolicySource.read(workingDirectory.resolve(file), file);
        } catch (PolicySource.Unreadable e) {
            stderr.println(Main.PROGRAM + " " + name() + ": " + Terminal.safe(e.getMessage()));
            return ExitStatus.USAGE;
        }
        if (source.policy().isEmpty()) {
            source.result().diagnostics().forEach(d -> CheckCommand.printLines(d.toString(), stderr));
            stderr.println(Main.PROGRAM + " " + name() + ": " + Terminal.safe(file) + " does not compile: "
                    + source.result().errors().size() + " error(s)");
            return ExitStatus.USAGE;
        }
        CompiledPolicy policy = source.policy().get();
        Path dir;
        try {
            dir = store.existing(args);
        } catch (StoreUnavailable e) {
            stderr.println(Main.PROGRAM + " " + name() + ": " + Terminal.safe(e.getMessage()));
            return ExitStatus.USAGE;
        }
        Progress progress = Terminal.progress(stderr, count -> "whatif: " + count + " events read");
        List<WhatIf.Change> changes = new ArrayList<>();
        WhatIf.Result result;
        try {
            result = WhatIf.run(dir, policy, from, until, changes::add, progress);
        } catch (CorruptLogException | UncheckedIOException e) {
            progress.done();
            return StoreOption.readFailed(name(), e, stderr);
        }
        Map<String, Long> byOutcome = new TreeMap<>();
        Map<String, Long> byGateway = new TreeMap<>();
        for (WhatIf.Change change : changes) {
            byOutcome.merge(outcome(change), 1L, Long::sum);
            byGateway.merge(change.gateway(), 1L, Long::sum);
        }
        String revision = PolicyOption.shortRevision(policy.revision());
        if (json) {
            ObjectNode root = DecisionFormat.object();
            ObjectNode summary = root.putObject("summary").put("store", dir.toString()).put("policy", file)
                    .put("revision", policy.revision());
            from.ifPresentOrElse(t -> summary.put("from", t.toString()), () -> summary.putNull("from"));
            until.ifPresentOrElse(t -> summary.put("until", t.toString()), () -> summary.putNull("until"));
            summary.put("considered", result.considered()).put("changed", result.changed())
                    .put("outsideWindow", result.outsideWindow());
            ObjectNode outcomes = summary.putObject("byOutcome");
            byOutcome.forEach(outcomes::put);
            ObjectNode gateways = summary.putObject("byGateway");
            byGateway.forEach(gateways::put);
            ArrayNode array = root.putArray("changes");
            for (WhatIf.Change change : changes) {
                ObjectNode node = array.addObject().put("requestId", change.requestId())
                        .put("gateway", change.gateway()).put("peer", change.peer());
                node.putObject("before").put("verdict", DecisionFormat.lower(change.answer().decision().verdict()))
                        .put("reason", change.answer().decision().reason().name());
                node.putObject("after").put("verdict", DecisionFormat.lower(change.after().verdict()))
                        .put("reason", change.after().reason().name());
                change.difference().ifPresentOrElse(difference -> {
                    ObjectNode step = node.putObject("firstDifference").put("index", difference.index());
                    step.put("step", DecisionFormat.lower(stepOf(difference)));
                    difference.before().ifPresentOrElse(s -> step.put("before", s.detail()),
                            () -> step.putNull("before"));
                    difference.after().ifPresentOrElse(s -> step.put("after", s.detail()),
                            () -> step.putNull("after"));
                }, () -> node.putNull("firstDifference"));
            }
            stdout.println(DecisionFormat.oneLine(root));
            return result.unchanged() ? ExitStatus.OK : ExitStatus.REJECTED;
        }
        String window = from.map(t -> " from " + t).orElse("") + until.map(t -> " until " + t).orElse("");
        stdout.println("policy " + Terminal.safe(file) + " (revision " + revision + ") against store " + dir + ": "
                + result.considered() + " decisions" + window + " considered, " + result.changed() + " change"
                + (result.changed() == 1 ? "" : "s")
                + (result.outsideWindow() > 0 ? " (" + result.outsideWindow() + " outside the window)" : ""));
        byOutcome.forEach((outcome, count) -> stdout.println("  " + outcome + ": " + count));
        byGateway.forEach((gateway, count) -> stdout.println("  gateway " + Terminal.safe(gateway) + ": " + count));
        for (WhatIf.Change change : changes) {
            stdout.println("CHANGED " + Terminal.safe(change.requestId()) + " gateway "
                    + Terminal.safe(change.gateway()) + " peer " + Terminal.safe(change.peer()) + ": "
                    + outcome(change));
            change.difference().ifPresent(difference -> {
                stdout.println("  first difference: " + DecisionFormat.lower(stepOf(difference)) + " step");
                stdout.println("    before: " + difference.before().map(WhatifCommand::describe).orElse("(none)"));
                stdout.println("    after:  " + difference.after().map(WhatifCommand::describe).orElse("(none)"));
            });
        }
        stdout.println(result.unchanged() ? "no decision changes" : result.changed() + " decision"
                + (result.changed() == 1 ? "" : "s") + " would change");
        return result.unchanged() ? ExitStatus.OK : ExitStatus.REJECTED;
    }

    private static String outcome(WhatIf.Change change) {
        return DecisionFormat.lower(change.answer().decision().verdict()) + " "
                + change.answer().decision().reason().name() + " -> " + DecisionFormat.lower(change.after().verdict())
                + " " + change.after().reason().name();
    }

    private static TraceStep.Step stepOf(WhatIf.Difference difference) {
        return difference.after().or(difference::before).orElseThrow().step();
    }

    private static String describe(TraceStep step) {
        return DecisionFormat.lower(step.step()) + " " + DecisionFormat.lower(step.outcome()) + " "
                + Terminal.safe(step.detail().replace('\n', ' '));
    }
}
