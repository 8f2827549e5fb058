package certgate.engine.chain;

import static certgate.engine.testpki.TestPki.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import certgate.engine.Decision;
import certgate.engine.Expect;
import certgate.engine.PathCertificate;
import certgate.engine.testpki.Keys;
import certgate.engine.testpki.KeyType;
import certgate.engine.testpki.Scenario;
import certgate.engine.testpki.TestCert;
import certgate.engine.testpki.TestPki;
import certgate.eventstore.Reason;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How paths are found: alternatives, cross-certificates, rollover, and bounded work on hostile inputs. */
class ChainBuildingTest {
    private final TestPki root = TestPki.root("CN=Root");

    @Test
    void a_cross_certificate_leads_to_the_root_that_is_trusted() {
        TestPki otherRoot = TestPki.root("CN=Other Root");
        TestPki sub = otherRoot.intermediate("CN=Sub");
        TestPki subByRoot = root.intermediate(spec("CN=Sub").keyPair(sub.keyPair()));
        TestCert gw = sub.leaf("CN=gw1");
        Decision decision = Scenario.trusting(root).decide(gw, sub.certificate(), subByRoot.certificate());
        Expect.accepted(decision);
        assertEquals("CN=Root", decision.path().get(2).subject());
    }

    @Test
    void of_several_cas_with_one_name_the_one_whose_key_signed_is_used() {
        TestPki first = TestPki.root("CN=Same Name");
        TestPki second = TestPki.root("CN=Same Name");
        TestCert gw = second.leaf("CN=gw1");
        Decision decision = Scenario.trusting(first, second).decide(gw);
        Expect.accepted(decision);
        assertEquals(second.certificate().blob().sha256Hex(), decision.path().get(1).sha256());
    }

    @Test
    void a_key_rollover_certificate_bridges_old_and_new_root_keys() {
        KeyPair newKey = Keys.fresh(KeyType.EC_P256);
        TestPki newRoot = TestPki.root(spec("CN=Root").keyPair(newKey));
        TestPki newWithOld = root.intermediate(spec("CN=Root").keyPair(newKey));
        TestCert gw = newRoot.leaf("CN=gw1");
        Decision decision = Scenario.trusting(root).decide(gw, newWithOld.certificate());
        Expect.accepted(decision);
        assertEquals(3, decision.path().size());
    }

    @Test
    void self_issued_certificates_do_not_count_as_ca_levels() {
        KeyPair newKey = Keys.fresh(KeyType.EC_P256);
        TestPki newWithOld = root.intermediate(spec("CN=Root").keyPair(newKey));
        TestPki sub = TestPki.of(newWithOld.certificate()).intermediate("CN=Sub");
        Decision decision = Scenario.trusting(root).maxCaLevels(2).decide(sub.leaf("CN=gw1"), sub.certificate(),
                newWithOld.certificate());
        Expect.accepted(decision);
    }

    @Test
    void partial_validation_ends_at_a_stored_intermediate_whose_root_is_unknown() {
        TestPki sub = root.intermediate("CN=Sub");
        Decision decision = Scenario.trusting(sub).decide(sub.leaf("CN=gw1"));
        Expect.accepted(decision);
        assertEquals(List.of(PathCertificate.Source.PEER, PathCertificate.Source.TRUSTED),
                decision.path().stream().map(PathCertificate::source).toList());
    }

    @Test
    void an_expired_copy_of_an_intermediate_is_passed_over_for_a_valid_one() {
        TestPki sub = root.intermediate("CN=Sub");
        TestPki expired = root.intermediate(spec("CN=Sub").keyPair(sub.keyPair())
                .notAfter(TestPki.NOW.minusSeconds(60)));
        Decision decision = Scenario.trusting(root).decide(sub.leaf("CN=gw1"), expired.certificate(),
                sub.certificate());
        Expect.accepted(decision);
        assertEquals(sub.certificate().blob().sha256Hex(), decision.path().get(1).sha256());
    }

    @Test
    void the_trust_anchor_need_not_be_sent_and_a_sent_copy_is_harmless() {
        TestPki sub = root.intermediate("CN=Sub");
        Expect.accepted(Scenario.trusting(root).decide(sub.leaf("CN=gw1"), sub.certificate(), root.certificate()));
    }

    @Test
    void cas_certifying_each_other_without_reaching_a_trusted_root_end_quickly() {
        TestPki a = TestPki.root("CN=Loop A");
        TestPki b = TestPki.root("CN=Loop B");
        TestPki aByB = b.intermediate(spec("CN=Loop A").keyPair(a.keyPair()));
        TestPki bByA = a.intermediate(spec("CN=Loop B").keyPair(b.keyPair()));
        TestCert gw = a.leaf("CN=gw1");
        Decision decision = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> Scenario.trusting(root)
                .decide(gw, aByB.certificate(), bByA.certificate()));
        Expect.reason(Reason.NO_TRUSTED_PATH, decision);
    }

    @Test
    void a_mesh_of_look_alike_cas_is_searched_within_the_budget() {
        // Every CA has the same name and no key identifiers, so each is a candidate issuer of every other.
        List<TestCert> mesh = new ArrayList<>();
        List<TestPki> cas = new ArrayList<>();
        TestPki top = TestPki.root(spec("CN=Mesh").noSubjectKeyId());
        cas.add(top);
        for (int i = 0; i < 40; i++) {
            TestPki next = cas.get(i / 2).intermediate(spec("CN=Mesh").noSubjectKeyId().noAuthorityKeyId());
            cas.add(next);
            mesh.add(next.certificate());
        }
        TestCert gw = cas.get(cas.size() - 1).issue(spec("CN=gw1").noAuthorityKeyId());
        Decision decision = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> Scenario.trusting(root)
                .decide(gw, mesh.toArray(new TestCert[0])));
        Expect.reason(Reason.NO_TRUSTED_PATH, decision);
        assertTrue(Expect.trace(decision).contains("budget"), Expect.trace(decision));
    }
}
