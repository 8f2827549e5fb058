package certgate.engine;

import certgate.engine.SearchMemo.Enumeration;
import certgate.engine.SearchMemo.FirstPath;
import certgate.engine.SearchMemo.PrintedPath;
import certgate.engine.SearchMemo.SearchKey;
import certgate.engine.SearchMemo.Searched;
import certgate.engine.chain.Failure;
import certgate.engine.chain.PathBuilder;
import certgate.engine.chain.PathValidator;
import certgate.engine.identity.IdentityMatcher;
import certgate.engine.revocation.CrlStore;
import certgate.engine.revocation.RevocationChecker;
import certgate.engine.trace.TraceStep;
import certgate.engine.trace.TraceStep.Outcome;
import certgate.engine.trace.TraceStep.Step;
import certgate.engine.x509.ParsedCertificate;
import certgate.engine.x509.Sha256;
import certgate.engine.x509.VerificationCache;
import certgate.eventstore.Blob;
import certgate.eventstore.Reason;
import certgate.eventstore.ValidationRequested;
import certgate.eventstore.ValidationSettings;
import certgate.eventstore.Verdict;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One decision: parses the request's certificates (through the cache), searches candidate paths and takes the
 * first that passes every step in Junos's order (chain, signatures, validity, constraints, identity,
 * revocation). When none passes, the failure reported is that of the path that got furthest, so a peer whose
 * only path is expired hears EXPIRED, not "no trusted path". Lives for one request; not shared.
 */
final class Decider implements PathBuilder.Pool, RevocationChecker.SignerPaths {
    private static final int MAX_ALTERNATIVES_TRACED = 3;

    private final TrustStore trust;
    private final CrlStore crls;
    private final CrlFetches fetches;
    private final VerificationCache cache;
    private final ValidationRequested request;
    private final Predicate<TrustedCertificate> trusted;
    private final Function<ParsedCertificate, Optional<IdentityMatcher.Match>> identityCheck;
    private final Instant at;
    private final List<ParsedCertificate> chain = new ArrayList<>();
    private final Map<ParsedCertificate, Boolean> trustedAnswers = new HashMap<>();
    private final Map<List<ParsedCertificate>, Optional<String>> signerAnswers = new HashMap<>();
    private Optional<IdentityMatcher.Match> identity;
    /** While replaying a recorded search: its paths as printed, by identity of the recorded path lists. */
    private Map<List<ParsedCertificate>, PrintedPath> printedPaths;
    /** The path the decision reports, when every check before revocation passed on it. */
    private List<ParsedCertificate> validatedPath;

    Decider(TrustStore trust, CrlStore crls, CrlFetches fetches, VerificationCache cache, ValidationRequested request,
            Predicate<TrustedCertificate> trusted,
            Function<ParsedCertificate, Optional<IdentityMatcher.Match>> identityCheck) {
        this.trust = trust;
        this.crls = crls;
        this.fetches = fetches;
        this.cache = cache;
        this.request = request;
        this.trusted = trusted;
        this.identityCheck = identityCheck;
        // RFC 5280 times have whole seconds; a validation time inside a second is taken as that second.
        this.at = request.at().truncatedTo(ChronoUnit.SECONDS);
    }

    Decision decide() {
        VerificationCache.Parse peerParse = parse(request.peer());
        if (peerParse instanceof VerificationCache.Malformed malformed) {
            return malformed("peer certificate (sha256 " + request.peer().sha256Hex().substring(0, 16) + ") cannot "
                    + "be read: " + malformed.problem());
        }
        ParsedCertificate peer = ((VerificationCache.Parsed) peerParse).certificate();
        Set<ParsedCertificate> sent = new LinkedHashSet<>();
        for (int i = 0; i < request.chain().size(); i++) {
            Blob blob = request.chain().get(i);
            VerificationCache.Parse parse = parse(blob);
            if (parse instanceof VerificationCache.Malformed malformed) {
                return malformed("chain certificate #" + (i + 1) + " (sha256 " + blob.sha256Hex().substring(0, 16)
                        + ") cannot be read: " + malformed.problem());
            }
            ParsedCertificate certificate = ((VerificationCache.Parsed) parse).certificate();
            if (!certificate.equals(peer) && !isTrusted(certificate)) {
                sent.add(certificate);
            }
        }
        chain.addAll(sent);
        chain.sort((a, b) -> a.sha256().hex().compareTo(b.sha256().hex()));
        return search(peer);
    }

