package certgate.adapters.store;

import certgate.dsl.policy.Gateway;
import certgate.engine.Decision;
import certgate.engine.Engine;
import certgate.engine.PolicyDecisions;
import certgate.eventstore.LocalCertificateLoaded;
import certgate.eventstore.Reason;
import certgate.eventstore.RecordedEvent;
import certgate.eventstore.ValidationDecided;
import certgate.eventstore.ValidationRequested;
import certgate.eventstore.Verdict;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * One pass over a store's events, in log order: the engine's state folded from the loads, and each decision
 * paired with the request it answers and the state that request was decided in. {@code certgate replay},
 * {@code explain}, {@code audit} and the replay benchmark all read a store through this class, so they cannot
 * disagree about what a log means.
 *
 * <p>Pairing: a decision answers the unanswered request with its id. A request is decided in the state that held
 * when it was appended (a load appended between a request and its decision, which a concurrent writer could do,
 * does not count for it). A second request with an id that is still unanswered leaves the first unanswered for
 * good: it is listed by {@link #unanswered()}, as is every request still waiting at the end (a writer that stopped
 * between the two appends).
 *
 * <pre>{@code
 * Replay replay = Replay.listening(answer -> audit(answer));
 * OpenedStore.reading(dir, replay, progress);
 * }</pre>
 */
public final class Replay implements Consumer<RecordedEvent> {

    /** A request as recorded, with the engine state it is decided in. */
    public record Request(RecordedEvent recorded, Engine state) {
        public ValidationRequested request() {
            return (ValidationRequested) recorded.event();
        }

        /** Decides the request again, as recorded, in the state it was recorded in. */
        public Decision redecide() {
            return state.decide(request());
        }

        /**
         * The gateway the request went to under its recorded policy: the one it names, or the one that policy
         * selects by its IKE ID; empty without a recorded policy, or when the policy selects none.
         */
        public Optional<String> gateway() {
            ValidationRequested recorded = request();
            return recorded.policyRevision().flatMap(state::policy)
                    .flatMap(policy -> PolicyDecisions.select(policy, recorded).chosen()).map(Gateway::name);
        }
    }

    /** A recorded decision and the request it answers; empty when the log holds no such request before it. */
    public record Answer(RecordedEvent recorded, Optional<Request> request) {
        public ValidationDecided decision() {
            return (ValidationDecided) recorded.event();
        }

        /** Whether {@code redecided} has the recorded verdict and reason. */
        public boolean matches(Decision redecided) {
            return redecided.verdict() == decision().verdict() && redecided.reason() == decision().reason();
        }
    }

    /** A gateway's own certificate as the log recorded its load. */
    public record LocalCertificate(RecordedEvent recorded) {
        public LocalCertificateLoaded event() {
            return (LocalCertificateLoaded) recorded.event();
        }
    }

    private final Consumer<Answer> answers;
    private final BiConsumer<RecordedEvent, Engine> folded;
    private final List<LocalCertificate> localCertificates = new ArrayList<>();
    private Engine engine = Engine.empty();
    private final Map<String, Request> pending = new HashMap<>();
    private final List<Request> superseded = new ArrayList<>();
    private final long[] byReason = new long[Reason.values().length];
    private long events;
    private long requests;
    private long decisions;
    private Optional<RecordedEvent> last = Optional.empty();
    /** The latest append time read (append times come from the writer's clock, which may step back). */
    private Optional<Instant> latest = Optional.empty();

    private Replay(Consumer<Answer> answers, BiConsumer<RecordedEvent, Engine> folded) {
        this.answers = answers;
        this.folded = folded;
    }

    /** The fold's state as a snapshot holds it ({@link ReplaySnapshot}); the listener is not state. */
    record State(Engine engine, List<Request> pending, List<Request> superseded, List<LocalCertificate> locals,
                 long[] byReason, long events, long requests, long decisions, Optional<RecordedEvent> last,
                 Optional<Instant> latestAppendedAt) {
    }

    State state() {
        List<Request> waiting = new ArrayList<>(pending.values());
        waiting.sort((a, b) -> Long.compare(a.recorded().sequence(), b.recorded().sequence()));
        return new State(engine, waiting, List.copyOf(superseded), List.copyOf(localCertificates), byReason.clone(),
                events, requests, decisions, last, latest);
    }

