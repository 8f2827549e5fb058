package certgate.adapters.fetch;

import java.net.URI;

/**
 * Fetches one CRL from one distribution point (HTTP, HTTPS or LDAP). The only place certgate touches the
 * network for revocation: what it returns is recorded as an event before any decision uses it, so a replay
 * reproduces the decision without fetching. Implementations enforce {@link FetchLimits}, refuse URLs that
 * {@link #refusal(URI)} refuses, and coalesce concurrent fetches of one URL into one.
 */
public interface CrlFetcher {
    /**
     * Fetches {@code url}, conditionally when {@code previous} names what the log already holds from it (HTTP
     * {@code If-None-Match}/{@code If-Modified-Since}; for LDAP and for servers that ignore them, the caller
     * compares the SHA-256 of the body). Never throws for a network or server fault: that is a
     * {@link FetchOutcome.Failed}. The body is not checked as a CRL here; the engine does that.
     */
    FetchOutcome fetch(URI url, FetchOutcome.Validators previous);

    /** Why {@code url} may not be fetched at all (scheme, credentials in it), or null when it may. */
    String refusal(URI url);
}
