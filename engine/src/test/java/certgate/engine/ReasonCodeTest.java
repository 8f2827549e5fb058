package certgate.engine;

import static certgate.engine.testpki.TestPki.dns;
import static certgate.engine.testpki.TestPki.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import certgate.engine.testpki.KeyType;
import certgate.engine.testpki.Scenario;
import certgate.engine.testpki.TestCert;
import certgate.engine.testpki.TestPki;
import certgate.engine.x509.ParsedCertificate;
import certgate.eventstore.Blob;
import certgate.eventstore.Reason;
import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.PolicyConstraints;
import org.junit.jupiter.api.Test;

/** One example per reason code the validation core gives: what makes a peer get it. */
class ReasonCodeTest {
    private final TestPki root = TestPki.root("CN=Root, O=Corp");
    private final TestPki sub = root.intermediate("CN=Sub, O=Corp");

    @Test
    void ok_for_a_peer_issued_by_a_trusted_intermediate_through_a_sent_chain() {
        TestCert gw = sub.leaf("CN=gw1, O=Corp", dns("gw1.corp.example"));
        Decision decision = Scenario.trusting(root).identity("fqdn:gw1.corp.example").decide(gw, sub.certificate());
        Expect.accepted(decision);
        assertEquals(List.of(PathCertificate.Source.PEER, PathCertificate.Source.CHAIN,
                PathCertificate.Source.TRUSTED), decision.path().stream().map(PathCertificate::source).toList());
        assertEquals("CN=gw1, O=Corp", decision.path().get(0).subject());
    }

    @Test
    void malformed_certificate_when_the_peer_bytes_are_not_a_certificate() {
        Decision decision = Scenario.trusting(root).decide(Blob.of(new byte[] {0x30, 0x03, 0x02, 0x01, 0x01}),
                List.of());
        Expect.reason(Reason.MALFORMED_CERTIFICATE, decision);
        assertTrue(decision.path().isEmpty());
    }

    @Test
    void malformed_certificate_when_a_chain_certificate_cannot_be_read() {
        TestCert gw = sub.leaf("CN=gw1");
        Decision decision = Scenario.trusting(root).decide(gw.blob(), List.of(Blob.of(new byte[] {1, 2, 3})));
        Expect.reason(Reason.MALFORMED_CERTIFICATE, decision);
    }

    @Test
    void no_trusted_path_when_the_issuer_is_neither_sent_nor_stored() {
        Expect.reason(Reason.NO_TRUSTED_PATH, Scenario.trusting(root).decide(sub.leaf("CN=gw1")));
    }

    @Test
    void no_trusted_path_when_the_chain_ends_at_a_root_that_is_not_stored() {
        TestPki other = TestPki.root("CN=Other Root");
        Expect.reason(Reason.NO_TRUSTED_PATH, Scenario.trusting(other).decide(sub.leaf("CN=gw1"),
                sub.certificate(), root.certificate()));
    }

    @Test
    void signature_invalid_when_the_peer_signature_was_changed() {
        TestCert gw = sub.issue(spec("CN=gw1").badSignature());
        Expect.reason(Reason.SIGNATURE_INVALID, Scenario.trusting(sub).decide(gw));
    }

    @Test
    void signature_invalid_when_an_intermediate_signature_was_changed() {
        TestPki broken = root.intermediate(spec("CN=Broken").badSignature());
        Expect.reason(Reason.SIGNATURE_INVALID, Scenario.trusting(root).decide(broken.leaf("CN=gw1"),
                broken.certificate()));
    }

    @Test
    void weak_algorithm_for_md5_even_when_sha1_is_allowed() {
        TestPki rsa = TestPki.root(spec("CN=RSA Root").keyType(KeyType.RSA_2048));
        TestCert gw = rsa.issue(spec("CN=gw1").signatureAlgorithm("MD5withRSA"));
        Expect.reason(Reason.WEAK_ALGORITHM, Scenario.trusting(rsa).allowSha1().decide(gw));
    }

    @Test
    void weak_algorithm_for_sha1_unless_allowed() {
        TestPki rsa = TestPki.root(spec("CN=RSA Root").keyType(KeyType.RSA_2048));
        TestCert gw = rsa.issue(spec("CN=gw1").signatureAlgorithm("SHA1withRSA"));
        Expect.reason(Reason.WEAK_ALGORITHM, Scenario.trusting(rsa).decide(gw));
        Expect.accepted(Scenario.trusting(rsa).allowSha1().decide(gw));
    }

    @Test
    void unsupported_algorithm_for_a_signature_algorithm_certgate_does_not_implement() {
        TestCert gw = sub.issue(spec("CN=gw1").signatureAlgorithm("SHA3-256withECDSA"));
        Expect.reason(Reason.UNSUPPORTED_ALGORITHM, Scenario.trusting(sub).decide(gw));
    }

