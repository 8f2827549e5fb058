package certgate.engine.trace;

import java.util.Objects;

/**
 * One step of a decision: which step ({@link Step}), what it looked at (subjects, serials, the CRL, the key)
 * and what it found, and whether it passed. A trace lists the steps in Junos's order, and sub-steps (one per
 * certificate of the path) as several entries of the same step.
 */
public record TraceStep(Step step, Outcome outcome, String detail) {
    public enum Step { GATEWAY, CHAIN, SIGNATURE, VALIDITY, CONSTRAINTS, IDENTITY, REVOCATION }

    /** WARN: the step let the decision through without doing its check (revocation not checked, and why). */
    public enum Outcome { PASS, FAIL, SKIPPED, INFO, WARN }

    public TraceStep {
        Objects.requireNonNull(step, "step");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(detail, "detail");
    }
}
