package certgate.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import certgate.engine.testpki.CrlSpec;
import certgate.engine.testpki.Scenario;
import certgate.engine.testpki.TestCert;
import certgate.engine.testpki.TestPki;
import certgate.eventstore.Reason;
import certgate.testkit.Gen;
import certgate.testkit.Property;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** A serial on the issuer's CRL is always rejected as REVOKED; one not on it never is. */
class RevocationProperties {
    private static final TestPki ROOT = TestPki.root("CN=Revocation Root");
    private static final TestPki SUB = ROOT.intermediate("CN=Revocation Sub");
    private static final byte[] ROOT_CRL = ROOT.crl().build();

    /** Serials on the CRL, and the peer's serial: listed or not (often a neighbour of a listed one). */
    record Case(List<BigInteger> listed, BigInteger peer, boolean peerListed) {
    }

    private static BigInteger serial(SplittableRandom random) {
        byte[] bytes = new byte[1 + random.nextInt(20)];
        random.nextBytes(bytes);
        bytes[0] &= 0x7f;
        BigInteger value = new BigInteger(bytes);
        return value.signum() == 0 ? BigInteger.ONE : value;
    }

    private static final Gen<Case> CASES = random -> {
        List<BigInteger> listed = new ArrayList<>();
        int size = random.nextInt(30);
        for (int i = 0; i < size; i++) {
            listed.add(serial(random));
        }
        boolean pickListed = !listed.isEmpty() && random.nextBoolean();
        BigInteger peer;
        if (pickListed) {
            peer = listed.get(random.nextInt(listed.size()));
        } else {
            do {
                BigInteger step = BigInteger.valueOf(random.nextBoolean() ? 1 : -1);
                peer = !listed.isEmpty() && random.nextBoolean()
                        ? listed.get(random.nextInt(listed.size())).add(step) : serial(random);
            } while (peer.signum() <= 0 || peer.toByteArray().length > 20 || listed.contains(peer));
        }
        return new Case(listed, peer, pickListed);
    };

    @Test
    void a_listed_serial_is_always_revoked_and_an_unlisted_one_never() {
        Property.forAll(CASES).tries(60).check(c -> {
            TestCert peer = SUB.issue(TestPki.spec("CN=peer").serial(c.peer()));
            CrlSpec crl = SUB.crl();
            c.listed().forEach(crl::revoke);
            Decision decision = Scenario.trusting(ROOT).checkRevocation().crl(ROOT_CRL).crl(crl.build())
                    .decide(peer, SUB.certificate());
            if (c.peerListed()) {
                Expect.reason(Reason.REVOKED, decision);
            } else {
                assertNotEquals(Reason.REVOKED, decision.reason(), () -> Expect.trace(decision));
                Expect.accepted(decision);
            }
        });
    }

    @Test
    void a_revoked_intermediate_rejects_every_peer_below_it() {
        Property.forAll(CASES).tries(20).check(c -> {
            TestPki sub = ROOT.intermediate(TestPki.spec("CN=Revocable Sub").serial(c.peer()));
            CrlSpec rootCrl = ROOT.crl();
            c.listed().forEach(rootCrl::revoke);
            Decision decision = Scenario.trusting(ROOT).checkRevocation().crl(rootCrl.build())
                    .crl(sub.crl().build()).decide(sub.leaf("CN=peer"), sub.certificate());
            assertEquals(c.peerListed() ? Reason.REVOKED : Reason.OK, decision.reason(),
                    () -> Expect.trace(decision));
        });
    }
}
