package certgate.eventstore;

import java.util.Objects;

/** The engine's answer to the request with the same id. The trace is not stored: a replay recomputes it. */
public record ValidationDecided(String requestId, Verdict verdict, Reason reason) implements Event {
    public ValidationDecided {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(reason, "reason");
    }
}
