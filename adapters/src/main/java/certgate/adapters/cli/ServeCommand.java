package certgate.adapters.cli;

import certgate.adapters.checkpoint.CheckpointKeys;
import certgate.adapters.checkpoint.KeyFileException;
import certgate.adapters.cli.StoreOption.StoreUnavailable;
import certgate.adapters.fetch.FetcherFactory;
import certgate.adapters.ocsp.CrlHandler;
import certgate.adapters.ocsp.OcspHandler;
import certgate.adapters.ocsp.OcspResponders;
import certgate.adapters.ocsp.ResponderException;
import certgate.adapters.policy.PolicySource;
import certgate.adapters.serve.BearerToken;
import certgate.adapters.serve.Formats;
import certgate.adapters.serve.Limits;
import certgate.adapters.serve.Service;
import certgate.adapters.serve.Tls;
import certgate.adapters.store.OpenedStore;
import certgate.adapters.store.Replay;
import certgate.adapters.text.Times;
import certgate.dsl.Diagnostic;
import certgate.dsl.policy.CompiledPolicy;
import certgate.engine.Decision;
import certgate.eventstore.IkeIdentity;
import certgate.eventstore.log.CorruptLogException;
import certgate.eventstore.log.FileEventLog;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code certgate serve}: the long-running decision service. Holds the store's writer lock for its lifetime and
 * its state in memory; every decision is durable before its answer (see {@code serve.DurableState}). Stops on
 * SIGTERM (or Ctrl-C): drains, makes everything durable, releases the lock.
 */
public final class ServeCommand implements Command {
    static final String DEFAULT_LISTEN = "127.0.0.1:8470";
    static final int DEFAULT_THREADS = 32;
    private static final Pattern LISTEN = Pattern.compile("(?:\\[([0-9A-Fa-f:.]+)\\]|([^:\\[\\]]+)):([0-9]{1,5})");

    /** The command line's own formats, so the service prints decisions and state exactly as the commands do. */
    public static final Formats FORMATS = new Formats() {
        @Override
        public ObjectNode decision(String requestId, Decision decision) {
            return DecisionFormat.json(requestId, decision);
        }

        @Override
        public ObjectNode state(Path store, Replay replay, Instant freshAt) {
            return ReplayCommand.json(store, replay, Optional.empty(), false, freshAt);
        }

        @Override
        public IkeIdentity ikeId(String text) {
            return IkeIds.parse(text);
        }
    };

    private static final Duration DEFAULT_CHECKPOINT_EVERY = Duration.ofHours(1);
    private static final Duration DEFAULT_REFRESH_EVERY = Duration.ofMinutes(1);
    /** A CRL due within this is fetched by the background refresh already: before a decision finds it stale. */
    private static final Duration REFRESH_AHEAD = Duration.ofMinutes(5);

    private final Clock clock;
    private final StoreOption store;
    private final Limits limits;
    private final FetcherFactory fetchers;

    public ServeCommand(Clock clock) {
        this(clock, StoreOption.ofProcess(), Limits.DEFAULTS);
    }

    ServeCommand(Clock clock, StoreOption store, Limits limits) {
        this(clock, store, limits, FetcherFactory.standard());
    }

    ServeCommand(Clock clock, StoreOption store, Limits limits, FetcherFactory fetchers) {
        this.clock = clock;
        this.store = store;
        this.limits = limits;
        this.fetchers = fetchers;
    }

    @Override
    public String name() {
        return "serve";
    }

    @Override
    public String summary() {
        return "run the decision service: an HTTP API that decides peers durably, with health and metrics";
    }

