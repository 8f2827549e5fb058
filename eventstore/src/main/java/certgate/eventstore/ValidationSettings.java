package certgate.eventstore;

import java.time.Duration;
import java.util.Objects;

/**
 * How a request is to be validated: the CLI options of {@code certgate verify}, or a CA profile's settings
 * under a policy. Recorded with the request so that a replay decides under the same settings.
 */
public record ValidationSettings(
        RevocationCheck revocationCheck,
        OnDownloadFailure onDownloadFailure,
        PathValidation pathValidation,
        int maxCaLevels,
        boolean allowSha1,
        Duration clockSkew) {

    public enum RevocationCheck { CRL, DISABLE }

    public enum OnDownloadFailure { REJECT, ACCEPT }

    public enum PathValidation { PARTIAL, FULL }

    /** The Junos defaults: check CRLs, fail closed, partial paths, seven CA levels, no SHA-1, no skew. */
    public static final ValidationSettings DEFAULTS = new ValidationSettings(
            RevocationCheck.CRL, OnDownloadFailure.REJECT, PathValidation.PARTIAL, 7, false, Duration.ZERO);

    public ValidationSettings {
        Objects.requireNonNull(revocationCheck, "revocationCheck");
        Objects.requireNonNull(onDownloadFailure, "onDownloadFailure");
        Objects.requireNonNull(pathValidation, "pathValidation");
        Objects.requireNonNull(clockSkew, "clockSkew");
        if (maxCaLevels < 1 || maxCaLevels > 16) {
            throw new IllegalArgumentException("maxCaLevels must be 1..16, was " + maxCaLevels);
        }
        if (clockSkew.isNegative()) {
            throw new IllegalArgumentException("clockSkew must not be negative, was " + clockSkew);
        }
    }
}
