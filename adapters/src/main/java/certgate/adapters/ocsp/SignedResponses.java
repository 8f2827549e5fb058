package certgate.adapters.ocsp;

import certgate.eventstore.OcspAnswered;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
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

    /**
     * A response for one CertID, with the answer to record each time it is sent (one {@link OcspAnswered}) and
     * what HTTP caches may know of it.
     */
    record Signed(byte[] response, List<OcspAnswered> answers, Optional<OcspResponder.Freshness> freshness,
                  String caSha256, String crls, Optional<Instant> goodUntil) {
        Signed {
            answers = List.copyOf(answers);
        }

        boolean validFor(IssuerIndex.Ca ca, Instant now) {
            return caSha256.equals(ca.sha256()) && crls.equals(ca.crls())
                    && goodUntil.map(until -> !now.isAfter(until)).orElse(true);
        }
    }

    private final ConcurrentHashMap<ByteBuffer, Signed> byCertId = new ConcurrentHashMap<>();

    /**
     * The answer kept for {@code certId} (a CertID's DER) if it is still right for {@code ca} at {@code now}, else
     * null: this is the lookup every repeated request makes, so it allocates nothing.
     */
    Signed find(ByteBuffer certId, IssuerIndex.Ca ca, Instant now) {
        Signed signed = byCertId.get(certId);
        return signed != null && signed.validFor(ca, now) ? signed : null;
    }

    /** Keeps {@code signed} for {@code certId}, a buffer nobody changes afterwards. */
    void keep(ByteBuffer certId, Signed signed) {
        if (byCertId.size() >= MAX_ENTRIES) {
            byCertId.clear();
        }
        byCertId.put(certId, signed);
    }

    int size() {
        return byCertId.size();
    }
}
