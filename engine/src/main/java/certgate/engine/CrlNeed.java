package certgate.engine;

import certgate.eventstore.Blob;
import certgate.eventstore.CrlFetchFailed;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The CRL of one CA as the state holds it, and where a fresh one may be fetched, in the order to try: the answer
 * an adapter asks for before it decides ({@link Engine#crlNeeds}) or refreshes ({@link Engine#caCrls}), so that
 * the network is touched only by the adapter and only where the engine says.
 *
 * <p>{@code issuer} is the CA's subject as the engine prints it (RFC 4514), which the fetch events record;
 * {@code issuerCertificate} the CA certificate a fetched CRL must be signed by; {@code inForce} the newest CRL of
 * the CA held; {@code lastChecked} the last fetch that gave it or found it unchanged; {@code nextDue} when it is
 * due again (its nextUpdate, or the refresh interval after {@code lastChecked}, whichever comes first).
 */
public record CrlNeed(String issuer, Blob issuerCertificate, Status status, String why, Optional<LoadedCrl> inForce,
                      Optional<Instant> lastChecked, Optional<Instant> nextDue, Optional<CrlFetchFailed> lastFailure,
                      List<CrlSource> sources, List<Previous> previous, Duration clockSkew) {

    /** Whether the CRL in force may be used as it is, is due for a refresh, or is missing. */
    public enum Status { FRESH, DUE, MISSING }

    /** Where a CRL may come from, and why that URL (the fallback order of Junos). */
    public record CrlSource(URI url, Origin origin) {
        public enum Origin {
            /** The CRL distribution points of the certificate whose issuer's CRL is needed (verified along a path). */
            CERTIFICATE_CDP,
            /** The CA profile's {@code revocation-check.crl.url}. */
            PROFILE,
            /** The policy's {@code pki.default-cdp}. */
            DEFAULT_CDP
        }

        public CrlSource {
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(origin, "origin");
        }
    }

    /**
     * The last good fetch from {@code url} (a CRL fetched, or found unchanged): what the server called that
     * version ({@code ETag}, {@code Last-Modified}) for a conditional fetch, and the SHA-256 of the CRL it was.
     */
    public record Previous(String url, Optional<String> etag, Optional<String> lastModified, String crlSha256) {
        public Previous {
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(etag, "etag");
            Objects.requireNonNull(lastModified, "lastModified");
            Objects.requireNonNull(crlSha256, "crlSha256");
        }
    }

    public CrlNeed {
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(issuerCertificate, "issuerCertificate");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(why, "why");
        Objects.requireNonNull(inForce, "inForce");
        Objects.requireNonNull(lastChecked, "lastChecked");
        Objects.requireNonNull(nextDue, "nextDue");
        Objects.requireNonNull(lastFailure, "lastFailure");
        sources = List.copyOf(sources);
        previous = List.copyOf(previous);
        Objects.requireNonNull(clockSkew, "clockSkew");
    }

    /** The last good fetch from {@code url}, if the log has one for this CA. */
    public Optional<Previous> previous(URI url) {
        return previous.stream().filter(p -> p.url().equals(url.toString())).findFirst();
    }

    /** Whether an adapter should fetch before deciding: the CRL is missing or due. */
    public boolean fetchNeeded() {
        return status != Status.FRESH;
    }
}
