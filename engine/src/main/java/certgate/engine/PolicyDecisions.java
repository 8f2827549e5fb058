package certgate.engine;

import certgate.dsl.dn.WildcardRule;
import certgate.dsl.policy.Authentication;
import certgate.dsl.policy.CaProfile;
import certgate.dsl.policy.CompiledPolicy;
import certgate.dsl.policy.Gateway;
import certgate.dsl.policy.IdentityType;
import certgate.dsl.policy.PkiSettings;
import certgate.dsl.policy.RemoteIdentity;
import certgate.dsl.policy.RevocationCheck;
import certgate.engine.trace.TraceStep;
import certgate.engine.trace.TraceStep.Outcome;
import certgate.engine.trace.TraceStep.Step;
import certgate.engine.x509.VerificationCache;
import certgate.eventstore.IkeIdentity;
import certgate.eventstore.Reason;
import certgate.eventstore.ValidationRequested;
import certgate.eventstore.ValidationSettings;
import certgate.eventstore.Verdict;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Decisions under a policy: step 1 of Junos's checks (find the gateway from the peer's IKE ID), then the engine's
 * decision with the gateway's CA profile: its settings, trust restricted to its CA certificates, and the
 * gateway's identity rule.
 *
 * <pre>{@code
 * ValidationRequested request = PolicyDecisions.bind(policy, draft);   // settings and revision recorded
 * log.append(new PolicyActivated(policy.revision(), source));          // the policy is in the log too
 * log.append(request);
 * Decision decision = engine.decide(request);                          // finds the policy by its revision
 * }</pre>
 *
 * <p>Replay: a bound request records the settings it is decided under and the policy's revision, and the
 * decision is a function of the request, the policy with that revision and the engine's state, so a replay that
 * holds the same activation decides it the same way. The recorded settings, not the policy's, are used: a
 * request decided once under some settings is decided under those settings forever.
 */
public final class PolicyDecisions {
    /** CA certificates loaded under this profile name serve every CA profile (subject to ca-identity). */
    public static final String ANY_PROFILE = "default";

    private PolicyDecisions() {
    }

    /**
     * Which locally stored CA certificates {@code profile} trusts: those loaded under its name or
     * {@link #ANY_PROFILE}, with its {@code ca-identity} as subject when it has one. Decisions use this rule; so
     * does every export of the policy to a gateway's configuration, which must trust no more than certgate does.
     */
    public static Predicate<TrustedCertificate> trusts(CaProfile profile) {
        return ProfileTrust.of(Objects.requireNonNull(profile, "profile"));
    }

    /**
     * The gateway {@code request} goes to: the one it names ({@code request.gateway()}, the lookup skipped), or
     * the first in file order whose remote identity has the type of the presented IKE ID and matches its value.
     */
    public static Selection select(CompiledPolicy policy, ValidationRequested request) {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(request, "request");
        if (request.gateway().isPresent()) {
            String name = request.gateway().get();
            Optional<Gateway> named = policy.gateway(name);
            if (named.isEmpty()) {
                return new Selection.NoGateway("the request names gateway '" + name + "', which the policy does"
                        + " not have (its gateways: " + names(policy.gateways()) + ")");
            }
            return chosen(policy, named.get(), "gateway " + name + " named by the request (lookup skipped)");
        }
        if (request.identity().isEmpty()) {
            return new Selection.NoGateway("the request has no IKE ID to look a gateway up by");
        }
        IkeIdentity id = request.identity().get();
        IdentityType type = PolicyEnums.identityType(id.type());
        Optional<Gateway> found = policy.findGateway(type, id.value());
        if (found.isEmpty()) {
            List<Gateway> sameType = policy.gateways().stream()
                    .filter(g -> g.remoteIdentity().type() == type).toList();
            return new Selection.NoGateway("no gateway of the policy matches the IKE ID " + id
                    + (sameType.isEmpty() ? ": it has no gateway with " + article(keyword(type)) + " identity"
                    : ": its " + keyword(type) + " gateways are " + sameType.stream()
                    .map(g -> g.name() + " (" + describe(g.remoteIdentity()) + ")")
                    .collect(Collectors.joining(", "))));
        }
        Gateway gateway = found.get();
        int position = policy.gateways().indexOf(gateway) + 1;
        return chosen(policy, gateway, "gateway " + gateway.name() + " is the first of " + policy.gateways().size()
                + " in file order (#" + position + ") whose remote identity (" + describe(gateway.remoteIdentity())
                + ") matches the IKE ID " + id);
    }

