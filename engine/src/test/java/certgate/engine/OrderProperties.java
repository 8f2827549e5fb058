package certgate.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import certgate.engine.testpki.TestCert;
import certgate.engine.testpki.TestPki;
import certgate.eventstore.Blob;
import certgate.eventstore.CaCertificateLoaded;
import certgate.eventstore.CrlLoaded;
import certgate.eventstore.Event;
import certgate.eventstore.IkeIdentity;
import certgate.eventstore.ValidationRequested;
import certgate.eventstore.ValidationSettings;
import certgate.testkit.Gen;
import certgate.testkit.Property;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A decision depends on what is trusted, sent and loaded, never on the order: the same trust certificates,
 * chain certificates and CRLs in any order give the same decision, trace and path included.
 */
class OrderProperties {
    private static final TestPki ROOT_A = TestPki.root("CN=Root A");
    private static final TestPki ROOT_B = TestPki.root("CN=Root B");
    private static final TestPki SUB = ROOT_A.intermediate("CN=Sub");
    /** The same CA (subject and key) cross-certified by Root B, and an expired copy under Root A. */
    private static final TestPki SUB_BY_B = ROOT_B.intermediate(TestPki.spec("CN=Sub").keyPair(SUB.keyPair()));
    private static final TestPki SUB_EXPIRED = ROOT_A.intermediate(TestPki.spec("CN=Sub").keyPair(SUB.keyPair())
            .notAfter(TestPki.NOW.minusSeconds(86_400)));
    private static final TestPki UNRELATED = ROOT_B.intermediate("CN=Unrelated");
    private static final List<TestCert> PEERS = List.of(
            SUB.leaf("CN=good", TestPki.dns("good.example")),
            SUB.leaf("CN=revoked", TestPki.dns("revoked.example")),
            SUB.leaf("CN=other", TestPki.dns("other.example")),
            UNRELATED.leaf("CN=elsewhere"));
    private static final List<byte[]> CRLS = List.of(
            ROOT_A.crl().build(),
            ROOT_B.crl().revoke(SUB_BY_B.certificate().serial()).build(),
            SUB.crl().revoke(PEERS.get(1).serial()).build(),
            SUB.crl().revoke(PEERS.get(1).serial()).thisUpdate(TestPki.NOW.minusSeconds(10L * 86_400)).number(0)
                    .build());
    private static final List<TestCert> TRUST = List.of(ROOT_A.certificate(), ROOT_B.certificate(),
            UNRELATED.certificate());
    private static final List<TestCert> CHAIN = List.of(SUB.certificate(), SUB_BY_B.certificate(),
            SUB_EXPIRED.certificate(), UNRELATED.certificate(), ROOT_B.certificate());

    /** Which request, under which settings, and the seed of the shuffles. */
    record Case(int peer, boolean revocation, boolean full, boolean identity, long shuffleSeed) {
    }

    private static final Gen<Case> CASES = random -> new Case(random.nextInt(PEERS.size()), random.nextBoolean(),
            random.nextInt(4) == 0, random.nextBoolean(), random.nextLong());

    @Test
    void decisions_do_not_depend_on_the_order_of_trust_chain_and_crl_inputs() {
        Property.forAll(CASES).tries(25).check(c -> {
            Decision canonical = decide(c, TRUST, CHAIN, CRLS);
            Random shuffle = new Random(c.shuffleSeed());
            for (int round = 0; round < 2; round++) {
                Decision shuffled = decide(c, shuffled(TRUST, shuffle), shuffled(CHAIN, shuffle),
                        shuffled(CRLS, shuffle));
                assertEquals(canonical, shuffled, () -> "canonical:\n" + Expect.trace(canonical)
                        + "\nshuffled:\n" + Expect.trace(shuffled));
            }
        });
    }

    @Test
    void the_cases_reach_several_outcomes() {
        java.util.Set<certgate.eventstore.Reason> reasons = new java.util.TreeSet<>();
        for (int peer = 0; peer < PEERS.size(); peer++) {
            for (boolean revocation : new boolean[] {false, true}) {
                for (boolean identity : new boolean[] {false, true}) {
                    reasons.add(decide(new Case(peer, revocation, false, identity, 1), TRUST, CHAIN, CRLS).reason());
                }
            }
        }
        assertEquals(true, reasons.size() >= 4, () -> "only " + reasons);
    }

    private static <T> List<T> shuffled(List<T> list, Random random) {
        List<T> copy = new ArrayList<>(list);
        Collections.shuffle(copy, random);
        return copy;
    }

    private static Decision decide(Case c, List<TestCert> trust, List<TestCert> chain, List<byte[]> crls) {
        List<Event> events = new ArrayList<>();
        trust.forEach(cert -> events.add(new CaCertificateLoaded("default", cert.blob())));
        crls.forEach(crl -> events.add(new CrlLoaded(Blob.of(crl), "test")));
        Engine engine = Engine.replay(events);
        TestCert peer = PEERS.get(c.peer());
        ValidationSettings settings = new ValidationSettings(
                c.revocation() ? ValidationSettings.RevocationCheck.CRL : ValidationSettings.RevocationCheck.DISABLE,
                ValidationSettings.OnDownloadFailure.REJECT,
                c.full() ? ValidationSettings.PathValidation.FULL : ValidationSettings.PathValidation.PARTIAL,
                7, false, java.time.Duration.ZERO);
        Optional<IkeIdentity> identity = c.identity()
                ? Optional.of(new IkeIdentity(IkeIdentity.Type.FQDN, "good.example")) : Optional.empty();
        return engine.decide(new ValidationRequested("order", peer.blob(),
                chain.stream().map(TestCert::blob).toList(), identity, TestPki.NOW, settings, Optional.empty(),
                Optional.empty()));
    }
}
