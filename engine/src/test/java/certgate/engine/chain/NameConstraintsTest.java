package certgate.engine.chain;

import static certgate.engine.testpki.TestPki.directory;
import static certgate.engine.testpki.TestPki.dns;
import static certgate.engine.testpki.TestPki.email;
import static certgate.engine.testpki.TestPki.ip;
import static certgate.engine.testpki.TestPki.ipRange;
import static certgate.engine.testpki.TestPki.spec;
import static certgate.engine.testpki.TestPki.uri;
import static org.junit.jupiter.api.Assertions.assertTrue;

import certgate.engine.Decision;
import certgate.engine.Expect;
import certgate.engine.testpki.CertSpec;
import certgate.engine.testpki.Scenario;
import certgate.engine.testpki.TestPki;
import certgate.eventstore.Reason;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Name constraints (RFC 5280 4.2.1.10) on every name form certgate evaluates. */
class NameConstraintsTest {
    private final TestPki root = TestPki.root("CN=Root, O=Corp");

    private Decision decide(CertSpec caSpec, CertSpec peerSpec) {
        TestPki ca = root.intermediate(caSpec);
        return Scenario.trusting(root).decide(ca.issue(peerSpec), ca.certificate());
    }

    @Test
    void dns_names_must_be_in_a_permitted_subtree_which_covers_subdomains() {
        CertSpec ca = spec("CN=CA, O=Corp").permitted(dns("corp.example"));
        Expect.accepted(decide(ca, spec("CN=gw, O=Corp").san(dns("corp.example"))));
        Expect.accepted(decide(ca, spec("CN=gw, O=Corp").san(dns("a.b.corp.example"))));
        Expect.reason(Reason.NAME_CONSTRAINTS_VIOLATED, decide(ca, spec("CN=gw, O=Corp").san(dns("notcorp.example"))));
    }

    @Test
    void an_excluded_dns_subtree_wins_and_catches_wildcards_that_reach_into_it() {
        CertSpec ca = spec("CN=CA, O=Corp").excluded(dns("secret.corp.example"));
        Expect.reason(Reason.NAME_CONSTRAINTS_VIOLATED, decide(ca, spec("CN=gw, O=Corp")
                .san(dns("x.secret.corp.example"))));
        Expect.reason(Reason.NAME_CONSTRAINTS_VIOLATED, decide(ca, spec("CN=gw, O=Corp")
                .san(dns("*.corp.example"))));
        Expect.accepted(decide(ca, spec("CN=gw, O=Corp").san(dns("public.corp.example"))));
    }

    @Test
    void ip_addresses_are_checked_against_address_ranges_of_their_family() {
        CertSpec ca = spec("CN=CA, O=Corp").permitted(ipRange("192.0.2.0/24"));
        Expect.accepted(decide(ca, spec("CN=gw, O=Corp").san(ip("192.0.2.7"))));
        Expect.reason(Reason.NAME_CONSTRAINTS_VIOLATED, decide(ca, spec("CN=gw, O=Corp").san(ip("198.51.100.7"))));
        Expect.reason(Reason.NAME_CONSTRAINTS_VIOLATED, decide(ca, spec("CN=gw, O=Corp").san(ip("2001:db8::1"))));
        CertSpec v6 = spec("CN=CA, O=Corp").excluded(ipRange("2001:db8::/32"));
        Expect.reason(Reason.NAME_CONSTRAINTS_VIOLATED, decide(v6, spec("CN=gw, O=Corp").san(ip("2001:db8::1"))));
        Expect.accepted(decide(v6, spec("CN=gw, O=Corp").san(ip("2001:db9::1"))));
    }

    @Test
    void email_constraints_name_a_mailbox_a_host_or_a_domain() {
        Expect.accepted(decide(spec("CN=CA, O=Corp").permitted(email("corp.example")),
                spec("CN=gw, O=Corp").san(email("vpn@corp.example"))));
        Expect.reason(Reason.NAME_CONSTRAINTS_VIOLATED, decide(spec("CN=CA, O=Corp").permitted(email("corp.example")),
                spec("CN=gw, O=Corp").san(email("vpn@sub.corp.example"))));
        Expect.accepted(decide(spec("CN=CA, O=Corp").permitted(email(".corp.example")),
                spec("CN=gw, O=Corp").san(email("vpn@sub.corp.example"))));
        Expect.reason(Reason.NAME_CONSTRAINTS_VIOLATED, decide(spec("CN=CA, O=Corp")
                .excluded(email("boss@corp.example")), spec("CN=gw, O=Corp").san(email("boss@CORP.example"))));
    }

    @Test
    void email_constraints_apply_to_email_address_attributes_of_the_subject() {
        CertSpec ca = spec("CN=CA, O=Corp").permitted(email("corp.example"), directory("O=Corp"));
        Expect.reason(Reason.NAME_CONSTRAINTS_VIOLATED, decide(ca, spec("E=vpn@other.example, CN=gw, O=Corp")));
        Expect.accepted(decide(ca, spec("E=vpn@corp.example, CN=gw, O=Corp")));
    }

    @Test
    void uri_constraints_are_matched_on_the_host() {
        CertSpec ca = spec("CN=CA, O=Corp").permitted(uri(".corp.example"));
        Expect.accepted(decide(ca, spec("CN=gw, O=Corp").san(uri("https://vpn.corp.example/ike"))));
        Expect.reason(Reason.NAME_CONSTRAINTS_VIOLATED, decide(ca, spec("CN=gw, O=Corp")
                .san(uri("https://vpn.other.example/"))));
    }

