package certgate.adapters.cli;

import certgate.adapters.cli.RequestLines.Request;
import certgate.adapters.pem.PkiFileException;
import certgate.adapters.pem.PkiFiles;
import certgate.adapters.pem.PkiFiles.Kind;
import certgate.adapters.store.Progress;
import certgate.engine.Decision;
import certgate.engine.Engine;
import certgate.engine.LoadRejection;
import certgate.eventstore.Blob;
import certgate.eventstore.CaCertificateLoaded;
import certgate.eventstore.CrlLoaded;
import certgate.eventstore.Event;
import certgate.eventstore.IkeIdentity;
import certgate.eventstore.InMemoryEventLog;
import certgate.eventstore.ValidationRequested;
import certgate.eventstore.ValidationSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code certgate verify}: one decision from certificate and CRL files, or a batch from JSON lines. Every input
 * passes through the event model: the trust anchors and CRLs are appended to an in-memory log, then each
 * request and its decision; the engine's state is the fold of what the log holds. The validation time is read
 * here, from the adapter's clock, when the caller gives none: the engine never reads a clock.
 */
public final class VerifyCommand implements Command {
    /** Trust anchors are loaded under this CA profile until policies name profiles. */
    static final String PROFILE = "default";

    private final Clock clock;

    public VerifyCommand(Clock clock) {
        this.clock = clock;
    }

    @Override
    public String name() {
        return "verify";
    }

    @Override
    public String summary() {
        return "decide whether a peer's certificate is acceptable (files, or a batch of JSON lines)";
    }

    @Override
    public String help() {
        return """
                Usage: certgate verify --peer FILE [--chain FILE]... --trust FILE... [--crl FILE]... [OPTIONS]
                       certgate verify --requests FILE|- --trust FILE... [--crl FILE]... [OPTIONS]

                Decides whether an IKE peer's certificate is acceptable, in the order of IKE phase 1 on a
                Junos device: build the path and check its signatures, validity times, identity, revocation.
                The trust anchors, the CRLs, the request and the decision are recorded as events in an
                in-memory log, and the decision is made from what the log holds.

                Files are PEM (one or several blocks) or DER, told apart by their first byte. Certificate
                files may hold up to 1 MiB, CRL files up to 64 MiB.

                Inputs:
                  --peer FILE            the peer's certificate. Further certificates in the same file are
                                         taken as the chain the peer sent. A file that cannot be parsed is a
                                         rejection (MALFORMED_CERTIFICATE), not an error.
                  --chain FILE...        certificates the peer sent with its own: not trusted, used to build
                                         the path. Repeatable.
                  --trust FILE...        the locally stored CA certificates, which alone are trusted (CA
                                         profile 'default'). Required. Repeatable.
                  --crl FILE...          CRLs; one counts only when its issuer, signature and dates check out.
                                         Repeatable.
                  --requests FILE|-      batch: read requests as JSON lines from FILE or standard input
                                         instead of --peer/--chain (see below).

                Request:
                  --id TYPE:VALUE        the IKE ID the peer presented: ip:192.0.2.1, fqdn:gw1.example.net,
                                         ufqdn:vpn@example.net, "dn:CN=gw1, O=Example". Default: none, and
                                         the identity step is skipped.
                  --at TIME              the validation time, ISO-8601: 2030-01-01T00:00:00Z, with an offset
                                         (2030-01-01T02:00:00+02:00), or a date (2030-01-01, midnight UTC).
                                         Default: the current time.

                Settings (recorded with the request, so a replay decides the same way):
                  --revocation-check crl|disable       default crl
                  --on-download-failure reject|accept  what to do when no usable CRL covers a certificate;
                                                       default reject (fail closed)
                  --path-validation partial|full       partial (default, as Junos): the path may end at any
                                                       locally stored CA certificate; full: it must end at a
                                                       self-signed root
                  --max-ca-levels N                    CA certificates in the path, trust anchor included:
                                                       1..16, default 7
                  --allow-sha1                         accept SHA-1 signatures (MD5 is always refused)

                Policy (the settings then come from the policy):
                """ + PolicyOption.HELP + """

                Output:
                  --format text|json     text (default): verdict and reason on the first line, the trace as
                                         indented lines, then the path, peer first. json: one line holding
                                         {"requestId", "verdict", "reason", "trace": [{"step", "outcome",
                                         "detail"}], "chain": [{"subject", "issuer", "serial", "sha256",
                                         "source"}]}. Verdicts, steps, outcomes and sources are lowercase
                                         (accept, reject); reasons are the stable codes (REVOKED, EXPIRED).

                Batch (--requests): each line is one JSON object
                  {"peer": PEM, "chain": [PEM, ...], "id": "fqdn:gw1.example.net", "at": "2030-01-01T00:00:00Z"}
                with "peer" required. --id and --at on the command line are the defaults for lines without
                them. Trust anchors and CRLs are loaded once. Each line gets one JSON line back, in order: the
                decision object above with "requestId": "req-LINE", or for a line that is not a request
                {"requestId", "line", "error": {"code", "message"}}, and the next lines go on. Blank lines are
                skipped. Output is JSON whatever --format says.

                Exit status:
                  0  accepted (batch: every request accepted)
                  1  rejected (batch: any request rejected or in error)
                  2  usage error; a --trust or --crl file that cannot be read or parsed; a --peer, --chain
                     or --requests file that cannot be read
                  3  internal error (a bug in certgate)
                """;
    }

