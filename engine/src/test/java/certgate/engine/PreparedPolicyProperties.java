package certgate.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import certgate.engine.x509.VerificationCache;
import certgate.eventstore.ValidationRequested;
import certgate.eventstore.ValidationSettings;
import certgate.testkit.Gens;
import certgate.testkit.Property;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What a decision under a policy derives from the policy is prepared once ({@link PreparedPolicy}) and what it
 * derives from a request (the gateway it selects, the identity check on its peer, the profile's trust over the
 * store) is remembered in the engine's cache: none of it may change a decision or its trace. An engine that has
 * decided anything before, under any policy, decides exactly as a fresh one.
 */
class PreparedPolicyProperties {
    /**
     * The test policy with the corp profile trusting another CA and the branches rule naming other attributes:
     * the same requests select other gateways, trust other certificates and pass other identity checks.
     */
    private static final String CHANGED = PolicyDecisionsTest.POLICY
            .replace("ca-identity: \"CN=Corp Issuing CA, O=Corp\"", "ca-identity: \"CN=Corp Root CA, O=Corp\"")
            .replace("wildcard: \"O=Corp, OU=Branches\"", "wildcard: \"O=Corp, L=Lyon\"");

    @Test
    void a_request_decided_again_on_a_warm_engine_gets_the_decision_and_trace_of_a_fresh_engine() {
        PolicyFixture fixture = CorpPolicyPki.fixture(PolicyDecisionsTest.POLICY);
        Engine warm = fixture.engine();
        Property.forAll(Gens.listOf(CorpPolicyPki.ASKS, 1, 8)).tries(40).check(asks -> {
            for (PolicyAsk ask : asks) {
                ValidationRequested request = fixture.request(ask.peer(), ask.id(), ask.gateway());
                Decision fresh = fixture.engine().decide(request);
                assertEquals(fresh, warm.decide(request), ask + " (the audit's path, by revision)");
                assertEquals(fresh, PolicyDecisions.decide(fixture.policy, warm, request), ask + " (whatif's path)");
                assertEquals(fresh, warm.decide(request), ask + " (once more)");
            }
        });
    }

    @Test
    void binding_and_deciding_in_one_step_is_binding_then_deciding() {
        PolicyFixture fixture = CorpPolicyPki.fixture(PolicyDecisionsTest.POLICY);
        Engine warm = fixture.engine();
        Property.forAll(Gens.listOf(CorpPolicyPki.ASKS, 1, 8)).tries(40).check(asks -> {
            for (PolicyAsk ask : asks) {
                ValidationRequested bound = fixture.request(ask.peer(), ask.id(), ask.gateway());
                ValidationRequested draft = new ValidationRequested(bound.requestId(), bound.peer(), bound.chain(),
                        bound.identity(), bound.at(), ValidationSettings.DEFAULTS, bound.gateway(), Optional.empty());
                Decision apart = PolicyDecisions.decide(fixture.policy, fixture.engine(),
                        PolicyDecisions.bind(fixture.policy, draft));
                assertEquals(apart, PolicyDecisions.bindAndDecide(fixture.policy, warm, draft), ask.toString());
            }
        });
    }

    @Test
    void two_policies_never_share_what_was_remembered_under_either() {
        PolicyFixture live = CorpPolicyPki.fixture(PolicyDecisionsTest.POLICY);
        PolicyFixture changed = CorpPolicyPki.fixture(CHANGED);
        PolicyFixture compiledAgain = CorpPolicyPki.fixture(PolicyDecisionsTest.POLICY);
        Engine shared = live.engine();
        Property.forAll(Gens.listOf(CorpPolicyPki.ASKS, 1, 8)).tries(40).check(asks -> {
            for (PolicyAsk ask : asks) {
                for (PolicyFixture under : List.of(live, changed, compiledAgain)) {
                    ValidationRequested request = under.request(ask.peer(), ask.id(), ask.gateway());
                    // the state of the shared engine, fresh: the policy is given, as whatif gives it
                    Decision fresh = PolicyDecisions.decide(under.policy, live.engine(), request);
                    assertEquals(fresh, PolicyDecisions.decide(under.policy, shared, request),
                            ask + " under " + (under == changed ? "the changed policy" : "the test policy"));
                }
            }
        });
    }

    @Test
    void a_policy_is_prepared_once_and_an_equal_one_compiled_again_on_its_own() {
        VerificationCache cache = new VerificationCache();
        PolicyFixture once = CorpPolicyPki.fixture(PolicyDecisionsTest.POLICY);
        PolicyFixture again = CorpPolicyPki.fixture(PolicyDecisionsTest.POLICY);
        assertEquals(once.policy, again.policy);
        assertSame(PreparedPolicy.of(once.policy, cache), PreparedPolicy.of(once.policy, cache));
        assertNotSame(PreparedPolicy.of(once.policy, cache), PreparedPolicy.of(again.policy, cache));
    }
}
