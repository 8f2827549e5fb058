package certgate.engine.x509;

import java.security.PublicKey;
import java.util.Optional;

/** RFC 5280 6.1.4 (d)-(f): a DSA subject key without parameters takes those of its issuer's working key. */
public final class DsaParameters {
    private DsaParameters() {
    }

    public static Optional<PublicKey> inherit(ParsedCertificate subject, PublicKey issuerWorkingKey) {
        if (!subject.publicKey().needsParameters()) {
            return subject.publicKey().key();
        }
        return PublicKeys.inheritDsa(subject.publicKeyInfo(), issuerWorkingKey);
    }
}
