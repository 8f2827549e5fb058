package certgate.eventstore;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A refresh found the CRL the log already holds: the server answered 304 to a conditional fetch, or sent a body
 * with the same SHA-256. Recorded instead of the CRL again, so hourly refreshes of an unchanged 40 MB CRL add a
 * few hundred bytes each. {@code crlSha256} (hex) names the CRL still current; {@code at} restarts its refresh
 * interval.
 */
public record CrlUnchanged(String url, String issuer, String crlSha256, Instant at, int status,
                           Optional<String> etag, Optional<String> lastModified) implements Event {
    public CrlUnchanged {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(crlSha256, "crlSha256");
        if (!crlSha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("crlSha256 is not a SHA-256 in lower-case hex (64 digits)");
        }
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(etag, "etag");
        Objects.requireNonNull(lastModified, "lastModified");
    }
}
