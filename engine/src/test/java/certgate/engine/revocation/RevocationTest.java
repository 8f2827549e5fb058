package certgate.engine.revocation;

import static certgate.engine.testpki.TestPki.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import certgate.engine.Decision;
import certgate.engine.Expect;
import certgate.engine.testpki.CrlSpec;
import certgate.engine.testpki.KeyType;
import certgate.engine.testpki.Keys;
import certgate.engine.testpki.Scenario;
import certgate.engine.testpki.TestCert;
import certgate.engine.testpki.TestPki;
import certgate.engine.trace.TraceStep;
import certgate.eventstore.Reason;
import certgate.eventstore.ValidationSettings.OnDownloadFailure;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.junit.jupiter.api.Test;

/** Step 5 of Junos's checks (revocation) with RFC 5280 6.3: which CRLs count, and what happens when none does. */
class RevocationTest {
    private final TestPki root = TestPki.root("CN=Root");
    private final TestPki sub = root.intermediate("CN=Sub");
    private final TestCert gw = sub.leaf("CN=gw1");
    private final byte[] rootCrl = root.crl().build();

    private Scenario checked() {
        return Scenario.trusting(root).checkRevocation().crl(rootCrl);
    }

    @Test
    void a_current_crl_of_each_issuer_that_does_not_list_the_path_accepts_it_and_the_trace_names_the_crls() {
        Decision decision = checked().crl(sub.crl().build()).decide(gw, sub.certificate());
        Expect.accepted(decision);
        long passes = decision.trace().stream().filter(step -> step.step() == TraceStep.Step.REVOCATION
                && step.outcome() == TraceStep.Outcome.PASS).count();
        assertEquals(2, passes, Expect.trace(decision));
        assertTrue(Expect.trace(decision).contains("CRL of 'CN=Sub'"), Expect.trace(decision));
    }

    @Test
    void a_revoked_intermediate_rejects_the_peer_below_it() {
        byte[] revoking = root.crl().revoke(sub.certificate().serial()).number(2).build();
        Expect.reason(Reason.REVOKED, Scenario.trusting(root).checkRevocation().crl(revoking)
                .crl(sub.crl().build()).decide(gw, sub.certificate()));
    }

    @Test
    void a_stale_crl_follows_on_download_failure() {
        byte[] stale = sub.crl().thisUpdate(TestPki.NOW.minusSeconds(86_400 * 60))
                .nextUpdate(TestPki.NOW.minusSeconds(86_400)).build();
        Expect.reason(Reason.CRL_UNAVAILABLE, checked().crl(stale).decide(gw, sub.certificate()));
        Decision accepted = checked().crl(stale).onDownloadFailure(OnDownloadFailure.ACCEPT).decide(gw,
                sub.certificate());
        Expect.accepted(accepted);
        assertTrue(Expect.trace(accepted).contains("stale"), Expect.trace(accepted));
    }

    @Test
    void a_crl_not_yet_current_is_not_used() {
        byte[] future = sub.crl().thisUpdate(TestPki.NOW.plusSeconds(3600)).build();
        Expect.reason(Reason.CRL_UNAVAILABLE, checked().crl(future).decide(gw, sub.certificate()));
    }

    @Test
    void a_crl_that_claims_to_cover_the_peer_but_is_unusable_fails_closed_even_when_downloads_may_fail() {
        for (byte[] broken : new byte[][] {
                sub.crl().badSignature().build(),
                sub.crl().noNumber().build(),
                sub.crl().signedWith(Keys.fresh(KeyType.EC_P256)).build(),
                sub.crl().extension("1.3.6.1.4.1.99999.7", true, DERNull.INSTANCE).build()}) {
            Decision decision = checked().onDownloadFailure(OnDownloadFailure.ACCEPT).crl(broken)
                    .decide(gw, sub.certificate());
            Expect.reason(Reason.CRL_UNAVAILABLE, decision);
        }
    }

    @Test
    void a_crl_signed_by_a_ca_whose_key_usage_lacks_crl_sign_is_not_used() {
        TestPki noCrlSign = root.intermediate(spec("CN=No CRL Sign").keyUsage(KeyUsage.keyCertSign));
        TestCert peer = noCrlSign.leaf("CN=gw2");
        Expect.reason(Reason.CRL_UNAVAILABLE, checked().crl(noCrlSign.crl().build()).decide(peer,
                noCrlSign.certificate()));
    }