    private static Selection chosen(CompiledPolicy policy, Gateway gateway, String how) {
        if (gateway.authentication() == Authentication.PRE_SHARED_KEY) {
            return new Selection.PreSharedKey(gateway, how + "; it authenticates with a pre-shared key, not a"
                    + " certificate");
        }
        CaProfile profile = profile(policy, gateway);
        return new Selection.Certificate(gateway, profile, how + "; CA profile " + profile.name());
    }

    private static CaProfile profile(CompiledPolicy policy, Gateway gateway) {
        return gateway.caProfile().orElseThrow(() -> new IllegalStateException(
                "certificate gateway " + gateway.name() + " of " + policy.sourceName() + " has no CA profile"));
    }

    /**
     * The settings a request is decided under: the policy's {@code pki} section (path validation, CA levels,
     * clock skew, SHA-1) with the selected gateway's CA profile's revocation check. Without a certificate
     * gateway, revocation takes the defaults; nothing is decided under them.
     */
    public static ValidationSettings settings(CompiledPolicy policy, Selection selection) {
        RevocationCheck revocation = selection instanceof Selection.Certificate certificate
                ? certificate.profile().revocationCheck() : RevocationCheck.DEFAULTS;
        return settings(policy.pki(), revocation);
    }

    static ValidationSettings settings(PkiSettings pki, RevocationCheck revocation) {
        return new ValidationSettings(
                PolicyEnums.revocationCheck(revocation.mode()),
                PolicyEnums.onDownloadFailure(revocation.onDownloadFailure()),
                PolicyEnums.pathValidation(pki.pathValidation()),
                pki.maxCaLevels(),
                pki.allowSha1Signatures(),
                pki.clockSkew());
    }

    /**
     * {@code draft} (its id, certificates, IKE ID, time and optional gateway) bound to {@code policy}: with the
     * settings of the gateway it selects and the policy's revision, as it is to be recorded.
     */
    public static ValidationRequested bind(CompiledPolicy policy, ValidationRequested draft) {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(draft, "request");
        // The settings need only the gateway select would choose, not the text of how it was chosen.
        RevocationCheck revocation = lookup(policy, draft)
                .filter(gateway -> gateway.authentication() != Authentication.PRE_SHARED_KEY)
                .map(gateway -> profile(policy, gateway).revocationCheck()).orElse(RevocationCheck.DEFAULTS);
        return new ValidationRequested(draft.requestId(), draft.peer(), draft.chain(), draft.identity(), draft.at(),
                settings(policy.pki(), revocation), draft.gateway(), Optional.of(policy.revision()));
    }

    /** The gateway {@link #select} chooses for {@code request}, if any. */
    private static Optional<Gateway> lookup(CompiledPolicy policy, ValidationRequested request) {
        if (request.gateway().isPresent()) {
            return policy.gateway(request.gateway().get());
        }
        if (request.identity().isEmpty()) {
            return Optional.empty();
        }
        IkeIdentity id = request.identity().get();
        return policy.findGateway(PolicyEnums.identityType(id.type()), id.value());
    }

    /**
     * Decides a request bound to {@code policy} (its revision recorded) against {@code engine}'s state. The
     * trace starts with a {@link Step#GATEWAY} step naming the gateway and its CA profile.
     *
     * @throws IllegalArgumentException when the request records another revision, or none
     */
    public static Decision decide(CompiledPolicy policy, Engine engine, ValidationRequested request) {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(request, "request");
        if (!request.policyRevision().equals(Optional.of(policy.revision()))) {
            throw new IllegalArgumentException("request " + request.requestId() + " records policy revision "
                    + request.policyRevision().orElse("(none)") + ", not " + policy.revision() + " of "
                    + policy.sourceName() + ": bind it to the policy first");
        }
        VerificationCache cache = engine.cache();
        return decideRouted(engine, request, PreparedPolicy.of(policy, cache).route(request, cache));
    }

    /**
     * {@code draft} bound to {@code policy} and decided: the same decision as {@code decide(policy, engine,
     * bind(policy, draft))}, with the gateway looked up once (and remembered in the engine's cache) instead of
     * by each. For re-deciding many recorded requests under a policy (whatif).
     */
    public static Decision bindAndDecide(CompiledPolicy policy, Engine engine, ValidationRequested draft) {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(draft, "request");
        VerificationCache cache = engine.cache();
        PreparedPolicy.Routing routing = PreparedPolicy.of(policy, cache).route(draft, cache);
        // What bind records: the selected certificate gateway's revocation check, else the defaults.
        RevocationCheck revocation = routing.selection() instanceof Selection.Certificate certificate
                ? certificate.profile().revocationCheck() : RevocationCheck.DEFAULTS;
        ValidationRequested request = new ValidationRequested(draft.requestId(), draft.peer(), draft.chain(),
                draft.identity(), draft.at(), settings(policy.pki(), revocation), draft.gateway(),
                Optional.of(policy.revision()));
        return decideRouted(engine, request, routing);
    }

