package certgate.engine;

import static certgate.engine.testpki.TestPki.dns;
import static certgate.engine.testpki.TestPki.email;
import static certgate.engine.testpki.TestPki.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import certgate.dsl.policy.CompiledPolicy;
import certgate.engine.Expect;
import certgate.engine.LoadRejection;
import certgate.engine.testpki.TestCert;
import certgate.engine.testpki.TestPki;
import certgate.engine.trace.TraceStep;
import certgate.engine.trace.TraceStep.Outcome;
import certgate.engine.trace.TraceStep.Step;
import certgate.eventstore.CaCertificateLoaded;
import certgate.eventstore.Event;
import certgate.eventstore.PolicyActivated;
import certgate.eventstore.Reason;
import certgate.eventstore.ValidationRequested;
import certgate.eventstore.ValidationSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Decisions under a policy: gateway lookup first, then the gateway's CA profile, trust and identity rule. */
class PolicyDecisionsTest {
    static final String POLICY = """
            version: 1
            pki:
              max-ca-levels: 3
              clock-skew: 5m
              ca-profiles:
                - name: corp
                  ca-identity: "CN=Corp Issuing CA, O=Corp"
                - name: partner
                  revocation-check: { mode: disable }
                - name: lab
                  revocation-check:
                    crl: { on-download-failure: accept }
            ike:
              gateways:
                - name: hq
                  ca-profile: corp
                  remote-identity: { fqdn: hq.corp.example }
                - name: branches
                  ca-profile: corp
                  remote-identity: { dn: { wildcard: "O=Corp, OU=Branches" } }
                - name: engineering
                  ca-profile: corp
                  remote-identity: { dn: { container: "OU=engr, OU=central, O=Corp" } }
                - name: partner
                  ca-profile: partner
                  remote-identity: { ufqdn: vpn@partner.example }
                - name: lab-gw
                  ca-profile: lab
                  remote-identity: { ip: 192.0.2.20 }
                - name: psk-router
                  authentication: pre-shared-key
                  remote-identity: { ip: 192.0.2.10 }
                - name: hq-again
                  ca-profile: partner
                  remote-identity: { fqdn: hq.corp.example }
            """;

    private final TestPki corpRoot = TestPki.root("CN=Corp Root CA, O=Corp");
    private final TestPki corp = corpRoot.intermediate("CN=Corp Issuing CA, O=Corp");
    private final TestPki partner = TestPki.root("CN=Partner CA, O=Partner");

    private PolicyFixture fixture() {
        return PolicyFixture.of(POLICY).load("corp", corp).load("partner", partner).load("lab", partner)
                .crl(corp.crl().build());
    }

    @Test
    void the_first_gateway_in_file_order_whose_identity_matches_is_chosen_and_named_first_in_the_trace() {
        TestCert peer = corp.leaf("CN=hq, O=Corp", dns("hq.corp.example"));
        Decision decision = fixture().decide(peer, "fqdn:HQ.corp.example.");
        Expect.accepted(decision);
        TraceStep first = decision.trace().get(0);
        assertEquals(Step.GATEWAY, first.step());
        assertEquals(Outcome.PASS, first.outcome());
        assertTrue(first.detail().startsWith("gateway hq is the first of 7 in file order (#1)"), first.detail());
        assertTrue(first.detail().contains("CA profile corp"), first.detail());
    }

    @Test
    void an_ike_id_no_gateway_matches_is_GATEWAY_NOT_FOUND_before_any_certificate_is_looked_at() {
        TestCert peer = corp.leaf("CN=x, O=Corp", dns("other.corp.example"));
        Decision decision = fixture().decide(peer, "fqdn:other.corp.example");
        Expect.reason(Reason.GATEWAY_NOT_FOUND, decision);
        assertEquals(1, decision.trace().size());
        assertEquals(Step.GATEWAY, decision.trace().get(0).step());
        assertTrue(decision.trace().get(0).detail().contains("hq (fqdn hq.corp.example)"),
                decision.trace().get(0).detail());
        assertTrue(decision.path().isEmpty());
    }

    @Test
    void a_pre_shared_key_gateway_never_gets_a_certificate_decision() {
        TestCert peer = corp.leaf("CN=router, O=Corp", ip("192.0.2.10"));
        Expect.reason(Reason.NOT_A_CERTIFICATE_GATEWAY, fixture().decide(peer, "ip:192.0.2.10"));
    }

