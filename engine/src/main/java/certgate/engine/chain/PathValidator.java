package certgate.engine.chain;

import certgate.engine.chain.Failure.Stage;
import certgate.engine.trace.TraceStep;
import certgate.engine.trace.TraceStep.Outcome;
import certgate.engine.trace.TraceStep.Step;
import certgate.engine.x509.DsaParameters;
import certgate.engine.x509.ParsedCertificate;
import certgate.engine.x509.PublicKeys;
import certgate.engine.x509.SignatureAlgorithm;
import certgate.engine.x509.VerificationCache;
import certgate.eventstore.Reason;
import certgate.eventstore.ValidationSettings;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.x509.KeyUsage;

/**
 * RFC 5280 section 6.1 over one candidate path (peer or CRL signer first, locally stored certificate last),
 * in Junos's order of steps: signatures, validity, then constraints. The last certificate is the trust
 * anchor: its name and key start the algorithm, as RFC 5280 wants; beyond the RFC, its validity period, its
 * CA-ness, its critical extensions and its name and path length constraints are checked too, since in
 * partial mode it is a locally stored intermediate as often as a root.
 *
 * <p>CA levels ({@code maxCaLevels}) count the trust anchor and every CA certificate of the path that is not
 * self-issued (a key-rollover certificate is the same CA, as RFC 5280 counts path length).
 */
public final class PathValidator {
    /** What the path's first certificate is for: its key usage is checked accordingly. */
    public enum Purpose { IKE_PEER, CRL_SIGNER }

    /**
     * Everything a validation depends on besides the path; {@code at} already truncated to seconds. The cache
     * also keeps what does not depend on the time (signatures, constraints) per path and settings.
     */
    public record Context(Instant at, ValidationSettings settings, VerificationCache cache, Purpose purpose,
                          PolicyTree.Initial policies) {
        /** A gateway's context: policy processing starts from {@link PolicyTree.Initial#GATEWAY}. */
        public Context(Instant at, ValidationSettings settings, VerificationCache cache, Purpose purpose) {
            this(at, settings, cache, purpose, PolicyTree.Initial.GATEWAY);
        }
    }

    /** The outcome: a path that validates (with each certificate's working public key) or the reason it does not. */
    public sealed interface Result permits Valid, Invalid {
        List<ParsedCertificate> path();

        List<TraceStep> trace();
    }

    public record Valid(List<ParsedCertificate> path, List<PublicKey> workingKeys, List<TraceStep> trace)
            implements Result {
    }

    public record Invalid(List<ParsedCertificate> path, Failure failure, List<TraceStep> trace) implements Result {
    }

    /** What holds for a path whatever the time: found once per path and settings, then remembered. */
    record Timeless(Optional<Failure> failure, List<TraceStep> signatureSteps, Optional<TraceStep> constraintsStep,
                    List<PublicKey> workingKeys) {
    }

    private static final String IPSEC_IKE = "1.3.6.1.5.5.7.3.17";
    private static final String ANY_EXTENDED_KEY_USAGE = "2.5.29.37.0";

    private final List<ParsedCertificate> path;
    private final Context context;
    private final List<TraceStep> trace = new ArrayList<>();
    private final PublicKey[] workingKeys;

    private PathValidator(List<ParsedCertificate> path, Context context) {
        this.path = path;
        this.context = context;
        this.workingKeys = new PublicKey[path.size()];
    }

