package certgate.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import certgate.engine.testpki.TestCert;
import certgate.engine.testpki.TestPki;
import certgate.eventstore.Blob;
import certgate.eventstore.CaCertificateLoaded;
import certgate.eventstore.CrlLoaded;
import certgate.eventstore.OcspAnswered;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The engine's surface for adapters beyond deciding: admission checks and the CRL lookup by CA and serial. */
class EngineSurfaceTest {
    private static final TestPki ROOT = TestPki.root("CN=Surface Root");
    private static final TestPki OTHER_ROOT = TestPki.root("CN=Surface Root");

    private static Engine trusting(TestPki ca) {
        return Engine.empty().apply(new CaCertificateLoaded("default", ca.certificate().blob()));
    }

    private static Engine withCrl(Engine engine, byte[] crl) {
        return engine.apply(new CrlLoaded(Blob.of(crl), "file:ca.crl"));
    }

    @Test
    void a_root_is_admitted_as_self_signed_and_then_held_already() {
        Admission first = Engine.empty().admitCaCertificate(ROOT.certificate().der(), "default");
        assertInstanceOf(Admission.Admitted.class, first);
        assertTrue(first.message().endsWith("self-signed"), first.message());
        Admission again = trusting(ROOT).admitCaCertificate(ROOT.certificate().der(), "default");
        assertInstanceOf(Admission.AlreadyHeld.class, again);
    }

    @Test
    void an_end_entity_certificate_is_refused_as_a_ca() {
        TestCert leaf = ROOT.leaf("CN=gw1", TestPki.dns("gw1.example"));
        Admission admission = trusting(ROOT).admitCaCertificate(leaf.der(), "default");
        assertInstanceOf(Admission.Refused.class, admission);
        assertTrue(admission.message().contains("would never take it as an issuer"), admission.message());
    }

    @Test
    void bytes_that_are_no_certificate_are_refused() {
        Admission admission = Engine.empty().admitCaCertificate(new byte[] {0x30, 0x03, 0x02, 0x01, 0x01}, "default");
        assertInstanceOf(Admission.Refused.class, admission);
        assertTrue(admission.message().startsWith("the engine cannot read this certificate"), admission.message());
    }

    @Test
    void an_intermediate_loaded_with_its_root_is_checked_against_it() {
        TestPki sub = ROOT.intermediate("CN=Surface Sub");
        List<Admission> admissions = Engine.empty().admitCaCertificates(
                List.of(ROOT.certificate().der(), sub.certificate().der()), "default");
        assertInstanceOf(Admission.Admitted.class, admissions.get(1));
        assertTrue(admissions.get(1).message().contains("signature verified with CA 'CN=Surface Root'"),
                admissions.get(1).message());
    }

    @Test
    void a_crl_signed_by_another_key_under_the_loaded_name_is_refused() {
        Blob forged = Blob.of(OTHER_ROOT.crl().build());
        Admission admission = trusting(ROOT).admitCrl(forged, TestPki.NOW);
        assertInstanceOf(Admission.Refused.class, admission);
        assertTrue(admission.message().contains("does not verify"), admission.message());
    }

    @Test
    void a_crl_of_the_loaded_ca_is_admitted_once() {
        Blob crl = Blob.of(ROOT.crl().build());
        assertInstanceOf(Admission.Admitted.class, trusting(ROOT).admitCrl(crl, TestPki.NOW));
        List<Admission> twice = trusting(ROOT).admitCrls(List.of(crl, crl), TestPki.NOW);
        assertInstanceOf(Admission.AlreadyHeld.class, twice.get(1));
        assertInstanceOf(Admission.AlreadyHeld.class, withCrl(trusting(ROOT), crl.bytes()).admitCrl(crl, TestPki.NOW));
    }

    @Test
    void a_listed_serial_is_revoked_with_its_time_reason_and_the_crl_dates() {
        TestCert peer = ROOT.leaf("CN=gw1", TestPki.dns("gw1.example"));
        Instant revokedAt = TestPki.NOW.minusSeconds(3_600);
        Engine engine = withCrl(trusting(ROOT), ROOT.crl().revoke(peer.serial(), revokedAt, 1).build());
        String ca = ROOT.certificate().blob().sha256Hex();
        CrlStatus status = engine.crlStatus(ca, peer.serial());
        CrlStatus.Revoked revoked = assertInstanceOf(CrlStatus.Revoked.class, status);
        assertEquals(revokedAt, revoked.revocationDate());
        assertEquals(Optional.of(1), revoked.reasonCode());
        assertEquals(engine.crls().get(0), revoked.crl());
        CrlStatus other = engine.crlStatus(ca, peer.serial().add(BigInteger.ONE));
        assertEquals(engine.crls().get(0), assertInstanceOf(CrlStatus.NotListed.class, other).crl());
    }

    @Test
    void without_a_crl_the_ca_signed_there_is_no_answer() {
        TestCert peer = ROOT.leaf("CN=gw1", TestPki.dns("gw1.example"));
        String ca = ROOT.certificate().blob().sha256Hex();
        assertInstanceOf(CrlStatus.NoCrl.class, trusting(ROOT).crlStatus(ca, peer.serial()));
        Engine forged = withCrl(trusting(ROOT), OTHER_ROOT.crl().revoke(peer.serial()).build());
        assertInstanceOf(CrlStatus.NoCrl.class, forged.crlStatus(ca, peer.serial()));
        assertInstanceOf(CrlStatus.NoCrl.class, trusting(ROOT).crlStatus("00".repeat(32), peer.serial()));
    }

    @Test
    void the_crl_in_force_is_the_newest_the_ca_signed_and_its_bytes_are_those_loaded() {
        String ca = ROOT.certificate().blob().sha256Hex();
        byte[] older = ROOT.crl().thisUpdate(TestPki.NOW.minusSeconds(7_200)).number(1).build();
        byte[] newer = ROOT.crl().thisUpdate(TestPki.NOW.minusSeconds(60)).number(2).build();
        Engine engine = withCrl(withCrl(trusting(ROOT), newer), older);
        LoadedCrl inForce = engine.crlInForce(ca).orElseThrow();
        assertEquals(Blob.of(newer).sha256Hex(), inForce.sha256());
        assertArrayEquals(newer, engine.crlBytes(inForce.sha256()).orElseThrow());
        assertArrayEquals(older, engine.crlBytes(Blob.of(older).sha256Hex()).orElseThrow());
        assertArrayEquals(ROOT.certificate().der(), engine.trustedCertificateBytes(ca).orElseThrow());
    }

    @Test
    void without_a_crl_the_ca_signed_none_is_in_force() {
        String ca = ROOT.certificate().blob().sha256Hex();
        assertTrue(trusting(ROOT).crlInForce(ca).isEmpty());
        assertTrue(withCrl(trusting(ROOT), OTHER_ROOT.crl().build()).crlInForce(ca).isEmpty());
        assertTrue(trusting(ROOT).crlInForce("00".repeat(32)).isEmpty());
        assertTrue(trusting(ROOT).crlBytes("00".repeat(32)).isEmpty());
        assertTrue(trusting(ROOT).trustedCertificateBytes("00".repeat(32)).isEmpty());
    }

    @Test
    void an_ocsp_answer_leaves_the_state_as_it_is() {
        Engine engine = withCrl(trusting(ROOT), ROOT.crl().build());
        Engine after = engine.apply(new OcspAnswered("1.3.14.3.2.26", "ab".repeat(20), "cd".repeat(20),
                BigInteger.TEN, OcspAnswered.Status.GOOD, Optional.of("ef".repeat(32))));
        assertSame(engine, after);
    }
}
