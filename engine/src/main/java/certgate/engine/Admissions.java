package certgate.engine;

import certgate.engine.Admission.Admitted;
import certgate.engine.Admission.AlreadyHeld;
import certgate.engine.Admission.Refused;
import certgate.engine.chain.Failure;
import certgate.engine.chain.PathValidator;
import certgate.engine.revocation.CrlFormatException;
import certgate.engine.revocation.CrlStore;
import certgate.engine.revocation.StoredCrl;
import certgate.engine.x509.Names;
import certgate.engine.x509.ParsedCertificate;
import certgate.engine.x509.Sha256;
import certgate.engine.x509.SignatureAlgorithm;
import certgate.engine.x509.Signatures;
import certgate.engine.x509.VerificationCache;
import certgate.eventstore.Blob;
import java.security.PublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.asn1.x509.KeyUsage;

/**
 * The rules behind {@link Engine#admitCaCertificates} and {@link Engine#admitCrls}:
 *
 * <ul>
 * <li>a CA certificate: the engine must read it; it must be a CA as the engine checks an issuer or trust anchor
 *     at decision time (the path validator's own rules: RFC 5280 profile, basicConstraints cA, keyCertSign when
 *     keyUsage is present, no unknown critical extension, a subject and a subjectKeyIdentifier); and when a CA
 *     that claims to have issued it is held (by name or by key identifier; itself, for a self-issued one), its
 *     signature must verify with one of them; a certificate that is neither self-issued nor names its issuer's
 *     key (no authorityKeyIdentifier) is refused, since nothing could ever check its signature;</li>
 * <li>a CRL: the engine must read it; it must not break a rule that makes the engine ignore it (no cRLNumber, an
 *     unknown critical extension, a delta CRL); and when a CA that claims it (by name or key identifier) is
 *     held, its signature must verify with one entitled to sign CRLs. A CRL whose issuer is not held (an
 *     intermediate's, say) is admitted: its signature is checked when a chain reaches that issuer.</li>
 * </ul>
 *
 * The engine, being total over any log, would otherwise keep such a certificate in silence and reject every path
 * through it.
 */
final class Admissions {
    private final TrustStore trust;
    private final CrlStore crls;
    private final VerificationCache cache;

    Admissions(TrustStore trust, CrlStore crls, VerificationCache cache) {
        this.trust = trust;
        this.crls = crls;
        this.cache = cache;
    }

    List<Admission> caCertificates(List<byte[]> certificates, String profile) {
        List<ParsedCertificate> issuers = new ArrayList<>();
        trust.entries().forEach(entry -> issuers.add(entry.certificate()));
        for (byte[] der : certificates) {
            if (parse(der) instanceof VerificationCache.Parsed parsed && caProblem(parsed.certificate()).isEmpty()) {
                issuers.add(parsed.certificate());
            }
        }
        List<Admission> admissions = new ArrayList<>();
        Set<Sha256> inThisLoad = new HashSet<>();
        for (byte[] der : certificates) {
            admissions.add(caCertificate(der, profile, issuers, inThisLoad));
        }
        return admissions;
    }