    @Override
    public String help() {
        return """
                Usage: certgate serve [--store DIR] [--policy FILE] [--listen 127.0.0.1:8470] [--token-file FILE]
                                      [--tls-cert FILE --tls-key FILE [--client-ca FILE]] [--threads N]

                Runs the decision service: reads the store once, holds its state in memory and its writer lock
                until stopped, and answers over HTTP/1.1 (JSON). Every decision is recorded durably (request and
                decision, in a group commit shared by concurrent requests) before its answer is sent, so a
                crash loses no decision a client was told. Commands that only read the store ('replay',
                'explain', 'audit', 'log verify') keep working beside it.

                Routes:
                  POST /v1/decisions        {"peer": CERT, "chain": [CERT...], "id": "fqdn:...", "gateway": NAME,
                                            "at": TIME}; CERT is PEM text or base64 DER; only peer is required.
                                            Answers the decision with its id (d-N), verdict, reason, gateway,
                                            trace and path; ?explain=false leaves the trace out.
                  GET  /v1/decisions/ID     the recorded decision
                  GET  /v1/decisions/ID/explain   re-decided from the log, compared with the record
                  POST /v1/cas[?profile=P]  load CA certificates (PEM/DER body), as 'certgate load ca'
                  POST /v1/crls             load CRLs (PEM/DER body), as 'certgate load crl'
                  POST /v1/policies         activate the policy in the body (YAML), as 'certgate policy activate';
                                            requests arriving after its answer are decided under it
                  GET  /v1/state            what 'certgate replay --format json' prints
                  POST /ocsp, GET /ocsp/B64 OCSP (RFC 6960) from the CRLs in force, with --ocsp-cert/--ocsp-key
                  GET  /crls/PROFILE.crl    the CA's current CRL as it signed it; also /crls/by-issuer/SHA256.crl
                                            (the CA certificate's SHA-256); ETag, Last-Modified, 304
                  GET  /metrics             Prometheus text format (certgate_* metrics)
                  GET  /health              alive (no token needed)
                  GET  /ready               200 once the store is read and every CRL in force is fresh; 503 with
                                            the reasons otherwise (no token needed)
                Errors are JSON, {"error": {"code": CODE, "message": ...}}: 400 malformed body, 401 no or wrong
                token, 404 unknown route or id, 405 wrong method, 413 body over 1 MiB, 503 not ready or
                shutting down.

                Options:
                  --policy FILE          activate FILE at start when it is not the store's active policy
                  --listen HOST:PORT     where to listen; default 127.0.0.1:8470 ([::1]:8470 for IPv6; port 0:
                                         any free port, printed at start)
                  --token-file FILE      require 'Authorization: Bearer TOKEN' (FILE's one line, at least 16
                                         characters; 'openssl rand -hex 32 > FILE') on every route but /health
                                         and /ready
                  --tls-cert FILE        serve HTTPS with this certificate chain (PEM, the server's first) ...
                  --tls-key FILE         ... and this unencrypted PKCS#8 key (PEM)
                  --client-ca FILE       require a client certificate issued by a CA in FILE (PEM)
                  --ocsp-cert FILE       serve OCSP (POST /ocsp, GET /ocsp/BASE64) signed by this delegated
                                         responder certificate (id-kp-OCSPSigning, issued by a loaded CA) ...
                  --ocsp-key FILE        ... and its PKCS#8 key, readable by its owner only; both repeatable in
                                         pairs, one responder per CA. Every answer is recorded (OcspAnswered)
                                         before it is sent.
                  --checkpoint-key KEY   sign a checkpoint of the log (as 'certgate checkpoint --key KEY') every
                                         --checkpoint-every (default 1h) and print its line on standard error,
                                         to keep elsewhere; 'certgate log verify --checkpoint LINE' checks it
                  --checkpoint-every D   90s, 30m, 1h, 1d (at least 1s)
                  --crl-refresh-every D  look every D (default 1m; 0s: never) for CRLs that are missing or due within
                                         5 minutes and fetch them from their distribution points in the background,
                                         recording what each fetch gave, as 'certgate fetch' does
                  --threads N            request threads, 1..1024; default 32. A request waits in its thread
                                         for its group commit, so more threads let more requests share one.
                """ + StoreOption.HELP + StoreOption.WAIT_HELP + """

                Security: off loopback, serve refuses to start without --token-file or --client-ca. Limits: a
                body of 1 MiB, 10 s to send a whole request (a client that trickles is dropped), 30 s idle
                keep-alive, 1,000 connections, 100 header lines.

                Logging: one line per request on standard error: method, path, status, latency, decision id
                (no bodies, no tokens).

                Exit status:
                  143 stopped by SIGTERM (128 + 15, as for any JVM), cleanly: requests in flight finished,
                     everything durable, the writer lock released ("stopped: ..." on standard error)
                  2  usage error; refused to start (off loopback without token or client certificates; a file
                     that cannot be read; a policy with errors; the address cannot be bound)
                  4  the store is busy: another command is writing to it (see --wait)
                  5  the store is damaged: see 'certgate log repair'
                """;
    }

