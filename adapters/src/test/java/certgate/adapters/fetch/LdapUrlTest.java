package certgate.adapters.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import org.junit.jupiter.api.Test;

/** RFC 4516 URLs as distribution points write them, read by certgate itself. */
class LdapUrlTest {

    private static LdapUrl parse(String url) throws LdapUrl.MalformedLdapUrlException {
        return LdapUrl.parse(URI.create(url));
    }

    private static String refusal(String url) {
        return assertThrows(LdapUrl.MalformedLdapUrlException.class, () -> parse(url)).getMessage();
    }

    @Test
    void host_port_dn_and_attribute_are_read_and_the_dn_percent_decoded() throws Exception {
        LdapUrl url = parse("ldap://127.0.0.1:38900/cn=Corp%20CA,dc=example,dc=net?certificateRevocationList;binary");
        assertEquals(new LdapUrl(false, "127.0.0.1", 38900, "cn=Corp CA,dc=example,dc=net",
                "certificateRevocationList;binary", "(objectClass=*)"), url);
        assertEquals("certificateRevocationList", url.attributeName());
        assertEquals("ldap://127.0.0.1:38900", url.providerUrl());
    }

    @Test
    void the_port_defaults_to_389_and_the_attribute_to_the_crl_with_binary_transfer() throws Exception {
        LdapUrl url = parse("ldap://ldap.example.net/cn=CA,dc=example,dc=net");
        assertEquals(389, url.port());
        assertEquals("certificateRevocationList;binary", url.attribute());
    }

    @Test
    void an_ldaps_url_is_ldap_over_tls_on_port_636_unless_it_names_one() throws Exception {
        LdapUrl url = parse("ldaps://ldap.example.net/cn=CA,dc=example,dc=net");
        assertEquals(true, url.tls());
        assertEquals(636, url.port());
        assertEquals("ldaps://ldap.example.net:636", url.providerUrl());
        assertEquals("ldaps://127.0.0.1:1636", parse("LDAPS://127.0.0.1:1636/cn=CA,o=Ex").providerUrl());
        assertEquals(false, parse("ldap://127.0.0.1:1636/cn=CA,o=Ex").tls());
    }

    @Test
    void a_plus_stays_a_plus_and_utf8_escapes_decode() throws Exception {
        assertEquals("cn=A+sn=B,o=Ex", parse("ldap://h/cn=A+sn=B,o=Ex").dn()); // a multi-valued RDN
        assertEquals("cn=Zürich CA,o=Ex", parse("ldap://h/cn=Z%C3%BCrich%20CA,o=Ex").dn());
    }

    @Test
    void active_directory_urls_with_scope_and_bare_filter_are_read() throws Exception {
        LdapUrl url = parse("ldap://dc1.example.net/CN=Example%20CA,CN=CDP,DC=example,DC=net"
                + "?certificateRevocationList?base?objectClass=cRLDistributionPoint");
        assertEquals("certificateRevocationList", url.attribute());
        assertEquals("(objectClass=cRLDistributionPoint)", url.filter());
    }

    @Test
    void an_ipv6_literal_keeps_its_brackets_for_jndi() throws Exception {
        assertEquals("ldap://[::1]:1389", parse("ldap://[::1]:1389/cn=CA,o=Ex").providerUrl());
    }

    @Test
    void each_malformed_url_is_refused_with_what_is_wrong() {
        assertEquals("the LDAP URL names no server (RFC 4516 lets a client pick one; certgate fetches only from the "
                + "host the URL names)", refusal("ldap:///cn=CA,o=Ex"));
        assertEquals("the LDAP URL names no entry (the part after the host is the DN of the entry holding the CRL)",
                refusal("ldap://h/"));
        assertEquals("the LDAP URL's escapes in the DN are not UTF-8", refusal("ldap://h/cn=%FF%FE,o=Ex"));
        assertEquals("the LDAP URL's DN is not a distinguished name (RFC 4514)", refusal("ldap://h/not%20a%20dn"));
        assertEquals("the LDAP URL's scope must be 'base' (a distribution point names one entry), was 'sub'",
                refusal("ldap://h/cn=CA,o=Ex?certificateRevocationList?sub"));
        assertEquals("the LDAP URL names 2 attributes; a distribution point names one (e.g. "
                + "certificateRevocationList;binary)", refusal("ldap://h/cn=CA,o=Ex?a,b"));
        assertEquals("the LDAP URL's attribute 'cert list' is not an attribute description (e.g. "
                + "certificateRevocationList;binary)", refusal("ldap://h/cn=CA,o=Ex?cert%20list"));
        assertEquals("the LDAP URL has the critical extension 'bindname', which certgate does not implement",
                refusal("ldap://h/cn=CA,o=Ex????!bindname=cn=x"));
        assertEquals("the LDAP URL has 5 '?' parts after the DN, at most 4 (attributes, scope, filter, extensions)",
                refusal("ldap://h/cn=CA,o=Ex?????"));
    }

    @Test
    void a_bad_escape_is_named_with_its_place() {
        // java.net.URI refuses these before LdapUrl sees them (CrlFetchers.url says so); the decoder checks anyway
        assertEquals("the LDAP URL has a bad escape in the DN at character 6: '%' must be followed by two "
                + "hexadecimal digits", assertThrows(LdapUrl.MalformedLdapUrlException.class,
                        () -> LdapUrl.decode("cn=CA%2", "the DN")).getMessage());
        assertEquals("the LDAP URL has a bad escape in the filter at character 1: '%' must be followed by two "
                + "hexadecimal digits", assertThrows(LdapUrl.MalformedLdapUrlException.class,
                        () -> LdapUrl.decode("%zz", "the filter")).getMessage());
    }

    @Test
    void a_non_critical_extension_is_ignored() throws Exception {
        assertEquals("cn=CA,o=Ex", parse("ldap://h/cn=CA,o=Ex????x-hint=1").dn());
    }
}