    private Admission caCertificate(byte[] der, String profile, List<ParsedCertificate> issuers,
                                    Set<Sha256> inThisLoad) {
        VerificationCache.Parse parse = parse(der);
        if (parse instanceof VerificationCache.Malformed malformed) {
            return new Refused("the engine cannot read this certificate: " + malformed.problem());
        }
        ParsedCertificate certificate = ((VerificationCache.Parsed) parse).certificate();
        String what = "CA '" + certificate.subject().text() + "' (serial " + certificate.serialHex() + ", sha256 "
                + certificate.sha256().shortHex() + ")";
        Optional<String> problem = caProblem(certificate);
        if (problem.isPresent()) {
            return new Refused(problem.get() + "; the engine would never take it as an issuer or trust anchor");
        }
        TrustStore.Entry held = trust.entry(certificate);
        boolean inStore = held != null && held.profiles().contains(profile);
        if (inStore || !inThisLoad.add(certificate.sha256())) {
            return new AlreadyHeld(what + " is already loaded under profile " + profile
                    + (inStore ? "" : " (given twice)"));
        }
        List<ParsedCertificate> candidates = issuersOf(certificate, issuers);
        if (candidates.isEmpty() && certificate.authorityKeyId().isEmpty()) {
            return new Refused("'" + certificate.subject().text() + "' (serial " + certificate.serialHex()
                    + ") is not self-issued and has no authorityKeyIdentifier (RFC 5280 4.2.1.1 requires one): its"
                    + " issuer cannot be told, so its signature could never be checked");
        }
        if (candidates.isEmpty()) {
            return new Admitted(what + " under profile " + profile + "; its issuer '" + certificate.issuer().text()
                    + "' is not loaded, so a path may end here (partial path validation)");
        }
        if (!(certificate.signatureAlgorithm() instanceof SignatureAlgorithm.Known known)) {
            return new Admitted(what + " under profile " + profile + "; its signature was not checked: "
                    + ((SignatureAlgorithm.Unknown) certificate.signatureAlgorithm()).why());
        }
        for (ParsedCertificate issuer : candidates) {
            Optional<PublicKey> key = issuer.publicKey().key();
            if (key.isPresent() && Signatures.verify(known.algorithm(), key.get(), certificate.tbs(),
                    certificate.signature())) {
                String how = issuer.equals(certificate) ? "self-signed"
                        : "signature verified with CA '" + issuer.subject().text() + "' (serial "
                        + issuer.serialHex() + ")";
                return new Admitted(what + " under profile " + profile + "; " + how);
            }
        }
        return new Refused("the signature of '" + certificate.subject().text() + "' (serial "
                + certificate.serialHex() + ") does not verify with the key of " + describe(candidates)
                + ": the certificate was altered, or was not issued by the CA loaded under that name");
    }

    List<Admission> crls(List<Blob> crlsToLoad, Instant at) {
        Set<Sha256> held = new HashSet<>();
        crls.all().forEach(crl -> held.add(crl.sha256()));
        Set<Sha256> inThisLoad = new HashSet<>();
        List<Admission> admissions = new ArrayList<>();
        for (Blob der : crlsToLoad) {
            admissions.add(crl(der, at, held, inThisLoad));
        }
        return admissions;
    }

    private Admission crl(Blob der, Instant at, Set<Sha256> held, Set<Sha256> inThisLoad) {
        StoredCrl crl;
        try {
            crl = StoredCrl.load(der, "admission check");
        } catch (CrlFormatException | RuntimeException e) {
            return new Refused("the engine cannot read this CRL: " + e.getMessage());
        }
        String what = "CRL of '" + crl.issuer().text() + "' (thisUpdate " + crl.thisUpdate() + ", nextUpdate "
                + crl.nextUpdate().map(Instant::toString).orElse("none") + ", " + crl.index().size()
                + " entries, sha256 " + crl.sha256().shortHex() + ")";
        if (!crl.problems().isEmpty()) {
            return new Refused(what + " would never be used: " + String.join("; ", crl.problems()));
        }
        if (crl.delta()) {
            return new Refused(what + " is a delta CRL; certgate uses complete CRLs only");
        }
        boolean stored = held.contains(crl.sha256());
        if (stored || !inThisLoad.add(crl.sha256())) {
            return new AlreadyHeld(what + " is already loaded" + (stored ? "" : " (given twice)"));
        }
        String stale = crl.nextUpdate().filter(next -> next.isBefore(at))
                .map(next -> " (note: its nextUpdate is past, so it covers no decision made now)").orElse("");
        List<ParsedCertificate> candidates = new ArrayList<>();
        for (TrustStore.Entry entry : trust.entries()) {
            if (claims(crl.issuer(), crl.authorityKeyId(), entry.certificate())) {
                candidates.add(entry.certificate());
            }
        }
        if (candidates.isEmpty()) {
            return new Admitted(what + "; its issuer is not a loaded CA, so it is kept and its signature is checked"
                    + " when a chain reaches that issuer" + stale);
        }
        if (!(crl.algorithm() instanceof SignatureAlgorithm.Known known)) {
            return new Refused(what + " would never be used: " + ((SignatureAlgorithm.Unknown) crl.algorithm()).why());
        }
        List<String> notEntitled = new ArrayList<>();
        for (ParsedCertificate ca : candidates) {
            Optional<PublicKey> key = ca.publicKey().key();
            if (key.isEmpty() || !Signatures.verify(known.algorithm(), key.get(), crl.index().tbsCertList(),
                    crl.index().signatureValue())) {
                continue;
            }
            if (ca.hasKeyUsage() && !ca.keyUsageAllows(KeyUsage.cRLSign)) {
                notEntitled.add("'" + ca.subject().text() + "' (serial " + ca.serialHex() + ")");
                continue;
            }
            return new Admitted(what + "; signature verified with CA '" + ca.subject().text() + "' (serial "
                    + ca.serialHex() + ")" + stale);
        }
        if (!notEntitled.isEmpty()) {
            return new Refused(what + " is signed by " + String.join(", ", notEntitled)
                    + ", whose keyUsage lacks cRLSign: the engine would never use it");
        }
        return new Refused("the signature of the " + what + " does not verify with the key of "
                + describe(candidates) + ": the CRL was altered, or was not issued by the CA loaded under that name");
    }

