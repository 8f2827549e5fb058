package certgate.engine;

import certgate.dsl.CompileResult;
import certgate.dsl.Diagnostic;
import certgate.dsl.PolicyCompiler;
import certgate.dsl.policy.CompiledPolicy;
import certgate.eventstore.PolicyActivated;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The policies a log has activated, by revision, and the one activated last. Immutable: {@link #with} returns
 * a new value. A request records the revision it was decided under, so a replay finds that policy here however
 * many activations came after it.
 */
final class ActivatedPolicies {
    public static final ActivatedPolicies NONE = new ActivatedPolicies(Map.of(), Map.of(), Optional.empty());

    private final Map<String, CompiledPolicy> byRevision;
    /** The source each revision was compiled from: what a snapshot keeps of a policy (see {@link Snapshot}). */
    private final Map<String, String> sources;
    private final Optional<CompiledPolicy> active;

    private ActivatedPolicies(Map<String, CompiledPolicy> byRevision, Map<String, String> sources,
            Optional<CompiledPolicy> active) {
        this.byRevision = byRevision;
        this.sources = sources;
        this.active = active;
    }

    /** What one {@link PolicyActivated} event gives: its compiled policy, or why it cannot be used. */
    public sealed interface Activation {
    }

    public record Compiled(CompiledPolicy policy) implements Activation {
        public Compiled {
            Objects.requireNonNull(policy, "policy");
        }
    }

    public record Refused(String problem) implements Activation {
        public Refused {
            Objects.requireNonNull(problem, "problem");
        }
    }

    /**
     * Compiles the event's source. Refused when it has errors or when the recorded revision is not the SHA-256
     * of the source (an adapter refuses both before appending; the engine is total over any log).
     */
    public static Activation compile(PolicyActivated event) {
        Objects.requireNonNull(event, "event");
        byte[] source = event.source().getBytes(StandardCharsets.UTF_8);
        CompileResult result = PolicyCompiler.compile(sourceName(event.revision()), source);
        if (result.policy().isEmpty()) {
            List<Diagnostic> errors = result.errors();
            String first = errors.isEmpty() ? "no policy" : errors.get(0).toString().lines().findFirst().orElse("");
            return new Refused("the policy's source does not compile: " + first
                    + (errors.size() > 1 ? " (and " + (errors.size() - 1) + " more error(s))" : ""));
        }
        CompiledPolicy policy = result.policy().get();
        if (!policy.revision().equals(event.revision())) {
            return new Refused("the recorded revision " + event.revision() + " is not the SHA-256 of the source ("
                    + policy.revision() + ")");
        }
        return new Compiled(policy);
    }

    /** The name a policy compiled from the log goes by in diagnostics and traces. */
    static String sourceName(String revision) {
        return "policy@" + PolicyDecisions.shortRevision(revision);
    }

    /** With {@code policy} (compiled from {@code source}) activated: known by its revision, and the active one. */
    public ActivatedPolicies with(CompiledPolicy policy, String source) {
        Objects.requireNonNull(policy, "policy");
        Map<String, CompiledPolicy> next = new HashMap<>(byRevision);
        next.putIfAbsent(policy.revision(), policy);
        Map<String, String> nextSources = new HashMap<>(sources);
        nextSources.putIfAbsent(policy.revision(), source);
        return new ActivatedPolicies(Map.copyOf(next), Map.copyOf(nextSources),
                Optional.of(next.get(policy.revision())));
    }

    /**
     * With {@code policy} known by its revision, the active one unchanged: a policy recorded for the requests
     * made under it without being activated ({@link certgate.eventstore.PolicyRecorded}).
     */
    public ActivatedPolicies known(CompiledPolicy policy, String source) {
        Objects.requireNonNull(policy, "policy");
        if (byRevision.containsKey(policy.revision())) {
            return this;
        }
        Map<String, CompiledPolicy> next = new HashMap<>(byRevision);
        next.put(policy.revision(), policy);
        Map<String, String> nextSources = new HashMap<>(sources);
        nextSources.put(policy.revision(), source);
        return new ActivatedPolicies(Map.copyOf(next), Map.copyOf(nextSources), active);
    }

    /** The source of each known revision. */
    Map<String, String> sources() {
        return sources;
    }

    /** The policy activated with this revision, at any time. */
    public Optional<CompiledPolicy> get(String revision) {
        return Optional.ofNullable(byRevision.get(revision));
    }

    /** The policy activated last, if any. */
    public Optional<CompiledPolicy> active() {
        return active;
    }

    public int size() {
        return byRevision.size();
    }
}
