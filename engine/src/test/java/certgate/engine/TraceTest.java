package certgate.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import certgate.engine.testpki.Scenario;
import certgate.engine.testpki.TestCert;
import certgate.engine.testpki.TestPki;
import certgate.engine.trace.TraceStep;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A trace lists Junos's steps in order and names what each step looked at. */
class TraceTest {
    private final TestPki root = TestPki.root("CN=Root, O=Corp");
    private final TestPki sub = root.intermediate("CN=Sub, O=Corp");
    private final TestCert gw = sub.leaf("CN=gw1, O=Corp", TestPki.dns("gw1.corp.example"));

    @Test
    void an_accepted_decision_traces_every_step_in_the_seeds_order() {
        Decision decision = Scenario.trusting(root).identity("fqdn:gw1.corp.example").checkRevocation()
                .crl(root.crl().build()).crl(sub.crl().build()).decide(gw, sub.certificate());
        Expect.accepted(decision);
        List<TraceStep.Step> steps = decision.trace().stream().map(TraceStep::step).distinct().toList();
        assertEquals(List.of(TraceStep.Step.CHAIN, TraceStep.Step.SIGNATURE, TraceStep.Step.VALIDITY,
                TraceStep.Step.CONSTRAINTS, TraceStep.Step.IDENTITY, TraceStep.Step.REVOCATION), steps);
        String text = Expect.trace(decision);
        assertTrue(text.contains("'CN=gw1, O=Corp' (serial " + decision.path().get(0).serialHex() + ")"), text);
        assertTrue(text.contains("EC P-256 key"), text);
        assertTrue(text.contains("CRL of 'CN=Sub, O=Corp' (thisUpdate "), text);
    }

    @Test
    void a_rejected_decision_ends_with_the_failed_step() {
        Decision decision = Scenario.trusting(root).identity("fqdn:gw2.corp.example").decide(gw, sub.certificate());
        TraceStep last = decision.trace().get(decision.trace().size() - 1);
        assertEquals(TraceStep.Step.IDENTITY, last.step());
        assertEquals(TraceStep.Outcome.FAIL, last.outcome());
        assertEquals(3, decision.path().size());
    }
}