    @Override
    public int run(List<String> argv, InputStream stdin, PrintStream stdout, PrintStream stderr) {
        Options options;
        try {
            Args args = PolicyOption.declare(Args.parser())
                    .value("--peer").values("--chain").values("--trust").values("--crl").value("--requests")
                    .value("--id").value("--at")
                    .value("--revocation-check").value("--on-download-failure").value("--path-validation")
                    .value("--max-ca-levels").flag("--allow-sha1").value("--format")
                    .parse(argv);
            if (args.helpRequested()) {
                stdout.print(help());
                return ExitStatus.OK;
            }
            options = Options.from(args);
        } catch (UsageException e) {
            return Main.usageError(name(), e, stderr);
        }
        List<Event> loads = new ArrayList<>();
        Map<String, String> origins = new HashMap<>();
        try {
            for (String file : options.trust()) {
                for (Blob certificate : PkiFiles.certificates(Path.of(file))) {
                    loads.add(new CaCertificateLoaded(PROFILE, certificate));
                    origins.putIfAbsent(certificate.sha256Hex(), "--trust " + file);
                }
            }
            for (String file : options.crls()) {
                for (Blob crl : PkiFiles.crls(Path.of(file))) {
                    loads.add(new CrlLoaded(crl, "file:" + file));
                    origins.putIfAbsent(crl.sha256Hex(), "--crl " + file);
                }
            }
        } catch (PkiFileException e) {
            return fileError(optionOf(e.file(), options), e, stderr);
        }
        // The engine keeps what it cannot read out of its state; here that is refused before anything is recorded.
        for (LoadRejection rejection : Engine.replay(loads).rejectedLoads()) {
            stderr.println(Main.PROGRAM + " " + name() + ": "
                    + Terminal.safe(origins.getOrDefault(rejection.sha256(), rejection.origin()))
                    + ": not usable: " + Terminal.safe(rejection.problem()));
            return ExitStatus.USAGE;
        }
        loads.addAll(0, options.policy().events(Engine.empty()));
        LoggedEngine engine = new LoggedEngine(InMemoryEventLog.create(clock));
        engine.append(loads);
        return options.requests().isPresent()
                ? batch(options, engine, stdin, stdout, stderr)
                : single(options, engine, stdout, stderr);
    }