    private VerificationCache.Parse parse(Blob blob) {
        return cache.parse(Sha256.ofDigest(blob.sha256()), blob::bytes);
    }

    private static Decision malformed(String detail) {
        return new Decision(Verdict.REJECT, Reason.MALFORMED_CERTIFICATE,
                List.of(new TraceStep(Step.CHAIN, Outcome.FAIL, detail)), List.of());
    }

    /** A candidate's end: accepted (with its full trace) or failed at some stage. */
    private record Attempt(List<ParsedCertificate> path, Optional<Failure> failure, List<TraceStep> trace) {
    }

    private Decision search(ParsedCertificate peer) {
        // A repeated peer: re-check only the path the search would try first (validity, revocation and identity
        // are decided anew); if it fails now, the recorded paths are tried in the search's order; only when
        // they run out before the search would have ended does the search run again.
        SearchKey key = new SearchKey(trust, trusted, peer, List.copyOf(chain));
        Searched known = SearchMemo.known(cache, key);
        PathValidator.Context context = new PathValidator.Context(at, request.settings(), cache,
                PathValidator.Purpose.IKE_PEER);
        Attempt firstAttempt = null;
        if (known != null && known.accepted().isPresent()) {
            FirstPath first = known.accepted().get();
            Attempt attempt = attempt(first.path(), context);
            firstAttempt = attempt;
            if (attempt.failure().isEmpty()) {
                validatedPath = attempt.path();
                List<TraceStep> trace = new ArrayList<>(attempt.trace().size() + 1);
                trace.add(first.chainStep());
                trace.addAll(attempt.trace());
                return new Decision(Verdict.ACCEPT, Reason.OK, trace, first.listing());
            }
        }
        if (known != null && known.enumeration().isPresent()) {
            Optional<Decision> replayed = replay(peer, known.enumeration().get(), context, firstAttempt);
            if (replayed.isPresent()) {
                return replayed.get();
            }
        }
        List<List<ParsedCertificate>> paths = new ArrayList<>();
        List<PathBuilder.Summary> stoppedAfter = new ArrayList<>();
        List<Attempt> failed = new ArrayList<>();
        Attempt[] accepted = new Attempt[1];
        PathBuilder.Summary summary = PathBuilder.search(peer, this, false, (path, ifStoppedHere) -> {
            paths.add(path);
            stoppedAfter.add(ifStoppedHere);
            return offer(path, context, failed, accepted);
        });
        List<PrintedPath> printed = new ArrayList<>(paths.size());
        printedPaths = new IdentityHashMap<>();
        for (List<ParsedCertificate> path : paths) {
            PrintedPath text = printedPath(path);
            printed.add(text);
            printedPaths.put(path, text);
        }
        Decision decision = conclude(peer, accepted[0], failed, summary);
        Enumeration enumeration = new Enumeration(List.copyOf(paths), List.copyOf(stoppedAfter),
                summary.stopped() ? Optional.empty() : Optional.of(summary), List.copyOf(printed));
        Optional<FirstPath> first = known == null ? Optional.empty() : known.accepted();
        if (accepted[0] != null && failed.isEmpty()) {
            first = Optional.of(new FirstPath(accepted[0].path(), decision.trace().get(0), decision.path()));
        }
        if (known != null && known.enumeration().isPresent() && !enumeration.coversAtLeast(known.enumeration().get())) {
            enumeration = known.enumeration().get();
        }
        Searched next = new Searched(first, Optional.of(enumeration));
        SearchMemo.record(cache, key, next);
        return decision;
    }

    /** One path offered by the search (or a replay of it); true when the search stops here. */
    private boolean offer(List<ParsedCertificate> path, PathValidator.Context context, List<Attempt> failed,
                          Attempt[] accepted) {
        return offer(attempt(path, context), failed, accepted);
    }