    @Test
    void directory_name_constraints_apply_to_the_subject_as_a_prefix_of_rdns() {
        CertSpec ca = spec("CN=CA, O=Corp").permitted(directory("OU=VPN, O=Corp"));
        Expect.accepted(decide(ca, spec("CN=gw, OU=VPN, O=Corp")));
        Expect.accepted(decide(ca, spec("CN=gw, OU=vpn, O=CORP")));
        Expect.reason(Reason.NAME_CONSTRAINTS_VIOLATED, decide(ca, spec("CN=gw, OU=Sales, O=Corp")));
    }

    @Test
    void constraints_of_a_form_the_peer_does_not_use_do_not_matter() {
        CertSpec ca = spec("CN=CA, O=Corp").permitted(ipRange("192.0.2.0/24"));
        Expect.accepted(decide(ca, spec("CN=gw, O=Corp").san(dns("gw.corp.example"))));
    }

    @Test
    void constraints_of_the_trust_anchor_apply_too() {
        TestPki constrainedRoot = TestPki.root(spec("CN=Constrained Root").permitted(dns("corp.example")));
        Expect.reason(Reason.NAME_CONSTRAINTS_VIOLATED, Scenario.trusting(constrainedRoot)
                .decide(constrainedRoot.leaf("CN=gw", dns("gw.other.example"))));
        Expect.accepted(Scenario.trusting(constrainedRoot).decide(constrainedRoot.leaf("CN=gw",
                dns("gw.corp.example"))));
    }

    /** A decision for a peer two levels below a CA with {@code caSpec}'s constraints, through a CA without SANs. */
    private Decision decideBelowAnIntermediate(CertSpec caSpec, CertSpec peerSpec) {
        TestPki ca = root.intermediate(caSpec);
        TestPki below = ca.intermediate("CN=Issuing, O=Corp");
        return Scenario.trusting(root).decide(below.issue(peerSpec), below.certificate(), ca.certificate());
    }

    @Test
    void a_leading_dot_dns_subtree_permits_the_names_below_the_domain_but_not_the_domain_itself() {
        CertSpec ca = spec("CN=CA, O=Corp").permitted(dns(".example.net"));
        Expect.accepted(decideBelowAnIntermediate(ca, spec("CN=gw, O=Corp").san(dns("a.example.net"))));
        Expect.accepted(decideBelowAnIntermediate(ca, spec("CN=gw, O=Corp").san(dns("a.b.example.net"))));
        Expect.accepted(decideBelowAnIntermediate(ca, spec("CN=gw, O=Corp").san(dns("*.example.net"))));
        Decision domain = decideBelowAnIntermediate(ca, spec("CN=gw, O=Corp").san(dns("example.net")));
        Expect.reason(Reason.NAME_CONSTRAINTS_VIOLATED, domain);
        assertTrue(Expect.trace(domain).contains("dNSName 'example.net' is not in a permitted subtree"),
                Expect.trace(domain));
        Expect.reason(Reason.NAME_CONSTRAINTS_VIOLATED, decideBelowAnIntermediate(ca, spec("CN=gw, O=Corp")
                .san(dns("notexample.net"))));
    }

    @Test
    void a_dns_subtree_without_the_dot_keeps_permitting_the_domain_and_the_names_below_it() {
        CertSpec ca = spec("CN=CA, O=Corp").permitted(dns("example.net"));
        Expect.accepted(decideBelowAnIntermediate(ca, spec("CN=gw, O=Corp").san(dns("example.net"))));
        Expect.accepted(decideBelowAnIntermediate(ca, spec("CN=gw, O=Corp").san(dns("a.example.net"))));
        Expect.reason(Reason.NAME_CONSTRAINTS_VIOLATED, decideBelowAnIntermediate(ca, spec("CN=gw, O=Corp")
                .san(dns("notexample.net"))));
    }

    @Test
    void a_leading_dot_dns_subtree_excludes_the_names_below_the_domain_but_not_the_domain_itself() {
        CertSpec ca = spec("CN=CA, O=Corp").excluded(dns(".example.net"));
        Expect.accepted(decideBelowAnIntermediate(ca, spec("CN=gw, O=Corp").san(dns("example.net"))));
        Expect.accepted(decideBelowAnIntermediate(ca, spec("CN=gw, O=Corp").san(dns("other.example"))));
        Expect.reason(Reason.NAME_CONSTRAINTS_VIOLATED, decideBelowAnIntermediate(ca, spec("CN=gw, O=Corp")
                .san(dns("a.example.net"))));
        Expect.reason(Reason.NAME_CONSTRAINTS_VIOLATED, decideBelowAnIntermediate(ca, spec("CN=gw, O=Corp")
                .san(dns("*.example.net"))));
    }

    @Test
    void dns_constraints_never_apply_to_a_certificate_without_dns_names() {
        for (CertSpec ca : List.of(spec("CN=CA, O=Corp").permitted(dns(".example.net")),
                spec("CN=CA, O=Corp").permitted(dns("example.net")),
                spec("CN=CA, O=Corp").excluded(dns(".example.net")))) {
            Expect.accepted(decideBelowAnIntermediate(ca, spec("CN=a.example.net, O=Corp").san(ip("192.0.2.7"))));
            Expect.accepted(decideBelowAnIntermediate(ca, spec("CN=gw.other.example, O=Corp")));
        }
    }
}