    private int single(Options options, LoggedEngine engine, PrintStream stdout, PrintStream stderr) {
        String peerFile = options.peer().orElseThrow();
        Submitted peer;
        List<Blob> chain = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        try {
            peer = Submitted.of(peerFile, PkiFiles.read(Path.of(peerFile), Kind.CERTIFICATE));
            peer.problem().ifPresent(p -> notes.add("--peer " + p));
            chain.addAll(peer.rest());
            for (String file : options.chain()) {
                Submitted sent = Submitted.of(file, PkiFiles.read(Path.of(file), Kind.CERTIFICATE));
                sent.problem().ifPresent(p -> notes.add("--chain " + p));
                chain.addAll(sent.certificates());
            }
        } catch (PkiFileException e) {
            return fileError(optionOf(e.file(), options), e, stderr);
        }
        for (String note : notes) {
            stderr.println(Main.PROGRAM + " " + name() + ": note: " + Terminal.safe(note)
                    + "; the engine gets the bytes as they are");
        }
        String requestId = "req-1";
        Instant at = options.at().orElseGet(clock::instant);
        Decision decision = engine.decide(options.policy().bind(new ValidationRequested(requestId, peer.first(),
                chain, options.id(), at, options.settings(), Optional.empty(), Optional.empty())));
        if (options.json()) {
            stdout.println(DecisionFormat.oneLine(DecisionFormat.json(requestId, decision)));
        } else {
            stdout.print(DecisionFormat.text(decision));
        }
        stdout.flush();
        if (!decision.accepted()) {
            peer.orderHint(peerFile).ifPresent(hint -> stderr.println(Main.PROGRAM + " " + name() + ": hint: "
                    + Terminal.safe(hint)));
        }
        return decision.accepted() ? ExitStatus.OK : ExitStatus.REJECTED;
    }

    private int batch(Options options, LoggedEngine engine, InputStream stdin, PrintStream stdout,
            PrintStream stderr) {
        String source = options.requests().orElseThrow();
        boolean fromStdin = source.equals("-");
        boolean allAccepted = true;
        InputStream in = null;
        Progress progress = Terminal.progress(stderr, count -> name() + ": " + count + " request(s) decided");
        long decided = 0;
        try {
            in = fromStdin ? stdin : Files.newInputStream(Path.of(source));
            LineReader lines = new LineReader(in, RequestLines.MAX_LINE_BYTES);
            for (Optional<LineReader.Line> next = lines.next(); next.isPresent(); next = lines.next()) {
                LineReader.Line line = next.get();
                if (!line.tooLong() && isBlank(line.bytes())) {
                    continue;
                }
                allAccepted &= answer(line, options, engine, stdout, stderr);
                stdout.flush(); // a gateway is waiting for this answer
                progress.tick(++decided);
            }
            progress.done();
        } catch (IOException e) {
            progress.done();
            String reason = e instanceof NoSuchFileException ? "no such file" : String.valueOf(e.getMessage());
            stderr.println(Main.PROGRAM + " " + name() + ": --requests " + Terminal.safe(source) + ": cannot read: "
                    + Terminal.safe(reason));
            return ExitStatus.USAGE;
        } finally {
            closeUnlessStdin(in, fromStdin);
        }
        return allAccepted ? ExitStatus.OK : ExitStatus.REJECTED;
    }

    /** Prints the answer to one line; true when it is an acceptance. */
    private boolean answer(LineReader.Line line, Options options, LoggedEngine engine, PrintStream stdout,
            PrintStream stderr) {
        String requestId = "req-" + line.number();
        try {
            Decision decision = decideLine(requestId, line, options, engine);
            stdout.println(DecisionFormat.oneLine(DecisionFormat.json(requestId, decision)));
            return decision.accepted();
        } catch (RequestLineException e) {
            stdout.println(DecisionFormat.oneLine(DecisionFormat.error(requestId, line.number(), e.code().name(),
                    "line " + line.number() + ": " + e.getMessage())));
            return false;
        } catch (RuntimeException e) {
            // One request tripping a bug must not stop the others; it is reported, and never an acceptance.
            stderr.println(Main.PROGRAM + " " + name() + ": internal error on line " + line.number() + ": " + e);
            stdout.println(DecisionFormat.oneLine(DecisionFormat.error(requestId, line.number(), "INTERNAL_ERROR",
                    "line " + line.number() + ": internal error: " + e)));
            return false;
        }
    }

