package certgate.engine.revocation;

import certgate.engine.chain.Failure;
import certgate.engine.chain.PathValidator;
import certgate.engine.trace.TraceStep;
import certgate.engine.trace.TraceStep.Outcome;
import certgate.engine.trace.TraceStep.Step;
import certgate.engine.x509.Names;
import certgate.engine.x509.ParsedCertificate;
import certgate.engine.x509.SignatureAlgorithm;
import certgate.engine.x509.VerificationCache;
import certgate.eventstore.Reason;
import certgate.eventstore.ValidationSettings;
import certgate.eventstore.ValidationSettings.OnDownloadFailure;
import java.io.IOException;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.IssuingDistributionPoint;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.ReasonFlags;

/**
 * Revocation per RFC 5280 6.3 with complete CRLs, as PKITS 4.4, 4.5 and 4.14 test it: for each certificate of a
 * validated path but the trust anchor, every distribution point of the certificate (or the implied one when it
 * has none) is matched against the CRLs in the state (issuer or indirect cRLIssuer, issuingDistributionPoint
 * name and scope, reasons), newest first, until all reasons are covered or the certificate is found revoked.
 *
 * <p>A CRL is used only if it breaks no RFC 5280 rule, is complete (not a delta), and its signature verifies
 * with the key of a certificate entitled to sign it (cRLSign when keyUsage is present), other than the
 * certificate it covers, whose own path, from the same trust anchor, validates, revocation included. That path
 * is the decision's own when the CRL's issuer is the certificate's issuer; otherwise it is built and validated
 * through {@link SignerPaths} (PKITS 4.4.19-21).
 *
 * <p>Only a CRL current at the decision time (thisUpdate not after it, nextUpdate not before it, with the clock
 * skew) can clear a certificate. A stale CRL (nextUpdate passed, or none) may miss newer revocations, but a
 * revocation it lists was signed by the CA and stays true: it revokes the certificate as a current CRL would.
 *
 * <p>When no usable CRL covers a certificate, the outcome depends on why. A CRL that claims to cover it but
 * cannot be used (a bad signature, a signer without cRLSign, an unknown critical extension, no cRLNumber) is
 * evidence of a problem, not a download failure: the certificate is {@code CRL_UNAVAILABLE} whatever the
 * settings. Missing or stale CRLs that do not list it, and reasons left uncovered, follow
 * {@code onDownloadFailure}.
 */
public final class RevocationChecker {
    /** RFC 5280 6.3.3 all-reasons: every ReasonFlags bit but unused. */
    static final int ALL_REASONS = ReasonFlags.keyCompromise | ReasonFlags.cACompromise
            | ReasonFlags.affiliationChanged | ReasonFlags.superseded | ReasonFlags.cessationOfOperation
            | ReasonFlags.certificateHold | ReasonFlags.privilegeWithdrawn | ReasonFlags.aACompromise;
    private static final int REMOVE_FROM_CRL = 8;
    /** How deep CRL-signer paths may nest (a signer's CRL signed by another signer, and so on). */
    public static final int MAX_DEPTH = 3;

    /** Builds and validates, revocation included, the path of a CRL signer that is not on the decision's path. */
    public interface SignerPaths {
        /** Certificates known to the decision (trusted, sent by the peer) whose subject has this name key. */
        List<ParsedCertificate> withSubject(String nameKey);

        /** Empty when {@code signer} has a valid path to {@code anchor}; otherwise why not. */
        Optional<String> validate(ParsedCertificate signer, ParsedCertificate anchor, int depth);
    }

    public record Context(Instant at, ValidationSettings settings, VerificationCache cache, CrlStore crls,
                          SignerPaths signers, int depth) {
    }

    /** The outcome for a whole path: every certificate covered (or accepted without a CRL), or the failure. */
    public sealed interface Result permits Passed, Rejected {
        List<TraceStep> trace();
    }

    public record Passed(List<TraceStep> trace) implements Result {
    }