    private static Decision decideRouted(Engine engine, ValidationRequested request, PreparedPolicy.Routing routing) {
        VerificationCache cache = engine.cache();
        if (routing.selection() instanceof Selection.NoGateway) {
            return refusal(Reason.GATEWAY_NOT_FOUND, routing.step());
        }
        if (routing.route().isEmpty()) {
            return refusal(Reason.NOT_A_CERTIFICATE_GATEWAY, routing.step());
        }
        PreparedPolicy.Route route = routing.route().get();
        Decision decided = engine.decide(request, route.trust().in(engine.trust(), cache),
                route.identity().presenting(request.identity(), cache));
        List<TraceStep> trace = new ArrayList<>(decided.trace().size() + 2);
        trace.add(new TraceStep(Step.GATEWAY, Outcome.PASS, routing.step()));
        trace.add(new TraceStep(Step.GATEWAY, Outcome.INFO, route.settingsStep(request.settings())));
        trace.addAll(decided.trace());
        return new Decision(decided.verdict(), decided.reason(), trace, decided.path());
    }

    /**
     * Decides a request recording a policy revision with the policy activated under it; a revision the state
     * does not hold is a rejection ({@link Reason#POLICY_UNAVAILABLE}), never a decision without the policy.
     */
    static Decision decide(ActivatedPolicies policies, Engine engine, ValidationRequested request) {
        Objects.requireNonNull(policies, "policies");
        String revision = request.policyRevision().orElseThrow(() -> new IllegalArgumentException("request "
                + request.requestId() + " records no policy revision"));
        Optional<CompiledPolicy> policy = policies.get(revision);
        if (policy.isEmpty()) {
            return refusal(Reason.POLICY_UNAVAILABLE, "the request was made under policy revision " + revision
                    + ", which no usable activation in the log holds (" + policies.size() + " policy revision(s)"
                    + " activated)");
        }
        return decide(policy.get(), engine, request);
    }

    private static Decision refusal(Reason reason, String detail) {
        return new Decision(Verdict.REJECT, reason, List.of(new TraceStep(Step.GATEWAY, Outcome.FAIL, detail)),
                List.of());
    }

    /** A remote identity as a person reads it: {@code fqdn hq.example.net}, {@code dn wildcard 'O=Corp'}. */
    static String describe(RemoteIdentity identity) {
        if (identity instanceof RemoteIdentity.Ip ip) {
            return "ip " + ip.address();
        }
        if (identity instanceof RemoteIdentity.Fqdn fqdn) {
            return "fqdn " + fqdn.name();
        }
        if (identity instanceof RemoteIdentity.Ufqdn ufqdn) {
            return "ufqdn " + ufqdn.mailbox();
        }
        RemoteIdentity.Dn dn = (RemoteIdentity.Dn) identity;
        return "dn " + (dn.rule() instanceof WildcardRule ? "wildcard" : "container") + " '" + dn.rule().pattern()
                + "'";
    }

    static String describe(ValidationSettings settings) {
        return "revocation-check " + lower(settings.revocationCheck()) + ", on-download-failure "
                + lower(settings.onDownloadFailure()) + ", path-validation " + lower(settings.pathValidation())
                + ", max-ca-levels " + settings.maxCaLevels() + ", clock-skew " + duration(settings.clockSkew())
                + ", sha1 " + (settings.allowSha1() ? "allowed" : "refused");
    }

    private static String duration(Duration duration) {
        long seconds = duration.toSeconds();
        for (long[] unit : new long[][] {{86_400, 'd'}, {3_600, 'h'}, {60, 'm'}}) {
            if (seconds != 0 && seconds % unit[0] == 0) {
                return seconds / unit[0] + String.valueOf((char) unit[1]);
            }
        }
        return seconds + "s";
    }

    static String shortRevision(String revision) {
        return revision.length() > 12 ? revision.substring(0, 12) : revision;
    }

    private static String names(List<Gateway> gateways) {
        return gateways.stream().map(Gateway::name).collect(Collectors.joining(", "));
    }

    /** "an ip", "an fqdn" (read letter by letter), "a ufqdn", "a dn". */
    private static String article(String keyword) {
        return (keyword.equals("ip") || keyword.equals("fqdn") ? "an " : "a ") + keyword;
    }

    private static String keyword(IdentityType type) {
        return type.keyword();
    }

    private static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
