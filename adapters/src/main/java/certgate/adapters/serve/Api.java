package certgate.adapters.serve;

import certgate.adapters.pem.PkiFileException;
import certgate.adapters.pem.PkiFiles;
import certgate.adapters.policy.PolicySource;
import certgate.adapters.http.LoopHttpServer;
import certgate.adapters.store.LoadCheck;
import certgate.adapters.store.OpenedStore;
import certgate.adapters.store.Progress;
import certgate.adapters.store.Replay;
import certgate.adapters.store.StoreReading;
import certgate.adapters.store.StoreSnapshots;
import certgate.eventstore.log.LogReader;
import certgate.dsl.CompileResult;
import certgate.dsl.Diagnostic;
import certgate.dsl.PolicyCompiler;
import certgate.dsl.policy.CompiledPolicy;
import certgate.engine.Decision;
import certgate.engine.Engine;
import certgate.engine.LoadedCrl;
import certgate.engine.PolicyDecisions;
import certgate.eventstore.Blob;
import certgate.eventstore.Event;
import certgate.eventstore.ValidationDecided;
import certgate.eventstore.ValidationRequested;
import certgate.eventstore.ValidationSettings;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The routes of the decision API, {@code /v1/...}, and the operator's {@code /health}, {@code /ready}, {@code /metrics}. */
final class Api {
    /** A decision's id: {@code d-N}, N the sequence of its request. */
    private static final Pattern DECISION_ID = Pattern.compile("d-([0-9]{1,18})");
    /** How far after its request a decision is looked for (both are appended together). */
    private static final int DECISION_WITHIN = 1_000;
    private static final String DECISIONS = "/v1/decisions";
    private final Supplier<Optional<DurableState>> loaded;
    private final Formats formats;
    private final Clock clock;
    private final Metrics metrics;
    private final Limits limits;
    private final Gate gate;
    private final Metrics.Histogram decisionSeconds;

    Api(Supplier<Optional<DurableState>> loaded, Formats formats, Clock clock, Metrics metrics, Limits limits,
        Gate gate) {
        this.loaded = loaded;
        this.formats = formats;
        this.clock = clock;
        this.metrics = metrics;
        this.limits = limits;
        this.gate = gate;
        this.decisionSeconds = metrics.histogram("certgate_decision_duration_seconds", "Time from a decision"
                + " request's arrival to its durable answer.", Metrics.Labels.NONE);
        metrics.gauge("certgate_crl_age_seconds", "Age of each CRL in force (now - thisUpdate), by issuer.",
                this::crlAges);
        metrics.gauge("certgate_crl_fresh", "1 when the CRL in force is fresh (before its nextUpdate), by issuer.",
                this::crlFreshness);
        metrics.counter("certgate_crl_fetch_failures_total", "CRL fetches from distribution points that failed.",
                Metrics.Labels.NONE);
        metrics.gauge("certgate_store_next_sequence", "The sequence the next event will be appended at.",
                () -> loaded.get().map(s -> Map.of(Metrics.Labels.NONE, (double) nextSequence(s))).orElse(Map.of()));
        metrics.gauge("certgate_snapshot_age_seconds", "Age of the store's newest snapshot (now - when it was"
                + " written); absent when the store has none.", () -> newestSnapshot()
                .map(c -> Map.of(Metrics.Labels.NONE, Duration.between(c.writtenAt(), clock.instant()).toMillis()
                        / 1e3)).orElse(Map.of()));
        metrics.gauge("certgate_snapshot_events_behind", "Events appended after the store's newest snapshot: what"
                + " a restart replays; absent when the store has none.", () -> newestSnapshot()
                .flatMap(c -> loaded.get().map(s -> Map.of(Metrics.Labels.NONE, (double) Math.max(0,
                        nextSequence(s) - c.nextSequence())))).orElse(Map.of()));
    }

    /** The sequence the next event will be appended at, as the fold has it. */
    private static long nextSequence(DurableState store) {
        return store.withReplay(r -> r.last().map(e -> e.sequence() + 1).orElse(0L));
    }

    private Optional<StoreSnapshots.Covered> newestSnapshot() {
        return loaded.get().flatMap(s -> StoreSnapshots.newest(s.directory()));
    }