    public record Rejected(Failure failure, List<TraceStep> trace) implements Result {
    }

    private enum Status { GOOD, REVOKED, DEFECTIVE, MISSING }

    private final PathValidator.Valid path;
    private final Context context;
    private final List<TraceStep> trace = new ArrayList<>();
    private Instant validFrom = Instant.MIN;
    private Instant validUntil = Instant.MAX;
    private boolean timeless = true;

    private RevocationChecker(PathValidator.Valid path, Context context) {
        this.path = path;
        this.context = context;
    }

    public static Result check(PathValidator.Valid path, Context context) {
        if (context.settings().revocationCheck() == ValidationSettings.RevocationCheck.DISABLE) {
            return new Passed(List.of(new TraceStep(Step.REVOCATION, Outcome.SKIPPED,
                    "revocation check disabled")));
        }
        ValidationSettings settings = context.settings();
        MemoKey key = new MemoKey(path.path(), context.crls().fingerprint(), settings.onDownloadFailure(),
                settings.allowSha1(), settings.clockSkew());
        ParsedCertificate first = path.path().get(0);
        Remembered known = context.depth() == 0 ? context.cache().remember(first, key, () -> null) : null;
        if (known != null && known.holdsAt(context.at())) {
            return known.result();
        }
        RevocationChecker checker = new RevocationChecker(path, context);
        Result result = checker.run();
        if (context.depth() == 0 && checker.timeless) {
            context.cache().forget(first, key);
            context.cache().remember(first, key, () -> new Remembered(result, checker.validFrom,
                    checker.validUntil));
        }
        return result;
    }

    /**
     * A result with the time window in which it stays true: every CRL it looked at is current (or stale, or not
     * yet current) throughout. Results that validated a CRL signer's own path are not remembered, since that
     * path's validity periods would belong in the window too.
     */
    private record Remembered(Result result, Instant validFrom, Instant validUntil) {
        boolean holdsAt(Instant at) {
            return !at.isBefore(validFrom) && !at.isAfter(validUntil);
        }
    }

    private record MemoKey(List<ParsedCertificate> path, certgate.engine.x509.Sha256 crls,
                           OnDownloadFailure onDownloadFailure, boolean allowSha1, Duration clockSkew)
            implements VerificationCache.Key<Remembered> {
    }

    private Result run() {
        List<ParsedCertificate> certificates = path.path();
        for (int i = 0; i < certificates.size() - 1; i++) {
            Optional<Failure> failure = checkOne(i);
            if (failure.isPresent()) {
                trace.add(failure.get().trace());
                return new Rejected(failure.get(), trace);
            }
        }
        if (certificates.size() == 1) {
            trace.add(new TraceStep(Step.REVOCATION, Outcome.INFO, "nothing to check: the path is its anchor"));
        }
        return new Passed(trace);
    }

    /** The state of one certificate's check, as RFC 5280 6.3.3 keeps it, plus what the trace needs. */
    private final class CertificateCheck {
        final ParsedCertificate certificate;
        final int index;
        int reasonsMask;
        final List<String> used = new ArrayList<>();
        final List<String> defects = new ArrayList<>();
        final List<String> stale = new ArrayList<>();
        Optional<String> revoked = Optional.empty();

        CertificateCheck(int index) {
            this.index = index;
            this.certificate = path.path().get(index);
        }
    }