    /** This fold, continued from {@code state} (a snapshot's) rather than from the first event. */
    Replay restore(State state) {
        if (events != 0) {
            throw new IllegalStateException("a fold can be restored only before it has read any event");
        }
        engine = state.engine();
        state.pending().forEach(request -> pending.put(request.request().requestId(), request));
        superseded.addAll(state.superseded());
        localCertificates.addAll(state.locals());
        System.arraycopy(state.byReason(), 0, byReason, 0, byReason.length);
        events = state.events();
        requests = state.requests();
        decisions = state.decisions();
        last = state.last();
        latest = state.latestAppendedAt();
        return this;
    }

    /** A fold that only counts. */
    public static Replay counting() {
        return new Replay(answer -> { }, (recorded, state) -> { });
    }

    /** A fold that hands every decision, paired with its request, to {@code answers} as it reads it. */
    public static Replay listening(Consumer<Answer> answers) {
        return new Replay(answers, (recorded, state) -> { });
    }

    /**
     * A fold that hands every decision to {@code answers}, as {@link #listening}, and then every event, once
     * folded, to {@code folded} with the state after it: for readers that follow the loads as well (the report's
     * CRLs over time).
     */
    public static Replay observing(Consumer<Answer> answers, BiConsumer<RecordedEvent, Engine> folded) {
        return new Replay(answers, folded);
    }

    @Override
    public void accept(RecordedEvent recorded) {
        events++;
        last = Optional.of(recorded);
        if (latest.isEmpty() || recorded.appendedAt().isAfter(latest.get())) {
            latest = Optional.of(recorded.appendedAt());
        }
        if (recorded.event() instanceof ValidationRequested request) {
            requests++;
            Request previous = pending.put(request.requestId(), new Request(recorded, engine));
            if (previous != null) {
                superseded.add(previous);
            }
        } else if (recorded.event() instanceof ValidationDecided decided) {
            decisions++;
            byReason[decided.reason().ordinal()]++;
            answers.accept(new Answer(recorded, Optional.ofNullable(pending.remove(decided.requestId()))));
        } else if (recorded.event() instanceof LocalCertificateLoaded) {
            // The gateway's own certificate is not trust state: the engine folds nothing from it.
            localCertificates.add(new LocalCertificate(recorded));
        } else {
            engine = engine.apply(recorded.event());
        }
        folded.accept(recorded, engine);
    }

    /** The local certificates loaded so far, in log order. */
    public List<LocalCertificate> localCertificates() {
        return List.copyOf(localCertificates);
    }

    /** The PKI state after every event read so far. */
    public Engine engine() {
        return engine;
    }

    public long events() {
        return events;
    }

    public long requests() {
        return requests;
    }

    public long decisions() {
        return decisions;
    }

    /** The last event read, if any. */
    public Optional<RecordedEvent> last() {
        return last;
    }

    /** The latest append time of the events read, if any. */
    Optional<Instant> latestAppendedAt() {
        return latest;
    }

    /** The append time of the last event read, if any. */
    public Optional<Instant> lastAppendedAt() {
        return last.map(RecordedEvent::appendedAt);
    }

    /** Recorded decisions by verdict, both verdicts present. */
    public Map<Verdict, Long> byVerdict() {
        Map<Verdict, Long> counts = new EnumMap<>(Verdict.class);
        counts.put(Verdict.ACCEPT, byReason[Reason.OK.ordinal()]);
        counts.put(Verdict.REJECT, decisions - byReason[Reason.OK.ordinal()]);
        return counts;
    }

    /** Recorded decisions by reason, only the reasons that occur, in the enum's order. */
    public Map<Reason, Long> byReason() {
        Map<Reason, Long> counts = new EnumMap<>(Reason.class);
        for (Reason reason : Reason.values()) {
            if (byReason[reason.ordinal()] > 0) {
                counts.put(reason, byReason[reason.ordinal()]);
            }
        }
        return counts;
    }

    /** The request with this id that still waits for its decision, if any. */
    public Optional<Request> pending(String requestId) {
        return Optional.ofNullable(pending.get(requestId));
    }

    /** Requests without a decision so far, in log order. */
    public List<Request> unanswered() {
        List<Request> all = new ArrayList<>(superseded);
        all.addAll(pending.values());
        all.sort((a, b) -> Long.compare(a.recorded().sequence(), b.recorded().sequence()));
        return all;
    }
}
