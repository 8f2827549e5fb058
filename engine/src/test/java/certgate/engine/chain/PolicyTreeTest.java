package certgate.engine.chain;

import static certgate.engine.testpki.TestPki.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import certgate.engine.Decision;
import certgate.engine.Expect;
import certgate.engine.trace.TraceStep;
import certgate.engine.testpki.CertSpec;
import certgate.engine.testpki.Scenario;
import certgate.engine.testpki.TestCert;
import certgate.engine.testpki.TestPki;
import certgate.engine.x509.ParsedCertificate;
import certgate.engine.x509.VerificationCache;
import certgate.eventstore.Reason;
import certgate.eventstore.ValidationSettings;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x509.CertPolicyId;
import org.bouncycastle.asn1.x509.CertificatePolicies;
import org.bouncycastle.asn1.x509.PolicyConstraints;
import org.bouncycastle.asn1.x509.PolicyInformation;
import org.bouncycastle.asn1.x509.PolicyMappings;
import org.junit.jupiter.api.Test;

/** Certificate policy processing (RFC 5280 6.1): what the policy extensions of a path make of it. */
class PolicyTreeTest {
    private static final String P1 = "1.3.6.1.4.1.55555.1.1";
    private static final String P2 = "1.3.6.1.4.1.55555.1.2";

    private final TestPki root = TestPki.root("CN=Root, O=Corp");

    private static CertSpec policies(CertSpec spec, String... oids) {
        PolicyInformation[] information = new PolicyInformation[oids.length];
        for (int i = 0; i < oids.length; i++) {
            information[i] = new PolicyInformation(new ASN1ObjectIdentifier(oids[i]));
        }
        return spec.extension(ParsedCertificate.CERTIFICATE_POLICIES, false, new CertificatePolicies(information));
    }

    private static CertSpec requireExplicitPolicy(CertSpec spec, int skipCerts) {
        return spec.extension(ParsedCertificate.POLICY_CONSTRAINTS, true,
                new PolicyConstraints(BigInteger.valueOf(skipCerts), null));
    }

    private static CertSpec mapping(CertSpec spec, String issuerDomainPolicy, String subjectDomainPolicy) {
        return spec.extension(ParsedCertificate.POLICY_MAPPINGS, false, new PolicyMappings(
                CertPolicyId.getInstance(new ASN1ObjectIdentifier(issuerDomainPolicy)),
                CertPolicyId.getInstance(new ASN1ObjectIdentifier(subjectDomainPolicy))));
    }

    private static String constraintsStep(Decision decision) {
        return decision.trace().stream().filter(step -> step.step() == TraceStep.Step.CONSTRAINTS)
                .map(TraceStep::detail).findFirst().orElseThrow();
    }

    @Test
    void a_ca_requiring_an_explicit_policy_rejects_a_peer_without_certificate_policies() {
        TestPki ca = root.intermediate(requireExplicitPolicy(spec("CN=CA, O=Corp"), 0));
        Decision decision = Scenario.trusting(root).decide(ca.leaf("CN=gw1, O=Corp"), ca.certificate());
        Expect.reason(Reason.POLICY_CONSTRAINTS_VIOLATED, decision);
        String detail = constraintsStep(decision);
        assertTrue(detail.contains("requireExplicitPolicy 0 in 'CN=CA, O=Corp'")
                && detail.contains("'CN=gw1, O=Corp'") && detail.contains("has no certificatePolicies"), detail);
    }

    @Test
    void a_ca_requiring_an_explicit_policy_accepts_a_peer_with_a_policy_of_the_path() {
        TestPki ca = root.intermediate(policies(requireExplicitPolicy(spec("CN=CA, O=Corp"), 0), P1, P2));
        Decision decision = Scenario.trusting(root).decide(ca.issue(policies(spec("CN=gw1, O=Corp"), P2)),
                ca.certificate());
        Expect.accepted(decision);
        assertTrue(constraintsStep(decision).contains("certificate policies: [" + P2 + "] valid for the whole path"),
                constraintsStep(decision));
        Expect.reason(Reason.POLICY_CONSTRAINTS_VIOLATED, Scenario.trusting(root).decide(
                ca.issue(policies(spec("CN=gw2, O=Corp"), "1.3.6.1.4.1.55555.1.9")), ca.certificate()));
    }

