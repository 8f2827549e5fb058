package certgate.engine.chain;

import certgate.engine.trace.TraceStep;
import certgate.eventstore.Reason;
import java.util.Objects;

/**
 * Why a candidate path was not accepted: the reason, the step that found it, what it found, and how far the
 * path got ({@link Stage}), so that among several failed candidates the most promising one is reported.
 */
public record Failure(Reason reason, TraceStep.Step step, String detail, Stage stage) {
    /** The steps in the order a path meets them; a later stage means a path that got further. */
    public enum Stage { CHAIN, SIGNATURE, VALIDITY, CONSTRAINTS, IDENTITY, REVOCATION }

    public Failure {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(step, "step");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(stage, "stage");
    }

    public TraceStep trace() {
        return new TraceStep(step, TraceStep.Outcome.FAIL, detail);
    }
}
