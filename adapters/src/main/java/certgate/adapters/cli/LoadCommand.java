package certgate.adapters.cli;

import certgate.adapters.cli.StoreOption.StoreUnavailable;
import certgate.adapters.pem.PkiFileException;
import certgate.adapters.pem.PkiFiles;
import certgate.adapters.store.LoadCheck;
import certgate.adapters.store.LoadCheck.Accepted;
import certgate.adapters.store.LoadCheck.Outcome;
import certgate.adapters.store.LoadCheck.Refused;
import certgate.adapters.text.Suggest;
import certgate.adapters.store.OpenedStore;
import certgate.adapters.store.Progress;
import certgate.engine.Engine;
import certgate.eventstore.Event;
import certgate.eventstore.log.CorruptLogException;
import certgate.eventstore.log.FileEventLog;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code certgate load ca|crl FILE...}: puts CA certificates or CRLs into the store. Every object of every file is
 * checked first ({@link LoadCheck}); one refusal and nothing is appended. What passes is appended as one durable
 * batch, and only then reported.
 */
public final class LoadCommand implements Command {
    static final String DEFAULT_PROFILE = "default";
    private static final Pattern PROFILE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private final Clock clock;
    private final StoreOption store;

    public LoadCommand(Clock clock) {
        this(clock, StoreOption.ofProcess());
    }

    LoadCommand(Clock clock, StoreOption store) {
        this.clock = clock;
        this.store = store;
    }

    @Override
    public String name() {
        return "load";
    }

    @Override
    public String summary() {
        return "load CA certificates or CRLs into the event store";
    }

    @Override
    public String help() {
        return """
                Usage: certgate load ca FILE... [--profile NAME] [--store DIR]
                       certgate load crl FILE... [--store DIR]

                Appends CA certificates (trusted from then on, under a CA profile) or CRLs to the event store.
                Files are PEM (one or several blocks) or DER. Every object of every file is checked before
                anything is appended; if one is refused, nothing is appended.

                A CA certificate is refused when it cannot be read, when it is not a CA as the engine checks
                one (basicConstraints cA, keyCertSign, no unknown critical extension, a subjectKeyIdentifier),
                or when a CA of its issuer's name is loaded (itself, for a self-signed one) and its signature
                verifies with none of them.

                A CRL is refused when it cannot be read, when the engine would never use it (no cRLNumber,
                an unknown critical extension, a delta CRL), or when a CA of its issuer's name is loaded and
                its signature does not verify with one entitled to sign CRLs. A CRL whose issuer is not loaded
                (an intermediate CA's, say) is kept: its signature is checked when a chain reaches that issuer.
                An object already in the store is skipped.

                Options:
                  --profile NAME         the CA profile to load CA certificates under (letters, digits, '.',
                                         '_', '-'). Default: default.
                """ + StoreOption.HELP + StoreOption.WAIT_HELP + """

                Exit status:
                  0  loaded (or everything was already loaded)
                  2  usage error; a file refused (nothing appended)
                  4  the store is busy: another command is writing to it (see --wait)
                  5  the store is damaged: see 'certgate log repair'
                """;
    }