    @Test
    void without_a_required_policy_a_path_without_policies_is_accepted_and_the_trace_says_so() {
        TestPki ca = root.intermediate(policies(spec("CN=CA, O=Corp"), P1));
        Decision decision = Scenario.trusting(root).decide(ca.leaf("CN=gw1, O=Corp"), ca.certificate());
        Expect.accepted(decision);
        assertTrue(constraintsStep(decision).contains("no policy is valid for the whole path ('CN=gw1, O=Corp'"),
                constraintsStep(decision));
    }

    @Test
    void a_locally_stored_ca_requiring_an_explicit_policy_binds_the_certificates_below_it() {
        TestPki ca = root.intermediate(requireExplicitPolicy(spec("CN=CA, O=Corp"), 0));
        Expect.reason(Reason.POLICY_CONSTRAINTS_VIOLATED, Scenario.trusting(ca).decide(ca.leaf("CN=gw1, O=Corp")));
    }

    @Test
    void a_policy_mapping_makes_the_subject_domain_policy_valid_below_the_ca() {
        // The CA asserts P1 and maps it to P2: below it P2 stands for P1, so a peer asserting P2 is in policy.
        TestPki ca = root.intermediate(mapping(policies(requireExplicitPolicy(spec("CN=CA, O=Corp"), 0), P1), P1,
                P2));
        TestPki sub = ca.intermediate(policies(spec("CN=Sub, O=Corp"), P2));
        Decision decision = Scenario.trusting(root).decide(sub.issue(policies(spec("CN=gw1, O=Corp"), P2)),
                sub.certificate(), ca.certificate());
        Expect.accepted(decision);
        assertTrue(constraintsStep(decision).contains("[" + P2 + "] valid for the whole path"),
                constraintsStep(decision));
        // P1 itself is no longer valid below the mapping.
        TestPki subP1 = ca.intermediate(policies(spec("CN=Sub P1, O=Corp"), P1));
        Expect.reason(Reason.POLICY_CONSTRAINTS_VIOLATED, Scenario.trusting(root).decide(
                subP1.issue(policies(spec("CN=gw2, O=Corp"), P1)), subP1.certificate(), ca.certificate()));
    }

    @Test
    void an_inhibited_policy_mapping_deletes_the_mapped_policy() {
        // The root-level CA inhibits mapping for every certificate below it: the sub-CA's mapping of P1 removes P1.
        CertSpec top = spec("CN=Top, O=Corp").extension(ParsedCertificate.POLICY_CONSTRAINTS, true,
                new PolicyConstraints(BigInteger.ZERO, BigInteger.ZERO));
        TestPki ca = root.intermediate(policies(top, P1));
        TestPki sub = ca.intermediate(mapping(policies(spec("CN=Sub, O=Corp"), P1), P1, P2));
        Expect.reason(Reason.POLICY_CONSTRAINTS_VIOLATED, Scenario.trusting(root).decide(
                sub.issue(policies(spec("CN=gw1, O=Corp"), P2)), sub.certificate(), ca.certificate()));
    }

    @Test
    void a_mapping_to_or_from_any_policy_is_refused() {
        TestPki ca = root.intermediate(mapping(policies(spec("CN=CA, O=Corp"), P1), P1, PolicyTree.ANY_POLICY));
        Expect.reason(Reason.INVALID_CERTIFICATE, Scenario.trusting(root).decide(
                ca.issue(policies(spec("CN=gw1, O=Corp"), P1)), ca.certificate()));
    }

    @Test
    void inhibit_any_policy_stops_any_policy_from_standing_for_a_required_policy() {
        CertSpec top = requireExplicitPolicy(policies(spec("CN=Top, O=Corp"), PolicyTree.ANY_POLICY), 0)
                .extension(ParsedCertificate.INHIBIT_ANY_POLICY, true, new ASN1Integer(0));
        TestPki ca = root.intermediate(top);
        TestPki sub = ca.intermediate(policies(spec("CN=Sub, O=Corp"), PolicyTree.ANY_POLICY));
        Expect.reason(Reason.POLICY_CONSTRAINTS_VIOLATED, Scenario.trusting(root).decide(
                sub.issue(policies(spec("CN=gw1, O=Corp"), P1)), sub.certificate(), ca.certificate()));
        TestPki explicitSub = ca.intermediate(policies(spec("CN=Sub P1, O=Corp"), P1));
        Expect.accepted(Scenario.trusting(root).decide(explicitSub.issue(policies(spec("CN=gw2, O=Corp"), P1)),
                explicitSub.certificate(), ca.certificate()));
    }

