package certgate.engine;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** A CRL of the engine's state: issuer (RFC 4514), dates, number of entries, digest and where it came from. */
public record LoadedCrl(String issuer, Instant thisUpdate, Optional<Instant> nextUpdate, int entries, String sha256,
                        String source) {
    public LoadedCrl {
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(thisUpdate, "thisUpdate");
        Objects.requireNonNull(nextUpdate, "nextUpdate");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(source, "source");
    }

    /** Whether the CRL is current at {@code at}: its nextUpdate is present and not passed. */
    public boolean freshAt(Instant at) {
        return !thisUpdate.isAfter(at) && nextUpdate.map(next -> !next.isBefore(at)).orElse(false);
    }
}
