package certgate.adapters.store;

import certgate.engine.Engine;
import certgate.engine.LoadRejection;
import certgate.engine.LoadedCrl;
import certgate.engine.TrustedCertificate;
import certgate.engine.chain.Failure;
import certgate.engine.chain.PathValidator;
import certgate.engine.revocation.CrlFormatException;
import certgate.engine.revocation.StoredCrl;
import certgate.engine.x509.CertificateFormatException;
import certgate.engine.x509.Names;
import certgate.engine.x509.ParsedCertificate;
import certgate.engine.x509.Sha256;
import certgate.engine.x509.SignatureAlgorithm;
import certgate.engine.x509.Signatures;
import certgate.eventstore.Blob;
import certgate.eventstore.CaCertificateLoaded;
import certgate.eventstore.CrlLoaded;
import certgate.eventstore.Event;
import java.security.PublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.asn1.x509.KeyUsage;

/**
 * Decides, before anything is appended, whether CA certificates and CRLs may enter a store. A load the engine
 * would keep out, or never use, is refused with a reason, so that an operator never believes a CA or CRL is in
 * force when it is not:
 *
 * <ul>
 * <li>a CA certificate: the engine must read it (a trial apply, {@link Engine#rejectedLoads()}); it must be a CA
 *     as the engine checks an issuer or trust anchor at decision time (RFC 5280 profile, basicConstraints cA,
 *     keyCertSign when keyUsage is present, no unknown critical extension, a subject and a
 *     subjectKeyIdentifier); and when a CA that claims to have issued it is loaded (by name or by key
 *     identifier; itself, for a self-issued one), its signature must verify with one of them; a certificate that
 *     is neither self-issued nor names its issuer's key (no authorityKeyIdentifier) is refused, since nothing
 *     could ever check its signature;</li>
 * <li>a CRL: the engine must read it; it must not break a rule that makes the engine ignore it (no cRLNumber, an
 *     unknown critical extension, a delta CRL); and when a CA that claims it (by name or key identifier) is
 *     loaded, its signature must verify with one entitled to sign CRLs. A CRL whose issuer is not loaded (an
 *     intermediate's, say) is kept: its signature is checked when a chain reaches that issuer.</li>
 * </ul>
 *
 * The CA rules are the path validator's own ({@link PathValidator#anchorProblem}); they are asked here because the
 * engine, being total over any log, would otherwise keep such a certificate in silence and reject every path
 * through it.
 */
public final class LoadCheck {

    /** Object {@code object} (from 1) of the {@code objects} in {@code file}. */
    public record Named(String file, int object, int objects, Blob blob) {
        /** How messages name it: {@code ca.pem}, or {@code ca.pem (object 2 of 3)}. */
        public String origin() {
            return objects == 1 ? file : file + " (object " + object + " of " + objects + ")";
        }
    }

    /** What becomes of one object. */
    public sealed interface Outcome permits Accepted, AlreadyLoaded, Refused {
        String origin();

        String message();
    }

    /** To be appended as {@code event}. */
    public record Accepted(String origin, Event event, String message) implements Outcome {
    }

    /** The store (or this load) has it already: nothing to append. */
    public record AlreadyLoaded(String origin, String message) implements Outcome {
    }

    /** Not to be loaded, for the reason in the message. */
    public record Refused(String origin, String message) implements Outcome {
    }

    private final Engine engine;
    private final List<ParsedCertificate> storeCas;

    private LoadCheck(Engine engine, List<ParsedCertificate> storeCas) {
        this.engine = engine;
        this.storeCas = storeCas;
    }

