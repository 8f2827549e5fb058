package certgate.adapters.fetch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import certgate.adapters.fetch.FetchOutcome.Failed;
import certgate.adapters.fetch.FetchOutcome.Fetched;
import certgate.adapters.fetch.FetchOutcome.Validators;
import certgate.adapters.fetch.LdapCredentials.SimpleBind;
import certgate.engine.testpki.TestPki;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The LDAP fetcher against a throwaway OpenLDAP slapd: the CRL, and the exact outcome of every fault. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LdapCrlFetcherTest {
    static final FetchLimits LIMITS = new FetchLimits(Duration.ofMillis(1_000), Duration.ofMillis(1_000), 64 * 1024,
            3);
    static final byte[] CRL = TestPki.root("CN=Example Issuing CA, O=Example, C=US").crl()
            .revoke(BigInteger.valueOf(0x1002)).build();

    static Slapd slapd;
    final CrlFetcher anonymous = CrlFetchers.standard(LIMITS);

    @BeforeAll
    static void start() {
        slapd = Slapd.start(CRL);
    }

    @AfterAll
    static void stop() {
        if (slapd != null) {
            slapd.close();
        }
    }

    private static Failed failed(FetchOutcome outcome, FetchFailure failure) {
        Failed failed = assertInstanceOf(Failed.class, outcome, () -> String.valueOf(outcome));
        assertEquals(failure, failed.failure(), failed::toString);
        return failed;
    }

    @Test
    void the_crl_arrives_byte_for_byte_with_an_anonymous_bind() {
        URI url = URI.create(slapd.url(Slapd.CA_DN) + "?certificateRevocationList;binary");
        Fetched fetched = assertInstanceOf(Fetched.class, anonymous.fetch(url, Validators.NONE));
        assertArrayEquals(CRL, fetched.body());
        assertEquals(0, fetched.status());
        assertEquals(url, fetched.finalUrl());
        assertEquals(Validators.NONE, fetched.validators());
    }

    @Test
    void the_attribute_defaults_to_the_crl_and_may_be_named_without_binary() {
        // OpenLDAP answers certificateRevocationList;binary even when asked for the bare name: the ;binary pitfall
        assertArrayEquals(CRL, assertInstanceOf(Fetched.class, anonymous.fetch(slapd.url(Slapd.CA_DN),
                Validators.NONE)).body());
        assertArrayEquals(CRL, assertInstanceOf(Fetched.class, anonymous.fetch(
                URI.create(slapd.url(Slapd.CA_DN) + "?certificateRevocationList"), Validators.NONE)).body());
    }

    @Test
    void a_filter_the_entry_matches_is_honoured_and_one_it_does_not_is_no_such_entry() {
        assertInstanceOf(Fetched.class, anonymous.fetch(URI.create(slapd.url(Slapd.CA_DN)
                + "?certificateRevocationList?base?objectClass=cRLDistributionPoint"), Validators.NONE));
        Failed failed = failed(anonymous.fetch(URI.create(slapd.url(Slapd.CA_DN)
                + "?certificateRevocationList?base?objectClass=person"), Validators.NONE),
                FetchFailure.LDAP_NO_SUCH_ENTRY);
        assertEquals("the entry '" + Slapd.CA_DN + "' does not match the URL's filter (objectClass=person)",
                failed.detail());
    }

    @Test
    void a_missing_entry_and_a_missing_attribute_are_told_apart() {
        Failed entry = failed(anonymous.fetch(slapd.url("cn=Nobody," + Slapd.SUFFIX), Validators.NONE),
                FetchFailure.LDAP_NO_SUCH_ENTRY);
        assertEquals("no entry 'cn=Nobody," + Slapd.SUFFIX + "'", entry.detail());
        Failed attribute = failed(anonymous.fetch(slapd.url(Slapd.NO_CRL_DN), Validators.NONE),
                FetchFailure.LDAP_NO_SUCH_ATTRIBUTE);
        assertEquals("the entry '" + Slapd.NO_CRL_DN + "' has no certificateRevocationList;binary",
                attribute.detail());
    }

    @Test
    void an_entry_only_a_bound_reader_may_see_needs_the_password() {
        URI url = slapd.url(Slapd.PRIVATE_DN);
        failed(anonymous.fetch(url, Validators.NONE), FetchFailure.LDAP_NO_SUCH_ENTRY);
        char[] password = Slapd.READER_PASSWORD.toCharArray();
        CrlFetcher reader = CrlFetchers.standard(LIMITS,
                asked -> Optional.of(new SimpleBind(Slapd.READER_DN, password)));
        assertArrayEquals(CRL, assertInstanceOf(Fetched.class, reader.fetch(url, Validators.NONE)).body());
        assertArrayEquals(new char[Slapd.READER_PASSWORD.length()], password, "the password is wiped after use");
    }

    @Test
    void a_wrong_password_is_a_refused_bind_and_still_wiped() {
        char[] password = "wrong".toCharArray();
        CrlFetcher wrong = CrlFetchers.standard(LIMITS, asked -> Optional.of(new SimpleBind(Slapd.READER_DN,
                password)));
        Failed failed = failed(wrong.fetch(slapd.url(Slapd.CA_DN), Validators.NONE), FetchFailure.PROTOCOL);
        assertTrue(failed.detail().startsWith("the server refused the bind as '" + Slapd.READER_DN + "': "),
                failed.detail());
        assertTrue(!failed.detail().contains("wrong"), "the password is not in the detail: " + failed.detail());
        assertArrayEquals(new char[5], password);
    }

    @Test
    void an_empty_password_is_not_sent_as_an_anonymous_bind_in_disguise() {
        CrlFetcher empty = CrlFetchers.standard(LIMITS, asked -> Optional.of(new SimpleBind(Slapd.READER_DN,
                new char[0])));
        Failed failed = failed(empty.fetch(slapd.url(Slapd.CA_DN), Validators.NONE), FetchFailure.PROTOCOL);
        assertTrue(failed.detail().startsWith("a simple bind needs a password"), failed.detail());
    }

    @Test
    void a_value_over_the_size_limit_is_too_large() {
        FetchLimits tiny = new FetchLimits(Duration.ofSeconds(1), Duration.ofSeconds(1), CRL.length - 1, 3);
        Failed failed = failed(CrlFetchers.standard(tiny).fetch(slapd.url(Slapd.CA_DN), Validators.NONE),
                FetchFailure.TOO_LARGE);
        assertEquals(CRL.length + " bytes, over the limit of " + (CRL.length - 1) + " bytes", failed.detail());
    }

    @Test
    void a_closed_port_is_refused() {
        failed(anonymous.fetch(URI.create("ldap://127.0.0.1:" + CrlHttpServer.closedPort() + "/" + "cn=CA,o=Ex"),
                Validators.NONE), FetchFailure.REFUSED);
    }

    @Test
    void a_server_that_accepts_and_never_answers_is_cut_off_at_the_limit() throws Exception {
        // not slapd: a socket that reads the request and says nothing, as a hung directory would
        ServerSocket silent = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        try {
            Thread holder = new Thread(() -> {
                try (Socket socket = silent.accept(); InputStream in = socket.getInputStream()) {
                    while (in.read() >= 0) {
                        // swallow the bind and the search
                    }
                } catch (IOException e) {
                    // closed
                }
            });
            holder.setDaemon(true);
            holder.start();
            Failed failed = failed(anonymous.fetch(URI.create("ldap://127.0.0.1:" + silent.getLocalPort()
                    + "/cn=CA,o=Ex"), Validators.NONE), FetchFailure.TIMEOUT);
            assertTrue(failed.took().toMillis() >= 950 && failed.took().toMillis() < 2_500, "took " + failed.took());
            silent.close();
            holder.join(5_000);
        } finally {
            silent.close();
        }
    }
}
