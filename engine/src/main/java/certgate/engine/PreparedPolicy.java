package certgate.engine;

import certgate.dsl.policy.CaProfile;
import certgate.dsl.policy.CompiledPolicy;
import certgate.dsl.policy.Gateway;
import certgate.engine.x509.VerificationCache;
import certgate.eventstore.IkeIdentity;
import certgate.eventstore.ValidationRequested;
import certgate.eventstore.ValidationSettings;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A compiled policy with what its decisions derive from it made once, not per decision: the trust of each CA
 * profile and the identity check of each gateway with their trace texts, and the revision as the trace names it.
 * What depends on a request as well (the gateway it selects, the identity check on its peer) is remembered in
 * the engine's {@link VerificationCache} under keys that hold the prepared policy itself.
 *
 * <p>A prepared policy is found in that cache by the identity of its {@link CompiledPolicy}: two policies,
 * however alike, never share one, nor anything remembered under it, so a decision under a policy is the one
 * {@link PolicyDecisions#select} and a fresh check would give, whatever was decided before under another.
 */
final class PreparedPolicy {
    private final CompiledPolicy policy;
    private final String revisionText;
    /** Per gateway, in file order: its route, or null for a pre-shared-key gateway. */
    private final List<Route> routes;

    /** How a certificate gateway decides: its CA profile's trust and its identity check. */
    record Route(Gateway gateway, ProfileTrust trust, GatewayIdentity identity,
                 Optional<ValidationSettings> bound, String boundStep) {
        /** {@code gateway}'s route, with the settings a request bound to it records and the step they give. */
        static Route of(CompiledPolicy policy, Gateway gateway, ProfileTrust trust) {
            Optional<ValidationSettings> bound;
            try {
                bound = Optional.of(PolicyDecisions.settings(policy.pki(), trust.profile().revocationCheck()));
            } catch (IllegalArgumentException e) {
                // Settings no request can record (bind refuses them): nothing to prepare, nothing to decide.
                bound = Optional.empty();
            }
            return new Route(gateway, trust, GatewayIdentity.of(gateway), bound,
                    bound.map(settings -> settingsStep(trust, settings)).orElse(""));
        }

        /** The trace's second step for a request recording {@code recorded}: what it trusts and those settings. */
        String settingsStep(ValidationSettings recorded) {
            return bound.isPresent() && recorded.equals(bound.get()) ? boundStep : settingsStep(trust, recorded);
        }

        private static String settingsStep(ProfileTrust trust, ValidationSettings settings) {
            return trust.describe() + "; settings " + PolicyDecisions.describe(settings);
        }
    }

    /** A request's gateway selection, the text of the trace's first step, and the route when it decides. */
    record Routing(Selection selection, String step, Optional<Route> route) {
    }

    private PreparedPolicy(CompiledPolicy policy) {
        this.policy = policy;
        this.revisionText = "policy revision " + PolicyDecisions.shortRevision(policy.revision());
        Map<CaProfile, ProfileTrust> trusts = new HashMap<>();
        List<Route> prepared = new ArrayList<>(policy.gateways().size());
        for (Gateway gateway : policy.gateways()) {
            prepared.add(gateway.caProfile().map(profile -> Route.of(policy, gateway,
                    trusts.computeIfAbsent(profile, ProfileTrust::of))).orElse(null));
        }
        this.routes = Collections.unmodifiableList(prepared);
    }

    /** {@code policy} prepared, once per policy value that {@code cache} holds it for. */
    static PreparedPolicy of(CompiledPolicy policy, VerificationCache cache) {
        return cache.remember(new Of(policy), () -> new PreparedPolicy(policy));
    }

    /** A compiled policy compared by identity: its prepared form is never taken for another's. */
    private record Of(CompiledPolicy policy) implements VerificationCache.Key<PreparedPolicy> {
        @Override
        public boolean equals(Object other) {
            return other instanceof Of of && of.policy == policy;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(policy);
        }
    }

    /**
     * What {@link PolicyDecisions#select} gives for {@code request}, with the trace's first step: remembered per
     * named gateway and presented IKE ID, the only parts of a request the selection reads.
     */
    Routing route(ValidationRequested request, VerificationCache cache) {
        return cache.remember(new Selected(this, request.gateway(), request.identity()),
                () -> routing(PolicyDecisions.select(policy, request)));
    }

    private record Selected(PreparedPolicy policy, Optional<String> gateway, Optional<IkeIdentity> identity)
            implements VerificationCache.Key<Routing> {
    }

    private Routing routing(Selection selection) {
        String step = selection.detail() + "; " + revisionText;
        if (!(selection instanceof Selection.Certificate)) {
            return new Routing(selection, step, Optional.empty());
        }
        Selection.Certificate chosen = (Selection.Certificate) selection;
        for (int i = 0; i < routes.size(); i++) {
            if (policy.gateways().get(i) == chosen.gateway()) {
                return new Routing(selection, step, Optional.of(routes.get(i)));
            }
        }
        // Not one of the policy's own gateway values (the selection always gives one): prepared for this request.
        return new Routing(selection, step, Optional.of(Route.of(policy, chosen.gateway(),
                ProfileTrust.of(chosen.profile()))));
    }
}
