package certgate.engine;

import certgate.dsl.policy.CaProfile;
import certgate.dsl.policy.CompiledPolicy;
import certgate.engine.identity.IdentityMatcher;
import certgate.engine.revocation.CrlFormatException;
import certgate.engine.revocation.CrlStore;
import certgate.engine.revocation.StoredCrl;
import certgate.engine.x509.ParsedCertificate;
import certgate.engine.x509.Sha256;
import certgate.engine.x509.VerificationCache;
import certgate.eventstore.Blob;
import certgate.eventstore.CaCertificateLoaded;
import certgate.eventstore.CrlFetchFailed;
import certgate.eventstore.CrlLoaded;
import certgate.eventstore.CrlUnchanged;
import certgate.eventstore.Event;
import certgate.eventstore.EventLog;
import certgate.eventstore.PolicyActivated;
import certgate.eventstore.PolicyRecorded;
import certgate.eventstore.ValidationRequested;
import certgate.eventstore.ValidationSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The engine: PKI state built only by applying events, and decisions made only from that state and the
 * request. Pure: no clock, network or disk. An {@code Engine} value never changes; {@link #apply} returns the
 * next one.
 *
 * <p>The state is the locally stored CA certificates (with the CA profiles they were loaded under) and the CRLs,
 * each parsed and indexed once, when its event is applied. A certificate or CRL that cannot be read stays out of
 * the state and is listed by {@link #rejectedLoads()}; applying never throws for the content of an event. The
 * policies the log activated are state too, compiled once and kept by revision, so that a request recorded under
 * a policy is decided (and replayed) under that policy ({@link PolicyDecisions}).
 *
 * <p>Successive values share one {@link VerificationCache}: parsed certificates, checked signatures and the
 * time-independent verdicts on a path are facts about bytes, not state, so a replay of many decisions over the
 * same peers verifies each signature once.
 */
public final class Engine {
    private final TrustStore trust;
    private final CrlStore crls;
    private final List<LoadRejection> rejections;
    private final VerificationCache cache;
    private final ActivatedPolicies policies;
    private final CrlFetches fetches;

    private Engine(TrustStore trust, CrlStore crls, List<LoadRejection> rejections, VerificationCache cache,
            ActivatedPolicies policies, CrlFetches fetches) {
        this.trust = trust;
        this.crls = crls;
        this.rejections = rejections;
        this.cache = cache;
        this.policies = policies;
        this.fetches = fetches;
    }

    /** A state read back from a snapshot ({@link Snapshot}), sharing {@code cache} with the others read with it. */
    static Engine restored(TrustStore trust, CrlStore crls, List<LoadRejection> rejections, VerificationCache cache,
            ActivatedPolicies policies, CrlFetches fetches) {
        return new Engine(trust, crls, List.copyOf(rejections), cache, policies, fetches);
    }

    CrlFetches fetches() {
        return fetches;
    }

    TrustStore trust() {
        return trust;
    }

    CrlStore crlStore() {
        return crls;
    }

    ActivatedPolicies policies() {
        return policies;
    }

    VerificationCache cache() {
        return cache;
    }

    /**
     * Writes this state to {@code out} as a snapshot ({@link Snapshot}): versioned, checksummed, the CRLs in their
     * indexed form, the policies by source and revision. {@link #readSnapshot} gives back a state that answers
     * every query and decides every request exactly as this one does.
     */
    public void writeSnapshot(OutputStream out) throws IOException {
        Snapshot.write(List.of(this), out);
    }

    /** The state {@link #writeSnapshot} wrote; a damaged snapshot or one of another format version is refused. */
    public static Engine readSnapshot(InputStream in) throws SnapshotFormatException {
        List<Engine> engines = Snapshot.read(in);
        if (engines.size() != 1) {
            throw new SnapshotFormatException("the snapshot holds " + engines.size() + " states, not one");
        }
        return engines.get(0);
    }

    /** The state before any event, with a cache of its own. */
    public static Engine empty() {
        return new Engine(TrustStore.EMPTY, CrlStore.empty(), List.of(), new VerificationCache(),
                ActivatedPolicies.NONE, CrlFetches.NONE);
    }

    /** The state after every event of {@code events}, in order. */
    public static Engine replay(Iterable<? extends Event> events) {
        Engine engine = empty();
        for (Event event : events) {
            engine = engine.apply(event);
        }
        return engine;
    }

    /** The state after every event of {@code log}. */
    public static Engine replay(EventLog log) {
        Engine[] engine = {empty()};
        log.read(0, recorded -> engine[0] = engine[0].apply(recorded.event()));
        return engine[0];
    }

    /**
     * The state after {@code event}. Requests, decisions, OCSP answers and the other records of what certgate did
     * leave the PKI state as it is.
     */
    public Engine apply(Event event) {
        Objects.requireNonNull(event, "event");
        if (event instanceof CaCertificateLoaded loaded) {
            return withCaCertificate(loaded);
        }
        if (event instanceof CrlLoaded loaded) {
            return withCrl(loaded);
        }
        if (event instanceof PolicyActivated activated) {
            return withPolicy(activated.revision(), activated.source(), true);
        }
        if (event instanceof PolicyRecorded recorded) {
            return withPolicy(recorded.revision(), recorded.source(), false);
        }
        if (event instanceof CrlUnchanged unchanged) {
            return withFetch(unchanged.issuer(), new CrlFetches.Attempt(unchanged.url(), unchanged.at(),
                    "unchanged" + status(unchanged.status()) + ", CRL sha256 " + unchanged.crlSha256().substring(0, 16)),
                    Optional.of(new CrlNeed.Previous(unchanged.url(), unchanged.etag(), unchanged.lastModified(),
                            unchanged.crlSha256())), Optional.empty());
        }
        if (event instanceof CrlFetchFailed failed) {
            return withFetch(failed.issuer(), new CrlFetches.Attempt(failed.url(), failed.at(), "failed: "
                    + failed.reason() + (failed.detail().isEmpty() ? "" : " (" + failed.detail() + ")")),
                    Optional.empty(), Optional.of(failed));
        }
        return this;
    }

    /** A policy's source from the log: known by its revision from now on, and active when {@code activates}. */
    private Engine withPolicy(String revision, String source, boolean activates) {
        ActivatedPolicies.Activation activation = ActivatedPolicies.compile(new PolicyActivated(revision, source));
        if (activation instanceof ActivatedPolicies.Refused refused) {
            return rejected(new LoadRejection(LoadRejection.Kind.POLICY, revision,
                    activates ? "policy activation" : "policy recorded", refused.problem()));
        }
        CompiledPolicy policy = ((ActivatedPolicies.Compiled) activation).policy();
        return new Engine(trust, crls, rejections, cache,
                activates ? policies.with(policy, source) : policies.known(policy, source), fetches);
    }

    private Engine withCaCertificate(CaCertificateLoaded loaded) {
        VerificationCache.Parse parse = cache.parse(Sha256.ofDigest(loaded.certificate().sha256()),
                loaded.certificate()::bytes);
        if (parse instanceof VerificationCache.Malformed malformed) {
            return rejected(new LoadRejection(LoadRejection.Kind.CA_CERTIFICATE, loaded.certificate().sha256Hex(),
                    "CA profile " + loaded.profile(), malformed.problem()));
        }
        ParsedCertificate certificate = ((VerificationCache.Parsed) parse).certificate();
        TrustStore next = trust.with(certificate, loaded.profile());
        return next == trust ? this : new Engine(next, crls, rejections, cache, policies, fetches);
    }

    private Engine withCrl(CrlLoaded loaded) {
        StoredCrl crl;
        try {
            crl = StoredCrl.load(loaded.crl(), loaded.source());
        } catch (CrlFormatException | RuntimeException e) {
            return rejected(new LoadRejection(LoadRejection.Kind.CRL, loaded.crl().sha256Hex(), loaded.source(),
                    String.valueOf(e.getMessage())));
        }
        CrlStore next = crls.with(crl);
        Engine loadedState = next == crls ? this : new Engine(trust, next, rejections, cache, policies, fetches);
        if (loaded.fetch().isEmpty()) {
            return loadedState;
        }
        CrlLoaded.Fetch fetch = loaded.fetch().get();
        return loadedState.withFetch(crl.issuer().text(), new CrlFetches.Attempt(loaded.source(), fetch.at(),
                "fetched" + status(fetch.status()) + ", CRL sha256 " + crl.sha256().shortHex() + " (thisUpdate "
                        + crl.thisUpdate() + crl.nextUpdate().map(t -> ", nextUpdate " + t).orElse("") + ", "
                        + crl.index().size() + " entries)"), Optional.of(new CrlNeed.Previous(loaded.source(),
                fetch.etag(), fetch.lastModified(), crl.sha256().hex())), Optional.empty());
    }

    private Engine withFetch(String issuer, CrlFetches.Attempt attempt, Optional<CrlNeed.Previous> success,
                             Optional<CrlFetchFailed> failure) {
        return new Engine(trust, crls, rejections, cache, policies, fetches.with(issuer, attempt, success, failure));
    }

    private static String status(int status) {
        return status == 0 ? "" : " (HTTP " + status + ")";
    }

    private Engine rejected(LoadRejection rejection) {
        List<LoadRejection> next = new ArrayList<>(rejections);
        next.add(rejection);
        return new Engine(trust, crls, List.copyOf(next), cache, policies, fetches);
    }

    /**
     * Decides {@code request} against this state, at the request's time, under the request's settings. A request
     * that records a policy revision is decided under the policy activated with it ({@link PolicyDecisions}).
     */
    public Decision decide(ValidationRequested request) {
        Objects.requireNonNull(request, "request");
        if (request.policyRevision().isPresent()) {
            return PolicyDecisions.decide(policies, this, request);
        }
        return decide(request, certificate -> true);
    }

    /**
     * Decides as {@link #decide(ValidationRequested)}, trusting only the locally stored certificates that
     * {@code trusted} accepts (a policy's CA profile, say). {@code trusted} must answer from the certificate alone:
     * the path found under it is remembered for the same predicate (equal, or the same instance).
     */
    public Decision decide(ValidationRequested request, Predicate<TrustedCertificate> trusted) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(trusted, "trusted");
        return decide(request, trusted, peer -> request.identity().map(id -> IdentityMatcher.match(id, peer)));
    }

    /**
     * Decides as {@link #decide(ValidationRequested, Predicate)}, with the identity step (step 4 of Junos's IKE phase 1 checks) done
     * by {@code identity}: given the peer certificate, whether it carries the identity asked for (empty: the step
     * is skipped). A policy's gateway uses it for its DN rules.
     */
    Decision decide(ValidationRequested request, Predicate<TrustedCertificate> trusted,
            Function<ParsedCertificate, Optional<IdentityMatcher.Match>> identity) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(trusted, "trusted");
        Objects.requireNonNull(identity, "identity");
        return new Decider(trust, crls, fetches, cache, request, trusted, identity).decide();
    }

    /**
     * The CRLs {@code request} needs, one per CA whose CRL its validated path uses, each with whether the state's
     * is fresh at the request's time and where to fetch one, in order (certificate CDP, the CA profile's URLs,
     * the policy's default CDP). Empty when the request would not reach the revocation step (no path, or one
     * that fails before it: a certificate whose signature did not verify is never a source of URLs), or when
     * its settings disable revocation checking. An adapter asks this before deciding, fetches what is not fresh,
     * appends what it got, and only then decides: the decision then sees the fetch, and so does every replay.
     */
    public List<CrlNeed> crlNeeds(ValidationRequested request) {
        Objects.requireNonNull(request, "request");
        if (request.settings().revocationCheck() == ValidationSettings.RevocationCheck.DISABLE) {
            return List.of();
        }
        Predicate<TrustedCertificate> trusted = certificate -> true;
        Function<ParsedCertificate, Optional<IdentityMatcher.Match>> identity =
                peer -> request.identity().map(id -> IdentityMatcher.match(id, peer));
        CrlPlanner.Setting setting = CrlPlanner.Setting.NONE;
        if (request.policyRevision().isPresent()) {
            Optional<CompiledPolicy> policy = policies.get(request.policyRevision().get());
            Optional<PreparedPolicy.Route> route = policy.flatMap(compiled -> PreparedPolicy.of(compiled, cache)
                    .route(request, cache).route());
            if (route.isEmpty()) {
                return List.of();
            }
            trusted = route.get().trust().in(trust, cache);
            identity = route.get().identity().presenting(request.identity(), cache);
            setting = new CrlPlanner.Setting(Optional.of(route.get().trust().profile().revocationCheck()),
                    policy.get().pki().defaultCdp(), policy.get().pki().clockSkew());
        }
        Decider decider = new Decider(trust, crls, fetches, cache, request, trusted, identity);
        decider.decide();
        Optional<List<ParsedCertificate>> path = decider.validatedPath();
        if (path.isEmpty()) {
            return List.of();
        }
        return CrlPlanner.forPath(path.get(), setting, request.at(), crls, fetches);
    }

    /**
     * Every locally stored CA's CRL at {@code at}, as {@code certgate fetch} refreshes them and {@code replay}
     * shows them: the CRL in force, when it was fetched, when it is next due, the last failure, and the URLs to
     * fetch from (those of each CA profile of {@code policy} that trusts the CA, then its default CDP). In the
     * order of {@link #trustedCertificates}.
     */
    public List<CrlNeed> caCrls(Instant at, Optional<CompiledPolicy> policy) {
        return caCrls(at, policy, Set.of());
    }

    /**
     * {@link #caCrls(Instant, Optional)} for the CAs that the CA profiles named {@code profiles} trust (every CA
     * when the set is empty). A name the policy does not have trusts nothing.
     */
    public List<CrlNeed> caCrls(Instant at, Optional<CompiledPolicy> policy, Set<String> profiles) {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(profiles, "profiles");
        List<CrlNeed> out = new ArrayList<>();
        for (TrustStore.Entry entry : trust.entries()) {
            if (!profiles.isEmpty() && policy.map(p -> p.caProfiles().stream().noneMatch(profile ->
                    profiles.contains(profile.name()) && ProfileTrust.of(profile).test(entry.info()))).orElse(true)) {
                continue;
            }
            List<CrlNeed.CrlSource> sources = new ArrayList<>();
            Duration refresh = Duration.ZERO;
            Duration skew = Duration.ZERO;
            if (policy.isPresent()) {
                skew = policy.get().pki().clockSkew();
                for (CaProfile profile : policy.get().caProfiles()) {
                    if (!ProfileTrust.of(profile).test(entry.info())) {
                        continue;
                    }
                    Duration interval = profile.revocationCheck().refreshInterval();
                    if (!interval.isZero() && (refresh.isZero() || interval.compareTo(refresh) < 0)) {
                        refresh = interval;
                    }
                    for (URI url : profile.revocationCheck().crlUrls()) {
                        addSource(sources, new CrlNeed.CrlSource(url, CrlNeed.CrlSource.Origin.PROFILE));
                    }
                }
                policy.get().pki().defaultCdp().ifPresent(url -> addSource(sources,
                        new CrlNeed.CrlSource(url, CrlNeed.CrlSource.Origin.DEFAULT_CDP)));
            }
            out.add(CrlPlanner.need(entry.certificate(), sources, refresh, skew, at, crls, fetches));
        }
        return out;
    }

    private static void addSource(List<CrlNeed.CrlSource> sources, CrlNeed.CrlSource source) {
        if (sources.stream().noneMatch(known -> known.url().equals(source.url()))) {
            sources.add(source);
        }
    }

    /**
     * Whether {@code body}, fetched from {@code source} for {@code need}, is a CRL the state may take: a CRL
     * (DER or PEM is the adapter's to unwrap), of the needed CA, signed by it (with cRLSign when it has keyUsage),
     * and not past its nextUpdate plus the clock skew at {@code now}. A CRL that fails any of these is not
     * recorded as a CRL; the adapter records the failure instead.
     */
    public FetchedCrl checkFetchedCrl(Blob body, CrlNeed need, String source, Instant now) {
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(need, "need");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(now, "now");
        return FetchCheck.check(body, need, source, now, cache);
    }

    /** The policy activated with {@code revision}, if the state holds one. */
    public Optional<CompiledPolicy> policy(String revision) {
        return policies.get(revision);
    }

    /** The policy activated last, if any. */
    public Optional<CompiledPolicy> activePolicy() {
        return policies.active();
    }

    /** The locally stored CA certificates, in digest order. */
    public List<TrustedCertificate> trustedCertificates() {
        return trust.entries().stream().map(TrustStore.Entry::info).toList();
    }

    /**
     * The CRLs in force: per issuer (in issuer order) and scope, the two newest loaded, newest first. Each with its
     * dates, number of entries, digest and source ({@code file:NAME}, a CDP URL).
     */
    public List<LoadedCrl> crls() {
        return crls.all().stream().map(CrlLookup::describe).toList();
    }

    /**
     * What the CRLs of the CA certificate with SHA-256 {@code caSha256} (hex, as {@link TrustedCertificate#sha256}
     * gives it) say of {@code serial}: the lookup an OCSP responder answers by issuer and serial. Only CRLs the CA
     * signed count; a serial any of them lists is revoked.
     */
    public CrlStatus crlStatus(String caSha256, BigInteger serial) {
        Objects.requireNonNull(serial, "serial");
        Optional<ParsedCertificate> ca = trustedCertificate(caSha256);
        if (ca.isEmpty()) {
            return new CrlStatus.NoCrl(serial, "no CA certificate with sha256 " + caSha256 + " is loaded");
        }
        return CrlLookup.status(ca.get(), crls, cache, serial);
    }

    /**
     * The CRL in force for the CA certificate with SHA-256 {@code caSha256}: the newest CRL the CA signed that
     * counts for {@link #crlStatus} and covers every certificate of the CA, as a CRL endpoint serves it. Whether it
     * is current is the caller's to judge from its dates. Empty when the CA is not held or has no such CRL.
     */
    public Optional<LoadedCrl> crlInForce(String caSha256) {
        return trustedCertificate(caSha256).flatMap(ca -> CrlLookup.inForce(ca, crls, cache))
                .map(CrlLookup::describe);
    }

    /** The bytes of the CRL of the state with SHA-256 {@code crlSha256} (hex), exactly as loaded: a copy. */
    public Optional<byte[]> crlBytes(String crlSha256) {
        Objects.requireNonNull(crlSha256, "crlSha256");
        for (StoredCrl crl : crls.all()) {
            if (crl.sha256().hex().equalsIgnoreCase(crlSha256)) {
                return Optional.of(crl.index().der());
            }
        }
        return Optional.empty();
    }

    /** The bytes (DER) of the locally stored CA certificate with SHA-256 {@code sha256} (hex): a copy. */
    public Optional<byte[]> trustedCertificateBytes(String sha256) {
        return trustedCertificate(sha256).map(ParsedCertificate::der);
    }

    private Optional<ParsedCertificate> trustedCertificate(String sha256) {
        Objects.requireNonNull(sha256, "sha256");
        for (TrustStore.Entry entry : trust.entries()) {
            if (entry.certificate().sha256().hex().equalsIgnoreCase(sha256)) {
                return Optional.of(entry.certificate());
            }
        }
        return Optional.empty();
    }

    /**
     * Whether each of {@code certificates} (DER), loaded together under CA profile {@code profile}, may enter the
     * state: checked as the engine checks an issuer or trust anchor when it decides, and its signature against
     * the CA certificates held and those of the same load (one may be another's issuer). In the order given.
     */
    public List<Admission> admitCaCertificates(List<byte[]> certificates, String profile) {
        Objects.requireNonNull(profile, "profile");
        return new Admissions(trust, crls, cache).caCertificates(List.copyOf(certificates), profile);
    }

    /** {@link #admitCaCertificates} for one certificate. */
    public Admission admitCaCertificate(byte[] certificate, String profile) {
        return admitCaCertificates(List.of(certificate), profile).get(0);
    }

    /**
     * Whether each of {@code crlsToLoad} (DER, the blob the event would carry) may enter the state: readable, not
     * ignored by the engine, and signed by a held CA entitled to sign CRLs when one claims it. {@code at} (the
     * caller's now) only adds a note when a CRL's nextUpdate is past: such a CRL is admitted, a replay of past
     * decisions may need it. One CRL is parsed at a time, and none is kept.
     */
    public List<Admission> admitCrls(List<Blob> crlsToLoad, Instant at) {
        Objects.requireNonNull(at, "at");
        return new Admissions(trust, crls, cache).crls(List.copyOf(crlsToLoad), at);
    }

    /** {@link #admitCrls} for one CRL. */
    public Admission admitCrl(Blob crl, Instant at) {
        return admitCrls(List.of(crl), at).get(0);
    }

    /** Loads that were kept out of the state because their certificate or CRL could not be read. */
    public List<LoadRejection> rejectedLoads() {
        return rejections;
    }
}
