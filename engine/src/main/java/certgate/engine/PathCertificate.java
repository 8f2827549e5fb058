package certgate.engine;

import java.util.Objects;

/**
 * A certificate of a validated path as a person reads it: subject and issuer in RFC 4514 order (most specific
 * RDN first), serial in hex, SHA-256 fingerprint in hex, and where it came from.
 */
public record PathCertificate(String subject, String issuer, String serialHex, String sha256, Source source) {
    public enum Source { PEER, CHAIN, TRUSTED }

    public PathCertificate {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(serialHex, "serialHex");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(source, "source");
    }
}