    public static Result validate(List<ParsedCertificate> path, Context context) {
        if (path.isEmpty()) {
            throw new IllegalArgumentException("a path has at least one certificate");
        }
        List<ParsedCertificate> copy = List.copyOf(path);
        Timeless timeless = PathMemo.timeless(copy, context, () -> new PathValidator(copy, context).timeless());
        List<TraceStep> trace = new ArrayList<>(timeless.signatureSteps());
        Optional<Failure> failure = timeless.failure();
        boolean beforeValidity = failure.isPresent() && failure.get().stage().compareTo(Stage.VALIDITY) < 0;
        if (!beforeValidity) {
            Optional<Failure> validity = validity(copy, context);
            if (validity.isPresent()) {
                failure = validity;
            } else {
                trace.add(new TraceStep(Step.VALIDITY, Outcome.PASS, copy.size() + " certificate(s) valid at "
                        + iso(context.at()) + skewText(context.settings().clockSkew())));
            }
        }
        if (failure.isPresent()) {
            trace.add(failure.get().trace());
            return new Invalid(copy, failure.get(), List.copyOf(trace));
        }
        trace.add(timeless.constraintsStep().orElseThrow());
        return new Valid(copy, timeless.workingKeys(), List.copyOf(trace));
    }

    private Timeless timeless() {
        Optional<Failure> failure = anchoring();
        if (failure.isEmpty()) {
            failure = signatures();
        }
        if (failure.isEmpty()) {
            failure = constraints();
        }
        Optional<TraceStep> constraintsStep = failure.isEmpty() ? Optional.of(trace.remove(trace.size() - 1))
                : Optional.empty();
        return new Timeless(failure, List.copyOf(trace), constraintsStep,
                java.util.Collections.unmodifiableList(Arrays.asList(workingKeys.clone())));
    }

    private ParsedCertificate anchor() {
        return path.get(path.size() - 1);
    }

    private Optional<Failure> anchoring() {
        if (context.settings().pathValidation() == ValidationSettings.PathValidation.FULL
                && !anchor().selfSigned(context.cache())) {
            return fail(Reason.NOT_ANCHORED_AT_ROOT, Step.CHAIN, Stage.CHAIN, "full path validation: "
                    + anchor().subject().text() + " is locally stored but not a self-signed root");
        }
        return Optional.empty();
    }

    private Optional<Failure> signatures() {
        int last = path.size() - 1;
        ParsedCertificate anchor = anchor();
        PublicKeys.Decoded anchorKey = anchor.publicKey();
        workingKeys[last] = anchorKey.key().orElse(null);
        boolean ownKey = true;
        for (int i = last - 1; i >= 0; i--) {
            ParsedCertificate subject = path.get(i);
            ParsedCertificate issuer = path.get(i + 1);
            SignatureAlgorithm algorithm;
            if (subject.signatureAlgorithm() instanceof SignatureAlgorithm.Known known) {
                algorithm = known.algorithm();
            } else {
                String why = ((SignatureAlgorithm.Unknown) subject.signatureAlgorithm()).why();
                return fail(Reason.UNSUPPORTED_ALGORITHM, Step.SIGNATURE, Stage.SIGNATURE,
                        describe(subject) + ": " + why);
            }
            if (algorithm.hash().weak(context.settings().allowSha1())) {
                return fail(Reason.WEAK_ALGORITHM, Step.SIGNATURE, Stage.SIGNATURE, describe(subject)
                        + " is signed with " + algorithm.name() + (algorithm.hash() == SignatureAlgorithm.Hash.SHA1
                        ? " (SHA-1 is refused unless allowed)" : " (refused always)"));
            }
            if (!subject.signatureAlgorithmsMatch()) {
                return fail(Reason.INVALID_CERTIFICATE, Step.SIGNATURE, Stage.SIGNATURE, describe(subject)
                        + ": the signature algorithm differs from the one in the signed part");
            }
            if (subject.signatureProblem().isPresent()) {
                return fail(Reason.SIGNATURE_INVALID, Step.SIGNATURE, Stage.SIGNATURE, describe(subject) + ": "
                        + subject.signatureProblem().get());
            }
            PublicKey key = workingKeys[i + 1];
            if (key == null) {
                String problem = issuer.publicKey().problem().orElse("its key needs DSA parameters it cannot "
                        + "inherit");
                return fail(Reason.SIGNATURE_INVALID, Step.SIGNATURE, Stage.SIGNATURE, describe(subject)
                        + " cannot be checked: issuer '" + issuer.subject().text() + "': " + problem);
            }
            if (!context.cache().verifies(issuer, key, ownKey, subject, algorithm)) {
                return fail(Reason.SIGNATURE_INVALID, Step.SIGNATURE, Stage.SIGNATURE, describe(subject)
                        + ": signature (" + algorithm.name() + ") does not verify with the key of '"
                        + issuer.subject().text() + "' (" + issuer.publicKey().description() + ")");
            }
            trace.add(new TraceStep(Step.SIGNATURE, Outcome.PASS, describe(subject) + " signed by '"
                    + issuer.subject().text() + "': " + algorithm.name() + ", " + issuer.publicKey().description()
                    + " key" + issuer.subjectKeyId().map(ski -> " " + shortId(ski)).orElse("") + ", verified"));
            if (i == 0 && context.purpose() == Purpose.IKE_PEER) {
                // A peer's own key plays no part in its path; decoding it would only cost time.
                break;
            }
            PublicKeys.Decoded decoded = subject.publicKey();
            ownKey = !decoded.needsParameters();
            workingKeys[i] = decoded.needsParameters()
                    ? DsaParameters.inherit(subject, key).orElse(null) : decoded.key().orElse(null);
        }
        return Optional.empty();
    }

