package certgate.eventstore;

import java.time.Instant;
import java.util.Objects;

/**
 * A fetch of a CRL distribution point gave nothing usable: {@code url} fetched at {@code at} (the adapter's
 * clock) for the CRL of {@code issuer} (the CA's subject, RFC 4514 as the engine prints it), and why. Recorded
 * before the decision that needed the CRL, so a replay shows the same sources tried without the network.
 * {@code status} is the HTTP status when there was one (0 otherwise); {@code detail} says what happened, for a
 * person, and never holds a credential.
 */
public record CrlFetchFailed(String url, String issuer, Code reason, Instant at, int status, String detail)
        implements Event {
    /** The longest detail recorded; a longer one is cut (a server's error page is not evidence). */
    public static final int MAX_DETAIL = 1024;

    /**
     * Why. The first codes are the network's (the fetcher's); the last four are decided by the engine on a body
     * that arrived. Stored by name: new codes are appended, none is renamed.
     */
    public enum Code {
        URL_NOT_ALLOWED, REFUSED, TIMEOUT, HTTP_STATUS, REDIRECT, TOO_LARGE, LDAP_NO_SUCH_ENTRY,
        LDAP_NO_SUCH_ATTRIBUTE, PROTOCOL, NOT_A_CRL, WRONG_ISSUER, BAD_SIGNATURE, EXPIRED
    }

    public CrlFetchFailed {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(detail, "detail");
        if (detail.length() > MAX_DETAIL) {
            detail = detail.substring(0, MAX_DETAIL - 3) + "...";
        }
    }
}