    @Override
    public int run(List<String> argv, InputStream stdin, PrintStream stdout, PrintStream stderr) {
        Args args;
        Service.Config config;
        Optional<PolicySource> policy;
        List<OcspResponders.Files> ocspPairs;
        Optional<CheckpointKeys.SigningKey> checkpointKey;
        Duration checkpointEvery;
        Duration refreshEvery;
        try {
            args = Args.parser().value("--policy").value("--listen").value("--token-file").value("--tls-cert")
                    .value("--tls-key").value("--client-ca").value("--threads").values("--ocsp-cert").values("--ocsp-key")
                    .value("--checkpoint-key").value("--checkpoint-every").value("--crl-refresh-every")
                    .value(StoreOption.OPTION)
                    .value(StoreOption.WAIT).parse(argv);
            if (args.helpRequested()) {
                stdout.print(help());
                return ExitStatus.OK;
            }
            config = config(args);
            policy = policy(args, stderr);
            ocspPairs = ocspPairs(args);
            checkpointKey = checkpointKey(args);
            checkpointEvery = checkpointEvery(args, checkpointKey.isPresent());
            refreshEvery = refreshEvery(args);
        } catch (UsageException e) {
            return Main.usageError(name(), e, stderr);
        }
        Optional<String> refusal = config.refusal();
        if (refusal.isPresent()) {
            stderr.println(Main.PROGRAM + " " + name() + ": refusing to start: " + refusal.get());
            return ExitStatus.USAGE;
        }
        FileEventLog log;
        try {
            log = store.openForAppend(args, clock);
        } catch (StoreUnavailable e) {
            stderr.println(Main.PROGRAM + " " + name() + ": " + Terminal.safe(e.getMessage()));
            return e.status();
        }
        // The responders are checked against the store's CA certificates, which are read after the server is bound.
        AtomicReference<OcspResponders> responders = new AtomicReference<>();
        if (!ocspPairs.isEmpty()) {
            config = config.mount("/ocsp", state -> new OcspHandler(state, responders.get(), clock,
                    problem -> stderr.println(Main.PROGRAM + " " + name() + ": ocsp: " + Terminal.safe(problem))));
        }
        config = config.mount("/crls/", CrlHandler::new);
        Service service;
        try {
            service = Service.start(config, FORMATS, clock, stderr);
        } catch (IOException | RuntimeException e) {
            log.close();
            stderr.println(Main.PROGRAM + " " + name() + ": cannot listen on " + config.listen() + ": "
                    + e.getMessage());
            return ExitStatus.USAGE;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stderr.println(Main.PROGRAM + " " + name() + ": stopping: draining requests in flight");
            service.close();
            stderr.println(Main.PROGRAM + " " + name() + ": " + service.shutdownSnapshot());
            stderr.println(Main.PROGRAM + " " + name() + ": stopped: every acknowledged decision is durable, the"
                    + " writer lock of " + log.directory() + " released");
            stderr.flush();
            stopped.countDown();
        }, "certgate-serve-shutdown");
        InetSocketAddress bound = service.address();
        stderr.println(Main.PROGRAM + " " + name() + ": listening on " + (config.tls().isPresent() ? "https" : "http")
                + "://" + hostForUrl(bound) + ":" + bound.getPort() + " (store " + log.directory() + "); reading the"
                + " store");
        try {
            StoreWrite.noteRecovery(log, name(), stderr);
            OpenedStore opened = OpenedStore.appending(log, OpenedStore.Opening.snapshots(Terminal.progress(stderr,
                    count -> name() + ": " + count + " events read"), Terminal.warnings(stderr, name())));
            if (policy.isPresent()) {
                CompiledPolicy compiled = policy.get().policy().orElseThrow();
                boolean active = opened.state().activePolicy().map(p -> p.revision().equals(compiled.revision()))
                        .orElse(false);
                if (!active) {
                    long sequence = opened.append(List.of(policy.get().activation())).get(0);
                    stderr.println(Main.PROGRAM + " " + name() + ": policy " + Terminal.safe(policy.get().file())
                            + " activated at sequence " + sequence + ": revision " + compiled.revision());
                }
            }
            if (!ocspPairs.isEmpty()) {
                try {
                    responders.set(OcspResponders.load(ocspPairs, opened.state(), clock.instant()));
                } catch (ResponderException e) {
                    service.close();
                    log.close();
                    stderr.println(Main.PROGRAM + " " + name() + ": refusing to start: " + Terminal.safe(e.getMessage()));
                    return ExitStatus.USAGE;
                }
                responders.get().describe().forEach(line -> stderr.println(Main.PROGRAM + " " + name() + ": " + line));
            }
            service.ready(log, opened.replay());
            if (!refreshEvery.isZero()) {
                service.refreshCrlsEvery(refreshEvery, REFRESH_AHEAD, fetchers,
                        line -> stderr.println(Main.PROGRAM + " " + name() + ": " + Terminal.safe(line)));
            }
            if (checkpointKey.isPresent()) {
                service.checkpointEvery(checkpointKey.get(), checkpointEvery,
                        line -> stderr.println(Main.PROGRAM + " " + name() + ": " + line));
            }
            stderr.println(Main.PROGRAM + " " + name() + ": ready: " + opened.replay().events() + " events, "
                    + opened.state().trustedCertificates().size() + " CA certificate(s), "
                    + opened.state().crls().size() + " CRL(s)" + opened.state().activePolicy().map(p -> ", policy"
                    + " revision " + PolicySource.shortRevision(p.revision())).orElse(", no active policy"));
        } catch (CorruptLogException | UncheckedIOException e) {
            service.close();
            log.close();
            return StoreOption.readFailed(name(), e, stderr);
        }
        Runtime.getRuntime().addShutdownHook(hook);
        boolean interrupted = false;
        while (stopped.getCount() > 0) {
            try {
                stopped.await();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return ExitStatus.OK;
    }

    private Service.Config config(Args args) throws UsageException {
        InetSocketAddress listen = listen(args.value("--listen").orElse(DEFAULT_LISTEN));
        Optional<BearerToken> token = Optional.empty();
        Path dir = store.workingDirectory();
        if (args.value("--token-file").isPresent()) {
            try {
                token = Optional.of(BearerToken.read(dir.resolve(args.value("--token-file").get())));
            } catch (IOException e) {
                throw new UsageException("--token-file: " + e.getMessage());
            }
        }
        Optional<String> cert = args.value("--tls-cert");
        Optional<String> key = args.value("--tls-key");
        Optional<String> clientCa = args.value("--client-ca");
        if (cert.isPresent() != key.isPresent()) {
            throw new UsageException("--tls-cert and --tls-key go together");
        }
        if (clientCa.isPresent() && cert.isEmpty()) {
            throw new UsageException("--client-ca needs --tls-cert and --tls-key (client certificates are a TLS"
                    + " feature)");
        }
        Optional<Tls> tls = Optional.empty();
        if (cert.isPresent()) {
            try {
                tls = Optional.of(Tls.read(dir.resolve(cert.get()), dir.resolve(key.get()),
                        clientCa.map(dir::resolve)));
            } catch (IOException e) {
                throw new UsageException("TLS: " + e.getMessage());
            }
        }
        int threads = args.intValue("--threads", 1, 1024, DEFAULT_THREADS);
        return new Service.Config(listen, token, tls, threads, limits, Map.of());
    }

    private Optional<CheckpointKeys.SigningKey> checkpointKey(Args args) throws UsageException {
        Optional<String> file = args.value("--checkpoint-key");
        if (file.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(CheckpointKeys.signing(store.workingDirectory().resolve(file.get())));
        } catch (KeyFileException e) {
            throw new UsageException("--checkpoint-key " + e.getMessage());
        }
    }

    private static Duration refreshEvery(Args args) throws UsageException {
        try {
            return args.value("--crl-refresh-every").map(Times::window).orElse(DEFAULT_REFRESH_EVERY);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--crl-refresh-every " + e.getMessage());
        }
    }

    private static Duration checkpointEvery(Args args, boolean signing) throws UsageException {
        Optional<String> text = args.value("--checkpoint-every");
        if (text.isPresent() && !signing) {
            throw new UsageException("--checkpoint-every needs --checkpoint-key KEY (the Ed25519 key that signs)");
        }
        Duration every;
        try {
            every = text.map(Times::window).orElse(DEFAULT_CHECKPOINT_EVERY);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--checkpoint-every " + e.getMessage());
        }
        if (every.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new UsageException("--checkpoint-every must be at least 1s");
        }
        return every;
    }

    private List<OcspResponders.Files> ocspPairs(Args args) throws UsageException {
        Path dir = store.workingDirectory();
        List<String> certificates = args.values("--ocsp-cert").stream().map(f -> dir.resolve(f).toString()).toList();
        List<String> keys = args.values("--ocsp-key").stream().map(f -> dir.resolve(f).toString()).toList();
        try {
            return OcspResponders.pairs(certificates, keys);
        } catch (ResponderException e) {
            throw new UsageException(e.getMessage());
        }
    }

    private Optional<PolicySource> policy(Args args, PrintStream stderr) throws UsageException {
        Optional<String> file = args.value("--policy");
        if (file.isEmpty()) {
            return Optional.empty();
        }
        PolicySource source;
        try {
            source = PolicySource.read(store.workingDirectory().resolve(file.get()), file.get());
        } catch (PolicySource.Unreadable e) {
            throw new UsageException("--policy " + e.getMessage());
        }
        for (Diagnostic diagnostic : source.result().diagnostics()) {
            CheckCommand.printLines(diagnostic.toString(), stderr);
        }
        if (source.policy().isEmpty()) {
            throw new UsageException("--policy " + file.get() + " has " + source.result().errors().size()
                    + " error(s)");
        }
        return Optional.of(source);
    }

    /** HOST:PORT, [IPv6]:PORT; the host must resolve. */
    static InetSocketAddress listen(String text) throws UsageException {
        Matcher m = LISTEN.matcher(text);
        if (!m.matches()) {
            throw new UsageException("--listen '" + text + "' is not HOST:PORT (127.0.0.1:8470, [::1]:8470)");
        }
        int port = Integer.parseInt(m.group(3));
        if (port > 65535) {
            throw new UsageException("--listen '" + text + "': port " + port + " is not 0..65535");
        }
        String host = m.group(1) != null ? m.group(1) : m.group(2);
        try {
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (UnknownHostException e) {
            throw new UsageException("--listen '" + text + "': unknown host " + host);
        }
    }

    private static String hostForUrl(InetSocketAddress address) {
        String host = address.getAddress().getHostAddress();
        return host.contains(":") ? "[" + host + "]" : host;
    }
}
