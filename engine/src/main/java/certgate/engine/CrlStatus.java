package certgate.engine;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What the state's CRLs say of one serial of one CA ({@link Engine#crlStatus}), as an OCSP responder answers from
 * them: revoked (when, why, and by which CRL), not listed by the newest usable CRL (with its dates, so the answer
 * can carry thisUpdate and nextUpdate), or no usable CRL at all.
 */
public sealed interface CrlStatus permits CrlStatus.Revoked, CrlStatus.NotListed, CrlStatus.NoCrl {
    BigInteger serial();

    /**
     * Listed by {@code crl}: revoked since {@code revocationDate}, for the CRLReason code {@code reasonCode}
     * (RFC 5280 5.3.1) when the entry gives one.
     */
    record Revoked(BigInteger serial, Instant revocationDate, Optional<Integer> reasonCode, LoadedCrl crl)
            implements CrlStatus {
        public Revoked {
            Objects.requireNonNull(serial, "serial");
            Objects.requireNonNull(revocationDate, "revocationDate");
            Objects.requireNonNull(reasonCode, "reasonCode");
            Objects.requireNonNull(crl, "crl");
        }
    }

    /** Not listed by {@code crl}, the newest usable complete CRL of the CA, nor by any other of its CRLs. */
    record NotListed(BigInteger serial, LoadedCrl crl) implements CrlStatus {
        public NotListed {
            Objects.requireNonNull(serial, "serial");
            Objects.requireNonNull(crl, "crl");
        }
    }

    /** No CRL the engine could use speaks for the CA (or the CA is not in the state): the why, for a person. */
    record NoCrl(BigInteger serial, String why) implements CrlStatus {
        public NoCrl {
            Objects.requireNonNull(serial, "serial");
            Objects.requireNonNull(why, "why");
        }
    }
}