    private static boolean offer(Attempt attempt, List<Attempt> failed, Attempt[] accepted) {
        if (attempt.failure().isEmpty()) {
            accepted[0] = attempt;
            return true;
        }
        failed.add(attempt);
        // Identity does not depend on the path: once it fails, no other path can pass.
        return attempt.failure().get().stage() == Failure.Stage.IDENTITY;
    }

    /**
     * The search's outcome from its recorded paths, offered in the same order with the same stopping rule; empty
     * when they run out before the recorded search would have ended (the search must go further this time).
     */
    private Optional<Decision> replay(ParsedCertificate peer, Enumeration enumeration, PathValidator.Context context,
                                     Attempt alreadyTried) {
        List<Attempt> failed = new ArrayList<>();
        Attempt[] accepted = new Attempt[1];
        printedPaths = new IdentityHashMap<>();
        for (int i = 0; i < enumeration.paths().size(); i++) {
            List<ParsedCertificate> path = enumeration.paths().get(i);
            printedPaths.put(path, enumeration.printed().get(i));
            // The attempt at the remembered first path, made just before at this time, is this one.
            Attempt attempt = i == 0 && alreadyTried != null && alreadyTried.path().equals(path) ? alreadyTried
                    : attempt(path, context);
            if (offer(attempt, failed, accepted)) {
                return Optional.of(conclude(peer, accepted[0], failed, enumeration.stoppedAfter().get(i)));
            }
        }
        return enumeration.ended().map(summary -> conclude(peer, null, failed, summary));
    }

    /** The decision from the accepted attempt (null if none), the failed ones in order, and the search summary. */
    private Decision conclude(ParsedCertificate peer, Attempt accepted, List<Attempt> failed,
                              PathBuilder.Summary summary) {
        if (accepted != null) {
            return decision(accepted, summary, failed);
        }
        Optional<Attempt> best = failed.stream().reduce((a, b) ->
                b.failure().get().stage().compareTo(a.failure().get().stage()) > 0 ? b : a);
        if (best.isEmpty()) {
            return noPath(peer, summary);
        }
        return decision(best.get(), summary, failed);
    }

    private Attempt attempt(List<ParsedCertificate> path, PathValidator.Context context) {
        PathValidator.Result result = PathValidator.validate(path, context);
        List<TraceStep> trace = new ArrayList<>(result.trace());
        if (result instanceof PathValidator.Invalid invalid) {
            return new Attempt(path, Optional.of(invalid.failure()), trace);
        }
        PathValidator.Valid valid = (PathValidator.Valid) result;
        Optional<IdentityMatcher.Match> match = identity(path.get(0));
        if (match.isEmpty()) {
            trace.add(new TraceStep(Step.IDENTITY, Outcome.SKIPPED, "no IKE ID in the request"));
        } else if (match.get().matches()) {
            trace.add(new TraceStep(Step.IDENTITY, Outcome.PASS, match.get().detail()));
        } else {
            Failure failure = new Failure(Reason.IDENTITY_MISMATCH, Step.IDENTITY, match.get().detail(),
                    Failure.Stage.IDENTITY);
            trace.add(failure.trace());
            return new Attempt(path, Optional.of(failure), trace);
        }
        if (request.settings().revocationCheck() == ValidationSettings.RevocationCheck.CRL && !fetches.isEmpty()) {
            trace.addAll(fetchSteps(path));
        }
        RevocationChecker.Result revocation = RevocationChecker.check(valid, revocationContext(0));
        trace.addAll(revocation.trace());
        if (revocation instanceof RevocationChecker.Rejected rejected) {
            return new Attempt(path, Optional.of(rejected.failure()), trace);
        }
        return new Attempt(path, Optional.empty(), trace);
    }