    @Test
    void a_wildcard_gateway_takes_the_subject_in_any_rdn_order_and_ignores_unnamed_attributes() {
        TestCert peer = corp.leaf("CN=branch-7, L=Lyon, O=corp, OU=BRANCHES, C=FR");
        Decision decision = fixture().decide(peer, "dn:CN=branch-7, L=Lyon, O=corp, OU=BRANCHES, C=FR");
        Expect.accepted(decision);
        assertTrue(decision.trace().get(0).detail().startsWith("gateway branches"), Expect.trace(decision));
        assertTrue(decision.trace().stream().anyMatch(s -> s.step() == Step.IDENTITY && s.outcome() == Outcome.PASS
                && s.detail().contains("wildcard rule 'O=Corp, OU=Branches'")), Expect.trace(decision));
    }

    @Test
    void a_container_gateway_takes_its_rdns_as_one_contiguous_run_in_order() {
        PolicyFixture fixture = fixture();
        TestCert inRun = corp.leaf("CN=gw, OU=sales, OU=engr, OU=central, O=Corp");
        Expect.accepted(fixture.decide(inRun, "dn:CN=gw, OU=sales, OU=engr, OU=central, O=Corp"));
        TestCert broken = corp.leaf("CN=gw, OU=engr, OU=lab, OU=central, O=Corp");
        Expect.reason(Reason.GATEWAY_NOT_FOUND,
                fixture.decide(broken, "dn:CN=gw, OU=engr, OU=lab, OU=central, O=Corp"));
    }

    @Test
    void a_presented_dn_that_is_not_the_certificate_subject_is_an_identity_mismatch() {
        TestCert peer = corp.leaf("CN=somebody-else, OU=Branches, O=Corp");
        Decision decision = fixture().decide(peer, "dn:CN=branch-1, OU=Branches, O=Corp");
        Expect.reason(Reason.IDENTITY_MISMATCH, decision);
        assertEquals("gateway branches", decision.trace().get(0).detail().substring(0, 16));
    }

    @Test
    void a_named_dn_gateway_checks_its_rule_against_the_certificate_subject() {
        PolicyFixture fixture = fixture();
        TestCert outside = corp.leaf("CN=laptop, OU=Sales, O=Corp");
        Decision decision = fixture.decideAtGateway(outside, Optional.of("dn:CN=laptop, OU=Sales, O=Corp"),
                "branches");
        Expect.reason(Reason.IDENTITY_MISMATCH, decision);
        assertTrue(Expect.trace(decision).contains("does not satisfy gateway branches's wildcard rule"),
                Expect.trace(decision));
        TestCert inside = corp.leaf("CN=branch-2, OU=Branches, O=Corp");
        Expect.accepted(fixture.decideAtGateway(inside, Optional.empty(), "branches"));
    }

    @Test
    void a_named_gateway_skips_the_lookup_but_not_the_gateway_identity() {
        PolicyFixture fixture = fixture();
        TestCert peer = partner.leaf("CN=hq, O=Partner", dns("hq.corp.example"));
        Decision lookedUp = fixture.decide(peer, "fqdn:hq.corp.example");
        Expect.reason(Reason.NO_TRUSTED_PATH, lookedUp);
        Decision named = fixture.decideAtGateway(peer, Optional.of("fqdn:hq.corp.example"), "hq-again");
        Expect.accepted(named);
        assertTrue(named.trace().get(0).detail().contains("named by the request (lookup skipped)"));
        TestCert elsewhere = partner.leaf("CN=x, O=Partner", dns("x.partner.example"));
        Expect.reason(Reason.IDENTITY_MISMATCH,
                fixture.decideAtGateway(elsewhere, Optional.of("fqdn:x.partner.example"), "hq-again"));
        Expect.reason(Reason.IDENTITY_MISMATCH,
                fixture.decideAtGateway(elsewhere, Optional.of("dn:CN=x, O=Partner"), "hq-again"));
        Expect.reason(Reason.GATEWAY_NOT_FOUND,
                fixture.decideAtGateway(elsewhere, Optional.of("fqdn:x.partner.example"), "no-such-gateway"));
    }

