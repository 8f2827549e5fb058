package certgate.adapters.store;

import certgate.engine.Engine;
import certgate.engine.LoadedCrl;
import certgate.eventstore.CheckpointSigned;
import certgate.eventstore.CrlLoaded;
import certgate.eventstore.PolicyActivated;
import certgate.eventstore.PolicyRecorded;
import certgate.eventstore.Reason;
import certgate.eventstore.RecordedEvent;
import certgate.eventstore.Verdict;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A store's history over a window, counted for {@code certgate report}: decisions per hour by verdict, the
 * rejection reasons, per gateway; every CRL load with the dates of the CRL; the policy revisions; the latest
 * signed checkpoint. One pass through {@link Replay} (so pairing, gateways and the window mean what they mean for
 * {@code audit} and {@code whatif}), nothing re-decided.
 *
 * <p>Decisions are counted per hour, the finest bucket a report draws; a reader adds hours up into days or weeks.
 * The window selects decisions by the append time of their request, both ends inclusive as in {@link Audit}; loads,
 * policies and checkpoints are kept whatever their time, so a reader can show what was in force when the window
 * opened.
 */
public final class History {
    /** The gateway a decision is counted under when its recorded policy selects none (or it has no policy). */
    public static final String NO_GATEWAY = "(none)";

    private static final long HOUR = 3_600;

    /** Decisions of one gateway in the window. */
    public record GatewayCount(String gateway, long accepted, long rejected, Map<Reason, Long> rejections) {
        public GatewayCount {
            Map<Reason, Long> inOrder = new EnumMap<>(Reason.class);
            inOrder.putAll(rejections);
            rejections = Collections.unmodifiableMap(inOrder);
        }

        public long total() {
            return accepted + rejected;
        }

        /** The most frequent rejection reason, if any was rejected (the first in enum order on a tie). */
        public Optional<Reason> topRejection() {
            Optional<Reason> top = Optional.empty();
            long most = 0;
            for (Map.Entry<Reason, Long> entry : rejections.entrySet()) {
                if (entry.getValue() > most) {
                    most = entry.getValue();
                    top = Optional.of(entry.getKey());
                }
            }
            return top;
        }
    }

    /**
     * A CRL entered the state: when it was appended, and what the engine read from it. {@code inForce} is false
     * when the engine already held a newer CRL of that issuer, so this one changed nothing.
     */
    public record CrlLoad(long sequence, Instant appendedAt, LoadedCrl crl, boolean inForce) {
    }

    /** A policy entered the log: activated (in force from then on) or recorded for one request's override. */
    public record PolicyMark(long sequence, Instant appendedAt, String revision, boolean activated) {
    }

    /** The latest signed checkpoint and when it was recorded. */
    public record Checkpoint(Instant appendedAt, CheckpointSigned event) {
    }

    private final Optional<Instant> from;
    private final Optional<Instant> until;
    private final TreeMap<Long, long[]> perHour = new TreeMap<>();
    private final long[] rejections = new long[Reason.values().length];
    private final Map<String, long[]> perGateway = new TreeMap<>();
    private final List<CrlLoad> crlLoads = new ArrayList<>();
    private final List<PolicyMark> policies = new ArrayList<>();
    private final Map<String, Instant> newestCrl = new TreeMap<>();
    private Optional<Checkpoint> checkpoint = Optional.empty();
    private Optional<Instant> firstDecision = Optional.empty();
    private Optional<Instant> lastDecision = Optional.empty();
    private long decided;
    private long accepted;
    private long outsideWindow;
    private long withoutRequest;
    private Replay replay;
    private Optional<String> storedHead = Optional.empty();

    private History(Optional<Instant> from, Optional<Instant> until) {
        this.from = from;
        this.until = until;
    }

    /** Reads the store in {@code dir} once and counts its history in the window. */
    public static History read(Path dir, Optional<Instant> from, Optional<Instant> until, Progress progress) {
        History history = new History(from, until);
        history.replay = Replay.observing(history::answer, history::folded);
        history.storedHead = OpenedStore.reading(dir, history.replay, progress).storedHead();
        progress.done();
        return history;
    }

