package certgate.adapters.ocsp;

import certgate.eventstore.OcspAnswered;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Signed answers kept for reuse, per CertID (which names the CA and the serial) and responder, so that a busy
 * gateway costs a lookup and not a signature. An answer stays good while the CA's CRLs are those it was made
 * from and, for {@code good}, while that CRL is current; only answers to a request for one CertID without a nonce
 * are kept (a nonce must be signed fresh). Bounded: past {@link #MAX_ENTRIES} the cache starts over.
 */
final class SignedResponses {
    static final int MAX_ENTRIES = 100_000;

    /** A response for one CertID, with the answer to record each time it is sent. */
    record Signed(byte[] response, OcspAnswered answer, String caSha256, String crls, Optional<Instant> goodUntil) {
        boolean validFor(IssuerIndex.Ca ca, Instant now) {
            return caSha256.equals(ca.sha256()) && crls.equals(ca.crls())
                    && goodUntil.map(until -> !now.isAfter(until)).orElse(true);
        }
    }

    private final ConcurrentHashMap<ByteBuffer, Signed> byCertId = new ConcurrentHashMap<>();

    Optional<Signed> find(byte[] certId, IssuerIndex.Ca ca, Instant now) {
        Signed signed = byCertId.get(ByteBuffer.wrap(certId));
        return signed != null && signed.validFor(ca, now) ? Optional.of(signed) : Optional.empty();
    }

    void keep(byte[] certId, Signed signed) {
        if (byCertId.size() >= MAX_ENTRIES) {
            byCertId.clear();
        }
        byCertId.put(ByteBuffer.wrap(certId.clone()), signed);
    }

    int size() {
        return byCertId.size();
    }
}
