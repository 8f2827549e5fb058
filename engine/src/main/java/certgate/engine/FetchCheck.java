package certgate.engine;

import certgate.engine.revocation.CrlFormatException;
import certgate.engine.revocation.StoredCrl;
import certgate.engine.x509.ParsedCertificate;
import certgate.engine.x509.Sha256;
import certgate.engine.x509.SignatureAlgorithm;
import certgate.engine.x509.Signatures;
import certgate.engine.x509.VerificationCache;
import certgate.eventstore.Blob;
import certgate.eventstore.CrlFetchFailed.Code;
import java.security.PublicKey;
import java.time.Instant;
import java.util.Optional;
import org.bouncycastle.asn1.x509.KeyUsage;

/**
 * {@link Engine#checkFetchedCrl}: a body from a distribution point becomes the CA's CRL only if it is one, names
 * the CA as issuer, verifies with the CA's key, and is still current. The CA is the one the need names, by its
 * certificate: a URL is only where a CRL was looked for, never a reason to believe what came back.
 */
final class FetchCheck {
    private FetchCheck() {
    }

    static FetchedCrl check(Blob body, CrlNeed need, String source, Instant now, VerificationCache cache) {
        StoredCrl crl;
        try {
            crl = StoredCrl.load(body, source);
        } catch (CrlFormatException | RuntimeException e) {
            return new FetchedCrl.Unusable(Code.NOT_A_CRL, "the body (" + body.length() + " bytes) is not a CRL: "
                    + e.getMessage());
        }
        VerificationCache.Parse parse = cache.parse(Sha256.ofDigest(need.issuerCertificate().sha256()),
                need.issuerCertificate()::bytes);
        if (!(parse instanceof VerificationCache.Parsed parsed)) {
            throw new IllegalArgumentException("the CA certificate of the need for '" + need.issuer()
                    + "' cannot be read");
        }
        ParsedCertificate ca = parsed.certificate();
        if (!crl.issuer().sameAs(ca.subject())) {
            return new FetchedCrl.Unusable(Code.WRONG_ISSUER, "the CRL was issued by '" + crl.issuer().text()
                    + "', not by '" + ca.subject().text() + "'");
        }
        if (crl.delta()) {
            return new FetchedCrl.Unusable(Code.NOT_A_CRL, "a delta CRL, which certgate does not use");
        }
        if (!crl.problems().isEmpty()) {
            return new FetchedCrl.Unusable(Code.NOT_A_CRL, "a CRL the engine would never use: "
                    + crl.problems().get(0));
        }
        Optional<PublicKey> key = ca.publicKey().key();
        if (key.isEmpty() || !(crl.algorithm() instanceof SignatureAlgorithm.Known known)
                || !Signatures.verify(known.algorithm(), key.get(), crl.index().tbsCertList(),
                crl.index().signatureValue())) {
            return new FetchedCrl.Unusable(Code.BAD_SIGNATURE, "its signature does not verify with the key of '"
                    + ca.subject().text() + "' (serial " + ca.serialHex() + ")");
        }
        if (ca.hasKeyUsage() && !ca.keyUsageAllows(KeyUsage.cRLSign)) {
            return new FetchedCrl.Unusable(Code.BAD_SIGNATURE, "'" + ca.subject().text() + "' may not sign CRLs"
                    + " (keyUsage without cRLSign)");
        }
        if (crl.nextUpdate().isEmpty()) {
            return new FetchedCrl.Unusable(Code.EXPIRED, "it has no nextUpdate, so it is never current");
        }
        if (now.isAfter(crl.nextUpdate().get().plus(need.clockSkew()))) {
            return new FetchedCrl.Unusable(Code.EXPIRED, "its nextUpdate " + crl.nextUpdate().get()
                    + " has passed (now " + now + ", clock skew " + need.clockSkew() + ")");
        }
        return new FetchedCrl.Usable(CrlLookup.describe(crl));
    }
}
