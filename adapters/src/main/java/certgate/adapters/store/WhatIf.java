package certgate.adapters.store;

import certgate.dsl.policy.CompiledPolicy;
import certgate.dsl.policy.Gateway;
import certgate.engine.Decision;
import certgate.engine.Engine;
import certgate.engine.PolicyDecisions;
import certgate.engine.trace.TraceStep;
import certgate.eventstore.ValidationRequested;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Re-decides every recorded decision of a store under another policy, before that policy goes live: what
 * {@code certgate whatif} runs. The log is folded once, in order, through the same {@link Replay} pairing as
 * {@link Audit}; each request is bound to the new policy as {@code validate --policy} binds a request (its
 * gateway and revision cleared, then {@link PolicyDecisions#bind}) and decided against the state it was
 * recorded in. A decision whose verdict or reason differs from the recorded one is a change.
 *
 * <p>The window selects decisions by the append time of their request, both ends inclusive as in
 * {@link Audit}; the events before it are still folded. A decision that answers no request is not re-decided.
 * As in {@link Audit}, the re-deciding is spread over threads ({@link InOrder}), and changes are reported in log
 * order whatever their number.
 */
public final class WhatIf {
    /** The gateway a request is counted under when no policy selects one. */
    public static final String NO_GATEWAY = "(none)";

    /** One decision the new policy decides differently. */
    public record Change(Replay.Answer answer, String gateway, Decision before, Decision after,
                         Optional<Difference> difference) {
        public String requestId() {
            return answer.decision().requestId();
        }

        /** The peer as a decision's path prints it, or its fingerprint when no path was built. */
        public String peer() {
            if (!after.path().isEmpty()) {
                return after.path().get(0).subject();
            }
            if (!before.path().isEmpty()) {
                return before.path().get(0).subject();
            }
            return "peer sha256 " + answer.request().orElseThrow().request().peer().sha256Hex().substring(0, 16);
        }
    }

    /** The first trace step at which the two decisions part: the same position, a different step or detail. */
    public record Difference(int index, Optional<TraceStep> before, Optional<TraceStep> after) {
    }

    /** What one run found. {@code replay} is the fold at the end of the log, for its counts. */
    public record Result(Replay replay, long considered, long changed, long outsideWindow, long unanswered) {
        public boolean unchanged() {
            return changed == 0;
        }
    }

    private static final Pattern REVISION = Pattern.compile("; policy revision [0-9a-f]+$");

    private WhatIf() {
    }

    /** {@link #run(Path, CompiledPolicy, Optional, Optional, int, Consumer, Progress)} with a thread per processor. */
    public static Result run(Path dir, CompiledPolicy policy, Optional<Instant> from, Optional<Instant> until,
                             Consumer<Change> changes, Progress progress) {
        return run(dir, policy, from, until, Runtime.getRuntime().availableProcessors(), changes, progress);
    }

    /**
     * Re-decides the decisions of the store in {@code dir} under {@code policy} on {@code threads} deciding threads
     * (1: all on the calling thread), as {@link Audit} does, handing each change to {@code changes} in log order.
     */
    public static Result run(Path dir, CompiledPolicy policy, Optional<Instant> from, Optional<Instant> until,
                             int threads, Consumer<Change> changes, Progress progress) {
        long[] counts = new long[4];
        // A change is described on the deciding thread too (the recorded decision again, with its trace, and
        // the first step that differs), so that a policy changing many decisions does not queue them all on the
        // reading thread.
        try (InOrder<Replay.Answer, Optional<Change>> redecider = new InOrder<>(threads, "certgate-whatif",
                answer -> {
                    Replay.Request request = answer.request().orElseThrow();
                    Decision after = redecide(policy, request.state(), request.request());
                    if (answer.matches(after)) {
                        return Optional.empty();
                    }
                    Decision before = request.redecide();
                    return Optional.of(new Change(answer, gateway(policy, request), before, after,
                            firstDifference(before, after)));
                }, (answer, change) -> {
                    if (change.isPresent()) {
                        counts[1]++;
                        changes.accept(change.get());
                    }
                })) {
            Replay replay = Replay.listening(answer -> {
                if (answer.request().isEmpty()) {
                    counts[3]++;
                    return;
                }
                if (!Audit.inWindow(answer.request().get().recorded().appendedAt(), from, until)) {
                    counts[2]++;
                    return;
                }
                counts[0]++;
                redecider.add(answer);
            });
            OpenedStore.reading(dir, replay, progress);
            redecider.finish();
            progress.done();
            return new Result(replay, counts[0], counts[1], counts[2], counts[3]);
        }
    }

    /** {@code recorded} bound to {@code policy} as a new request would be and decided in {@code state}. */
    public static Decision redecide(CompiledPolicy policy, Engine state, ValidationRequested recorded) {
        return PolicyDecisions.bindAndDecide(policy, state, draft(recorded));
    }

    /** The recorded request as a draft, as {@code validate} makes one: no gateway named, no policy bound yet. */
    private static ValidationRequested draft(ValidationRequested recorded) {
        return new ValidationRequested(recorded.requestId(), recorded.peer(), recorded.chain(),
                recorded.identity(), recorded.at(), recorded.settings(), Optional.empty(), Optional.empty());
    }

    /** The gateway the request went to under its recorded policy, or else the one the new policy selects. */
    private static String gateway(CompiledPolicy policy, Replay.Request request) {
        Optional<String> old = request.gateway();
        if (old.isPresent()) {
            return old.get();
        }
        if (request.request().policyRevision().isPresent()) {
            return NO_GATEWAY;
        }
        return PolicyDecisions.select(policy, draft(request.request())).chosen().map(Gateway::name)
                .orElse(NO_GATEWAY);
    }

    /**
     * The first position where the traces differ; empty when they are the same step for step. The revision the
     * gateway step names differs between any two policies, so it is left out of the comparison.
     */
    static Optional<Difference> firstDifference(Decision before, Decision after) {
        int length = Math.max(before.trace().size(), after.trace().size());
        for (int i = 0; i < length; i++) {
            Optional<TraceStep> a = i < before.trace().size() ? Optional.of(before.trace().get(i)) : Optional.empty();
            Optional<TraceStep> b = i < after.trace().size() ? Optional.of(after.trace().get(i)) : Optional.empty();
            if (!a.map(WhatIf::withoutRevision).equals(b.map(WhatIf::withoutRevision))) {
                return Optional.of(new Difference(i, a, b));
            }
        }
        return Optional.empty();
    }

    private static TraceStep withoutRevision(TraceStep step) {
        return new TraceStep(step.step(), step.outcome(), REVISION.matcher(step.detail()).replaceAll(""));
    }
}