    private void answer(Replay.Answer answer) {
        if (answer.request().isEmpty()) {
            withoutRequest++;
            return;
        }
        Replay.Request request = answer.request().get();
        Instant at = request.recorded().appendedAt();
        if (!Audit.inWindow(at, from, until)) {
            outsideWindow++;
            return;
        }
        decided++;
        if (firstDecision.isEmpty()) {
            firstDecision = Optional.of(at);
        }
        lastDecision = Optional.of(at);
        boolean accept = answer.decision().verdict() == Verdict.ACCEPT;
        long[] hour = perHour.computeIfAbsent(Math.floorDiv(at.getEpochSecond(), HOUR), h -> new long[2]);
        long[] gateway = perGateway.computeIfAbsent(request.gateway().orElse(NO_GATEWAY),
                g -> new long[1 + Reason.values().length]);
        if (accept) {
            accepted++;
            hour[0]++;
            gateway[0]++;
        } else {
            hour[1]++;
            rejections[answer.decision().reason().ordinal()]++;
            gateway[1 + answer.decision().reason().ordinal()]++;
        }
    }

    private void folded(RecordedEvent recorded, Engine state) {
        if (recorded.event() instanceof CrlLoaded loaded) {
            String sha256 = loaded.crl().sha256Hex();
            for (LoadedCrl crl : state.crls()) {
                if (crl.sha256().equals(sha256)) {
                    Instant newest = newestCrl.get(crl.issuer());
                    boolean inForce = newest == null || crl.thisUpdate().isAfter(newest);
                    if (inForce) {
                        newestCrl.put(crl.issuer(), crl.thisUpdate());
                    }
                    crlLoads.add(new CrlLoad(recorded.sequence(), recorded.appendedAt(), crl, inForce));
                    break;
                }
            }
        } else if (recorded.event() instanceof PolicyActivated activated) {
            policies.add(new PolicyMark(recorded.sequence(), recorded.appendedAt(), activated.revision(), true));
        } else if (recorded.event() instanceof PolicyRecorded override) {
            policies.add(new PolicyMark(recorded.sequence(), recorded.appendedAt(), override.revision(), false));
        } else if (recorded.event() instanceof CheckpointSigned signed) {
            checkpoint = Optional.of(new Checkpoint(recorded.appendedAt(), signed));
        }
    }

    /** The fold at the end of the log: the final state, the local certificates, the last event. */
    public Replay replay() {
        return replay;
    }

    public Optional<Instant> from() {
        return from;
    }

    public Optional<Instant> until() {
        return until;
    }

    /** Decisions in the window. */
    public long decided() {
        return decided;
    }

    public long accepted() {
        return accepted;
    }

    public long rejected() {
        return decided - accepted;
    }

    /** Decisions whose request was appended outside the window. */
    public long outsideWindow() {
        return outsideWindow;
    }

    /** Decisions that answer no request recorded before them (audit lists them as mismatches). */
    public long withoutRequest() {
        return withoutRequest;
    }

    /** The append time of the first and the last request decided in the window. */
    public Optional<Instant> firstDecision() {
        return firstDecision;
    }

    public Optional<Instant> lastDecision() {
        return lastDecision;
    }

    /**
     * Decisions per hour of the window that has any, by the hour's start: [accepted, rejected]. Copies, in time
     * order.
     */
    public Map<Instant, long[]> perHour() {
        Map<Instant, long[]> copy = new TreeMap<>();
        perHour.forEach((hour, counts) -> copy.put(Instant.ofEpochSecond(hour * HOUR), counts.clone()));
        return copy;
    }

    /** Rejections in the window by reason, only the reasons that occur, in the enum's order. */
    public Map<Reason, Long> rejections() {
        return counts(rejections, 0);
    }

    /** Decisions in the window per gateway, by gateway name. */
    public List<GatewayCount> gateways() {
        List<GatewayCount> all = new ArrayList<>();
        perGateway.forEach((name, counts) -> {
            Map<Reason, Long> reasons = counts(counts, 1);
            long rejected = reasons.values().stream().mapToLong(Long::longValue).sum();
            all.add(new GatewayCount(name, counts[0], rejected, reasons));
        });
        return all;
    }

    /** Every CRL load the engine took in, in log order, whatever its time. */
    public List<CrlLoad> crlLoads() {
        return List.copyOf(crlLoads);
    }

    /** Every policy activated or recorded, in log order, whatever its time. */
    public List<PolicyMark> policies() {
        return List.copyOf(policies);
    }

    /** The log's head as its last record states it (hex), not recomputed; empty for an empty log. */
    public Optional<String> storedHead() {
        return storedHead;
    }

    public Optional<Checkpoint> latestCheckpoint() {
        return checkpoint;
    }

    private static Map<Reason, Long> counts(long[] counts, int offset) {
        Map<Reason, Long> byReason = new EnumMap<>(Reason.class);
        for (Reason reason : Reason.values()) {
            if (counts[offset + reason.ordinal()] > 0) {
                byReason.put(reason, counts[offset + reason.ordinal()]);
            }
        }
        return byReason;
    }
}
