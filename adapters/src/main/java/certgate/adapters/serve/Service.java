package certgate.adapters.serve;

import certgate.adapters.checkpoint.CheckpointKeys;
import certgate.adapters.checkpoint.Checkpoints;
import certgate.adapters.fetch.CrlFetcher;
import certgate.adapters.fetch.CrlRefresh;
import certgate.adapters.fetch.FetcherFactory;
import certgate.adapters.http.LoopHttpServer;
import certgate.adapters.store.OpenedStore;
import certgate.adapters.store.Replay;
import certgate.dsl.policy.CompiledPolicy;
import certgate.engine.CrlNeed;
import certgate.engine.Engine;
import certgate.eventstore.Event;
import certgate.eventstore.log.FileEventLog;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.net.ssl.SSLParameters;

/**
 * {@code certgate serve}: the decision service over HTTP/1.1: plain HTTP on certgate's own event-loop server
 * ({@link LoopHttpServer}: decisions and OCSP answers run on its loop and are answered by the thread that makes them
 * durable, with no thread waiting for the disk), HTTPS on the JDK's {@code HttpsServer} (a request thread waits for
 * its group commit there). Both behind the JDK's {@code HttpServer} API, so every handler runs on either. Its life:
 * <ol>
 * <li>{@link #start}: listens at once (so {@code /health} answers and {@code /ready} says it is still reading
 * the store) with the limits of {@link Limits} and Nagle's algorithm off;</li>
 * <li>{@link #ready}: given the store, opened for appending and folded, it decides;</li>
 * <li>{@link #close} (SIGTERM, through the command's shutdown hook): new requests are refused, those in flight
 * finish, everything is made durable, the log closed and its writer lock released.</li>
 * </ol>
 * Other parts of certgate mount their endpoints ({@code /ocsp}, {@code /crls/}) as {@link HttpHandler}s made from
 * the {@link ServiceState}: pass them in {@link Config#mounts}.
 */
public final class Service implements AutoCloseable {
    /** How long a shutdown waits for requests in flight. */
    static final Duration DRAIN = Duration.ofSeconds(10);

    /**
     * How the service listens. {@code mounts}: path prefix to a factory of the handler serving it, for endpoints
     * other parts of certgate add (OCSP, CRLs); they answer without the bearer token, as OCSP and CRL clients
     * cannot send one, and behind the same limits, draining and request log.
     */
    public record Config(InetSocketAddress listen, Optional<BearerToken> token, Optional<Tls> tls, int threads,
                         Limits limits, Map<String, Function<ServiceState, HttpHandler>> mounts) {
        public Config {
            mounts = Map.copyOf(new LinkedHashMap<>(mounts));
            if (threads < 1 || threads > 1024) {
                throw new IllegalArgumentException("threads must be 1 to 1024, was " + threads);
            }
        }

        /** The same, with one more endpoint mounted at {@code path}. */
        public Config mount(String path, Function<ServiceState, HttpHandler> handler) {
            Map<String, Function<ServiceState, HttpHandler>> more = new LinkedHashMap<>(mounts);
            more.put(path, handler);
            return new Config(listen, token, tls, threads, limits, more);
        }

        /**
         * Why this configuration must not start, if it must not: off loopback, a client has to prove who it is,
         * with the bearer token or a client certificate.
         */
        public Optional<String> refusal() {
            boolean loopback = listen.getAddress() != null && listen.getAddress().isLoopbackAddress();
            boolean clientCertificates = tls.map(Tls::clientCertificates).orElse(false);
            if (loopback || token.isPresent() || clientCertificates) {
                return Optional.empty();
            }
            return Optional.of("listening on " + listen.getHostString() + ", which is not a loopback address,"
                    + " requires --token-file FILE or --tls-cert/--tls-key with --client-ca FILE: anyone who can"
                    + " reach the port could otherwise load CAs and activate policies");
        }
    }

    private final Config config;
    private final HttpServer server;
    private final ExecutorService executor;
    private final Gate gate;
    private final Metrics metrics;
    private final Clock clock;
    private volatile DurableState state;
    private FileEventLog log;
    private Replay replay;
    private volatile String shutdownSnapshot = "no snapshot: the service was not ready";
    private ScheduledExecutorService checkpoints;
    private ScheduledExecutorService refresher;
    private final Map<String, HttpHandler> mounted = new LinkedHashMap<>();
    /** The mounts whose handler never blocks ({@link LoopHttpServer.NonBlocking}): they run on the server's loop. */
    private volatile Set<String> nonBlockingMounts = Set.of();

