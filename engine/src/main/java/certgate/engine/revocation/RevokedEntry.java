package certgate.engine.revocation;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.bouncycastle.asn1.x509.GeneralNames;

/**
 * One revoked certificate of a CRL. {@code certificateIssuer} is the entry's effective issuer: from its
 * certificateIssuer extension or the last one seen before it in the CRL (RFC 5280 5.3.3), else empty (= the
 * CRL issuer).
 */
public record RevokedEntry(BigInteger serial, Instant revocationDate, Optional<Integer> reasonCode,
                           Optional<GeneralNames> certificateIssuer) {
    public RevokedEntry {
        Objects.requireNonNull(serial, "serial");
        Objects.requireNonNull(revocationDate, "revocationDate");
        Objects.requireNonNull(reasonCode, "reasonCode");
        Objects.requireNonNull(certificateIssuer, "certificateIssuer");
    }
}
