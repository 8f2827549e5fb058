package certgate.dsl.policy;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A CA profile's revocation settings: the mode, the profile's own CRL distribution point, how often to
 * refresh (zero: at the CRL's nextUpdate), and what to do when no usable CRL is at hand.
 */
public record RevocationCheck(RevocationMode mode, Optional<URI> crlUrl, Duration refreshInterval,
                              OnDownloadFailure onDownloadFailure) {
    public static final RevocationCheck DEFAULTS =
            new RevocationCheck(RevocationMode.CRL, Optional.empty(), Duration.ZERO, OnDownloadFailure.REJECT);

    public RevocationCheck {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(crlUrl, "crlUrl");
        Objects.requireNonNull(refreshInterval, "refreshInterval");
        Objects.requireNonNull(onDownloadFailure, "onDownloadFailure");
    }
}