    /**
     * A check against a store whose state is {@code engine} and whose CA certificates (the blobs of its
     * {@link CaCertificateLoaded} events) are {@code caCertificates}.
     */
    public static LoadCheck against(Engine engine, List<Blob> caCertificates) {
        List<ParsedCertificate> parsed = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Blob blob : caCertificates) {
            if (seen.add(blob.sha256Hex())) {
                parse(blob).ifPresent(parsed::add);
            }
        }
        return new LoadCheck(engine, List.copyOf(parsed));
    }

    /** Every object of the load, checked together (one may be another's issuer), in the order given. */
    public List<Outcome> caCertificates(List<Named> certificates, String profile) {
        List<TrustedCertificate> trusted = engine.trustedCertificates();
        List<ParsedCertificate> batch = new ArrayList<>();
        for (Named named : certificates) {
            parse(named.blob()).filter(certificate -> caProblem(certificate).isEmpty()).ifPresent(batch::add);
        }
        List<ParsedCertificate> issuers = new ArrayList<>(storeCas);
        issuers.addAll(batch);
        List<Outcome> outcomes = new ArrayList<>();
        Set<String> inThisLoad = new HashSet<>();
        for (Named named : certificates) {
            outcomes.add(caCertificate(named, profile, trusted, issuers, inThisLoad));
        }
        return outcomes;
    }

    private Outcome caCertificate(Named named, String profile, List<TrustedCertificate> trusted,
                                  List<ParsedCertificate> issuers, Set<String> inThisLoad) {
        String origin = named.origin();
        CaCertificateLoaded event = new CaCertificateLoaded(profile, named.blob());
        Optional<LoadRejection> rejection = trialRejection(event);
        if (rejection.isPresent()) {
            return new Refused(origin, "the engine cannot read this certificate: " + rejection.get().problem());
        }
        ParsedCertificate certificate = parse(named.blob()).orElseThrow();
        String what = "CA '" + certificate.subject().text() + "' (serial " + certificate.serialHex() + ", sha256 "
                + certificate.sha256().shortHex() + ")";
        Optional<String> problem = caProblem(certificate);
        if (problem.isPresent()) {
            return new Refused(origin, problem.get() + "; the engine would never take it as an issuer or trust"
                    + " anchor");
        }
        boolean inStore = trusted.stream().anyMatch(t -> t.sha256().equals(certificate.sha256().hex())
                && t.profiles().contains(profile));
        if (inStore || !inThisLoad.add(certificate.sha256().hex())) {
            return new AlreadyLoaded(origin, what + " is already loaded under profile " + profile
                    + (inStore ? "" : " (given twice)"));
        }
        List<ParsedCertificate> candidates = issuersOf(certificate, issuers);
        if (candidates.isEmpty() && certificate.authorityKeyId().isEmpty()) {
            return new Refused(origin, "'" + certificate.subject().text() + "' (serial " + certificate.serialHex()
                    + ") is not self-issued and has no authorityKeyIdentifier (RFC 5280 4.2.1.1 requires one): its"
                    + " issuer cannot be told, so its signature could never be checked");
        }
        if (candidates.isEmpty()) {
            return new Accepted(origin, event, what + " under profile " + profile + "; its issuer '"
                    + certificate.issuer().text() + "' is not loaded, so a path may end here (partial path"
                    + " validation)");
        }
        if (!(certificate.signatureAlgorithm() instanceof SignatureAlgorithm.Known known)) {
            return new Accepted(origin, event, what + " under profile " + profile + "; its signature was not"
                    + " checked: " + ((SignatureAlgorithm.Unknown) certificate.signatureAlgorithm()).why());
        }
        for (ParsedCertificate issuer : candidates) {
            Optional<PublicKey> key = issuer.publicKey().key();
            if (key.isPresent() && Signatures.verify(known.algorithm(), key.get(), certificate.tbs(),
                    certificate.signature())) {
                String how = issuer.equals(certificate) ? "self-signed"
                        : "signature verified with CA '" + issuer.subject().text() + "' (serial "
                        + issuer.serialHex() + ")";
                return new Accepted(origin, event, what + " under profile " + profile + "; " + how);
            }
        }
        return new Refused(origin, "the signature of '" + certificate.subject().text() + "' (serial "
                + certificate.serialHex() + ") does not verify with the key of " + describe(candidates)
                + ": the certificate was altered, or was not issued by the CA loaded under that name");
    }

    /**
     * Every CRL of the load, in the order given, each recorded with the source {@code file:NAME}. {@code now}
     * only adds a note when a CRL's nextUpdate is past (such a CRL is still accepted: a replay of past decisions
     * may need it).
     */
    public List<Outcome> crls(List<Named> crls, Instant now) {
        List<LoadedCrl> inStore = engine.crls();
        Set<String> inThisLoad = new HashSet<>();
        List<Outcome> outcomes = new ArrayList<>();
        for (Named named : crls) {
            outcomes.add(crl(named, "file:" + named.file(), now, inStore, inThisLoad));
        }
        return outcomes;
    }

    private Outcome crl(Named named, String source, Instant now, List<LoadedCrl> inStore, Set<String> inThisLoad) {
        String origin = named.origin();
        CrlLoaded event = new CrlLoaded(named.blob(), source);
        Optional<LoadRejection> rejection = trialRejection(event);
        if (rejection.isPresent()) {
            return new Refused(origin, "the engine cannot read this CRL: " + rejection.get().problem());
        }
        StoredCrl crl;
        try {
            crl = StoredCrl.load(named.blob().bytes(), source);
        } catch (CrlFormatException | RuntimeException e) {
            return new Refused(origin, "the engine cannot read this CRL: " + e.getMessage());
        }
        String what = "CRL of '" + crl.issuer().text() + "' (thisUpdate " + crl.thisUpdate() + ", nextUpdate "
                + crl.nextUpdate().map(Instant::toString).orElse("none") + ", " + crl.index().size()
                + " entries, sha256 " + crl.sha256().shortHex() + ")";
        if (!crl.problems().isEmpty()) {
            return new Refused(origin, what + " would never be used: " + String.join("; ", crl.problems()));
        }
        if (crl.delta()) {
            return new Refused(origin, what + " is a delta CRL; certgate uses complete CRLs only");
        }
        boolean stored = inStore.stream().anyMatch(loaded -> loaded.sha256().equals(crl.sha256().hex()));
        if (stored || !inThisLoad.add(crl.sha256().hex())) {
            return new AlreadyLoaded(origin, what + " is already loaded" + (stored ? "" : " (given twice)"));
        }
        String stale = crl.nextUpdate().filter(next -> next.isBefore(now))
                .map(next -> " (note: its nextUpdate is past, so it covers no decision made now)").orElse("");
        List<ParsedCertificate> candidates = new ArrayList<>();
        for (ParsedCertificate ca : storeCas) {
            if (claims(crl.issuer(), crl.authorityKeyId(), ca)) {
                candidates.add(ca);
            }
        }
        if (candidates.isEmpty()) {
            return new Accepted(origin, event, what + "; its issuer is not a loaded CA, so it is kept and its"
                    + " signature is checked when a chain reaches that issuer" + stale);
        }
        if (!(crl.algorithm() instanceof SignatureAlgorithm.Known known)) {
            return new Refused(origin, what + " would never be used: "
                    + ((SignatureAlgorithm.Unknown) crl.algorithm()).why());
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
            return new Accepted(origin, event, what + "; signature verified with CA '" + ca.subject().text()
                    + "' (serial " + ca.serialHex() + ")" + stale);
        }
        if (!notEntitled.isEmpty()) {
            return new Refused(origin, what + " is signed by " + String.join(", ", notEntitled)
                    + ", whose keyUsage lacks cRLSign: the engine would never use it");
        }
        return new Refused(origin, "the signature of the " + what + " does not verify with the key of "
                + describe(candidates) + ": the CRL was altered, or was not issued by the CA loaded under that name");
    }

    private Optional<LoadRejection> trialRejection(Event event) {
        List<LoadRejection> before = engine.rejectedLoads();
        List<LoadRejection> after = engine.apply(event).rejectedLoads();
        return after.size() > before.size() ? Optional.of(after.get(after.size() - 1)) : Optional.empty();
    }

    /**
     * What the engine's path validator would hold against this certificate as an issuer or trust anchor (asked of
     * the validator itself), and a signature algorithm named two ways, which makes it unfit to be loaded.
     */
    static Optional<String> caProblem(ParsedCertificate certificate) {
        Optional<String> problem = PathValidator.anchorProblem(certificate).map(Failure::detail);
        if (problem.isEmpty() && !certificate.signatureAlgorithmsMatch()) {
            problem = Optional.of(PathValidator.describe(certificate) + " names a signature algorithm that differs"
                    + " from the one in its signed part");
        }
        return problem;
    }

    /**
     * Loaded CAs that claim to have signed {@code certificate}: those with its issuer's name, and those whose
     * subjectKeyIdentifier is its authorityKeyIdentifier; the certificate itself when it is self-issued or names
     * its own key as the signer's. Either claim is enough to demand a signature that verifies: a changed issuer
     * name or key identifier must not turn a certificate whose signer is known into one whose signer is unknown
     * (and so unchecked).
     */
    private static List<ParsedCertificate> issuersOf(ParsedCertificate certificate, List<ParsedCertificate> issuers) {
        List<ParsedCertificate> candidates = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        seen.add(certificate.sha256().hex());
        if (certificate.selfIssued() || claims(certificate.issuer(), certificate.authorityKeyId(), certificate)) {
            candidates.add(certificate);
        }
        for (ParsedCertificate issuer : issuers) {
            if (claims(certificate.issuer(), certificate.authorityKeyId(), issuer) && seen.add(issuer.sha256().hex())) {
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

    private static Optional<ParsedCertificate> parse(Blob blob) {
        try {
            return Optional.of(ParsedCertificate.parse(blob.bytes(), Sha256.ofDigest(blob.sha256())));
        } catch (CertificateFormatException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
