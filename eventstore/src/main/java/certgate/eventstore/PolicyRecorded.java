package certgate.eventstore;

import java.util.Objects;

/**
 * A policy's source text and revision recorded without bringing it into force: a request decided under a policy
 * other than the active one (an override for that request) names this revision, and a replay finds the policy
 * here. The active policy stays the one the last {@link PolicyActivated} brought in.
 */
public record PolicyRecorded(String revision, String source) implements Event {
    public PolicyRecorded {
        Objects.requireNonNull(revision, "revision");
        Objects.requireNonNull(source, "source");
    }
}