    @Test
    void a_crl_signed_with_md5_is_not_used() {
        TestPki rsa = root.intermediate(spec("CN=RSA Sub").keyType(KeyType.RSA_2048));
        TestCert peer = rsa.leaf("CN=gw3");
        Expect.reason(Reason.CRL_UNAVAILABLE, checked().crl(rsa.crl().signatureAlgorithm("MD5withRSA").build())
                .decide(peer, rsa.certificate()));
    }

    @Test
    void a_newer_crl_replaces_an_older_one_of_the_same_issuer() {
        byte[] older = sub.crl().revoke(gw.serial()).thisUpdate(TestPki.NOW.minusSeconds(86_400 * 3)).number(1)
                .build();
        byte[] newer = sub.crl().thisUpdate(TestPki.NOW.minusSeconds(86_400)).number(2).build();
        Expect.accepted(checked().crl(older).crl(newer).decide(gw, sub.certificate()));
        Expect.accepted(checked().crl(newer).crl(older).decide(gw, sub.certificate()));
    }

    @Test
    void a_crl_of_another_issuer_listing_the_same_serial_does_not_revoke() {
        TestPki other = root.intermediate("CN=Other Sub");
        byte[] otherCrl = other.crl().revoke(gw.serial()).build();
        Expect.accepted(checked().crl(otherCrl).crl(sub.crl().build()).decide(gw, sub.certificate()));
    }

    @Test
    void disabled_revocation_checks_nothing_and_says_so() {
        Decision decision = Scenario.trusting(root).decide(gw, sub.certificate());
        Expect.accepted(decision);
        TraceStep last = decision.trace().get(decision.trace().size() - 1);
        assertEquals(TraceStep.Step.REVOCATION, last.step());
        assertEquals(TraceStep.Outcome.SKIPPED, last.outcome());
    }

    @Test
    void a_remembered_result_is_not_reused_once_the_crl_went_stale() {
        byte[] crl = sub.crl().nextUpdate(TestPki.NOW.plusSeconds(3600)).build();
        Scenario scenario = checked().crl(crl);
        var engine = scenario.engine();
        var chain = java.util.List.of(sub.certificate().blob());
        Expect.accepted(engine.decide(scenario.request(gw.blob(), chain)));
        Expect.reason(Reason.CRL_UNAVAILABLE, engine.decide(scenario.at(TestPki.NOW.plusSeconds(7200))
                .request(gw.blob(), chain)));
        Expect.accepted(engine.decide(scenario.at(TestPki.NOW.plusSeconds(60)).request(gw.blob(), chain)));
    }

    @Test
    void a_crl_signed_with_a_separate_crl_key_needs_that_key_certificate_and_is_not_judged_without_it() {
        TestPki certSigning = root.intermediate(spec("CN=Split CA").keyUsage(KeyUsage.keyCertSign));
        TestPki crlSigning = root.intermediate(spec("CN=Split CA").keyUsage(KeyUsage.cRLSign));
        TestCert peer = certSigning.leaf("CN=gw4");
        byte[] crl = crlSigning.crl().build();
        Scenario scenario = checked().crl(crl);
        var engine = scenario.engine();
        Expect.reason(Reason.CRL_UNAVAILABLE, engine.decide(scenario.request(peer.blob(),
                java.util.List.of(certSigning.certificate().blob()))));
        Expect.accepted(engine.decide(scenario.request(peer.blob(),
                java.util.List.of(certSigning.certificate().blob(), crlSigning.certificate().blob()))));
        Expect.reason(Reason.CRL_UNAVAILABLE, engine.decide(scenario.request(peer.blob(),
                java.util.List.of(certSigning.certificate().blob()))));
    }

    private byte[] staleCrlOfSub(CrlSpec spec) {
        return spec.thisUpdate(TestPki.NOW.minusSeconds(86_400 * 60)).nextUpdate(TestPki.NOW.minusSeconds(86_400))
                .build();
    }

    @Test
    void a_stale_crl_that_lists_the_serial_still_revokes_whatever_on_download_failure_says() {
        byte[] stale = staleCrlOfSub(sub.crl().revoke(gw.serial()));
        for (OnDownloadFailure choice : OnDownloadFailure.values()) {
            Decision decision = checked().crl(stale).onDownloadFailure(choice).decide(gw, sub.certificate());
            Expect.reason(Reason.REVOKED, decision);
            assertTrue(Expect.trace(decision).contains("reason keyCompromise; the CRL is stale (nextUpdate passed)"),
                    Expect.trace(decision));
        }
    }