    @Test
    void rsa_pss_and_ed25519_and_p384_signatures_verify() {
        TestPki rsa = TestPki.root(spec("CN=RSA Root").keyType(KeyType.RSA_2048));
        Expect.accepted(Scenario.trusting(rsa).decide(rsa.issue(spec("CN=pss").signatureAlgorithm(
                "SHA256withRSA/PSS"))));
        TestPki ed = TestPki.root(spec("CN=Ed Root").keyType(KeyType.ED25519));
        Expect.accepted(Scenario.trusting(ed).decide(ed.leaf("CN=ed")));
        TestPki p384 = TestPki.root(spec("CN=P384 Root").keyType(KeyType.EC_P384));
        Expect.accepted(Scenario.trusting(p384).decide(p384.leaf("CN=p384")));
    }

    @Test
    void expired_when_the_peer_validity_ended_before_the_request_time() {
        TestCert gw = sub.issue(spec("CN=gw1").notAfter(TestPki.NOW.minusSeconds(1)));
        Expect.reason(Reason.EXPIRED, Scenario.trusting(sub).decide(gw));
    }

    @Test
    void expired_when_the_trust_anchor_itself_expired() {
        TestPki old = TestPki.root(spec("CN=Old Root").notAfter(TestPki.NOW.minusSeconds(3600)));
        Expect.reason(Reason.EXPIRED, Scenario.trusting(old).decide(old.leaf("CN=gw1")));
    }

    @Test
    void not_yet_valid_before_not_before_unless_within_the_clock_skew() {
        TestCert gw = sub.issue(spec("CN=gw1").notBefore(TestPki.NOW.plusSeconds(60)));
        Expect.reason(Reason.NOT_YET_VALID, Scenario.trusting(sub).decide(gw));
        Expect.accepted(Scenario.trusting(sub).clockSkew(Duration.ofMinutes(5)).decide(gw));
    }

    @Test
    void not_a_ca_when_an_issuer_has_ca_false() {
        TestPki fake = root.intermediate(spec("CN=Fake CA").ca(false).keyUsage(KeyUsage.digitalSignature));
        Expect.reason(Reason.NOT_A_CA, Scenario.trusting(root).decide(fake.leaf("CN=gw1"), fake.certificate()));
    }

    @Test
    void not_a_ca_when_an_issuer_has_no_basic_constraints() {
        TestPki fake = root.intermediate(spec("CN=Fake CA").noBasicConstraints().noKeyUsage());
        Expect.reason(Reason.NOT_A_CA, Scenario.trusting(root).decide(fake.leaf("CN=gw1"), fake.certificate()));
    }

    @Test
    void key_usage_invalid_when_an_issuer_may_not_sign_certificates() {
        TestPki ca = root.intermediate(spec("CN=CRL only CA").keyUsage(KeyUsage.cRLSign));
        Expect.reason(Reason.KEY_USAGE_INVALID, Scenario.trusting(root).decide(ca.leaf("CN=gw1"),
                ca.certificate()));
    }

    @Test
    void key_usage_invalid_when_the_peer_key_may_not_sign() {
        TestCert gw = sub.issue(spec("CN=gw1").keyUsage(KeyUsage.keyEncipherment));
        Expect.reason(Reason.KEY_USAGE_INVALID, Scenario.trusting(sub).decide(gw));
    }

    @Test
    void key_usage_invalid_when_a_critical_extended_key_usage_excludes_ike() {
        TestCert serverOnly = sub.issue(spec("CN=gw1").extendedKeyUsage(true, "1.3.6.1.5.5.7.3.1"));
        Expect.reason(Reason.KEY_USAGE_INVALID, Scenario.trusting(sub).decide(serverOnly));
        TestCert ike = sub.issue(spec("CN=gw2").extendedKeyUsage(true, "1.3.6.1.5.5.7.3.17"));
        Expect.accepted(Scenario.trusting(sub).decide(ike));
        TestCert nonCritical = sub.issue(spec("CN=gw3").extendedKeyUsage(false, "1.3.6.1.5.5.7.3.1"));
        Expect.accepted(Scenario.trusting(sub).decide(nonCritical));
    }

    @Test
    void path_length_exceeded_below_a_ca_with_path_len_zero() {
        TestPki zero = root.intermediate(spec("CN=Zero").pathLen(0));
        TestPki below = zero.intermediate("CN=Below");
        Expect.reason(Reason.PATH_LENGTH_EXCEEDED, Scenario.trusting(root).decide(below.leaf("CN=gw1"),
                below.certificate(), zero.certificate()));
    }