    /** What the log says of fetching the CRLs this path needs: each URL tried, and its latest outcome. */
    private List<TraceStep> fetchSteps(List<ParsedCertificate> path) {
        List<TraceStep> steps = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 1; i < path.size(); i++) {
            String issuer = path.get(i).subject().text();
            CrlFetches.OfIssuer fetched = fetches.of(issuer);
            if (!seen.add(issuer) || fetched.attempts().isEmpty()) {
                continue;
            }
            StringBuilder detail = new StringBuilder("CRL of '" + issuer + "' from its distribution points: ");
            for (int a = 0; a < fetched.attempts().size(); a++) {
                CrlFetches.Attempt attempt = fetched.attempts().get(a);
                detail.append(a == 0 ? "" : "; ").append(attempt.url()).append(' ').append(attempt.outcome())
                        .append(" at ").append(attempt.at());
            }
            steps.add(new TraceStep(Step.REVOCATION, Outcome.INFO, detail.toString()));
        }
        return steps;
    }

    private Optional<IdentityMatcher.Match> identity(ParsedCertificate peer) {
        if (identity == null) {
            identity = identityCheck.apply(peer);
        }
        return identity;
    }

    private RevocationChecker.Context revocationContext(int depth) {
        return new RevocationChecker.Context(at, request.settings(), cache, crls, this, depth);
    }

    /**
     * The path of the decision just made when every check before revocation passed on it (so every signature on
     * it verified): the only path whose certificates' CRL distribution points may be followed.
     */
    Optional<List<ParsedCertificate>> validatedPath() {
        return Optional.ofNullable(validatedPath);
    }

    private Decision decision(Attempt attempt, PathBuilder.Summary summary, List<Attempt> failed) {
        if (attempt.failure().isEmpty() || attempt.failure().get().stage() == Failure.Stage.REVOCATION) {
            validatedPath = attempt.path();
        }
        List<TraceStep> trace = new ArrayList<>();
        trace.add(new TraceStep(Step.CHAIN, Outcome.PASS, "path " + printed(attempt.path()).text() + "; "
                + summary.edgesTried() + " candidate issuer(s) tried, " + summary.pathsFound()
                + " complete path(s) found"));
        int traced = 0;
        for (Attempt other : failed) {
            if (other != attempt && traced++ < MAX_ALTERNATIVES_TRACED) {
                Failure failure = other.failure().get();
                trace.add(new TraceStep(Step.CHAIN, Outcome.INFO, "other candidate path " + printed(other.path()).text()
                        + " failed: " + failure.reason() + ": " + failure.detail()));
            }
        }
        trace.addAll(attempt.trace());
        List<PathCertificate> path = printed(attempt.path()).listing();
        if (attempt.failure().isEmpty()) {
            return new Decision(Verdict.ACCEPT, Reason.OK, trace, path);
        }
        return new Decision(Verdict.REJECT, attempt.failure().get().reason(), trace, path);
    }

    private Decision noPath(ParsedCertificate peer, PathBuilder.Summary summary) {
        String issuer = peer.issuer().text();
        String detail = "no path from " + PathValidator.describe(peer) + " to a locally stored CA certificate: "
                + "its issuer '" + issuer + "'" + peer.authorityKeyId().map(aki -> " (AKI " + aki + ")").orElse("")
                + (trust.withSubject(peer.issuer().key()).isEmpty() && untrustedIssuers(peer).isEmpty()
                ? " is not among the " + trust.size() + " trusted and " + chain.size() + " chain certificate(s)"
                : " was found but no path from it reaches a trusted certificate")
                + "; " + summary.edgesTried() + " candidate issuer(s) tried"
                + (summary.budgetExhausted() ? " (search budget of " + PathBuilder.EDGE_BUDGET + " exhausted)" : "");
        return new Decision(Verdict.REJECT, Reason.NO_TRUSTED_PATH,
                List.of(new TraceStep(Step.CHAIN, Outcome.FAIL, detail)), List.of());
    }

    private PrintedPath printed(List<ParsedCertificate> path) {
        PrintedPath known = printedPaths == null ? null : printedPaths.get(path);
        return known != null ? known : printedPath(path);
    }

    private PrintedPath printedPath(List<ParsedCertificate> path) {
        return new PrintedPath(pathText(path), List.copyOf(pathCertificates(path)));
    }

    private String pathText(List<ParsedCertificate> path) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < path.size(); i++) {
            ParsedCertificate certificate = path.get(i);
            out.append(i == 0 ? "" : " <- ").append(PathValidator.describe(certificate)).append(" [")
                    .append(i == 0 ? "peer" : isTrusted(certificate) ? "trusted" : "chain");
            if (i == path.size() - 1) {
                out.append(", sha256 ").append(certificate.sha256().shortHex());
            }
            out.append(']');
        }
        return out.toString();
    }

    private List<PathCertificate> pathCertificates(List<ParsedCertificate> path) {
        List<PathCertificate> out = new ArrayList<>(path.size());
        for (int i = 0; i < path.size(); i++) {
            ParsedCertificate certificate = path.get(i);
            PathCertificate.Source source = i == 0 ? PathCertificate.Source.PEER
                    : isTrusted(certificate) ? PathCertificate.Source.TRUSTED : PathCertificate.Source.CHAIN;
            out.add(new PathCertificate(certificate.subject().text(), certificate.issuer().text(),
                    certificate.serialHex(), certificate.sha256().hex(), source));
        }
        return out;
    }

    // PathBuilder.Pool

    @Override
    public List<ParsedCertificate> trustedIssuers(ParsedCertificate certificate) {
        List<ParsedCertificate> all = trust.withSubject(certificate.issuer().key());
        if (all.isEmpty()) {
            return all;
        }
        List<ParsedCertificate> allowed = new ArrayList<>(all.size());
        for (ParsedCertificate candidate : all) {
            if (isTrusted(candidate)) {
                allowed.add(candidate);
            }
        }
        return allowed;
    }

    @Override
    public List<ParsedCertificate> untrustedIssuers(ParsedCertificate certificate) {
        List<ParsedCertificate> found = new ArrayList<>();
        for (ParsedCertificate candidate : chain) {
            if (candidate.subject().sameAs(certificate.issuer())) {
                found.add(candidate);
            }
        }
        return found;
    }

    @Override
    public boolean isTrusted(ParsedCertificate certificate) {
        TrustStore.Entry entry = trust.entry(certificate);
        if (entry == null) {
            return false;
        }
        return trustedAnswers.computeIfAbsent(certificate, c -> trusted.test(entry.info()));
    }

    // RevocationChecker.SignerPaths

    @Override
    public List<ParsedCertificate> withSubject(String nameKey) {
        List<ParsedCertificate> found = new ArrayList<>();
        for (ParsedCertificate candidate : trust.withSubject(nameKey)) {
            if (isTrusted(candidate)) {
                found.add(candidate);
            }
        }
        for (ParsedCertificate candidate : chain) {
            if (candidate.subject().key().equals(nameKey)) {
                found.add(candidate);
            }
        }
        return found;
    }

    @Override
    public Optional<String> validate(ParsedCertificate signer, ParsedCertificate anchor, int depth) {
        List<ParsedCertificate> key = List.of(signer, anchor);
        Optional<String> known = signerAnswers.get(key);
        if (known != null) {
            return known;
        }
        // A signer whose own check leads back to itself is not valid: mark it before looking.
        signerAnswers.put(key, Optional.of("its validation depends on itself"));
        Optional<String> answer = validateSigner(signer, anchor, depth);
        signerAnswers.put(key, answer);
        return answer;
    }

    private Optional<String> validateSigner(ParsedCertificate signer, ParsedCertificate anchor, int depth) {
        PathValidator.Context context = new PathValidator.Context(at, request.settings(), cache,
                PathValidator.Purpose.CRL_SIGNER);
        List<Failure> failures = new ArrayList<>();
        boolean[] valid = new boolean[1];
        PathBuilder.search(signer, this, true, path -> {
            if (!path.get(path.size() - 1).equals(anchor)) {
                return false;
            }
            PathValidator.Result result = PathValidator.validate(path, context);
            if (result instanceof PathValidator.Invalid invalid) {
                failures.add(invalid.failure());
                return false;
            }
            RevocationChecker.Result revocation = RevocationChecker.check((PathValidator.Valid) result,
                    revocationContext(depth));
            if (revocation instanceof RevocationChecker.Rejected rejected) {
                failures.add(rejected.failure());
                return false;
            }
            valid[0] = true;
            return true;
        });
        if (valid[0]) {
            return Optional.empty();
        }
        if (failures.isEmpty()) {
            return Optional.of("no path to the trust anchor '" + anchor.subject().text() + "'");
        }
        Failure first = failures.get(0);
        return Optional.of(first.reason() + ": " + first.detail());
    }
}