    private static Optional<Failure> validity(List<ParsedCertificate> path, Context context) {
        Instant at = context.at();
        Duration skew = context.settings().clockSkew();
        for (ParsedCertificate certificate : path) {
            if (at.isBefore(certificate.notBefore().minus(skew))) {
                return fail(Reason.NOT_YET_VALID, Step.VALIDITY, Stage.VALIDITY, describe(certificate)
                        + " is not valid before " + certificate.notBefore() + " (time " + at + skewText(skew) + ")");
            }
            if (at.isAfter(certificate.notAfter().plus(skew))) {
                return fail(Reason.EXPIRED, Step.VALIDITY, Stage.VALIDITY, describe(certificate)
                        + " expired at " + certificate.notAfter() + " (time " + at + skewText(skew) + ")");
            }
        }
        return Optional.empty();
    }

    /** ISO-8601 in UTC to the second, as {@link Instant#toString} prints whole seconds, without its formatter. */
    static String iso(Instant at) {
        if (at.getNano() != 0 || at.getEpochSecond() < 0 || at.getEpochSecond() > 253_402_300_799L) {
            return at.toString();
        }
        java.time.LocalDateTime t = java.time.LocalDateTime.ofEpochSecond(at.getEpochSecond(), 0,
                java.time.ZoneOffset.UTC);
        char[] out = "0000-00-00T00:00:00Z".toCharArray();
        digits(out, 0, t.getYear(), 4);
        digits(out, 5, t.getMonthValue(), 2);
        digits(out, 8, t.getDayOfMonth(), 2);
        digits(out, 11, t.getHour(), 2);
        digits(out, 14, t.getMinute(), 2);
        digits(out, 17, t.getSecond(), 2);
        return new String(out);
    }

