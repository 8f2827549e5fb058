package certgate.adapters.fetch;

import java.net.URI;
import java.time.Duration;

/** What one fetch of a distribution point gave. */
public sealed interface FetchOutcome {
    /** The URL asked, as given (before redirects). */
    URI url();

    /** How long the fetch took, connect to last byte. */
    Duration took();

    /**
     * What identifies the version the server sent: {@code ETag} and {@code Last-Modified} (null when absent,
     * and always for LDAP), for a conditional fetch next time.
     */
    record Validators(String etag, String lastModified) {
        public static final Validators NONE = new Validators(null, null);
    }

    /**
     * A body arrived in full (status 200 for HTTP). {@code body} is the exact bytes received (DER or PEM, not
     * yet checked), {@code finalUrl} where it came from after redirects, {@code status} the HTTP status (0 for
     * LDAP).
     */
    record Fetched(URI url, URI finalUrl, int status, Validators validators, byte[] body, Duration took)
            implements FetchOutcome {
    }

    /** The server said the version named in the request is still current (HTTP 304). */
    record NotModified(URI url, int status, Validators validators, Duration took) implements FetchOutcome {
    }

    /** Nothing usable arrived; {@code detail} says what happened, for the trace and the event. */
    record Failed(URI url, FetchFailure failure, int status, String detail, Duration took) implements FetchOutcome {
    }
}