    @Test
    void ca_levels_exceeded_when_the_path_has_more_cas_than_allowed() {
        TestPki third = sub.intermediate("CN=Third");
        TestCert gw = third.leaf("CN=gw1");
        Expect.reason(Reason.CA_LEVELS_EXCEEDED, Scenario.trusting(root).maxCaLevels(2).decide(gw,
                third.certificate(), sub.certificate()));
        Expect.accepted(Scenario.trusting(root).maxCaLevels(3).decide(gw, third.certificate(), sub.certificate()));
    }

    @Test
    void not_anchored_at_root_in_full_mode_when_only_an_intermediate_is_stored() {
        TestCert gw = sub.leaf("CN=gw1");
        Expect.accepted(Scenario.trusting(sub).decide(gw));
        Expect.reason(Reason.NOT_ANCHORED_AT_ROOT, Scenario.trusting(sub).fullPathValidation().decide(gw));
        Expect.accepted(Scenario.trusting(sub, root).fullPathValidation().decide(gw));
    }

    @Test
    void name_constraints_violated_when_a_san_is_outside_the_permitted_subtree() {
        TestPki constrained = root.intermediate(spec("CN=Constrained").permitted(dns("corp.example")));
        Expect.accepted(Scenario.trusting(root).decide(constrained.leaf("CN=gw1", dns("gw1.corp.example")),
                constrained.certificate()));
        Expect.reason(Reason.NAME_CONSTRAINTS_VIOLATED, Scenario.trusting(root).decide(
                constrained.leaf("CN=gw2", dns("gw2.other.example")), constrained.certificate()));
    }

    @Test
    void policy_constraints_violated_when_a_ca_requires_an_explicit_policy_the_peer_does_not_assert() {
        TestPki strict = root.intermediate(spec("CN=Strict").extension(ParsedCertificate.POLICY_CONSTRAINTS, true,
                new PolicyConstraints(BigInteger.ZERO, null)));
        Expect.reason(Reason.POLICY_CONSTRAINTS_VIOLATED, Scenario.trusting(root).decide(strict.leaf("CN=gw1"),
                strict.certificate()));
    }

    @Test
    void unknown_critical_extension_on_the_peer() {
        TestCert gw = sub.issue(spec("CN=gw1").extension("1.3.6.1.4.1.99999.1", true, DERNull.INSTANCE));
        Expect.reason(Reason.UNKNOWN_CRITICAL_EXTENSION, Scenario.trusting(sub).decide(gw));
        TestCert harmless = sub.issue(spec("CN=gw2").extension("1.3.6.1.4.1.99999.1", false, DERNull.INSTANCE));
        Expect.accepted(Scenario.trusting(sub).decide(harmless));
    }

    @Test
    void invalid_certificate_when_the_peer_breaks_the_profile() {
        Expect.reason(Reason.INVALID_CERTIFICATE, Scenario.trusting(sub).decide(sub.issue(spec("CN=gw1")
                .serial(0))));
        Expect.reason(Reason.INVALID_CERTIFICATE, Scenario.trusting(sub).decide(sub.issue(spec("CN=gw2")
                .noAuthorityKeyId())));
    }

    @Test
    void identity_mismatch_when_the_ike_id_is_not_in_the_certificate() {
        TestCert gw = sub.leaf("CN=gw1, O=Corp", dns("gw1.corp.example"));
        Expect.reason(Reason.IDENTITY_MISMATCH, Scenario.trusting(sub).identity("fqdn:gw2.corp.example")
                .decide(gw));
        Expect.reason(Reason.IDENTITY_MISMATCH, Scenario.trusting(sub).identity("dn:CN=gw2, O=Corp").decide(gw));
        Expect.accepted(Scenario.trusting(sub).identity("dn:cn=GW1,  o=corp").decide(gw));
    }

    @Test
    void revoked_when_the_issuer_crl_lists_the_serial() {
        TestCert gw = sub.leaf("CN=gw1");
        Decision decision = Scenario.trusting(sub).checkRevocation().crl(sub.crl().revoke(gw.serial()).build())
                .decide(gw);
        Expect.reason(Reason.REVOKED, decision);
    }

    @Test
    void crl_unavailable_when_no_crl_covers_the_peer_and_the_profile_fails_closed() {
        Expect.reason(Reason.CRL_UNAVAILABLE, Scenario.trusting(sub).checkRevocation().decide(sub.leaf("CN=gw1")));
    }

    @Test
    void the_most_promising_failure_is_reported_when_every_path_fails() {
        TestPki oldSub = root.intermediate(spec("CN=Sub, O=Corp").keyPair(sub.keyPair())
                .notAfter(TestPki.NOW.minusSeconds(10)));
        TestCert gw = sub.leaf("CN=gw1");
        Decision decision = Scenario.trusting(root).decide(gw, oldSub.certificate());
        Expect.reason(Reason.EXPIRED, decision);
    }
}