    @Test
    void a_profile_with_ca_identity_trusts_only_the_ca_certificate_with_that_subject() {
        TestPki otherSub = corpRoot.intermediate("CN=Corp Other CA, O=Corp");
        PolicyFixture fixture = PolicyFixture.of(POLICY).load("corp", corpRoot).load("corp", corp)
                .crl(corp.crl().build()).crl(corpRoot.crl().build()).crl(otherSub.crl().build());
        TestCert fromIssuing = corp.leaf("CN=hq, O=Corp", dns("hq.corp.example"));
        Expect.accepted(fixture.decide(fromIssuing, "fqdn:hq.corp.example"));
        TestCert fromOther = otherSub.leaf("CN=hq, O=Corp", dns("hq.corp.example"));
        ValidationRequested request = fixture.request(fromOther, Optional.of("fqdn:hq.corp.example"),
                Optional.empty());
        ValidationRequested withChain = new ValidationRequested("test", request.peer(),
                List.of(otherSub.certificate().blob()), request.identity(), request.at(), request.settings(),
                request.gateway(), request.policyRevision());
        Expect.reason(Reason.NO_TRUSTED_PATH, fixture.engine().decide(withChain));
        // the same request with every loaded CA trusted passes: only the profile's trust refused it
        Expect.accepted(fixture.engine().decide(withChain, certificate -> true));
    }

    @Test
    void ca_certificates_loaded_under_another_profile_do_not_serve_a_gateway_but_default_ones_serve_all() {
        TestCert peer = partner.leaf("CN=p, O=Partner", email("vpn@partner.example"));
        PolicyFixture underCorp = PolicyFixture.of(POLICY).load("corp", partner);
        Expect.reason(Reason.NO_TRUSTED_PATH, underCorp.decide(peer, "ufqdn:vpn@partner.example"));
        PolicyFixture underDefault = PolicyFixture.of(POLICY).load(PolicyDecisions.ANY_PROFILE, partner);
        Expect.accepted(underDefault.decide(peer, "ufqdn:vpn@partner.example"));
    }

    @Test
    void each_profile_brings_its_revocation_check() {
        TestCert revoked = partner.leaf("CN=p, O=Partner", email("vpn@partner.example"), ip("192.0.2.20"));
        // partner: revocation disabled; lab: crl, accepting when no CRL covers the peer
        Expect.accepted(fixture().decide(revoked, "ufqdn:vpn@partner.example"));
        Expect.accepted(fixture().decide(revoked, "ip:192.0.2.20"));
        PolicyFixture withCrl = fixture().crl(partner.crl().revoke(revoked.serial()).build());
        Expect.reason(Reason.REVOKED, withCrl.decide(revoked, "ip:192.0.2.20"));
        Expect.accepted(withCrl.decide(revoked, "ufqdn:vpn@partner.example"));
        // corp: crl, fail closed
        TestCert hq = corp.leaf("CN=hq, O=Corp", dns("hq.corp.example"));
        Expect.reason(Reason.CRL_UNAVAILABLE, PolicyFixture.of(POLICY).load("corp", corp)
                .decide(hq, "fqdn:hq.corp.example"));
    }

    @Test
    void the_pki_section_sets_clock_skew_and_ca_levels() {
        TestCert early = corp.issue(TestPki.spec("CN=hq, O=Corp").san(dns("hq.corp.example"))
                .validity(TestPki.NOW.plusSeconds(240), TestPki.NOT_AFTER));
        Expect.accepted(fixture().decide(early, "fqdn:hq.corp.example"));
        TestCert later = corp.issue(TestPki.spec("CN=hq, O=Corp").san(dns("hq.corp.example"))
                .validity(TestPki.NOW.plusSeconds(360), TestPki.NOT_AFTER));
        Expect.reason(Reason.NOT_YET_VALID, fixture().decide(later, "fqdn:hq.corp.example"));
    }

    @Test
    void bind_records_the_gateway_profile_settings_and_the_revision() {
        CompiledPolicy policy = fixture().policy;
        TestCert peer = partner.leaf("CN=p, O=Partner");
        ValidationRequested bound = fixture().request(peer, Optional.of("ufqdn:vpn@partner.example"),
                Optional.empty());
        assertEquals(Optional.of(policy.revision()), bound.policyRevision());
        assertEquals(new ValidationSettings(ValidationSettings.RevocationCheck.DISABLE,
                ValidationSettings.OnDownloadFailure.REJECT, ValidationSettings.PathValidation.PARTIAL, 3, false,
                Duration.ofMinutes(5)), bound.settings());
        ValidationRequested lab = fixture().request(peer, Optional.of("ip:192.0.2.20"), Optional.empty());
        assertEquals(ValidationSettings.OnDownloadFailure.ACCEPT, lab.settings().onDownloadFailure());
        assertEquals(Optional.empty(), bound.gateway());
    }