    /** The API's routes; the operator routes are mounted open (no token) by the service. */
    Router router() {
        return new Router()
                .add("POST", DECISIONS, this::decide)
                .add("GET", "/v1/decisions/([^/]+)", this::recorded)
                .add("GET", "/v1/decisions/([^/]+)/explain", this::explain)
                .add("POST", "/v1/cas", this::loadCas)
                .add("POST", "/v1/crls", this::loadCrls)
                .add("POST", "/v1/policies", this::activatePolicy)
                .add("GET", "/v1/state", this::state)
                .add("GET", "/metrics", this::metrics);
    }

    Router operatorRouter() {
        return new Router()
                .add("GET", "/health", this::health)
                .add("GET", "/ready", this::ready);
    }

    private DurableState store() throws ApiError {
        return loaded.get().orElseThrow(() -> new ApiError(ApiError.Code.NOT_READY, "the service is still reading"
                + " its store; see GET /ready"));
    }

    private void decide(HttpExchange exchange, Matcher path) throws ApiError, IOException {
        long started = System.nanoTime();
        boolean explain = flag(exchange, "explain", true);
        byte[] body = Http.body(exchange, limits.maxBodyBytes());
        DecisionBody asked = DecisionBody.parse(body, formats);
        DurableState store = store();
        Instant at = asked.at().orElseGet(clock::instant);
        Function<Engine, ValidationRequested> draft = engine -> {
            // The id is given by the committer: the sequence the request lands at.
            ValidationRequested request = new ValidationRequested("d-?", asked.peer(), asked.chain(), asked.id(),
                    at, ValidationSettings.DEFAULTS, asked.gateway(), Optional.empty());
            return engine.activePolicy().map(policy -> PolicyDecisions.bind(policy, request)).orElse(request);
        };
        if (!LoopHttpServer.answersLater(exchange)) {
            answerDecision(exchange, store.decide(draft), explain, started);
            return;
        }
        // Answered by the thread that makes the decision durable; this one is free at once.
        ServiceState.answerWhenDone(exchange, store.decideLater(draft), (decided, failure) -> {
            if (failure != null) {
                gate.answerThrown(exchange, failure);
            } else {
                answerDecision(exchange, decided, explain, started);
            }
        });
    }

    /**
     * Whether the request {@code method path} is one whose handler never blocks (a decision only queues itself and
     * is answered later), so that certgate's server may run it on its loop.
     */
    static boolean answersWithoutBlocking(String method, String path) {
        return method.equals("POST") && path.equals(DECISIONS);
    }

    private void answerDecision(HttpExchange exchange, DurableState.Decided decided, boolean explain, long started)
            throws IOException {
        DurableState.Recorded recorded = decided.recorded();
        exchange.setAttribute(Gate.DECISION_ID, recorded.id());
        Optional<String> gateway = recorded.gateway();
        decisionSeconds.observe(System.nanoTime() - started);
        metrics.counter("certgate_decisions_total", "Decisions made durable, by verdict, reason and gateway.",
                Metrics.Labels.of("verdict", lower(recorded.decision().verdict()), "reason",
                        recorded.decision().reason().name(), "gateway", gateway.orElse(""))).increment();
        ObjectNode answer = formats.decision(recorded.id(), decided.decision());
        answer.put("sequence", recorded.decisionSequence());
        answer.put("requestSequence", recorded.requestSequence());
        answer.put("at", recorded.at().toString());
        gateway.ifPresentOrElse(g -> answer.put("gateway", g), () -> answer.putNull("gateway"));
        if (!explain) {
            answer.remove("trace");
        }
        Http.json(exchange, 200, answer);
    }

    private void recorded(HttpExchange exchange, Matcher path) throws ApiError, IOException {
        DurableState store = store();
        String id = decodedId(path);
        Optional<DurableState.Recorded> recorded = store.recent(id).or(() -> readRecorded(store, id));
        if (recorded.isEmpty()) {
            throw new ApiError(ApiError.Code.NOT_FOUND, "no decision with id '" + Gate.printable(id) + "' in the"
                    + " store (ids are what POST /v1/decisions and 'certgate validate' answered, d-N)");
        }
        exchange.setAttribute(Gate.DECISION_ID, id);
        Http.json(exchange, 200, recordedJson(recorded.get()));
    }

