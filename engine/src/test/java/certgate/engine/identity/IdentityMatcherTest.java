package certgate.engine.identity;

import static certgate.engine.testpki.TestPki.dns;
import static certgate.engine.testpki.TestPki.email;
import static certgate.engine.testpki.TestPki.ip;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import certgate.engine.testpki.TestCert;
import certgate.engine.testpki.TestPki;
import certgate.engine.x509.CertificateFormatException;
import certgate.engine.x509.ParsedCertificate;
import certgate.eventstore.IkeIdentity;
import org.junit.jupiter.api.Test;

/** Step 4 of Junos's IKE phase 1 checks: the certificate carries the IKE ID the peer presented. */
class IdentityMatcherTest {
    private static final TestPki CA = TestPki.root("CN=Identity CA");
    private static final ParsedCertificate PEER = parse(CA.leaf("CN=gw1, OU=VPN, O=Corp, C=US",
            dns("gw1.corp.example"), dns("*.wild.example"), ip("192.0.2.10"), ip("2001:db8::10"),
            email("Admin@Corp.example")));

    private static ParsedCertificate parse(TestCert cert) {
        try {
            return ParsedCertificate.parse(cert.der());
        } catch (CertificateFormatException e) {
            throw new AssertionError(e);
        }
    }

    private static boolean matches(String id) {
        return IdentityMatcher.match(IkeIdentity.parse(id), PEER).matches();
    }

    @Test
    void ip_addresses_compare_as_addresses_not_as_text() {
        assertTrue(matches("ip:192.0.2.10"));
        assertTrue(matches("ip:2001:db8:0:0:0:0:0:10"));
        assertTrue(matches("ip:2001:DB8::10"));
        assertTrue(matches("ip:::ffff:192.0.2.10"));
        assertFalse(matches("ip:192.0.2.11"));
        assertFalse(matches("ip:192.0.2.010"));
        assertFalse(matches("ip:gw1.corp.example"));
    }

    @Test
    void fqdns_compare_case_insensitively_without_a_trailing_dot() {
        assertTrue(matches("fqdn:gw1.corp.example"));
        assertTrue(matches("fqdn:GW1.Corp.Example."));
        assertFalse(matches("fqdn:gw2.corp.example"));
        assertFalse(matches("fqdn:corp.example"));
    }

    @Test
    void a_wildcard_dns_name_in_the_certificate_does_not_stand_for_a_host() {
        assertFalse(matches("fqdn:host.wild.example"));
        assertFalse(matches("fqdn:*.wild.example"));
    }

    @Test
    void an_fqdn_that_is_not_a_host_name_never_matches() {
        assertFalse(matches("fqdn:gw1_corp.example"));
        assertFalse(matches("fqdn:-gw1.corp.example"));
    }

    @Test
    void ufqdns_compare_the_domain_case_insensitively_and_the_local_part_exactly() {
        assertTrue(matches("ufqdn:Admin@corp.EXAMPLE"));
        assertFalse(matches("ufqdn:admin@corp.example"));
        assertFalse(matches("ufqdn:corp.example"));
    }

    @Test
    void a_dn_must_equal_the_subject_as_rfc_4518_prepared_values_in_rfc_4514_order() {
        assertTrue(matches("dn:CN=gw1, OU=VPN, O=Corp, C=US"));
        assertTrue(matches("dn:cn=GW1,ou=vpn,  o=corp ,c=us"));
        assertFalse(matches("dn:C=US, O=Corp, OU=VPN, CN=gw1"));
        assertFalse(matches("dn:CN=gw1, O=Corp, C=US"));
        assertFalse(matches("dn:CN=gw1; O=Corp"));
    }

    @Test
    void the_trace_says_what_was_compared() {
        IdentityMatcher.Match match = IdentityMatcher.match(IkeIdentity.parse("fqdn:gw9.corp.example"), PEER);
        assertTrue(match.detail().contains("gw1.corp.example"), match.detail());
    }
}