    private VerificationCache.Parse parse(byte[] der) {
        return cache.parse(Sha256.of(der), () -> der);
    }

    /**
     * What the engine's path validator would hold against this certificate as an issuer or trust anchor (asked of
     * the validator itself), and a signature algorithm named two ways, which makes it unfit to be loaded.
     */
    private static Optional<String> caProblem(ParsedCertificate certificate) {
        Optional<String> problem = PathValidator.anchorProblem(certificate).map(Failure::detail);
        if (problem.isEmpty() && !certificate.signatureAlgorithmsMatch()) {
            problem = Optional.of(PathValidator.describe(certificate) + " names a signature algorithm that differs"
                    + " from the one in its signed part");
        }
        return problem;
    }

    /**
     * Held CAs that claim to have signed {@code certificate}: those with its issuer's name, and those whose
     * subjectKeyIdentifier is its authorityKeyIdentifier; the certificate itself when it is self-issued or names
     * its own key as the signer's. Either claim is enough to demand a signature that verifies: a changed issuer
     * name or key identifier must not turn a certificate whose signer is known into one whose signer is unknown
     * (and so unchecked).
     */
    private static List<ParsedCertificate> issuersOf(ParsedCertificate certificate, List<ParsedCertificate> issuers) {
        List<ParsedCertificate> candidates = new ArrayList<>();
        Set<Sha256> seen = new HashSet<>();
        seen.add(certificate.sha256());
        if (certificate.selfIssued() || claims(certificate.issuer(), certificate.authorityKeyId(), certificate)) {
            candidates.add(certificate);
        }
        for (ParsedCertificate issuer : issuers) {
            if (claims(certificate.issuer(), certificate.authorityKeyId(), issuer) && seen.add(issuer.sha256())) {
                candidates.add(issuer);
            }
        }
        return candidates;
    }

    /** Whether a signed object naming {@code issuerName} and {@code authorityKeyId} claims {@code ca} as signer. */
    private static boolean claims(Names.Name issuerName, Optional<String> authorityKeyId, ParsedCertificate ca) {
        return ca.subject().sameAs(issuerName)
                || authorityKeyId.isPresent() && authorityKeyId.equals(ca.subjectKeyId());
    }

    private static String describe(List<ParsedCertificate> cas) {
        List<String> names = new ArrayList<>();
        for (ParsedCertificate ca : cas) {
            names.add("'" + ca.subject().text() + "' (serial " + ca.serialHex() + ")");
        }
        return (cas.size() == 1 ? "the loaded CA " : "any of the loaded CAs ") + String.join(", ", names);
    }
}