    private static ObjectNode recordedJson(DurableState.Recorded recorded) {
        ObjectNode root = Http.JSON.createObjectNode();
        root.put("requestId", recorded.id());
        root.put("verdict", lower(recorded.decision().verdict()));
        root.put("reason", recorded.decision().reason().name());
        root.put("sequence", recorded.decisionSequence());
        root.put("requestSequence", recorded.requestSequence());
        root.put("at", recorded.at().toString());
        recorded.identity().ifPresentOrElse(i -> root.put("id", i.toString()), () -> root.putNull("id"));
        recorded.gateway().ifPresentOrElse(g -> root.put("gateway", g), () -> root.putNull("gateway"));
        recorded.policyRevision().ifPresentOrElse(r -> root.put("policyRevision", r),
                () -> root.putNull("policyRevision"));
        root.put("peerSha256", recorded.peerSha256());
        ArrayNode chain = root.putArray("chainSha256");
        recorded.chainSha256().forEach(chain::add);
        return root;
    }

    /**
     * A decision older than the service's memory, read from the log at its request's sequence ({@code d-N} is
     * the request at sequence N): one segment is read, not the log from its start.
     */
    private static Optional<DurableState.Recorded> readRecorded(DurableState store, String id) {
        Matcher sequence = DECISION_ID.matcher(id);
        if (!sequence.matches()) {
            return Optional.empty();
        }
        long from;
        try {
            from = Long.parseLong(sequence.group(1));
        } catch (NumberFormatException tooLarge) {
            return Optional.empty();
        }
        AtomicReference<ValidationRequested> asked = new AtomicReference<>();
        AtomicReference<DurableState.Recorded> found = new AtomicReference<>();
        long[] requestSequence = {-1};
        try (LogReader reader = LogReader.open(store.directory(), from)) {
            StoreReading.readWhile(reader, recorded -> {
                if (asked.get() == null) {
                    // The event at N is the request d-N, or there is no such decision.
                    if (!(recorded.event() instanceof ValidationRequested request) || !request.requestId().equals(id)) {
                        return false;
                    }
                    asked.set(request);
                    requestSequence[0] = recorded.sequence();
                    return true;
                }
                if (recorded.event() instanceof ValidationDecided decision && decision.requestId().equals(id)) {
                    found.set(DurableState.Recorded.of(asked.get(), requestSequence[0], decision,
                            recorded.sequence(), DurableState.gatewayOf(store.state(), asked.get())));
                    return false;
                }
                // The decision is appended with its request; a request without one in the next events has none.
                return recorded.sequence() - requestSequence[0] < DECISION_WITHIN;
            }, Progress.silent());
        }
        return Optional.ofNullable(found.get());
    }

    private void explain(HttpExchange exchange, Matcher path) throws ApiError, IOException {
        DurableState store = store();
        String id = decodedId(path);
        AtomicReference<Replay.Answer> answered = new AtomicReference<>();
        Replay replay = Replay.listening(answer -> {
            if (answered.get() == null && answer.decision().requestId().equals(id) && answer.request().isPresent()) {
                answered.set(answer);
            }
        });
        OpenedStore.reading(store.directory(), replay, event -> answered.get() == null, Progress.silent());
        Replay.Answer answer = answered.get();
        if (answer == null) {
            throw new ApiError(ApiError.Code.NOT_FOUND, "no decision with id '" + Gate.printable(id) + "' in the"
                    + " store");
        }
        Replay.Request request = answer.request().orElseThrow();
        Decision redecided = request.redecide();
        exchange.setAttribute(Gate.DECISION_ID, id);
        ObjectNode root = formats.decision(id, redecided);
        root.put("requestSequence", request.recorded().sequence());
        root.putObject("recorded").put("verdict", lower(answer.decision().verdict()))
                .put("reason", answer.decision().reason().name()).put("sequence", answer.recorded().sequence());
        root.put("matches", answer.matches(redecided));
        Http.json(exchange, 200, root);
    }

    private void loadCas(HttpExchange exchange, Matcher path) throws ApiError, IOException {
        String profile = parameter(exchange, "profile").orElse(PolicyDecisions.ANY_PROFILE);
        if (!profile.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
            throw new ApiError(ApiError.Code.BAD_PARAMETER, "profile '" + Gate.printable(profile) + "' is not a CA"
                    + " profile name (letters, digits, '.', '_', '-')");
        }
        List<LoadCheck.Named> named = objects(exchange, PkiFiles.Kind.CERTIFICATE);
        load(exchange, engine -> LoadCheck.against(engine).caCertificates(named, profile));
    }

