package certgate.engine;

import certgate.engine.revocation.CrlStore;
import certgate.engine.revocation.RevokedEntry;
import certgate.engine.revocation.StoredCrl;
import certgate.engine.x509.ParsedCertificate;
import certgate.engine.x509.SignatureAlgorithm;
import certgate.engine.x509.VerificationCache;
import java.math.BigInteger;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.x509.KeyUsage;

/**
 * {@link Engine#crlStatus}: the serial looked up in the CRLs of one CA of the state. Only CRLs the CA itself
 * signed count (signature verified with its key, cRLSign when it has keyUsage), and only complete, direct ones
 * without a rule that makes the engine ignore them. A serial that any of them lists is revoked, whether that CRL
 * is the newest or not (fail closed); "not listed" is said only by a CRL whose scope is every certificate of the
 * CA (no issuingDistributionPoint). Whether that CRL is current is the caller's to judge from its dates.
 */
final class CrlLookup {
    private CrlLookup() {
    }

    static CrlStatus status(ParsedCertificate ca, CrlStore crls, VerificationCache cache, BigInteger serial) {
        List<StoredCrl> usable = usable(ca, crls, cache);
        for (StoredCrl crl : usable) {
            for (RevokedEntry entry : crl.index().entriesFor(serial)) {
                if (entry.certificateIssuer().isEmpty()) {
                    return new CrlStatus.Revoked(serial, entry.revocationDate(), entry.reasonCode(), describe(crl));
                }
            }
        }
        Optional<StoredCrl> complete = complete(usable);
        if (complete.isPresent()) {
            return new CrlStatus.NotListed(serial, describe(complete.get()));
        }
        return new CrlStatus.NoCrl(serial, usable.isEmpty()
                ? "no usable CRL of '" + ca.subject().text() + "' is loaded"
                : "the CRLs of '" + ca.subject().text() + "' cover only part of its certificates"
                + " (issuingDistributionPoint) and none lists the serial");
    }

    /** The CRL in force for {@code ca}: the newest usable one whose scope is every certificate of the CA. */
    static Optional<StoredCrl> inForce(ParsedCertificate ca, CrlStore crls, VerificationCache cache) {
        return complete(usable(ca, crls, cache));
    }

    private static Optional<StoredCrl> complete(List<StoredCrl> usable) {
        return usable.stream().filter(crl -> crl.issuingDistributionPoint().isEmpty()).findFirst();
    }

    /** The CRLs of {@code ca} that count, newest first. */
    private static List<StoredCrl> usable(ParsedCertificate ca, CrlStore crls, VerificationCache cache) {
        List<StoredCrl> usable = new ArrayList<>();
        for (StoredCrl crl : crls.issuedBy(ca.subject().key())) {
            if (usable(crl, ca, cache)) {
                usable.add(crl);
            }
        }
        return usable;
    }

    private static boolean usable(StoredCrl crl, ParsedCertificate ca, VerificationCache cache) {
        if (!crl.problems().isEmpty() || crl.delta() || crl.indirect()) {
            return false;
        }
        if (ca.hasKeyUsage() && !ca.keyUsageAllows(KeyUsage.cRLSign)) {
            return false;
        }
        Optional<PublicKey> key = ca.publicKey().key();
        if (key.isEmpty() || !(crl.algorithm() instanceof SignatureAlgorithm.Known known)) {
            return false;
        }
        return cache.verifies(ca.sha256(), key.get(), true, crl.sha256(), known.algorithm(), crl.index().tbsCertList(),
                () -> crl.index().signatureValue());
    }

    /** A CRL of the state as the public surface shows it. */
    static LoadedCrl describe(StoredCrl crl) {
        return new LoadedCrl(crl.issuer().text(), crl.thisUpdate(), crl.nextUpdate(), crl.index().size(),
                crl.sha256().hex(), crl.source());
    }
}
