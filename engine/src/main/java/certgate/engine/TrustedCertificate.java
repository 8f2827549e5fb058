package certgate.engine;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/** A locally stored CA certificate of the engine's state, as a person (or {@code certgate replay}) reads it. */
public record TrustedCertificate(String subject, String issuer, String serialHex, String sha256,
                                 Set<String> profiles, Instant notBefore, Instant notAfter) {
    public TrustedCertificate {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(serialHex, "serialHex");
        Objects.requireNonNull(sha256, "sha256");
        profiles = Set.copyOf(profiles);
        Objects.requireNonNull(notBefore, "notBefore");
        Objects.requireNonNull(notAfter, "notAfter");
    }
}