    private void loadCrls(HttpExchange exchange, Matcher path) throws ApiError, IOException {
        List<LoadCheck.Named> named = objects(exchange, PkiFiles.Kind.CRL);
        Instant now = clock.instant();
        load(exchange, engine -> LoadCheck.against(engine).crls(named, now));
    }

    private List<LoadCheck.Named> objects(HttpExchange exchange, PkiFiles.Kind kind) throws ApiError, IOException {
        byte[] body = Http.body(exchange, limits.maxBodyBytes());
        List<Blob> blobs;
        try {
            blobs = PkiFiles.parse("body", body, kind);
        } catch (PkiFileException e) {
            throw new ApiError(ApiError.Code.REFUSED, Gate.printable(e.getMessage()) + "; nothing appended");
        }
        List<LoadCheck.Named> named = new ArrayList<>();
        for (int i = 0; i < blobs.size(); i++) {
            named.add(new LoadCheck.Named("body", i + 1, blobs.size(), blobs.get(i)));
        }
        return named;
    }

    /** Checks and appends loads as 'certgate load' does: all or nothing, with one outcome per object. */
    private void load(HttpExchange exchange, Function<Engine, List<LoadCheck.Outcome>> check)
            throws ApiError, IOException {
        DurableState store = store();
        AtomicReference<List<LoadCheck.Outcome>> outcomes = new AtomicReference<>();
        Optional<List<Long>> sequences = store.appendChangingState(engine -> {
            List<LoadCheck.Outcome> checked = check.apply(engine);
            outcomes.set(checked);
            if (checked.stream().anyMatch(LoadCheck.Refused.class::isInstance)) {
                return List.of();
            }
            List<Event> events = new ArrayList<>();
            for (LoadCheck.Outcome outcome : checked) {
                if (outcome instanceof LoadCheck.Accepted accepted) {
                    events.add(accepted.event());
                }
            }
            return events;
        });
        boolean refused = outcomes.get().stream().anyMatch(LoadCheck.Refused.class::isInstance);
        ObjectNode root = refused ? Http.errorBody(ApiError.Code.REFUSED, "refused: nothing appended")
                : Http.JSON.createObjectNode();
        ArrayNode list = root.putArray("outcomes");
        int next = 0;
        for (LoadCheck.Outcome outcome : outcomes.get()) {
            ObjectNode node = list.addObject().put("object", outcome.origin());
            if (outcome instanceof LoadCheck.Accepted) {
                node.put("outcome", refused ? "not-appended" : "loaded");
                if (!refused) {
                    node.put("sequence", sequences.orElseThrow().get(next++));
                }
            } else {
                node.put("outcome", outcome instanceof LoadCheck.Refused ? "refused" : "already-loaded");
            }
            node.put("message", outcome.message());
        }
        Http.json(exchange, refused ? ApiError.Code.REFUSED.status() : 200, root);
    }

    private void activatePolicy(HttpExchange exchange, Matcher path) throws ApiError, IOException {
        byte[] body = Http.body(exchange, Math.min(limits.maxBodyBytes(), PolicyCompiler.MAX_BYTES));
        CompileResult result = PolicyCompiler.compile("body", body);
        if (result.policy().isEmpty()) {
            ObjectNode root = Http.errorBody(ApiError.Code.POLICY_ERRORS, "the policy has " + result.errors().size()
                    + " error(s); nothing appended");
            ArrayNode diagnostics = root.putArray("diagnostics");
            for (Diagnostic diagnostic : result.diagnostics()) {
                diagnostics.add(diagnostic.toString());
            }
            Http.json(exchange, ApiError.Code.POLICY_ERRORS.status(), root);
            return;
        }
        PolicySource source = new PolicySource("body", body, result);
        CompiledPolicy policy = source.policy().orElseThrow();
        Optional<List<Long>> sequence = store().appendChangingState(engine -> engine.activePolicy()
                .filter(active -> active.revision().equals(policy.revision())).isPresent()
                ? List.of() : List.of(source.activation()));
        ObjectNode root = Http.JSON.createObjectNode();
        root.put("revision", policy.revision());
        root.put("activated", sequence.isPresent());
        sequence.ifPresentOrElse(s -> root.put("sequence", s.get(0)), () -> root.put("message",
                "already the active policy; nothing appended"));
        root.put("gateways", policy.gateways().size());
        Http.json(exchange, 200, root);
    }