    private Optional<Failure> checkOne(int index) {
        CertificateCheck check = new CertificateCheck(index);
        Status status = evaluate(check);
        String who = PathValidator.describe(check.certificate);
        switch (status) {
            case GOOD -> {
                trace.add(new TraceStep(Step.REVOCATION, Outcome.PASS, who + ": not revoked per "
                        + String.join("; ", check.used)));
                return Optional.empty();
            }
            case REVOKED -> {
                return Optional.of(new Failure(Reason.REVOKED, Step.REVOCATION, who + " is revoked: "
                        + check.revoked.orElse(""), Failure.Stage.REVOCATION));
            }
            case DEFECTIVE -> {
                return Optional.of(new Failure(Reason.CRL_UNAVAILABLE, Step.REVOCATION, who
                        + ": no usable CRL covers it; " + String.join("; ", check.defects)
                        + coverage(check), Failure.Stage.REVOCATION));
            }
            default -> {
                String why = check.stale.isEmpty() ? "no CRL of its issuer covers it"
                        : "only stale CRLs: " + String.join("; ", check.stale);
                if (context.settings().onDownloadFailure() == OnDownloadFailure.ACCEPT) {
                    trace.add(new TraceStep(Step.REVOCATION, Outcome.WARN, who + ": revocation not checked: " + why
                            + coverage(check) + "; accepted because on-download-failure is accept"));
                    return Optional.empty();
                }
                return Optional.of(new Failure(Reason.CRL_UNAVAILABLE, Step.REVOCATION, who + ": " + why
                        + coverage(check) + " (on-download-failure reject)", Failure.Stage.REVOCATION));
            }
        }
    }

    private static String coverage(CertificateCheck check) {
        if (check.reasonsMask == 0) {
            return "";
        }
        return " (usable CRLs cover only some revocation reasons: " + String.join("; ", check.used) + ")";
    }

    private Status evaluate(CertificateCheck check) {
        ParsedCertificate certificate = check.certificate;
        List<DistributionPoint> points = distributionPoints(certificate);
        for (DistributionPoint point : points) {
            Optional<GeneralNames> crlIssuers = Optional.ofNullable(point.getCRLIssuer());
            for (Names.Name issuerName : crlIssuerNames(certificate, crlIssuers)) {
                for (StoredCrl crl : context.crls().issuedBy(issuerName.key())) {
                    if (check.reasonsMask == ALL_REASONS) {
                        return Status.GOOD;
                    }
                    Status status = consider(check, point, crl);
                    if (status == Status.REVOKED) {
                        return status;
                    }
                }
            }
        }
        if (check.reasonsMask == ALL_REASONS) {
            return Status.GOOD;
        }
        return check.defects.isEmpty() ? Status.MISSING : Status.DEFECTIVE;
    }

    /** RFC 5280 6.3.3 (b)-(j) for one CRL; GOOD here means "nothing against it yet". */
    private Status consider(CertificateCheck check, DistributionPoint point, StoredCrl crl) {
        ParsedCertificate certificate = check.certificate;
        boolean viaCrlIssuer = point.getCRLIssuer() != null;
        if (viaCrlIssuer && !crl.indirect()) {
            return Status.GOOD;
        }
        if (!inScope(certificate, point, crl)) {
            return Status.GOOD;
        }
        int interim = reasons(crl.issuingDistributionPoint().map(IssuingDistributionPoint::getOnlySomeReasons))
                & reasons(Optional.ofNullable(point.getReasons()));
        if ((interim & ~check.reasonsMask) == 0) {
            return Status.GOOD;
        }
        if (crl.delta()) {
            return Status.GOOD;
        }
        if (!crl.problems().isEmpty()) {
            check.defects.add(crl.describe() + " is unusable: " + crl.problems().get(0));
            return Status.GOOD;
        }
        Instant at = context.at();
        Duration skew = context.settings().clockSkew();
        Instant currentFrom = crl.thisUpdate().minus(skew);
        if (at.isBefore(currentFrom)) {
            narrow(Instant.MIN, currentFrom.minusSeconds(1));
            check.stale.add(crl.describe() + " is not yet current");
            return Status.GOOD;
        }
        Optional<String> stale = Optional.empty();
        if (crl.nextUpdate().isEmpty()) {
            narrow(currentFrom, Instant.MAX);
            stale = Optional.of(" has no nextUpdate");
        } else {
            Instant currentUntil = crl.nextUpdate().get().plus(skew);
            if (at.isAfter(currentUntil)) {
                narrow(currentUntil.plusSeconds(1), Instant.MAX);
                stale = Optional.of(" is stale (nextUpdate passed)");
            } else {
                narrow(currentFrom, currentUntil);
            }
        }
        Optional<RevokedEntry> listed = revocationOf(certificate, crl);
        // A stale CRL may miss newer revocations, so it cannot clear a certificate; but the revocations it does
        // list were signed by the CA and stay true after its nextUpdate.
        if (stale.isPresent() && listed.isEmpty()) {
            check.stale.add(crl.describe() + stale.get());
            return Status.GOOD;
        }
        Optional<String> signerProblem = signer(check, crl);
        if (signerProblem.isPresent()) {
            check.defects.add(crl.describe() + ": " + signerProblem.get());
            return Status.GOOD;
        }
        if (listed.isPresent()) {
            RevokedEntry entry = listed.get();
            check.revoked = Optional.of("on " + crl.describe() + " since " + entry.revocationDate()
                    + entry.reasonCode().map(code -> ", reason " + reasonName(code)).orElse("")
                    + stale.map(why -> "; the CRL" + why + ", but a revocation it lists stays true").orElse(""));
            return Status.REVOKED;
        }
        check.reasonsMask |= interim;
        check.used.add(crl.describe());
        return Status.GOOD;
    }

