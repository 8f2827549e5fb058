package certgate.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import certgate.engine.testpki.Scenario;
import certgate.engine.testpki.TestCert;
import certgate.engine.testpki.TestPki;
import certgate.eventstore.Blob;
import certgate.eventstore.CaCertificateLoaded;
import certgate.eventstore.CrlLoaded;
import certgate.eventstore.InMemoryEventLog;
import certgate.eventstore.Reason;
import certgate.eventstore.ValidationDecided;
import certgate.eventstore.ValidationRequested;
import certgate.eventstore.Verdict;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The engine's state: built only by applying events, total over any log, and pure when deciding. */
class EngineTest {
    private final TestPki root = TestPki.root("CN=Root");
    private final TestPki sub = root.intermediate("CN=Sub");

    @Test
    void a_certificate_that_cannot_be_read_stays_out_of_the_state_and_says_why() {
        Engine engine = Engine.empty().apply(new CaCertificateLoaded("corp", Blob.of(new byte[] {0x30, 0x00})));
        assertTrue(engine.trustedCertificates().isEmpty());
        assertEquals(1, engine.rejectedLoads().size());
        assertEquals(LoadRejection.Kind.CA_CERTIFICATE, engine.rejectedLoads().get(0).kind());
        assertTrue(engine.rejectedLoads().get(0).origin().contains("corp"));
    }

    @Test
    void a_crl_that_cannot_be_read_stays_out_of_the_state_and_says_why() {
        Engine engine = Engine.empty().apply(new CrlLoaded(Blob.of(new byte[] {1, 2, 3}), "file:bad.crl"));
        assertTrue(engine.crls().isEmpty());
        assertEquals("file:bad.crl", engine.rejectedLoads().get(0).origin());
    }

    @Test
    void requests_and_decisions_leave_the_state_as_it_is() {
        Engine engine = Scenario.trusting(root).engine();
        ValidationRequested request = Scenario.trusting(root).request(sub.leaf("CN=gw").blob(), List.of());
        assertSame(engine, engine.apply(request));
        assertSame(engine, engine.apply(new ValidationDecided("x", Verdict.REJECT, Reason.NO_TRUSTED_PATH)));
    }

    @Test
    void a_certificate_loaded_under_two_profiles_is_stored_once_with_both() {
        Engine engine = Engine.empty().apply(new CaCertificateLoaded("a", root.certificate().blob()))
                .apply(new CaCertificateLoaded("b", root.certificate().blob()));
        assertEquals(1, engine.trustedCertificates().size());
        assertEquals(Set.of("a", "b"), engine.trustedCertificates().get(0).profiles());
        assertEquals("CN=Root", engine.trustedCertificates().get(0).subject());
    }

    @Test
    void replaying_a_log_gives_the_state_and_decisions_of_applying_its_events() {
        InMemoryEventLog log = InMemoryEventLog.create(Clock.systemUTC());
        log.append(new CaCertificateLoaded("default", root.certificate().blob()));
        log.append(new CrlLoaded(Blob.of(sub.crl().build()), "file:sub.crl"));
        TestCert gw = sub.leaf("CN=gw");
        ValidationRequested request = Scenario.trusting(root).request(gw.blob(), List.of(sub.certificate().blob()));
        Engine replayed = Engine.replay(log);
        assertEquals(1, replayed.trustedCertificates().size());
        assertEquals(1, replayed.crls().size());
        assertEquals(replayed.decide(request), Engine.replay(List.of(
                new CaCertificateLoaded("default", root.certificate().blob()),
                new CrlLoaded(Blob.of(sub.crl().build()), "file:sub.crl"))).decide(request));
    }

    @Test
    void deciding_twice_gives_the_same_decision() {
        Scenario scenario = Scenario.trusting(root).identity("fqdn:gw.example");
        Engine engine = scenario.engine();
        ValidationRequested request = scenario.request(sub.leaf("CN=gw", TestPki.dns("gw.example")).blob(),
                List.of(sub.certificate().blob()));
        Decision first = engine.decide(request);
        Expect.accepted(first);
        assertEquals(first, engine.decide(request));
    }

    @Test
    void a_trust_filter_limits_which_stored_certificates_are_trusted() {
        TestPki otherRoot = TestPki.root("CN=Other Root");
        Engine engine = Engine.replay(List.of(new CaCertificateLoaded("corp", root.certificate().blob()),
                new CaCertificateLoaded("partner", otherRoot.certificate().blob())));
        ValidationRequested request = Scenario.trusting().request(sub.leaf("CN=gw").blob(),
                List.of(sub.certificate().blob()));
        Expect.accepted(engine.decide(request, trusted -> trusted.profiles().contains("corp")));
        Expect.reason(Reason.NO_TRUSTED_PATH, engine.decide(request, trusted -> trusted.profiles()
                .contains("partner")));
    }

    @Test
    void the_time_of_a_decision_is_the_request_time_not_the_clock() {
        TestCert old = sub.issue(TestPki.spec("CN=gw").validity(TestPki.NOT_BEFORE,
                java.time.Instant.parse("2021-01-01T00:00:00Z")));
        Expect.accepted(Scenario.trusting(root).at(java.time.Instant.parse("2020-06-01T00:00:00Z"))
                .decide(old, sub.certificate()));
        Expect.reason(Reason.EXPIRED, Scenario.trusting(root).decide(old, sub.certificate()));
    }
}
