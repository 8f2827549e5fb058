package certgate.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import certgate.dsl.policy.Gateway;
import certgate.dsl.policy.IdentityType;
import certgate.engine.Expect;
import certgate.engine.LoadRejection;
import certgate.engine.testpki.TestPki;
import certgate.engine.trace.TraceStep;
import certgate.engine.trace.TraceStep.Step;
import certgate.eventstore.Event;
import certgate.eventstore.PolicyActivated;
import certgate.eventstore.Reason;
import certgate.eventstore.ValidationRequested;
import certgate.testkit.Gens;
import certgate.testkit.Property;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Properties of decisions under a policy, over random requests against one fixed PKI and policy. */
class PolicyDecisionsProperties {
    @Test
    void a_replay_of_the_log_decides_every_request_exactly_as_it_was_decided() {
        PolicyFixture fixture = CorpPolicyPki.fixture(PolicyDecisionsTest.POLICY);
        Engine live = fixture.engine();
        String other = "version: 1\nike:\n  gateways:\n    - name: psk\n      authentication: pre-shared-key\n"
                + "      remote-identity: { ip: 192.0.2.1 }\n";
        Property.forAll(Gens.listOf(CorpPolicyPki.ASKS, 1, 6)).tries(50).check(asks -> {
            List<Event> log = new ArrayList<>(fixture.events());
            List<Decision> decided = new ArrayList<>();
            for (PolicyAsk ask : asks) {
                ValidationRequested request = fixture.request(ask.peer(), ask.id(), ask.gateway());
                log.add(request);
                decided.add(live.decide(request));
                // later activations must not change how earlier requests replay
                log.add(new PolicyActivated(PolicyFixture.of(other).policy.revision(), other));
            }
            Engine replayed = Engine.replay(log);
            int i = 0;
            for (Event event : log) {
                if (event instanceof ValidationRequested request) {
                    assertEquals(decided.get(i++), replayed.decide(request), asks.toString());
                }
            }
        });
    }

    @Test
    void every_decision_starts_with_the_gateway_step_and_names_the_gateway_the_lookup_selects() {
        PolicyFixture fixture = CorpPolicyPki.fixture(PolicyDecisionsTest.POLICY);
        Engine engine = fixture.engine();
        Property.forAll(CorpPolicyPki.ASKS).tries(200).check(ask -> {
            ValidationRequested request = fixture.request(ask.peer(), ask.id(), ask.gateway());
            Decision decision = engine.decide(request);
            assertEquals(Step.GATEWAY, decision.trace().get(0).step(), Expect.trace(decision));
            Optional<Gateway> selected = PolicyDecisions.select(fixture.policy, request).chosen();
            if (ask.gateway().isEmpty()) {
                IdentityType type = IdentityType.valueOf(request.identity().orElseThrow().type().name());
                assertEquals(fixture.policy.findGateway(type, request.identity().get().value()), selected);
            }
            if (selected.isEmpty()) {
                assertEquals(Reason.GATEWAY_NOT_FOUND, decision.reason(), Expect.trace(decision));
            } else {
                assertTrue(decision.trace().get(0).detail().startsWith("gateway " + selected.get().name() + " "),
                        Expect.trace(decision));
            }
        });
    }

    @Test
    void an_accepted_peer_always_carries_the_gateway_identity_and_comes_from_the_gateway_profile() {
        PolicyFixture fixture = CorpPolicyPki.fixture(PolicyDecisionsTest.POLICY);
        Engine engine = fixture.engine();
        Property.forAll(CorpPolicyPki.ASKS).tries(200).check(ask -> {
            ValidationRequested request = fixture.request(ask.peer(), ask.id(), ask.gateway());
            Decision decision = engine.decide(request);
            if (!decision.accepted()) {
                return;
            }
            Gateway gateway = PolicyDecisions.select(fixture.policy, request).chosen().orElseThrow();
            String profile = gateway.caProfile().orElseThrow().name();
            TestPki issuer = ask.peer().subject().endsWith("O=Partner") ? CorpPolicyPki.PARTNER : CorpPolicyPki.CORP;
            assertEquals(profile.equals("corp"), issuer == CorpPolicyPki.CORP, ask + " accepted by " + gateway.name());
            assertTrue(decision.trace().stream().anyMatch(s -> s.step() == Step.IDENTITY
                    && s.outcome().name().equals("PASS")), Expect.trace(decision));
            ask.id().ifPresent(id -> assertTrue(gateway.remoteIdentity().type().name()
                    .equals(request.identity().orElseThrow().type().name())));
        });
    }

    @Test
    void a_policy_source_changed_after_its_revision_was_taken_is_never_used() {
        byte[] source = PolicyDecisionsTest.POLICY.getBytes(StandardCharsets.UTF_8);
        String revision = CorpPolicyPki.fixture(PolicyDecisionsTest.POLICY).policy.revision();
        Property.forAll(Gens.damaged(source)).tries(300).check(damaged -> {
            String text = new String(damaged, StandardCharsets.UTF_8);
            if (text.equals(PolicyDecisionsTest.POLICY)) {
                return; // invalid UTF-8 that decodes back to the original: not a change of the text
            }
            Engine engine = Engine.empty().apply(new PolicyActivated(revision, text));
            assertFalse(engine.policy(revision).isPresent(), "a changed source was taken as revision " + revision);
            assertEquals(LoadRejection.Kind.POLICY, engine.rejectedLoads().get(0).kind());
        });
    }
}
