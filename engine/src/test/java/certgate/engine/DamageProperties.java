package certgate.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import certgate.engine.testpki.KeyType;
import certgate.engine.testpki.Scenario;
import certgate.engine.testpki.TestCert;
import certgate.engine.testpki.TestPki;
import certgate.engine.x509.CertificateFormatException;
import certgate.engine.x509.ParsedCertificate;
import certgate.eventstore.Blob;
import certgate.eventstore.CaCertificateLoaded;
import certgate.eventstore.CrlLoaded;
import certgate.eventstore.Verdict;
import certgate.testkit.Gens;
import certgate.testkit.Property;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Damaged input never escapes as an exception and is never accepted: a certificate whose bytes changed either
 * fails to parse (MALFORMED_CERTIFICATE) or no longer verifies, since certgate reads DER only and the bytes
 * outside the signed part are checked too.
 */
class DamageProperties {
    private static final TestPki ROOT = TestPki.root("CN=Damage Root");
    private static final TestPki SUB = ROOT.intermediate("CN=Damage Sub");
    private static final TestPki RSA = TestPki.root(TestPki.spec("CN=Damage RSA").keyType(KeyType.RSA_2048));
    private static final TestCert EC_PEER = SUB.leaf("CN=gw1, O=Corp", TestPki.dns("gw1.example"));
    private static final TestCert RSA_PEER = RSA.issue(TestPki.spec("CN=gw2").keyType(KeyType.RSA_2048)
            .san(TestPki.dns("gw2.example")));

    @Test
    void a_damaged_peer_certificate_is_rejected_never_accepted_and_never_throws() {
        Scenario scenario = Scenario.trusting(ROOT).identity("fqdn:gw1.example");
        Engine engine = scenario.engine();
        Expect.accepted(engine.decide(scenario.request(EC_PEER.blob(), List.of(SUB.certificate().blob()))));
        Property.forAll(Gens.damaged(EC_PEER.der())).tries(300).check(damaged -> {
            Decision decision = engine.decide(scenario.request(Blob.of(damaged), List.of(SUB.certificate().blob())));
            assertEquals(Verdict.REJECT, decision.verdict(), () -> Expect.trace(decision));
        });
    }

    @Test
    void a_damaged_rsa_peer_certificate_is_rejected_too() {
        Scenario scenario = Scenario.trusting(RSA);
        Engine engine = scenario.engine();
        Expect.accepted(engine.decide(scenario.request(RSA_PEER.blob(), List.of())));
        Property.forAll(Gens.damaged(RSA_PEER.der())).tries(200).check(damaged -> {
            Decision decision = engine.decide(scenario.request(Blob.of(damaged), List.of()));
            assertEquals(Verdict.REJECT, decision.verdict(), () -> Expect.trace(decision));
        });
    }

    @Test
    void every_single_byte_change_of_a_peer_certificate_is_rejected() {
        Scenario scenario = Scenario.trusting(SUB);
        Engine engine = scenario.engine();
        byte[] der = EC_PEER.der();
        for (int i = 0; i < der.length; i++) {
            for (int flip : new int[] {0x01, 0x80}) {
                byte[] changed = der.clone();
                changed[i] ^= (byte) flip;
                Decision decision = engine.decide(scenario.request(Blob.of(changed), List.of()));
                int at = i;
                assertEquals(Verdict.REJECT, decision.verdict(), () -> "byte " + at + " changed\n"
                        + Expect.trace(decision));
            }
        }
    }

    @Test
    void the_certificate_parser_fails_only_with_its_own_typed_error() {
        Property.forAll(Gens.damaged(EC_PEER.der())).tries(500).check(damaged -> {
            try {
                ParsedCertificate parsed = ParsedCertificate.parse(damaged);
                assertFalse(java.util.Arrays.equals(parsed.der(), EC_PEER.der()));
            } catch (CertificateFormatException e) {
                assertTrue(e.getMessage() != null && !e.getMessage().isBlank());
            }
        });
    }

    @Test
    void damaged_ca_certificates_and_crls_never_make_apply_throw() {
        byte[] crl = SUB.crl().revoke(EC_PEER.serial()).build();
        Property.forAll(Gens.damaged(SUB.certificate().der())).tries(150).check(damaged -> {
            Engine engine = Engine.empty().apply(new CaCertificateLoaded("p", Blob.of(damaged)));
            assertTrue(engine.trustedCertificates().size() + engine.rejectedLoads().size() == 1);
        });
        Property.forAll(Gens.damaged(crl)).tries(150).check(damaged -> {
            Engine engine = Engine.empty().apply(new CrlLoaded(Blob.of(damaged), "test"));
            assertTrue(engine.crls().size() + engine.rejectedLoads().size() == 1);
        });
    }

    @Test
    void a_damaged_crl_never_hides_a_revocation_nor_passes_as_the_real_one() {
        byte[] crl = SUB.crl().revoke(EC_PEER.serial()).build();
        byte[] rootCrl = ROOT.crl().build();
        Property.forAll(Gens.damaged(crl)).tries(150).check(damaged -> {
            Decision decision = Scenario.trusting(ROOT).checkRevocation().crl(rootCrl).crl(damaged)
                    .decide(EC_PEER, SUB.certificate());
            assertEquals(Verdict.REJECT, decision.verdict(), () -> Expect.trace(decision));
        });
    }
}