    private static void closeUnlessStdin(InputStream in, boolean fromStdin) {
        if (in != null && !fromStdin) {
            try {
                in.close();
            } catch (IOException e) {
                // nothing was written to it; a failed close of an input loses nothing
            }
        }
    }

    private Decision decideLine(String requestId, LineReader.Line line, Options options, LoggedEngine engine)
            throws RequestLineException {
        if (line.tooLong()) {
            throw new RequestLineException(RequestLineException.Code.LINE_TOO_LONG,
                    "longer than " + RequestLines.MAX_LINE_BYTES + " bytes");
        }
        Request request = RequestLines.parse(line.bytes());
        Submitted peer = Submitted.asSent("peer", request.peer().getBytes(StandardCharsets.UTF_8));
        List<Blob> chain = new ArrayList<>(peer.rest());
        for (int i = 0; i < request.chain().size(); i++) {
            chain.addAll(Submitted.asSent("chain[" + i + "]",
                    request.chain().get(i).getBytes(StandardCharsets.UTF_8)).certificates());
        }
        Instant at = request.at().or(options::at).orElseGet(clock::instant);
        Optional<IkeIdentity> id = request.id().or(options::id);
        return engine.decide(options.policy().bind(new ValidationRequested(requestId, peer.first(), chain, id, at,
                options.settings(), Optional.empty(), Optional.empty())));
    }

    private int fileError(String option, PkiFileException e, PrintStream stderr) {
        stderr.println(Main.PROGRAM + " " + name() + ": " + option + " " + e.getMessage());
        return ExitStatus.USAGE;
    }

    /** Which option named the file, for the message ("--trust ca.pem: ..."). */
    private static String optionOf(String file, Options options) {
        if (options.trust().contains(file)) {
            return "--trust";
        }
        if (options.crls().contains(file)) {
            return "--crl";
        }
        if (options.chain().contains(file)) {
            return "--chain";
        }
        return "--peer";
    }

    private static boolean isBlank(byte[] line) {
        for (byte b : line) {
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }

    /** The options a policy sets: they do not go with --policy. */
    static final List<String> SETTING_OPTIONS = List.of("--revocation-check", "--on-download-failure",
            "--path-validation", "--max-ca-levels", "--allow-sha1");

    /** The command line, checked: every value parsed, every combination allowed. */
    record Options(Optional<String> peer, List<String> chain, List<String> trust, List<String> crls,
            Optional<String> requests, Optional<IkeIdentity> id, Optional<Instant> at, ValidationSettings settings,
            boolean json, PolicyOption policy) {

        static Options from(Args args) throws UsageException {
            Optional<String> peer = args.value("--peer");
            Optional<String> requests = args.value("--requests");
            if (peer.isPresent() == requests.isPresent()) {
                throw new UsageException(peer.isPresent()
                        ? "--peer and --requests exclude each other (a batch puts the peer in each line)"
                        : "--peer FILE (or --requests FILE|-) is required");
            }
            if (requests.isPresent() && args.has("--chain")) {
                throw new UsageException("--chain does not go with --requests: give \"chain\" in each line");
            }
            if (args.values("--trust").isEmpty()) {
                throw new UsageException("--trust FILE is required: the CA certificates that are trusted");
            }
            String format = DecisionOptions.choice(args, "--format",
                    Map.of("text", "text", "json", "json"), "text");
            if (requests.isPresent() && format.equals("text") && args.has("--format")) {
                throw new UsageException("--requests prints JSON lines; --format text does not go with it");
            }
            Optional<IkeIdentity> id = DecisionOptions.identity(args);
            Optional<Instant> at = DecisionOptions.time(args);
            ValidationSettings settings = DecisionOptions.settings(args);
            PolicyOption policy = PolicyOption.from(args, Path.of(""), requests.isPresent(), SETTING_OPTIONS);
            return new Options(peer, args.values("--chain"), args.values("--trust"), args.values("--crl"),
                    requests, id, at, settings, format.equals("json"), policy);
        }
    }
}