    /** The CRL's entry that revokes the certificate, if any (removeFromCRL entries revoke nothing). */
    private static Optional<RevokedEntry> revocationOf(ParsedCertificate certificate, StoredCrl crl) {
        for (RevokedEntry entry : crl.index().entriesFor(certificate.serial())) {
            if (entryConcerns(entry, crl, certificate) && entry.reasonCode().orElse(0) != REMOVE_FROM_CRL) {
                return Optional.of(entry);
            }
        }
        return Optional.empty();
    }

    private void narrow(Instant from, Instant until) {
        if (from.isAfter(validFrom)) {
            validFrom = from;
        }
        if (until.isBefore(validUntil)) {
            validUntil = until;
        }
    }

    /** RFC 5280 6.3.3 (b)(2): the issuingDistributionPoint's name and scope cover the certificate. */
    private static boolean inScope(ParsedCertificate certificate, DistributionPoint point, StoredCrl crl) {
        Optional<IssuingDistributionPoint> found = crl.issuingDistributionPoint();
        if (found.isEmpty()) {
            return true;
        }
        IssuingDistributionPoint idp = found.get();
        if (idp.onlyContainsAttributeCerts()) {
            return false;
        }
        if (idp.onlyContainsUserCerts() && certificate.isCa()) {
            return false;
        }
        if (idp.onlyContainsCACerts() && !certificate.isCa()) {
            return false;
        }
        if (idp.getDistributionPoint() == null) {
            return true;
        }
        List<GeneralName> idpNames = expand(idp.getDistributionPoint(), crl.index().issuer());
        if (point.getDistributionPoint() != null) {
            X500Name base = point.getCRLIssuer() != null ? firstDirectoryName(point.getCRLIssuer())
                    .orElse(certificate.issuerX500()) : certificate.issuerX500();
            return intersect(idpNames, expand(point.getDistributionPoint(), base));
        }
        GeneralNames issuers = point.getCRLIssuer() != null ? point.getCRLIssuer()
                : new GeneralNames(new GeneralName(certificate.issuerX500()));
        return intersect(idpNames, Arrays.asList(issuers.getNames()));
    }

    private static List<GeneralName> expand(DistributionPointName name, X500Name base) {
        if (name.getType() == DistributionPointName.FULL_NAME) {
            return Arrays.asList(GeneralNames.getInstance(name.getName()).getNames());
        }
        RDN relative = RDN.getInstance(name.getName());
        RDN[] rdns = Arrays.copyOf(base.getRDNs(), base.getRDNs().length + 1);
        rdns[rdns.length - 1] = relative;
        return List.of(new GeneralName(new X500Name(rdns)));
    }