    @Test
    void a_crl_without_next_update_that_lists_the_serial_revokes() {
        byte[] undated = sub.crl().revoke(gw.serial()).noNextUpdate().build();
        for (OnDownloadFailure choice : OnDownloadFailure.values()) {
            Expect.reason(Reason.REVOKED, checked().crl(undated).onDownloadFailure(choice).decide(gw,
                    sub.certificate()));
        }
    }

    @Test
    void a_stale_crl_whose_entry_is_remove_from_crl_leaves_the_decision_to_on_download_failure() {
        byte[] stale = staleCrlOfSub(sub.crl().revoke(gw.serial(), TestPki.NOW.minusSeconds(86_400 * 70),
                CRLReason.removeFromCRL));
        Expect.accepted(checked().crl(stale).onDownloadFailure(OnDownloadFailure.ACCEPT).decide(gw,
                sub.certificate()));
        Expect.reason(Reason.CRL_UNAVAILABLE, checked().crl(stale).decide(gw, sub.certificate()));
    }

    @Test
    void a_stale_crl_that_lists_the_serial_but_is_not_signed_by_the_issuer_fails_closed() {
        byte[] forged = staleCrlOfSub(sub.crl().revoke(gw.serial()).badSignature());
        Decision decision = checked().crl(forged).onDownloadFailure(OnDownloadFailure.ACCEPT).decide(gw,
                sub.certificate());
        Expect.reason(Reason.CRL_UNAVAILABLE, decision);
    }

    @Test
    void a_revocation_seen_on_a_stale_crl_is_not_remembered_as_good_at_any_time() {
        byte[] crl = sub.crl().revoke(gw.serial()).nextUpdate(TestPki.NOW.plusSeconds(3600)).build();
        for (OnDownloadFailure choice : OnDownloadFailure.values()) {
            Scenario scenario = checked().crl(crl).onDownloadFailure(choice);
            var engine = scenario.engine();
            var chain = java.util.List.of(sub.certificate().blob());
            for (long offset : new long[] {7200, 86_400, 0, 7200, 60, 86_400 * 400}) {
                Expect.reason(Reason.REVOKED, engine.decide(scenario.at(TestPki.NOW.plusSeconds(offset))
                        .request(gw.blob(), chain)));
            }
            Expect.accepted(engine.decide(scenario.at(TestPki.NOW.plusSeconds(60)).request(
                    sub.leaf("CN=gw-other").blob(), chain)));
        }
    }

    @Test
    void a_certificate_is_never_checked_against_a_crl_signed_with_its_own_key() {
        // A root rolls its key over: its old key certifies the new key under the same name (a self-issued
        // certificate), then revokes that certificate; a CRL signed by the new key does not list it.
        TestPki oldKey = TestPki.root("CN=Rollover Root");
        TestPki newKey = oldKey.intermediate("CN=Rollover Root");
        TestCert peer = newKey.leaf("CN=gw5");
        byte[] oldKeysCrl = oldKey.crl().revoke(newKey.certificate().serial()).number(1).build();
        byte[] newKeysCrl = newKey.crl().number(2).build();
        for (OnDownloadFailure choice : OnDownloadFailure.values()) {
            Scenario scenario = Scenario.trusting(oldKey).checkRevocation().onDownloadFailure(choice);
            Expect.reason(Reason.REVOKED, scenario.crl(oldKeysCrl).crl(newKeysCrl).decide(peer,
                    newKey.certificate()));
        }
        Decision ownCrlOnly = Scenario.trusting(oldKey).checkRevocation().crl(newKeysCrl)
                .onDownloadFailure(OnDownloadFailure.ACCEPT).decide(peer, newKey.certificate());
        Expect.reason(Reason.CRL_UNAVAILABLE, ownCrlOnly);
        assertTrue(Expect.trace(ownCrlOnly).contains("a certificate never vouches for its own revocation status"),
                Expect.trace(ownCrlOnly));
        Expect.accepted(Scenario.trusting(oldKey).checkRevocation().crl(oldKey.crl().number(1).build())
                .crl(newKeysCrl).decide(peer, newKey.certificate()));
    }

    @Test
    void a_crl_of_the_right_name_signed_by_another_key_is_said_not_to_verify_with_the_ca_of_that_name() {
        TestPki impostor = TestPki.root("CN=Sub");
        Decision decision = checked().crl(impostor.crl().build()).decide(gw, sub.certificate());
        Expect.reason(Reason.CRL_UNAVAILABLE, decision);
        String trace = Expect.trace(decision);
        assertTrue(trace.contains("its signature does not verify with the key of 'CN=Sub' (serial "), trace);
        assertTrue(trace.contains("the CA of that name"), trace);
        assertFalse(trace.contains("no certificate named"), trace);
    }
}
