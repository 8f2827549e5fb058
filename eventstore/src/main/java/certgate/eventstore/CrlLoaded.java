package certgate.eventstore;

import java.util.Objects;

/**
 * A CRL entered the state: loaded by hand from a file ({@code source} "file:NAME") or fetched from a
 * distribution point ({@code source} the URL). Its signature is checked by the engine when a path reaches its
 * issuer, not trusted because it was recorded.
 */
public record CrlLoaded(Blob crl, String source) implements Event {
    public CrlLoaded {
        Objects.requireNonNull(crl, "crl");
        Objects.requireNonNull(source, "source");
    }
}
