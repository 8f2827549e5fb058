package certgate.adapters.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import certgate.adapters.fetch.FetchOutcome.Failed;
import certgate.adapters.fetch.FetchOutcome.Validators;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Which URLs the standard fetcher fetches at all, and what it says of the others. */
class CrlFetchersTest {
    private final CrlFetcher fetcher = CrlFetchers.standard(FetchLimits.DEFAULTS);

    private String refusal(String url) {
        return fetcher.refusal(URI.create(url));
    }

    @Test
    void http_https_ldap_and_ldaps_urls_are_allowed() {
        assertNull(refusal("http://pki.example.net/issuing-ca.crl"));
        assertNull(refusal("HTTPS://pki.example.net:8443/issuing-ca.crl"));
        assertNull(refusal("ldap://ldap.example.net/cn=Issuing%20CA,dc=example,dc=net?certificateRevocationList"));
        assertNull(refusal("ldaps://ldap.example.net/cn=Issuing%20CA,dc=example,dc=net?certificateRevocationList"));
    }

    @Test
    void a_malformed_ldaps_url_is_refused_as_an_ldap_one_is() {
        assertEquals("the LDAP URL's scope must be 'base' (a distribution point names one entry), was 'sub'",
                refusal("ldaps://ldap.example.net/cn=CA,o=Ex?certificateRevocationList?sub"));
        assertEquals(refusal("ldap://h/cn=CA,o=Ex????!bindname=cn=x"),
                refusal("ldaps://h/cn=CA,o=Ex????!bindname=cn=x"));
    }

    @Test
    void file_urls_are_refused_pointing_at_load_crl() {
        assertEquals("a file: URL is not fetched: a CRL on disk is loaded with 'certgate load crl', and a certificate "
                + "or policy may not point certgate at local files", refusal("file:///etc/passwd"));
    }

    @Test
    void ftp_and_other_schemes_are_refused_naming_the_allowed_ones() {
        assertEquals("a ftp: URL is not fetched: distribution points must be http, https, ldap or ldaps URLs",
                refusal("ftp://ftp.example.net/ca.crl"));
        assertEquals("a ldapi: URL is not fetched: distribution points must be http, https, ldap or ldaps URLs",
                refusal("ldapi://%2Frun%2Fslapd%2Fldapi/cn=CA,o=Ex"));
        assertEquals("a mailto: URL is not fetched: distribution points must be http, https, ldap or ldaps URLs",
                refusal("mailto:pki@example.net"));
    }

    @Test
    void credentials_in_a_url_are_refused_for_every_scheme() {
        String expected = "a URL with credentials in it ('user:password@') is refused: they would be recorded in "
                + "the log and in traces; an LDAP password is read from a file or an environment variable instead";
        assertEquals(expected, refusal("http://user:secret@pki.example.net/ca.crl"));
        assertEquals(expected, refusal("ldap://cn=admin:secret@ldap.example.net/cn=CA,o=Ex"));
    }

    @Test
    void relative_and_hostless_urls_are_refused() {
        assertEquals("not an absolute URL (it names no scheme such as http:)", refusal("/ca.crl"));
        assertEquals("the URL names no server (or its host is not a valid host name)", refusal("http:///ca.crl"));
        assertEquals("the URL names no server (or its host is not a valid host name)",
                refusal("http://bad_host.example.net/ca.crl"));
        assertEquals("not a http:// URL (nothing after 'http:' names a server)", refusal("http:ca.crl"));
    }

    @Test
    void text_that_is_not_a_url_is_refused_saying_where() {
        assertEquals(URI.create("http://pki.example.net/ca.crl"), CrlFetchers.url("http://pki.example.net/ca.crl"));
        assertEquals("'ldap://h/cn=CA%2' is not a URL: Malformed escape pair at character 15",
                assertThrows(IllegalArgumentException.class, () -> CrlFetchers.url("ldap://h/cn=CA%2")).getMessage());
        assertEquals("'http://pki.example.net/my ca.crl' is not a URL: Illegal character in path at character 26",
                assertThrows(IllegalArgumentException.class,
                        () -> CrlFetchers.url("http://pki.example.net/my ca.crl")).getMessage());
    }

    @Test
    void a_refused_url_fetches_nothing_and_fails_as_not_allowed() {
        Failed failed = assertInstanceOf(Failed.class, fetcher.fetch(URI.create("file:///etc/passwd"),
                Validators.NONE));
        assertEquals(FetchFailure.URL_NOT_ALLOWED, failed.failure());
        assertEquals(Duration.ZERO, failed.took());
        assertEquals(refusal("file:///etc/passwd"), failed.detail());
    }
}
