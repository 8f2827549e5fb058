package certgate.engine;

import certgate.engine.trace.TraceStep;
import certgate.eventstore.Reason;
import certgate.eventstore.Verdict;
import java.util.List;
import java.util.Objects;

/**
 * The engine's answer to one validation request: a verdict, its one primary reason, the trace of every step
 * in Junos's order, and the path that was validated (peer first), empty when none was built.
 */
public record Decision(Verdict verdict, Reason reason, List<TraceStep> trace, List<PathCertificate> path) {
    public Decision {
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(reason, "reason");
        trace = List.copyOf(trace);
        path = List.copyOf(path);
        if ((verdict == Verdict.ACCEPT) != (reason == Reason.OK)) {
            throw new IllegalArgumentException("verdict " + verdict + " does not go with reason " + reason);
        }
    }

    public boolean accepted() {
        return verdict == Verdict.ACCEPT;
    }
}
