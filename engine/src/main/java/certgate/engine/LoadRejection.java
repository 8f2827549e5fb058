package certgate.engine;

import java.util.Objects;

/**
 * An event whose certificate or CRL the engine could not read, kept out of the state. Adapters refuse such loads
 * before appending them, but the engine is total over any log: it records why and goes on.
 */
public record LoadRejection(Kind kind, String sha256, String origin, String problem) {
    public enum Kind { CA_CERTIFICATE, CRL, POLICY }

    public LoadRejection {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(problem, "problem");
    }
}
