package certgate.adapters.cli;

import certgate.adapters.cli.StoreOption.StoreUnavailable;
import certgate.adapters.enroll.EnrollException;
import certgate.adapters.enroll.GatewayKey;
import certgate.adapters.enroll.KeyPairs;
import certgate.adapters.enroll.Passphrase;
import certgate.adapters.enroll.LocalCertificates;
import certgate.adapters.pem.PkiFileException;
import certgate.adapters.pem.PkiFiles;
import certgate.adapters.store.LoadCheck;
import certgate.adapters.store.LoadCheck.Accepted;
import certgate.adapters.store.LoadCheck.Outcome;
import certgate.adapters.store.LoadCheck.Refused;
import certgate.adapters.store.OpenedStore;
import certgate.adapters.store.Progress;
import certgate.adapters.store.Replay;
import certgate.adapters.text.Suggest;
import certgate.engine.Engine;
import certgate.eventstore.Event;
import certgate.eventstore.LocalCertificateLoaded;
import certgate.eventstore.log.CorruptLogException;
import certgate.eventstore.log.FileEventLog;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
        return "load CA certificates, CRLs or the gateway's own certificate into the event store";
    }

    @Override
    public String help() {
        return """
                Usage: certgate load ca FILE... [--profile NAME] [--store DIR]
                       certgate load crl FILE... [--store DIR]
                       certgate load local CERT.pem --key KEY.pem [--gateway NAME]
                                  [--passphrase-file FILE | --passphrase-env VAR] [--store DIR]

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

                The gateway's own (local) certificate, the one the CA issued for 'certgate request', is
                loaded only when three checks pass, each named when it fails: key (its public key is the
                key pair's in KEY.pem), validity (it is valid now), chain (it chains to a CA certificate
                loaded in the store, validated as a peer's certificate is, revocation aside).

                Options:
                  --profile NAME         the CA profile to load CA certificates under (letters, digits, '.',
                                         '_', '-'). Default: default.
                  --key KEY.pem          load local: the gateway's private key (PKCS#8, as 'certgate keygen'
                                         writes it)
                  --gateway NAME         load local: the gateway of the policy the certificate serves
                """ + EnrollOptions.PASSPHRASE_HELP + StoreOption.HELP + StoreOption.WAIT_HELP + """

                Exit status:
                  0  loaded (or everything was already loaded)
                  2  usage error; a file refused, a local certificate that fails a check (nothing appended)
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
            args = EnrollOptions.passphrase(Args.parser().value("--profile").value("--key").value("--gateway")
                    .value(StoreOption.OPTION).value(StoreOption.WAIT)
                    .positionals("ca|crl|local FILE...", 0, Integer.MAX_VALUE)).parse(argv);
            if (args.helpRequested()) {
                stdout.print(help());
                return ExitStatus.OK;
            }
            List<String> words = args.positionals();
            if (words.isEmpty()) {
                throw new UsageException("say what to load: 'load ca FILE...' or 'load crl FILE...', or 'load"
                        + " local CERT.pem --key KEY.pem'");
            }
            if (!List.of("ca", "crl", "local").contains(words.get(0))) {
                throw new UsageException("'" + words.get(0) + "' is not what load takes: 'ca', 'crl' or 'local'"
                        + Suggest.hint(words.get(0), List.of("ca", "crl", "local")));
            }
            if (words.get(0).equals("local")) {
                return loadLocal(args, stdout, stderr);
            }
            for (String option : List.of("--key", "--gateway", EnrollOptions.PASSPHRASE_FILE,
                    EnrollOptions.PASSPHRASE_ENV)) {
                if (args.has(option)) {
                    throw new UsageException(option + " applies to 'load local' only");
                }
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
            OpenedStore opened = OpenedStore.appending(log,
                    OpenedStore.Opening.snapshots(progress, Terminal.warnings(stderr, name())));
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
        } catch (CorruptLogException | UncheckedIOException e) {
            progress.done();
            return StoreOption.readFailed(name(), e, stderr);
        }
    }

    /** {@code load local CERT.pem --key KEY.pem}: the gateway's own certificate, after its three checks. */
    private int loadLocal(Args args, PrintStream stdout, PrintStream stderr) throws UsageException {
        List<String> words = args.positionals();
        if (words.size() != 2) {
            throw new UsageException(words.size() < 2 ? "missing CERT.pem: 'load local CERT.pem --key KEY.pem'"
                    : "load local takes one certificate file, not " + (words.size() - 1));
        }
        if (args.has("--profile")) {
            throw new UsageException("--profile applies to 'load ca' only: a local certificate is the gateway's");
        }
        String keyFile = args.value("--key").orElseThrow(() -> new UsageException(
                "missing --key KEY.pem: the key pair the certificate was issued for"));
        Optional<String> gateway = args.value("--gateway");
        if (gateway.isPresent() && !PROFILE.matcher(gateway.get()).matches()) {
            throw new UsageException("--gateway '" + gateway.get() + "' is not a gateway name (letters, digits,"
                    + " '.', '_', '-'; at most 64)");
        }
        String file = words.get(1);
        LoadCheck.Named certificate;
        GatewayKey key;
        try {
            List<LoadCheck.Named> objects = StoreWrite.objects(store.workingDirectory(), file,
                    PkiFiles.Kind.CERTIFICATE);
            if (objects.size() != 1) {
                throw new EnrollException(file + ": holds " + objects.size() + " certificates; the local"
                        + " certificate goes alone ('certgate load ca' its CA certificates)");
            }
            certificate = objects.get(0);
            try (Passphrase passphrase = EnrollOptions.passphrase(args, store)) {
                key = KeyPairs.read(store.workingDirectory().resolve(keyFile), passphrase.chars());
            }
        } catch (PkiFileException | EnrollException e) {
            stderr.println(Main.PROGRAM + " " + name() + ": refused: " + Terminal.safe(e.getMessage()));
            stderr.println(Main.PROGRAM + " " + name() + ": nothing appended");
            return ExitStatus.USAGE;
        }
        Instant now = clock.instant();
        Path dir = store.resolve(args);
        if (!Files.isDirectory(dir)) {
            // No store, no CA: refused without leaving an empty store behind.
            try {
                LocalCertificates.Outcome outcome = LocalCertificates.check(Engine.empty(), List.of(),
                        certificate.blob(), key, gateway, now);
                if (outcome instanceof LocalCertificates.Refused refused) {
                    return refusedLocal(file, refused, dir, stderr);
                }
            } catch (EnrollException e) {
                stderr.println(Main.PROGRAM + " " + name() + ": refused: " + Terminal.safe(file + ": "
                        + e.getMessage()));
                return ExitStatus.USAGE;
            }
        }
        return StoreWrite.appending(store, args, clock, name(), stderr, opened -> {
            List<LocalCertificateLoaded> loaded = opened.replay().localCertificates().stream()
                    .map(Replay.LocalCertificate::event).toList();
            LocalCertificates.Outcome outcome = LocalCertificates.check(opened.state(), loaded,
                    certificate.blob(), key, gateway, now);
            if (outcome instanceof LocalCertificates.Refused refused) {
                return refusedLocal(file, refused, opened.directory(), stderr);
            }
            if (outcome instanceof LocalCertificates.AlreadyLoaded already) {
                stdout.println(Terminal.safe(file) + ": skipped: " + already.message());
                stdout.println("nothing appended to " + opened.directory() + ": the certificate was already"
                        + " loaded");
                return ExitStatus.OK;
            }
            LocalCertificates.Accepted accepted = (LocalCertificates.Accepted) outcome;
            List<Long> sequences = opened.append(List.of(accepted.event()));
            stdout.println(Terminal.safe(file) + ": local certificate loaded at sequence " + sequences.get(0)
                    + ": " + Terminal.safe(accepted.certificate().subject()) + gateway.map(g -> " for gateway " + g)
                    .orElse("") + "; " + Terminal.safe(accepted.message()));
            stdout.println("appended 1 event to " + opened.directory() + "; head " + opened.head());
            return ExitStatus.OK;
        });
    }

    private int refusedLocal(String file, LocalCertificates.Refused refused, Path dir, PrintStream stderr) {
        stderr.println(Main.PROGRAM + " " + name() + ": " + Terminal.safe(file) + ": refused (" + refused.check()
                + " check): " + Terminal.safe(refused.message()));
        stderr.println(Main.PROGRAM + " " + name() + ": nothing appended to " + dir);
        return ExitStatus.USAGE;
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
