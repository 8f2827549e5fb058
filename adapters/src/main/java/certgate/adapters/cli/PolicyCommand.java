package certgate.adapters.cli;

import certgate.adapters.cli.StoreOption.StoreUnavailable;
import certgate.adapters.policy.PolicySource;
import certgate.adapters.store.OpenedStore;
import certgate.dsl.Diagnostic;
import certgate.dsl.Suggestions;
import certgate.dsl.policy.CompiledPolicy;
import certgate.eventstore.PolicyActivated;
import certgate.eventstore.log.CorruptLogException;
import certgate.eventstore.log.FileEventLog;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * {@code certgate policy activate FILE}: compiles the policy and appends it to the event store as a
 * {@link PolicyActivated} event (its source and its revision, the SHA-256 of the source), so that every later
 * decision made under it can be replayed with it. A policy with errors is refused and nothing is appended.
 */
public final class PolicyCommand implements Command {
    private static final List<String> ACTIONS = List.of("activate");

    private final Clock clock;
    private final StoreOption store;

    public PolicyCommand(Clock clock) {
        this(clock, StoreOption.ofProcess());
    }

    public PolicyCommand(Clock clock, StoreOption store) {
        this.clock = clock;
        this.store = store;
    }

    @Override
    public String name() {
        return "policy";
    }

    @Override
    public String summary() {
        return "activate a policy: compile it and record it in the event store";
    }

    @Override
    public String help() {
        return """
                Usage: certgate policy activate FILE [--store DIR]

                Compiles the policy FILE and, when it has no error, appends it to the event store as the
                active policy: its source and its revision (the SHA-256 of the file). 'certgate validate'
                decides under the active policy; 'certgate validate --policy FILE' decides one request under
                FILE instead, without changing the active policy. Decisions made under a policy record its
                revision, so a replay decides them again under the same policy, whatever was activated since.
                Warnings are printed and do not stop the activation. Activating the policy that is already
                active appends nothing.

                Options:
                """ + StoreOption.HELP + StoreOption.WAIT_HELP + """

                Exit status:
                  0  activated (or already active)
                  1  the policy has errors: nothing appended
                  2  usage error; the file cannot be read
                  4  the store is busy: another command is writing to it (see --wait)
                  5  the store is damaged: see 'certgate log repair'
                """;
    }

    @Override
    public int run(List<String> argv, InputStream stdin, PrintStream stdout, PrintStream stderr) {
        Args args;
        String file;
        try {
            args = Args.parser().value(StoreOption.OPTION).value(StoreOption.WAIT)
                    .positionals("activate FILE", 2, 2).parse(argv);
            if (args.helpRequested()) {
                stdout.print(help());
                return ExitStatus.OK;
            }
            String action = args.positionals().get(0);
            if (!ACTIONS.contains(action)) {
                throw new UsageException("unknown action '" + action + "'" + Suggestions.closest(action, ACTIONS)
                        .map(c -> "; did you mean '" + c + "'?").orElse("; the action is 'activate'"));
            }
            file = args.positionals().get(1);
        } catch (UsageException e) {
            return Main.usageError(name(), e, stderr);
        }
        String prefix = Main.PROGRAM + " " + name() + " activate: ";
        PolicySource source;
        try {
            source = PolicySource.read(store.workingDirectory().resolve(file), file);
        } catch (PolicySource.Unreadable e) {
            stderr.println(prefix + Terminal.safe(e.getMessage()));
            return ExitStatus.USAGE;
        }
        for (Diagnostic diagnostic : source.result().diagnostics()) {
            CheckCommand.printLines(diagnostic.toString(), stderr);
        }
        if (source.policy().isEmpty()) {
            stderr.println(prefix + Terminal.safe(file) + " has " + source.result().errors().size()
                    + " error(s): nothing appended");
            return ExitStatus.REJECTED;
        }
        CompiledPolicy policy = source.policy().get();
        PolicyActivated activation = source.activation();
        try (FileEventLog log = store.openForAppend(args, clock)) {
            log.recovered().ifPresent(torn -> stderr.println(prefix + "note: opening " + log.directory()
                    + " truncated a " + torn.describe() + " (the trace of a crash; that write was never"
                    + " acknowledged)"));
            OpenedStore opened = OpenedStore.appending(log, OpenedStore.Opening.snapshots(
                    Terminal.progress(stderr, count -> name() + ": " + count + " events read"),
                    Terminal.warnings(stderr, name())));
            Optional<CompiledPolicy> active = opened.state().activePolicy();
            String revision = PolicySource.shortRevision(policy.revision());
            if (active.isPresent() && active.get().revision().equals(policy.revision())) {
                stdout.println("policy " + Terminal.safe(file) + " (revision " + revision + ") is already the active"
                        + " policy of " + log.directory() + "; nothing appended");
                return ExitStatus.OK;
            }
            long sequence = opened.append(List.of(activation)).get(0);
            stdout.println("policy " + Terminal.safe(file) + " activated at sequence " + sequence + ": revision "
                    + policy.revision() + ", " + policy.gateways().size() + " gateway(s), "
                    + policy.caProfiles().size() + " CA profile(s)" + active.map(previous -> "; it replaces revision "
                    + PolicySource.shortRevision(previous.revision())).orElse(""));
            return ExitStatus.OK;
        } catch (StoreUnavailable e) {
            stderr.println(prefix + Terminal.safe(e.getMessage()));
            return e.status();
        } catch (CorruptLogException e) {
            stderr.println(prefix + Terminal.safe(StoreOption.damaged(e)));
            return ExitStatus.STORE_DAMAGED;
        } catch (UncheckedIOException e) {
            stderr.println(prefix + Terminal.safe(StoreOption.damaged(e)));
            return ExitStatus.USAGE;
        }
    }
}
