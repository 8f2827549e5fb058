package certgate.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import certgate.engine.testpki.Scenario;
import certgate.engine.testpki.TestCert;
import certgate.engine.testpki.TestPki;
import certgate.eventstore.Blob;
import certgate.eventstore.ValidationSettings.OnDownloadFailure;
import certgate.testkit.Gens;
import certgate.testkit.Property;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The engine remembers what it found for a peer (the first path, its signature and constraint checks) and
 * re-checks the rest at each request's time: a peer decided again, at any time, gets exactly the decision a
 * fresh engine gives it.
 */
class RepeatedDecisionProperties {
    private static final long DAY = 86_400;

    private static final TestPki ROOT = TestPki.root("CN=Repeat Root");
    private static final TestPki SUB = ROOT.intermediate(TestPki.spec("CN=Repeat Sub")
            .validity(TestPki.NOW.minusSeconds(10 * DAY), TestPki.NOW.plusSeconds(20 * DAY)));
    private static final TestCert GOOD = SUB.issue(TestPki.spec("CN=good").serial(11)
            .validity(TestPki.NOW.minusSeconds(5 * DAY), TestPki.NOW.plusSeconds(10 * DAY))
            .san(TestPki.dns("good.example")));
    private static final TestCert REVOKED = SUB.issue(TestPki.spec("CN=revoked").serial(12)
            .san(TestPki.dns("revoked.example")));
    private static final byte[] CRL = SUB.crl().revoke(BigInteger.valueOf(12)).build();
    /** The intermediate's key and name certified again for a later period: a second way up from every peer. */
    private static final TestPki SUB_RENEWED = ROOT.intermediate(TestPki.spec("CN=Repeat Sub").keyPair(SUB.keyPair())
            .validity(TestPki.NOW.plusSeconds(5 * DAY), TestPki.NOW.plusSeconds(100 * DAY)));

    @Test
    void a_peer_decided_again_at_any_time_gets_the_decision_of_a_fresh_engine() {
        Property.forAll(Gens.listOf(Gens.ints(-40, 40), 2, 6)).tries(30).check(days -> {
            for (OnDownloadFailure choice : OnDownloadFailure.values()) {
                Engine shared = scenario(TestPki.NOW, choice).engine();
                for (int day : days) {
                    for (TestCert peer : List.of(GOOD, REVOKED)) {
                        Scenario at = scenario(TestPki.NOW.plusSeconds(day * DAY), choice)
                                .identity("fqdn:good.example");
                        List<Blob> chain = List.of(SUB.certificate().blob());
                        Decision again = shared.decide(at.request(peer.blob(), chain));
                        Decision fresh = at.engine().decide(at.request(peer.blob(), chain));
                        assertEquals(fresh, again, () -> "day " + day + " of " + days + ", " + peer + ", " + choice);
                    }
                }
            }
        });
    }

    @Test
    void with_several_paths_a_peer_decided_again_gets_the_decision_of_a_fresh_engine() {
        // Trusting both certificates of the intermediate gives each peer four paths (to either, and on to the
        // root), which fail or pass differently as the intermediate's certificates and the peers expire.
        TestCert expiring = SUB.issue(TestPki.spec("CN=expiring").serial(13)
                .validity(TestPki.NOW.minusSeconds(30 * DAY), TestPki.NOW.plusSeconds(2 * DAY))
                .san(TestPki.dns("good.example")));
        Property.forAll(Gens.listOf(Gens.ints(-40, 40), 2, 8)).tries(30).check(days -> {
            for (OnDownloadFailure choice : OnDownloadFailure.values()) {
                Engine shared = twoPaths(TestPki.NOW, choice).engine();
                for (int day : days) {
                    for (TestCert peer : List.of(GOOD, REVOKED, expiring)) {
                        for (List<Blob> chain : List.of(List.<Blob>of(), List.of(SUB.certificate().blob()))) {
                            for (String id : List.of("fqdn:good.example", "fqdn:other.example")) {
                                Scenario at = twoPaths(TestPki.NOW.plusSeconds(day * DAY), choice).identity(id);
                                Decision again = shared.decide(at.request(peer.blob(), chain));
                                Decision fresh = at.engine().decide(at.request(peer.blob(), chain));
                                assertEquals(fresh, again, () -> "day " + day + " of " + days + ", " + peer + ", "
                                        + choice + ", chain " + chain.size() + ", " + id);
                            }
                        }
                    }
                }
            }
        });
    }

    private static Scenario twoPaths(Instant at, OnDownloadFailure choice) {
        return Scenario.trusting(ROOT, SUB, SUB_RENEWED).checkRevocation().crl(CRL).onDownloadFailure(choice).at(at);
    }

    private static Scenario scenario(Instant at, OnDownloadFailure choice) {
        return Scenario.trusting(ROOT).checkRevocation().crl(CRL).onDownloadFailure(choice).at(at);
    }
}