    private void state(HttpExchange exchange, Matcher path) throws ApiError, IOException {
        DurableState store = store();
        Instant now = clock.instant();
        Http.json(exchange, 200, store.withReplay(replay -> formats.state(store.directory(), replay, now)));
    }

    private void metrics(HttpExchange exchange, Matcher path) throws IOException {
        Http.text(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.scrape());
    }

    private void health(HttpExchange exchange, Matcher path) throws IOException {
        ObjectNode root = Http.JSON.createObjectNode().put("status", "alive");
        Http.json(exchange, 200, root);
    }

    /** Ready when the state is loaded, the service is not draining, and every CRL in force is fresh. */
    private void ready(HttpExchange exchange, Matcher path) throws IOException {
        List<String> reasons = new ArrayList<>();
        Optional<DurableState> store = loaded.get();
        if (store.isEmpty()) {
            reasons.add("reading the store");
        } else {
            Instant now = clock.instant();
            for (LoadedCrl crl : store.get().state().crls()) {
                if (!crl.freshAt(now)) {
                    reasons.add("the CRL of '" + crl.issuer() + "' is stale since " + crl.nextUpdate()
                            .map(Instant::toString).orElse("?") + "; load a newer one (POST /v1/crls)");
                }
            }
        }
        if (gate.draining()) {
            reasons.add("shutting down");
        }
        ObjectNode root = Http.JSON.createObjectNode().put("ready", reasons.isEmpty());
        if (!reasons.isEmpty()) {
            root.putObject("error").put("code", ApiError.Code.NOT_READY.name()).put("message", String.join("; ",
                    reasons));
            reasons.forEach(root.putArray("reasons")::add);
        }
        Http.json(exchange, reasons.isEmpty() ? 200 : 503, root);
    }

    private Map<Metrics.Labels, Double> crlAges() {
        Map<Metrics.Labels, Double> ages = new HashMap<>();
        Instant now = clock.instant();
        loaded.get().ifPresent(store -> {
            for (LoadedCrl crl : store.state().crls()) {
                ages.put(Metrics.Labels.of("issuer", crl.issuer()),
                        Duration.between(crl.thisUpdate(), now).toMillis() / 1000.0);
            }
        });
        return ages;
    }

    private Map<Metrics.Labels, Double> crlFreshness() {
        Map<Metrics.Labels, Double> fresh = new HashMap<>();
        Instant now = clock.instant();
        loaded.get().ifPresent(store -> {
            for (LoadedCrl crl : store.state().crls()) {
                fresh.put(Metrics.Labels.of("issuer", crl.issuer()), crl.freshAt(now) ? 1.0 : 0.0);
            }
        });
        return fresh;
    }

    private static String decodedId(Matcher path) throws ApiError {
        try {
            return URLDecoder.decode(path.group(1), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new ApiError(ApiError.Code.BAD_PARAMETER, "the id in the path is not URL-encoded text");
        }
    }

    private static boolean flag(HttpExchange exchange, String name, boolean otherwise) throws ApiError {
        Optional<String> value = parameter(exchange, name);
        if (value.isEmpty()) {
            return otherwise;
        }
        return switch (value.get()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new ApiError(ApiError.Code.BAD_PARAMETER, "?" + name + "= takes true or false, not '"
                    + Gate.printable(value.get()) + "'");
        };
    }

    /** A query parameter, decoded; a parameter given twice is refused rather than guessed. */
    static Optional<String> parameter(HttpExchange exchange, String name) throws ApiError {
        String query = exchange.getRequestURI().getRawQuery();
        if (query == null || query.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> found = Optional.empty();
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            if (!key.equals(name)) {
                continue;
            }
            if (found.isPresent()) {
                throw new ApiError(ApiError.Code.BAD_PARAMETER, "?" + name + "= is given twice");
            }
            try {
                found = Optional.of(URLDecoder.decode(eq < 0 ? "" : pair.substring(eq + 1), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw new ApiError(ApiError.Code.BAD_PARAMETER, "?" + name + "= is not URL-encoded text");
            }
        }
        return found;
    }

    private static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