    @Test
    void a_request_is_decided_under_its_recorded_settings_not_the_policy_of_today() {
        PolicyFixture fixture = fixture();
        TestCert revoked = partner.leaf("CN=p, O=Partner", email("vpn@partner.example"));
        fixture.crl(partner.crl().revoke(revoked.serial()).build());
        ValidationRequested bound = fixture.request(revoked, Optional.of("ufqdn:vpn@partner.example"),
                Optional.empty());
        Expect.accepted(fixture.engine().decide(bound));
        ValidationRequested checking = new ValidationRequested("test", bound.peer(), bound.chain(), bound.identity(),
                bound.at(), ValidationSettings.DEFAULTS, bound.gateway(), bound.policyRevision());
        Expect.reason(Reason.REVOKED, fixture.engine().decide(checking));
    }

    @Test
    void a_request_under_a_revision_the_log_never_activated_is_rejected_as_POLICY_UNAVAILABLE() {
        PolicyFixture fixture = fixture();
        TestCert peer = corp.leaf("CN=hq, O=Corp", dns("hq.corp.example"));
        ValidationRequested bound = fixture.request(peer, Optional.of("fqdn:hq.corp.example"), Optional.empty());
        List<Event> withoutActivation = new ArrayList<>(fixture.events());
        withoutActivation.removeIf(PolicyActivated.class::isInstance);
        Decision decision = Engine.replay(withoutActivation).decide(bound);
        Expect.reason(Reason.POLICY_UNAVAILABLE, decision);
        assertTrue(decision.trace().get(0).detail().contains(fixture.policy.revision()));
    }

    @Test
    void a_later_activation_leaves_earlier_revisions_available_to_replay() {
        PolicyFixture fixture = fixture();
        TestCert peer = corp.leaf("CN=hq, O=Corp", dns("hq.corp.example"));
        ValidationRequested bound = fixture.request(peer, Optional.of("fqdn:hq.corp.example"), Optional.empty());
        String other = "version: 1\nike:\n  gateways:\n    - name: psk\n      authentication: pre-shared-key\n"
                + "      remote-identity: { ip: 192.0.2.1 }\n";
        PolicyFixture second = PolicyFixture.of(other);
        List<Event> events = new ArrayList<>(fixture.events());
        events.add(new PolicyActivated(second.policy.revision(), other));
        Engine engine = Engine.replay(events);
        assertEquals(Optional.of(second.policy.revision()), engine.activePolicy().map(CompiledPolicy::revision));
        Expect.accepted(engine.decide(bound));
    }

    @Test
    void an_activation_whose_source_does_not_compile_or_does_not_hash_to_its_revision_is_kept_out() {
        Engine broken = Engine.empty().apply(new PolicyActivated("00", "version: 2\n"));
        assertEquals(LoadRejection.Kind.POLICY, broken.rejectedLoads().get(0).kind());
        assertTrue(broken.rejectedLoads().get(0).problem().contains("does not compile"),
                broken.rejectedLoads().get(0).problem());
        Engine mislabelled = Engine.empty().apply(new PolicyActivated("00".repeat(32), POLICY));
        assertTrue(mislabelled.rejectedLoads().get(0).problem().contains("is not the SHA-256 of the source"),
                mislabelled.rejectedLoads().get(0).problem());
        assertEquals(Optional.empty(), mislabelled.activePolicy());
    }

    @Test
    void deciding_a_request_that_was_not_bound_to_the_policy_is_a_programming_error() {
        PolicyFixture fixture = fixture();
        TestCert peer = corp.leaf("CN=hq, O=Corp", dns("hq.corp.example"));
        ValidationRequested unbound = new ValidationRequested("x", peer.blob(), List.of(), Optional.empty(),
                TestPki.NOW, ValidationSettings.DEFAULTS, Optional.empty(), Optional.empty());
        assertThrows(IllegalArgumentException.class,
                () -> PolicyDecisions.decide(fixture.policy, fixture.engine(), unbound));
    }

    @Test
    void without_a_policy_revision_the_engine_decides_as_before() {
        TestCert peer = corp.leaf("CN=hq, O=Corp", dns("hq.corp.example"));
        Engine engine = Engine.replay(List.of(new CaCertificateLoaded("default", corp.certificate().blob())));
        Decision decision = engine.decide(new ValidationRequested("x", peer.blob(), List.of(), Optional.empty(),
                TestPki.NOW, new ValidationSettings(ValidationSettings.RevocationCheck.DISABLE,
                ValidationSettings.OnDownloadFailure.REJECT, ValidationSettings.PathValidation.PARTIAL, 7, false,
                Duration.ZERO), Optional.empty(), Optional.empty()));
        Expect.accepted(decision);
        assertTrue(decision.trace().stream().noneMatch(step -> step.step() == Step.GATEWAY));
    }
}