    private Service(Config config, HttpServer server, ExecutorService executor, Gate gate, Metrics metrics,
            Clock clock) {
        this.config = config;
        this.server = server;
        this.executor = executor;
        this.gate = gate;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** Binds and starts answering; decisions wait for {@link #ready}. {@code log} gets one line per request. */
    public static Service start(Config config, Formats formats, Clock clock, PrintStream log) throws IOException {
        Optional<String> refusal = config.refusal();
        if (refusal.isPresent()) {
            throw new IllegalArgumentException(refusal.get());
        }
        config.limits().installInJdk();
        HttpServer server;
        if (config.tls().isPresent()) {
            Tls tls = config.tls().get();
            HttpsServer https = HttpsServer.create(config.listen(), 1024);
            https.setHttpsConfigurator(new HttpsConfigurator(tls.context()) {
                @Override
                public void configure(HttpsParameters params) {
                    SSLParameters parameters = tls.context().getDefaultSSLParameters();
                    parameters.setNeedClientAuth(tls.clientCertificates());
                    params.setSSLParameters(parameters);
                }
            });
            server = https;
        } else {
            server = LoopHttpServer.create(config.listen(), 1024, config.limits().loopSettings());
        }
        AtomicInteger threadNumber = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(config.threads(), runnable -> {
            // Request threads may lead a group commit and write the log: the executor is never shut down now.
            Thread thread = new DurableState.RequestThread(runnable, "certgate-serve-" + threadNumber
                    .incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        Metrics metrics = new Metrics();
        Gate gate = new Gate(config.token(), log, metrics, config.limits().maxBodyBytes());
        Service service = new Service(config, server, executor, gate, metrics, clock);
        Api api = new Api(() -> Optional.ofNullable(service.state), formats, clock, metrics, config.limits(), gate);
        Router routes = api.router();
        Router operator = api.operatorRouter();
        server.createContext("/", gate.wrap("/", false, exchange -> routes.handle(exchange)));
        server.createContext("/health", gate.wrap("/health", true, exchange -> operator.handle(exchange)));
        server.createContext("/ready", gate.wrap("/ready", true, exchange -> operator.handle(exchange)));
        for (String path : config.mounts().keySet()) {
            server.createContext(path, gate.mount(path, exchange -> service.mounted(path).handle(exchange)));
        }
        if (server instanceof LoopHttpServer loop) {
            // Such requests only queue themselves and are answered by the thread that makes them durable.
            loop.runOnLoop((method, path) -> Api.answersWithoutBlocking(method, path)
                    || service.nonBlockingMounts.stream().anyMatch(path::startsWith));
        }
        server.start();
        return service;
    }

    /**
     * Starts deciding from {@code log} (opened for appending; the service closes it) whose events {@code replay}
     * has folded up to its head.
     */
    public synchronized void ready(FileEventLog log, Replay replay) {
        if (state != null) {
            throw new IllegalStateException("the service is ready already");
        }
        this.log = log;
        this.replay = replay;
        DurableState loaded = new DurableState(log, replay, clock, metrics);
        config.mounts().forEach((path, factory) -> mounted.put(path, factory.apply(loaded)));
        nonBlockingMounts = mounted.entrySet().stream().filter(m -> m.getValue() instanceof LoopHttpServer.NonBlocking)
                .map(Map.Entry::getKey).collect(Collectors.toUnmodifiableSet());
        state = loaded;
    }

    private HttpHandler mounted(String path) throws ApiError {
        HttpHandler handler;
        synchronized (this) {
            handler = mounted.get(path);
        }
        if (handler == null) {
            throw new ApiError(ApiError.Code.NOT_READY, "the service is still reading its store; see GET /ready");
        }
        return handler;
    }

    /** Where the service listens (the port chosen when the configuration said 0). */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    /** The state, for what runs beside the service; empty until {@link #ready}. */
    public Optional<ServiceState> state() {
        return Optional.ofNullable(state);
    }

    /**
     * Drains and stops: new requests get 503 SHUTTING_DOWN and the listener closes, requests in flight finish
     * (up to {@link #DRAIN}), everything queued is made durable, the log is closed and its writer lock released.
     */
    @Override
    public synchronized void close() {
        if (refresher != null) {
            refresher.shutdownNow();
        }
        if (checkpoints != null) {
            checkpoints.shutdown();
            try {
                checkpoints.awaitTermination(DRAIN.toSeconds(), TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        gate.drain();
        // The JDK's stop(delay) waits the whole delay whenever a connection is open (idle keep-alive included),
        // so the wait for requests in flight is done here, and stop() only closes what is left.
        long deadline = System.nanoTime() + DRAIN.toNanos();
        while (gate.inFlight() > 0 && System.nanoTime() - deadline < 0) {
            LockSupport.parkNanos(1_000_000);
        }
        server.stop(0);
        executor.shutdown();
        try {
            executor.awaitTermination(DRAIN.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (state != null) {
            state.close();
            shutdownSnapshot = snapshot();
            log.close();
        }
    }

    /**
     * Signs a checkpoint of the log (a {@code CheckpointSigned} event, as {@code certgate checkpoint} appends) every
     * {@code every} from now until {@link #close}, and gives each its line (to keep elsewhere) or the reason none
     * was signed to {@code out}.
     */
    public synchronized void checkpointEvery(CheckpointKeys.SigningKey key, Duration every, Consumer<String> out) {
        if (checkpoints != null) {
            throw new IllegalStateException("checkpoints are being signed already");
        }
        checkpoints = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "certgate-serve-checkpoint");
            thread.setDaemon(true);
            return thread;
        });
        checkpoints.scheduleWithFixedDelay(() -> {
            DurableState ready = state;
            if (ready == null) {
                return;
            }
            try {
                out.accept("checkpoint " + Checkpoints.line(ready.checkpoint(key)));
            } catch (RuntimeException e) {
                out.accept("checkpoint not signed: " + e.getMessage());
            }
        }, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Refreshes CRLs from their distribution points in the background, every {@code every}, each one that is
     * missing or would be due within {@code ahead}, so that a decision does not find its CRL stale in the common
     * case. What each fetch gave (the CRL, "unchanged", or the failure) is appended as a decision's fetch would be;
     * each outcome goes to {@code out} as one line.
     */
    public synchronized void refreshCrlsEvery(Duration every, Duration ahead, FetcherFactory fetchers,
            Consumer<String> out) {
        if (refresher != null) {
            throw new IllegalStateException("CRLs are being refreshed already");
        }
        refresher = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "certgate-serve-crl-refresh");
            thread.setDaemon(true);
            return thread;
        });
        // The fetcher of the active policy's revision (its LDAP binds); a new revision gets a new one.
        Map<String, CrlFetcher> current = new HashMap<>(1);
        refresher.scheduleWithFixedDelay(() -> {
            DurableState ready = state;
            if (ready == null) {
                return;
            }
            try {
                Engine now = ready.state();
                Instant at = clock.instant();
                Optional<CompiledPolicy> policy = now.activePolicy();
                List<CrlNeed> needs = now.caCrls(at.plus(ahead), policy).stream()
                        .filter(need -> need.status() != CrlNeed.Status.FRESH && !need.sources().isEmpty()).toList();
                if (needs.isEmpty()) {
                    return;
                }
                String revision = policy.map(CompiledPolicy::revision).orElse("");
                if (!current.containsKey(revision)) {
                    current.clear();
                    current.put(revision, fetchers.forPolicy(policy));
                }
                CrlFetcher fetcher = current.get(revision);
                List<CrlRefresh.Report> reports = CrlRefresh.refresh(now, needs, fetcher, at);
                List<Event> events = CrlRefresh.events(reports);
                if (!events.isEmpty()) {
                    ready.appendDurably(events);
                }
                for (CrlRefresh.Report report : reports) {
                    if (report.outcome() == CrlRefresh.Outcome.FAILED) {
                        metrics.counter("certgate_crl_fetch_failures_total", "CRL fetches from distribution points"
                                + " that failed.", Metrics.Labels.NONE).increment();
                    }
                    out.accept("CRL refresh: " + report.need().issuer() + ": " + report.outcome().name()
                            .toLowerCase(java.util.Locale.ROOT) + report.source().map(source -> " from "
                            + source.url()).orElse("") + (report.detail().isEmpty() ? "" : ": " + report.detail()));
                }
            } catch (RuntimeException e) {
                out.accept("CRL refresh failed: " + e.getMessage());
            }
        }, 0, every.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** What the clean shutdown did about a snapshot, in one line for the operator. */
    public String shutdownSnapshot() {
        return shutdownSnapshot;
    }

    // After the last append is durable and before the lock is released: the next start reads only what follows.
    private String snapshot() {
        try {
            return OpenedStore.writeSnapshot(log.directory(), replay, log.nextSequence())
                    .map(w -> "snapshot of " + w.covered().nextSequence() + " events written (" + w.bytes()
                            + " bytes, " + w.took().toMillis() + " ms)")
                    .orElse("no snapshot: the store is empty");
        } catch (IOException | RuntimeException e) {
            return "no snapshot written (" + e.getMessage() + "); the next start reads the whole log";
        }
    }
}
