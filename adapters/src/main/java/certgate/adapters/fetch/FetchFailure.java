package certgate.adapters.fetch;

/**
 * Why a fetch gave nothing usable, as a stable code recorded in {@code CrlFetchFailed}. The codes for a body
 * that arrived but is not the CRL wanted (not a CRL, wrong issuer, bad signature, expired) are decided by the
 * engine after the fetch, and recorded with the same event.
 */
public enum FetchFailure {
    /** The URL is not allowed: a scheme other than http, https, ldap, or credentials in it. */
    URL_NOT_ALLOWED,
    /** No connection: refused, unreachable, or the name did not resolve. */
    REFUSED,
    /** Connect, or the whole transfer, took longer than its limit. */
    TIMEOUT,
    /** The HTTP server answered with a status other than 200 or 304. */
    HTTP_STATUS,
    /** More redirects than allowed, a loop, or a redirect to a scheme other than http or https. */
    REDIRECT,
    /** The body is larger than the limit. */
    TOO_LARGE,
    /** The LDAP entry the URL names does not exist. */
    LDAP_NO_SUCH_ENTRY,
    /** The LDAP entry exists but holds no value of the attribute the URL names. */
    LDAP_NO_SUCH_ATTRIBUTE,
    /** Any other protocol error (TLS handshake, a malformed answer, an LDAP error code). */
    PROTOCOL
}
