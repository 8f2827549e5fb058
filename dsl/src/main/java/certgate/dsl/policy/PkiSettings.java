package certgate.dsl.policy;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/** The policy's {@code pki} section (without its CA profiles). */
public record PkiSettings(PathValidation pathValidation, int maxCaLevels, Duration clockSkew,
                          boolean allowSha1Signatures, Optional<URI> defaultCdp) {
    public static final PkiSettings DEFAULTS =
            new PkiSettings(PathValidation.PARTIAL, 7, Duration.ZERO, false, Optional.empty());

    public PkiSettings {
        Objects.requireNonNull(pathValidation, "pathValidation");
        Objects.requireNonNull(clockSkew, "clockSkew");
        Objects.requireNonNull(defaultCdp, "defaultCdp");
        if (maxCaLevels < 1 || maxCaLevels > 16) {
            throw new IllegalArgumentException("max-ca-levels must be 1..16, was " + maxCaLevels);
        }
    }
}