    @Override
    public int run(List<String> argv, InputStream stdin, PrintStream stdout, PrintStream stderr) {
        Args args;
        boolean ca;
        String profile;
        try {
            args = Args.parser().value("--profile").value(StoreOption.OPTION).value(StoreOption.WAIT)
                    .positionals("ca|crl FILE...", 0, Integer.MAX_VALUE).parse(argv);
            if (args.helpRequested()) {
                stdout.print(help());
                return ExitStatus.OK;
            }
            List<String> words = args.positionals();
            if (words.isEmpty()) {
                throw new UsageException("say what to load: 'load ca FILE...' or 'load crl FILE...'");
            }
            if (!words.get(0).equals("ca") && !words.get(0).equals("crl")) {
                throw new UsageException("'" + words.get(0) + "' is not what load takes: 'ca' or 'crl'"
                        + Suggest.hint(words.get(0), List.of("ca", "crl")));
            }
            ca = words.get(0).equals("ca");
            if (words.size() < 2) {
                throw new UsageException("missing FILE: 'load " + words.get(0) + " FILE...'");
            }
            if (!ca && args.value("--profile").isPresent()) {
                throw new UsageException("--profile applies to 'load ca' only: a CRL serves every profile");
            }
            profile = args.value("--profile").orElse(DEFAULT_PROFILE);
            if (!PROFILE.matcher(profile).matches()) {
                throw new UsageException("--profile '" + profile + "' is not a profile name (letters, digits, '.',"
                        + " '_', '-'; at most 64)");
            }
        } catch (UsageException e) {
            return Main.usageError(name(), e, stderr);
        }
        PkiFiles.Kind kind = ca ? PkiFiles.Kind.CERTIFICATE : PkiFiles.Kind.CRL;
        List<LoadCheck.Named> objects = new ArrayList<>();
        List<String> unreadable = new ArrayList<>();
        for (String file : args.positionals().subList(1, args.positionals().size())) {
            try {
                objects.addAll(StoreWrite.objects(store.workingDirectory(), file, kind));
            } catch (PkiFileException e) {
                unreadable.add(e.getMessage());
            }
        }
        if (!unreadable.isEmpty()) {
            for (String problem : unreadable) {
                stderr.println(Main.PROGRAM + " " + name() + ": refused: " + Terminal.safe(problem));
            }
            stderr.println(Main.PROGRAM + " " + name() + ": nothing appended");
            return ExitStatus.USAGE;
        }
        Path dir = store.resolve(args);
        if (!Files.isDirectory(dir)) {
            // A first load that would be refused must not leave an empty store behind.
            List<Outcome> outcomes = check(LoadCheck.against(Engine.empty()), ca, objects, profile);
            if (outcomes.stream().anyMatch(Refused.class::isInstance)) {
                return refused(outcomes, dir, stderr);
            }
        }
        // A large CRL takes seconds to check, write and apply: each step says so on a terminal.
        String[] step = {"reading the store"};
        Progress progress = Terminal.progress(stderr, count -> name() + ": " + step[0]);
        try (FileEventLog log = store.openForAppend(args, clock)) {
            StoreWrite.noteRecovery(log, name(), stderr);
            OpenedStore opened = OpenedStore.appending(log, progress);
            step[0] = "checking " + objects.size() + " object(s)";
            progress.tick(0);
            List<Outcome> outcomes = check(opened.check(), ca, objects, profile);
            if (outcomes.stream().anyMatch(Refused.class::isInstance)) {
                progress.done();
                return refused(outcomes, log.directory(), stderr);
            }
            step[0] = "appending and applying what was checked";
            progress.tick(0);
            return append(opened, outcomes, progress, stdout);
        } catch (StoreUnavailable e) {
            progress.done();
            stderr.println(Main.PROGRAM + " " + name() + ": " + Terminal.safe(e.getMessage()));
            return e.status();
        } catch (CorruptLogException e) {
            progress.done();
            stderr.println(Main.PROGRAM + " " + name() + ": " + Terminal.safe(StoreOption.damaged(e)));
            return ExitStatus.STORE_DAMAGED;
        } catch (UncheckedIOException e) {
            progress.done();
            stderr.println(Main.PROGRAM + " " + name() + ": " + Terminal.safe(StoreOption.damaged(e)));
            return ExitStatus.USAGE;
        }
    }

    private List<Outcome> check(LoadCheck check, boolean ca, List<LoadCheck.Named> objects, String profile) {
        return ca ? check.caCertificates(objects, profile) : check.crls(objects, clock.instant());
    }

    private int refused(List<Outcome> outcomes, Path dir, PrintStream stderr) {
        List<Outcome> refused = outcomes.stream().filter(Refused.class::isInstance).toList();
        for (Outcome refusal : refused) {
            stderr.println(Main.PROGRAM + " " + name() + ": " + Terminal.safe(refusal.origin()) + ": refused: "
                    + Terminal.safe(refusal.message()));
        }
        stderr.println(Main.PROGRAM + " " + name() + ": nothing appended to " + dir + " (" + refused.size() + " of "
                + outcomes.size() + " refused)");
        return ExitStatus.USAGE;
    }

    /** Appends what was accepted and reports each object once the batch is durable. */
    private int append(OpenedStore store, List<Outcome> outcomes, Progress progress, PrintStream stdout) {
        List<Event> events = new ArrayList<>();
        for (Outcome outcome : outcomes) {
            if (outcome instanceof Accepted accepted) {
                events.add(accepted.event());
            }
        }
        List<Long> sequences = store.append(events);
        progress.done();
        int next = 0;
        for (Outcome outcome : outcomes) {
            String line;
            if (outcome instanceof Accepted) {
                line = "loaded at sequence " + sequences.get(next++) + ": " + outcome.message();
            } else {
                line = "skipped: " + outcome.message();
            }
            stdout.println(Terminal.safe(outcome.origin()) + ": " + Terminal.safe(line));
        }
        stdout.println(sequences.isEmpty()
                ? "nothing appended to " + store.directory() + ": everything was already loaded"
                : "appended " + sequences.size() + " event" + (sequences.size() == 1 ? "" : "s") + " to "
                + store.directory() + "; head " + store.head());
        return ExitStatus.OK;
    }
}
