package certgate.eventstore;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A peer asked to be authenticated. {@code at} is the validation time: the engine never reads a clock, so a
 * replay decides at the same instant. {@code gateway} names the gateway when the caller chose it instead of a
 * lookup; {@code policyRevision} the policy in force, when there is one.
 */
public record ValidationRequested(
        String requestId,
        Blob peer,
        List<Blob> chain,
        Optional<IkeIdentity> identity,
        Instant at,
        ValidationSettings settings,
        Optional<String> gateway,
        Optional<String> policyRevision) implements Event {

    public ValidationRequested {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(peer, "peer");
        chain = List.copyOf(chain);
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(gateway, "gateway");
        Objects.requireNonNull(policyRevision, "policyRevision");
    }
}