    private static boolean intersect(List<GeneralName> a, List<GeneralName> b) {
        for (GeneralName x : a) {
            for (GeneralName y : b) {
                if (sameName(x, y)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean sameName(GeneralName x, GeneralName y) {
        if (x.getTagNo() != y.getTagNo()) {
            return false;
        }
        if (x.getTagNo() == GeneralName.directoryName) {
            return Names.of(X500Name.getInstance(x.getName())).sameAs(Names.of(X500Name.getInstance(y.getName())));
        }
        try {
            return Arrays.equals(x.getEncoded(ASN1Encoding.DER), y.getEncoded(ASN1Encoding.DER));
        } catch (IOException e) {
            return false;
        }
    }

    /** The certificate's distribution points, or the implied one (no name, all reasons, CRL issuer = issuer). */
    private static final List<DistributionPoint> IMPLIED = List.of(new DistributionPoint(null, null, null));

    private static List<DistributionPoint> distributionPoints(ParsedCertificate certificate) {
        if (certificate.crlDistributionPoints().isEmpty()) {
            return IMPLIED;
        }
        DistributionPoint[] points = certificate.crlDistributionPoints().get().getDistributionPoints();
        return points.length == 0 ? IMPLIED : Arrays.asList(points);
    }

    private static List<Names.Name> crlIssuerNames(ParsedCertificate certificate, Optional<GeneralNames> names) {
        if (names.isEmpty()) {
            return List.of(certificate.issuer());
        }
        Set<Names.Name> found = new LinkedHashSet<>();
        for (GeneralName name : names.get().getNames()) {
            if (name.getTagNo() == GeneralName.directoryName) {
                found.add(Names.of(X500Name.getInstance(name.getName())));
            }
        }
        return List.copyOf(found);
    }

    private static Optional<X500Name> firstDirectoryName(GeneralNames names) {
        for (GeneralName name : names.getNames()) {
            if (name.getTagNo() == GeneralName.directoryName) {
                return Optional.of(X500Name.getInstance(name.getName()));
            }
        }
        return Optional.empty();
    }

    private static int reasons(Optional<ReasonFlags> flags) {
        return flags.map(f -> f.intValue() & ALL_REASONS).orElse(ALL_REASONS);
    }

    /** In an indirect CRL an entry concerns the issuer its certificateIssuer names; otherwise the CRL's issuer. */
    private static boolean entryConcerns(RevokedEntry entry, StoredCrl crl, ParsedCertificate certificate) {
        if (!crl.indirect() || entry.certificateIssuer().isEmpty()) {
            return crl.issuer().sameAs(certificate.issuer());
        }
        for (GeneralName name : entry.certificateIssuer().get().getNames()) {
            if (name.getTagNo() == GeneralName.directoryName
                    && Names.of(X500Name.getInstance(name.getName())).sameAs(certificate.issuer())) {
                return true;
            }
        }
        return false;
    }

    /** The certificates a CRL's signer is looked for among: the path above the certificate (and itself). */
    private List<ParsedCertificate> signerScope(CertificateCheck check, StoredCrl crl) {
        List<ParsedCertificate> certificates = path.path();
        return certificates.subList(crl.indirect() ? check.index : check.index + 1, certificates.size());
    }

    private record SignerKey(certgate.engine.x509.Sha256 crl, List<ParsedCertificate> scope, boolean allowSha1,
                             boolean ownKeyAbove) implements VerificationCache.Key<Optional<String>> {
    }

    /**
     * {@link #verifySigner}, remembered per CRL and path above the certificate when the answer came from that
     * path alone (every peer of one issuer shares it). Other answers are worked out again: one that validated
     * another signer's path depends on the time, and a failure on the certificates the request brought. A
     * certificate above with the certificate's own key is refused as signer, so that is part of the key.
     */
    private Optional<String> signer(CertificateCheck check, StoredCrl crl) {
        List<ParsedCertificate> scope = signerScope(check, crl);
        boolean ownKeyAbove = false;
        for (ParsedCertificate above : scope) {
            ownKeyAbove |= above != check.certificate && above.sameKeyAs(check.certificate);
        }
        SignerKey key = new SignerKey(crl.sha256(), List.copyOf(scope), context.settings().allowSha1(),
                ownKeyAbove);
        Optional<String> known = context.cache().remember(key, () -> null);
        if (known != null) {
            return known;
        }
        boolean wasTimeless = timeless;
        timeless = true;
        Optional<String> answer = verifySigner(check, crl);
        if (timeless && answer.isEmpty()) {
            context.cache().remember(key, () -> answer);
        }
        timeless = wasTimeless && timeless;
        return answer;
    }

    /**
     * RFC 5280 6.3.3 (f)-(g): a certificate entitled to sign the CRL whose signature verifies and whose path
     * validates from the same trust anchor. Empty when one is found; otherwise what was wrong with each.
     *
     * <p>A certificate never vouches for its own revocation status: a CRL signed with the certificate's own key
     * is not used for it (a CA that certified its new key under its old one, and whose old key revoked that
     * certificate, must not clear it with a CRL signed by the new key). The one exception is a CRL issuer whose
     * own issuer named it as the cRLIssuer of the certificate's distribution point for an indirect CRL: that
     * issuer chose to have the CRL issuer's certificate covered by its own CRL (PKITS 4.14.30).
     */
    private Optional<String> verifySigner(CertificateCheck check, StoredCrl crl) {
        if (!(crl.algorithm() instanceof SignatureAlgorithm.Known known)) {
            return Optional.of(((SignatureAlgorithm.Unknown) crl.algorithm()).why());
        }
        SignatureAlgorithm algorithm = known.algorithm();
        if (algorithm.hash().weak(context.settings().allowSha1())) {
            return Optional.of("signed with " + algorithm.name() + ", which is refused");
        }
        List<ParsedCertificate> certificates = path.path();
        ParsedCertificate anchor = certificates.get(certificates.size() - 1);
        boolean delegated = coveredByItsOwnCrlIssuer(check.certificate, crl);
        List<String> problems = new ArrayList<>();
        List<ParsedCertificate> otherKeys = new ArrayList<>();
        for (ParsedCertificate candidate : signerCandidates(check, crl)) {
            if (crl.authorityKeyId().isPresent() && candidate.subjectKeyId().isPresent()
                    && !crl.authorityKeyId().equals(candidate.subjectKeyId())) {
                otherKeys.add(candidate);
                continue;
            }
            String who = describe(candidate);
            if (candidate.sameKeyAs(check.certificate) && !delegated) {
                problems.add("it is signed with the key of " + who + ", the certificate it would cover: a "
                        + "certificate never vouches for its own revocation status (RFC 5280 6.3.3)");
                continue;
            }
            if (candidate.hasKeyUsage() && !candidate.keyUsageAllows(KeyUsage.cRLSign)) {
                problems.add(who + " may not sign CRLs (keyUsage without cRLSign)");
                continue;
            }
            int onPath = certificates.indexOf(candidate);
            // On the path at or above the certificate: that path is validated (a cRLIssuer may sign the CRL
            // that covers its own certificate, PKITS 4.14.30).
            boolean validatedByPath = onPath >= check.index;
            Optional<PublicKey> signingKey = keyOf(candidate, validatedByPath);
            if (signingKey.isEmpty()) {
                problems.add(who + " has no usable key: "
                        + candidate.publicKey().problem().orElse("DSA parameters cannot be inherited"));
                continue;
            }
            if (!verifiesWith(candidate, signingKey.get(), crl, algorithm)) {
                problems.add("its signature does not verify with the key of " + who);
                continue;
            }
            if (validatedByPath) {
                return Optional.empty();
            }
            if (context.depth() >= MAX_DEPTH) {
                problems.add("the path of CRL signer " + who + " is nested too deep to validate");
                continue;
            }
            timeless = false;
            Optional<String> invalid = context.signers().validate(candidate, anchor, context.depth() + 1);
            if (invalid.isEmpty()) {
                return Optional.empty();
            }
            problems.add("the path of CRL signer " + who + " does not validate: " + invalid.get());
        }
        // The CA of the CRL's name whose key the CRL's authorityKeyIdentifier does not name: say whether the
        // signature verifies with its key, since "no such CA" would hide that the name is a known CA's.
        for (ParsedCertificate candidate : otherKeys) {
            Optional<PublicKey> signingKey = keyOf(candidate, certificates.indexOf(candidate) >= check.index);
            if (signingKey.isPresent() && verifiesWith(candidate, signingKey.get(), crl, algorithm)) {
                problems.add("its authorityKeyIdentifier names another key than that of " + describe(candidate)
                        + ", the CA of that name, whose key signed it");
            } else {
                problems.add("its signature does not verify with the key of " + describe(candidate)
                        + ", the CA of that name (its authorityKeyIdentifier names another key)");
            }
        }
        // A failure depends on which other certificates the request brought: it is never remembered.
        timeless = false;
        if (problems.isEmpty()) {
            return Optional.of("no certificate named '" + crl.issuer().text() + "' to verify its signature with");
        }
        return Optional.of(String.join("; ", problems));
    }

    private static String describe(ParsedCertificate candidate) {
        return "'" + candidate.subject().text() + "' (serial " + candidate.serialHex() + ")";
    }

    /** The key to verify with: the path's working key (DSA parameters inherited) when the path validated it. */
    private Optional<PublicKey> keyOf(ParsedCertificate candidate, boolean validatedByPath) {
        int onPath = path.path().indexOf(candidate);
        if (validatedByPath && path.workingKeys().get(onPath) != null) {
            return Optional.of(path.workingKeys().get(onPath));
        }
        return candidate.publicKey().key();
    }

    private boolean verifiesWith(ParsedCertificate candidate, PublicKey key, StoredCrl crl,
                                 SignatureAlgorithm algorithm) {
        boolean ownKey = !path.path().contains(candidate) || !candidate.publicKey().needsParameters();
        return context.cache().verifies(candidate.sha256(), key, ownKey, crl.sha256(), algorithm,
                crl.index().tbsCertList(), crl.index()::signatureValue);
    }

    /**
     * The certificate's issuer named the CRL's issuer as the cRLIssuer of one of the certificate's distribution
     * points, and the CRL is indirect: the certificate may then be the one that signs the CRL covering it.
     */
    private static boolean coveredByItsOwnCrlIssuer(ParsedCertificate certificate, StoredCrl crl) {
        if (!crl.indirect()) {
            return false;
        }
        for (DistributionPoint point : distributionPoints(certificate)) {
            if (point.getCRLIssuer() == null) {
                continue;
            }
            for (Names.Name name : crlIssuerNames(certificate, Optional.of(point.getCRLIssuer()))) {
                if (name.sameAs(crl.issuer())) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The path from the certificate up (its issuer first in practice), then any other known certificate. */
    private List<ParsedCertificate> signerCandidates(CertificateCheck check, StoredCrl crl) {
        Set<ParsedCertificate> ordered = new LinkedHashSet<>();
        for (ParsedCertificate certificate : signerScope(check, crl)) {
            if (certificate.subject().sameAs(crl.issuer())) {
                ordered.add(certificate);
            }
        }
        ordered.addAll(context.signers().withSubject(crl.issuer().key()));
        return List.copyOf(ordered);
    }

    private static String reasonName(int code) {
        return switch (code) {
            case 0 -> "unspecified";
            case 1 -> "keyCompromise";
            case 2 -> "cACompromise";
            case 3 -> "affiliationChanged";
            case 4 -> "superseded";
            case 5 -> "cessationOfOperation";
            case 6 -> "certificateHold";
            case 8 -> "removeFromCRL";
            case 9 -> "privilegeWithdrawn";
            case 10 -> "aACompromise";
            default -> "code " + code;
        };
    }
}