    private static void digits(char[] out, int at, int value, int width) {
        for (int i = width - 1; i >= 0; i--) {
            out[at + i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }

    private static String skewText(Duration skew) {
        return skew.isZero() ? "" : ", clock skew " + skew;
    }

    private Optional<Failure> constraints() {
        int last = path.size() - 1;
        for (int i = 0; i <= last; i++) {
            Optional<Failure> failure = certificateRules(path.get(i), i, last, context.purpose());
            if (failure.isPresent()) {
                return failure;
            }
        }
        Optional<Failure> failure = pathLength();
        if (failure.isPresent()) {
            return failure;
        }
        int caLevels = 1;
        for (int i = 1; i < last; i++) {
            if (!path.get(i).selfIssued()) {
                caLevels++;
            }
        }
        int max = context.settings().maxCaLevels();
        if (caLevels > max) {
            return fail(Reason.CA_LEVELS_EXCEEDED, Step.CONSTRAINTS, Stage.CONSTRAINTS, "the path has " + caLevels
                    + " CA levels (trust anchor included, self-issued certificates not counted); at most " + max
                    + " are allowed");
        }
        Optional<String> violation = NameConstraintsCheck.check(path);
        if (violation.isPresent()) {
            return fail(Reason.NAME_CONSTRAINTS_VIOLATED, Step.CONSTRAINTS, Stage.CONSTRAINTS, violation.get());
        }
        PolicyTree.Outcome policies = PolicyTree.process(path, context.policies());
        if (policies instanceof PolicyTree.Invalid invalid) {
            return constraint(invalid.reason(), invalid.detail());
        }
        trace.add(new TraceStep(Step.CONSTRAINTS, Outcome.PASS, "basicConstraints, keyUsage, critical extensions, "
                + "path length and name constraints hold; " + caLevels + " CA level(s) of at most " + max + "; "
                + ((PolicyTree.Valid) policies).summary()));
        return Optional.empty();
    }

    /**
     * What path validation holds against {@code certificate} as a trust anchor, whatever the path: its RFC 5280
     * profile, critical extensions certgate does not process, and what a CA must be (basicConstraints cA,
     * keyCertSign when keyUsage is present, a subject, a subjectKeyIdentifier). Empty when it can anchor a path.
     * Load checks ask this before a CA certificate enters a store, so that they cannot drift from the validator.
     */
    public static Optional<Failure> anchorProblem(ParsedCertificate certificate) {
        return certificateRules(certificate, 1, 1, Purpose.IKE_PEER);
    }

    private static Optional<Failure> certificateRules(ParsedCertificate certificate, int index, int last,
                                                      Purpose purpose) {
        String who = describe(certificate);
        if (!certificate.profileProblems().isEmpty()) {
            return constraint(Reason.INVALID_CERTIFICATE, who + ": " + certificate.profileProblems().get(0));
        }
        // How the trust anchor was issued (its serial, its issuer's key) is not used: RFC 5280 takes only its
        // name and key. What it is (a CA, its key usage and extensions, its validity) is checked like the rest.
        boolean anchor = index == last && index > 0;
        if (!anchor && certificate.serialProblem().isPresent()) {
            return constraint(Reason.INVALID_CERTIFICATE, who + ": " + certificate.serialProblem().get());
        }
        if (!anchor && certificate.authorityKeyId().isEmpty() && !certificate.selfIssued()) {
            return constraint(Reason.INVALID_CERTIFICATE, who + " has no authorityKeyIdentifier key identifier "
                    + "(RFC 5280 4.2.1.1 requires one unless self-signed)");
        }
        if (!certificate.unknownCriticalExtensions().isEmpty()) {
            return constraint(Reason.UNKNOWN_CRITICAL_EXTENSION, who + " has critical extension(s) "
                    + certificate.unknownCriticalExtensions() + " that certgate does not process");
        }
        if (index >= 1) {
            Optional<Failure> failure = issuerRules(certificate, who, index == last);
            if (failure.isPresent()) {
                return failure;
            }
        }
        if (certificate.keyUsageAllows(KeyUsage.keyCertSign) && !certificate.isCa()) {
            return constraint(Reason.KEY_USAGE_INVALID, who + " asserts keyUsage keyCertSign without "
                    + "basicConstraints cA");
        }
        if (certificate.nameConstraints().isPresent() && !certificate.isCa()) {
            return constraint(Reason.INVALID_CERTIFICATE, who + " has nameConstraints but is not a CA");
        }
        if (index == 0) {
            return purposeRules(certificate, who, purpose);
        }
        return Optional.empty();
    }

    private static Optional<Failure> issuerRules(ParsedCertificate certificate, String who, boolean anchor) {
        String role = anchor ? "trust anchor " : "issuer ";
        if (certificate.basicConstraints().isEmpty()) {
            return constraint(Reason.NOT_A_CA, role + who + " has no basicConstraints: not a CA");
        }
        if (!certificate.isCa()) {
            return constraint(Reason.NOT_A_CA, role + who + " has basicConstraints cA false: not a CA");
        }
        if (certificate.hasKeyUsage() && !certificate.keyUsageAllows(KeyUsage.keyCertSign)) {
            return constraint(Reason.KEY_USAGE_INVALID, role + who + " has keyUsage without keyCertSign");
        }
        if (certificate.subject().isEmpty()) {
            return constraint(Reason.INVALID_CERTIFICATE, role + who + " is a CA with an empty subject");
        }
        if (certificate.subjectKeyId().isEmpty()) {
            return constraint(Reason.INVALID_CERTIFICATE, role + who + " is a CA without subjectKeyIdentifier "
                    + "(RFC 5280 4.2.1.2)");
        }
        return Optional.empty();
    }

    private static Optional<Failure> purposeRules(ParsedCertificate certificate, String who, Purpose purpose) {
        if (purpose == Purpose.CRL_SIGNER) {
            if (certificate.hasKeyUsage() && !certificate.keyUsageAllows(KeyUsage.cRLSign)) {
                return constraint(Reason.KEY_USAGE_INVALID, who + " signs CRLs but its keyUsage lacks cRLSign");
            }
            return Optional.empty();
        }
        if (certificate.hasKeyUsage() && !certificate.keyUsageAllows(KeyUsage.digitalSignature)) {
            return constraint(Reason.KEY_USAGE_INVALID, "peer " + who + " has keyUsage without digitalSignature");
        }
        Optional<List<String>> purposes = certificate.extendedKeyUsage();
        if (purposes.isPresent() && certificate.extendedKeyUsageCritical()
                && !purposes.get().contains(IPSEC_IKE) && !purposes.get().contains(ANY_EXTENDED_KEY_USAGE)) {
            return constraint(Reason.KEY_USAGE_INVALID, "peer " + who + " has a critical extKeyUsage without "
                    + "id-kp-ipsecIKE or anyExtendedKeyUsage (RFC 4945 5.1.3.12)");
        }
        return Optional.empty();
    }

    /** RFC 5280 6.1.4 (l)-(m), starting from the trust anchor's own pathLenConstraint when it has one. */
    private Optional<Failure> pathLength() {
        int last = path.size() - 1;
        int maxPathLength = anchor().basicConstraints().flatMap(ParsedCertificate.Basic::pathLen)
                .orElse(Integer.MAX_VALUE);
        for (int i = last - 1; i >= 1; i--) {
            ParsedCertificate certificate = path.get(i);
            if (!certificate.selfIssued()) {
                if (maxPathLength <= 0) {
                    return constraint(Reason.PATH_LENGTH_EXCEEDED, describe(certificate)
                            + " is below a CA whose pathLenConstraint allows no further CA certificate");
                }
                maxPathLength--;
            }
            Optional<Integer> pathLen = certificate.basicConstraints().flatMap(ParsedCertificate.Basic::pathLen);
            if (pathLen.isPresent() && pathLen.get() < maxPathLength) {
                maxPathLength = pathLen.get();
            }
        }
        return Optional.empty();
    }

    private static Optional<Failure> constraint(Reason reason, String detail) {
        return fail(reason, Step.CONSTRAINTS, Stage.CONSTRAINTS, detail);
    }

    private static Optional<Failure> fail(Reason reason, Step step, Stage stage, String detail) {
        return Optional.of(new Failure(reason, step, detail, stage));
    }

    /** How a trace names a certificate: subject and serial. */
    public static String describe(ParsedCertificate certificate) {
        return certificate.label();
    }

    private static String shortId(String hex) {
        return "SKI " + (hex.length() > 16 ? hex.substring(0, 16) + "..." : hex);
    }
}
