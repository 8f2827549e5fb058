package certgate.eventstore;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A CRL entered the state: loaded by hand from a file ({@code source} "file:NAME") or fetched from a
 * distribution point ({@code source} the URL, {@code fetch} when and how it arrived). Its signature is checked by
 * the engine when a path reaches its issuer, not trusted because it was recorded.
 */
public record CrlLoaded(Blob crl, String source, Optional<Fetch> fetch) implements Event {
    public CrlLoaded {
        Objects.requireNonNull(crl, "crl");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(fetch, "fetch");
    }

    /** A CRL loaded by hand, from a file. */
    public CrlLoaded(Blob crl, String source) {
        this(crl, source, Optional.empty());
    }

    /**
     * What the distribution point said when the CRL was fetched: the time of the fetch (the adapter's clock),
     * the HTTP status (0 for LDAP), and the validators for the next conditional fetch.
     */
    public record Fetch(Instant at, int status, Optional<String> etag, Optional<String> lastModified) {
        public Fetch {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(etag, "etag");
            Objects.requireNonNull(lastModified, "lastModified");
        }
    }
}