    @Test
    void a_policy_extension_of_the_wrong_structure_makes_the_path_invalid() {
        TestPki empty = root.intermediate(spec("CN=CA, O=Corp").extension(ParsedCertificate.CERTIFICATE_POLICIES,
                false, new DERSequence()));
        Decision decision = Scenario.trusting(root).decide(empty.leaf("CN=gw1, O=Corp"), empty.certificate());
        Expect.reason(Reason.INVALID_CERTIFICATE, decision);
        assertTrue(constraintsStep(decision).contains("certificatePolicies is malformed: it lists no policy"),
                constraintsStep(decision));
        TestPki negative = root.intermediate(spec("CN=CA2, O=Corp").extension(ParsedCertificate.INHIBIT_ANY_POLICY,
                true, new ASN1Integer(-1)));
        Expect.reason(Reason.INVALID_CERTIFICATE, Scenario.trusting(root).decide(negative.leaf("CN=gw2, O=Corp"),
                negative.certificate()));
    }

    @Test
    void a_policy_tree_that_mappings_make_grow_exponentially_is_refused_past_its_bound() {
        // Each CA asserts eight policies and maps each to all eight of the next set: the tree is multiplied by
        // eight per CA (8, 64, 512, 4096 nodes).
        String[][] sets = new String[2][8];
        for (int i = 0; i < 8; i++) {
            sets[0][i] = "1.3.6.1.4.1.55555.2." + i;
            sets[1][i] = "1.3.6.1.4.1.55555.3." + i;
        }
        TestPki ca = root;
        List<TestCert> chain = new ArrayList<>();
        for (int level = 0; level < 4; level++) {
            String[] asserted = sets[level % 2];
            String[] next = sets[(level + 1) % 2];
            CertPolicyId[] from = new CertPolicyId[64];
            CertPolicyId[] to = new CertPolicyId[64];
            for (int i = 0; i < 64; i++) {
                from[i] = CertPolicyId.getInstance(new ASN1ObjectIdentifier(asserted[i / 8]));
                to[i] = CertPolicyId.getInstance(new ASN1ObjectIdentifier(next[i % 8]));
            }
            ca = ca.intermediate(policies(spec("CN=CA" + level + ", O=Corp"), asserted)
                    .extension(ParsedCertificate.POLICY_MAPPINGS, false, new PolicyMappings(from, to)));
            chain.add(0, ca.certificate());
        }
        Decision decision = Scenario.trusting(root).decide(ca.issue(policies(spec("CN=gw1, O=Corp"), sets[0])),
                chain.toArray(TestCert[]::new));
        Expect.reason(Reason.POLICY_CONSTRAINTS_VIOLATED, decision);
        assertTrue(constraintsStep(decision).contains("beyond " + PolicyTree.MAX_NODES + " nodes"),
                constraintsStep(decision));
    }

    @Test
    void the_remembered_result_of_a_path_is_kept_apart_for_other_initial_policy_values() throws Exception {
        TestPki ca = root.intermediate(policies(spec("CN=CA, O=Corp"), P1));
        TestCert gw = ca.issue(policies(spec("CN=gw1, O=Corp"), P1));
        List<ParsedCertificate> path = new ArrayList<>();
        for (TestCert certificate : List.of(gw, ca.certificate(), root.certificate())) {
            path.add(ParsedCertificate.parse(certificate.der()));
        }
        VerificationCache cache = new VerificationCache();
        ValidationSettings settings = new ValidationSettings(ValidationSettings.RevocationCheck.DISABLE,
                ValidationSettings.OnDownloadFailure.ACCEPT, ValidationSettings.PathValidation.PARTIAL, 16, false,
                Duration.ZERO);
        PathValidator.Context gateway = new PathValidator.Context(TestPki.NOW, settings, cache,
                PathValidator.Purpose.IKE_PEER);
        PathValidator.Context onlyP2 = new PathValidator.Context(TestPki.NOW, settings, cache,
                PathValidator.Purpose.IKE_PEER, new PolicyTree.Initial(Set.of(P2), true, false, false));
        assertInstanceOf(PathValidator.Valid.class, PathValidator.validate(path, gateway));
        PathValidator.Result constrained = PathValidator.validate(path, onlyP2);
        assertEquals(Reason.POLICY_CONSTRAINTS_VIOLATED,
                assertInstanceOf(PathValidator.Invalid.class, constrained).failure().reason());
        assertInstanceOf(PathValidator.Valid.class, PathValidator.validate(path, gateway));
    }
}
