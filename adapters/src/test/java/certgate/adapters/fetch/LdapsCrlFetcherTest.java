package certgate.adapters.fetch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import certgate.adapters.fetch.FetchOutcome.Failed;
import certgate.adapters.fetch.FetchOutcome.Fetched;
import certgate.adapters.fetch.FetchOutcome.Validators;
import certgate.adapters.fetch.LdapCredentials.SimpleBind;
import certgate.engine.testpki.TestPki;
import java.math.BigInteger;
import java.net.URI;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * ldaps:// distribution points against a throwaway slapd serving LDAP over TLS with a certificate made here: the
 * CRL arrives when the fetcher trusts the server's CA and the certificate names the host; otherwise the fetch
 * fails with a reason that says which, and nothing is read.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LdapsCrlFetcherTest {
    static final byte[] CRL = TestPki.root("CN=Example Issuing CA, O=Example, C=US").crl()
            .revoke(BigInteger.valueOf(0x1002)).build();
    static final TlsFixture NAMES_THE_IP = TlsFixture.issuing("CN=LDAP TLS CA", TestPki.ip("127.0.0.1"));
    static final TlsFixture NAMES_ANOTHER_HOST = TlsFixture.issuing("CN=Other LDAP TLS CA",
            TestPki.dns("ldap.example.net"));

    static Slapd slapd;
    static Slapd misnamed;

    @BeforeAll
    static void start() {
        slapd = Slapd.startTls(CRL, NAMES_THE_IP);
        misnamed = Slapd.startTls(CRL, NAMES_ANOTHER_HOST);
    }

    @AfterAll
    static void stop() {
        if (slapd != null) {
            slapd.close();
        }
        if (misnamed != null) {
            misnamed.close();
        }
    }

    private static CrlFetcher trusting(TlsFixture tls) {
        return CrlFetchers.standard(LdapCrlFetcherTest.LIMITS, LdapCredentials.ANONYMOUS, tls.clientTrustingTheCa());
    }

    private static Failed failed(FetchOutcome outcome, FetchFailure failure) {
        Failed failed = assertInstanceOf(Failed.class, outcome, () -> String.valueOf(outcome));
        assertEquals(failure, failed.failure(), failed::toString);
        return failed;
    }

    @Test
    void the_crl_arrives_byte_for_byte_over_tls_from_a_server_whose_certificate_is_trusted_and_names_the_host() {
        URI url = URI.create(slapd.url(Slapd.CA_DN) + "?certificateRevocationList;binary");
        assertTrue(url.toString().startsWith("ldaps://127.0.0.1:"), url.toString());
        Fetched fetched = assertInstanceOf(Fetched.class, trusting(NAMES_THE_IP).fetch(url, Validators.NONE));
        assertArrayEquals(CRL, fetched.body());
        assertEquals(url, fetched.finalUrl());
    }

    @Test
    void a_simple_bind_travels_inside_the_tls_connection() {
        LdapCredentials reader = target -> Optional.of(new SimpleBind(Slapd.READER_DN,
                Slapd.READER_PASSWORD.toCharArray()));
        CrlFetcher fetcher = CrlFetchers.standard(LdapCrlFetcherTest.LIMITS, reader,
                NAMES_THE_IP.clientTrustingTheCa());
        assertArrayEquals(CRL, assertInstanceOf(Fetched.class, fetcher.fetch(slapd.url(Slapd.PRIVATE_DN),
                Validators.NONE)).body());
    }

    @Test
    void a_server_certificate_from_a_ca_the_fetcher_does_not_trust_is_a_protocol_failure_saying_so() {
        // the JDK's default trust anchors, as in production: the test's CA is not among them
        Failed failed = failed(CrlFetchers.standard(LdapCrlFetcherTest.LIMITS).fetch(slapd.url(Slapd.CA_DN),
                Validators.NONE), FetchFailure.PROTOCOL);
        assertTrue(failed.detail().startsWith("TLS: the certificate of ldaps://127.0.0.1:" + slapd.port()
                + " is not trusted: it does not chain to a trust anchor of this fetcher ("), failed.detail());
        // nor is one CA's trust another's
        Failed other = failed(trusting(NAMES_ANOTHER_HOST).fetch(slapd.url(Slapd.CA_DN), Validators.NONE),
                FetchFailure.PROTOCOL);
        assertTrue(other.detail().contains("is not trusted"), other.detail());
    }

    @Test
    void a_trusted_server_certificate_that_does_not_name_the_host_is_a_protocol_failure_saying_so() {
        Failed failed = failed(trusting(NAMES_ANOTHER_HOST).fetch(misnamed.url(Slapd.CA_DN), Validators.NONE),
                FetchFailure.PROTOCOL);
        assertTrue(failed.detail().startsWith("TLS: the certificate of ldaps://127.0.0.1:" + misnamed.port()
                + " does not name that host ("), failed.detail());
        assertTrue(failed.detail().contains("127.0.0.1"), failed.detail());
    }

    @Test
    void plain_ldap_to_the_tls_port_fails_cleanly_and_no_socket_factory_is_left_on_the_thread() {
        URI plain = URI.create("ldap://127.0.0.1:" + slapd.port() + "/" + Slapd.CA_DN.replace(" ", "%20"));
        assertInstanceOf(Failed.class, trusting(NAMES_THE_IP).fetch(plain, Validators.NONE));
        assertEquals("no ldaps:// fetch is connecting on this thread", assertThrows(IllegalStateException.class,
                LdapTlsSocketFactory::getDefault).getMessage());
    }
}
