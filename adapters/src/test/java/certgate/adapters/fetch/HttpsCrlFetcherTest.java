package certgate.adapters.fetch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import certgate.adapters.fetch.FetchOutcome.Fetched;
import certgate.adapters.fetch.FetchOutcome.Validators;
import certgate.dsl.PolicyCompiler;
import certgate.dsl.policy.CompiledPolicy;
import certgate.engine.Engine;
import certgate.engine.testpki.TestPki;
import certgate.eventstore.CaCertificateLoaded;
import certgate.eventstore.CrlFetchFailed;
import certgate.eventstore.CrlLoaded;
import certgate.eventstore.Event;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An https:// distribution point served by the JDK's HttpsServer on 127.0.0.1 with a certificate made here, fetched
 * through {@link CrlRefresh} as {@code certgate fetch} does: a trusted server gives {@code CrlLoaded}; an untrusted
 * certificate, or one naming another host, gives {@code CrlFetchFailed} (PROTOCOL) saying which; and a redirect
 * from https to http is followed, as the redirect rule (http or https, any hop) allows: the CRL is signed, so the
 * engine's signature check, not the channel, is what makes it trusted.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HttpsCrlFetcherTest {
    static final FetchLimits LIMITS = new FetchLimits(Duration.ofMillis(2_000), Duration.ofMillis(2_000), 64 * 1024,
            3);
    static final TestPki ISSUER = TestPki.root("CN=Example Issuing CA, O=Example, C=US");
    static final byte[] CRL = ISSUER.crl().revoke(BigInteger.valueOf(0x1002)).build();
    static final TlsFixture NAMES_THE_IP = TlsFixture.issuing("CN=HTTPS CA", TestPki.ip("127.0.0.1"));
    static final TlsFixture NAMES_ANOTHER_HOST = TlsFixture.issuing("CN=Other HTTPS CA",
            TestPki.dns("crl.example.net"));

    static HttpsServer https;
    static HttpsServer misnamed;
    static CrlHttpServer plain;

    @BeforeAll
    static void start() {
        plain = CrlHttpServer.start(CRL, 64 * 1024 + 1, 100);
        https = serve(NAMES_THE_IP);
        misnamed = serve(NAMES_ANOTHER_HOST);
    }

    @AfterAll
    static void stop() {
        if (https != null) {
            https.stop(0);
        }
        if (misnamed != null) {
            misnamed.stop(0);
        }
        if (plain != null) {
            plain.close();
        }
    }

    /** /crl: the CRL; /to-http: 302 to the plain server's /crl. */
    private static HttpsServer serve(TlsFixture tls) {
        try {
            HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
            server.setHttpsConfigurator(new HttpsConfigurator(tls.serverContext()));
            server.createContext("/", HttpsCrlFetcherTest::handle);
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            switch (exchange.getRequestURI().getPath()) {
                case "/crl" -> {
                    exchange.getResponseHeaders().add("Content-Type", "application/pkix-crl");
                    exchange.sendResponseHeaders(200, CRL.length);
                    exchange.getResponseBody().write(CRL);
                }
                case "/to-http" -> {
                    exchange.getResponseHeaders().add("Location", plain.url("/crl").toString());
                    exchange.sendResponseHeaders(302, -1);
                }
                default -> exchange.sendResponseHeaders(404, -1);
            }
        }
    }

    private static URI url(HttpsServer server, String path) {
        return URI.create("https://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    /** A refresh of the issuer's CRL from {@code cdp} (the policy's default CDP), as certgate fetch runs it. */
    private static List<Event> refresh(URI cdp, CrlFetcher fetcher) {
        CompiledPolicy policy = PolicyCompiler.compile("https-cdp.yaml", String.join("\n",
                "version: 1",
                "pki:",
                "  default-cdp: " + cdp,
                "  ca-profiles:",
                "    - name: corp",
                "ike:",
                "  gateways:",
                "    - name: gw",
                "      ca-profile: corp",
                "      remote-identity: {fqdn: vpn.example.net}",
                "").getBytes(StandardCharsets.UTF_8)).policy().orElseThrow();
        Engine engine = Engine.empty().apply(new CaCertificateLoaded("corp", ISSUER.certificate().blob()));
        return CrlRefresh.events(CrlRefresh.refresh(engine, engine.caCrls(TestPki.NOW, Optional.of(policy)), fetcher,
                TestPki.NOW));
    }

    private static CrlFetcher trusting(TlsFixture tls) {
        return CrlFetchers.standard(LIMITS, LdapCredentials.ANONYMOUS, tls.clientTrustingTheCa());
    }

    private static CrlFetchFailed fetchFailed(List<Event> events) {
        assertEquals(1, events.size(), events::toString);
        return assertInstanceOf(CrlFetchFailed.class, events.get(0));
    }

    @Test
    void a_crl_from_a_trusted_https_server_is_loaded() {
        URI cdp = url(https, "/crl");
        List<Event> events = refresh(cdp, trusting(NAMES_THE_IP));
        assertEquals(1, events.size(), events::toString);
        CrlLoaded loaded = assertInstanceOf(CrlLoaded.class, events.get(0));
        assertArrayEquals(CRL, loaded.crl().bytes());
        assertEquals(cdp.toString(), loaded.source());
        assertEquals(200, loaded.fetch().orElseThrow().status());
    }

    @Test
    void a_server_certificate_the_fetcher_does_not_trust_is_a_fetch_failure_saying_so() {
        // the JDK's default trust anchors, as certgate runs by default: the test's CA is not among them
        CrlFetchFailed failed = fetchFailed(refresh(url(https, "/crl"), CrlFetchers.standard(LIMITS)));
        assertEquals(CrlFetchFailed.Code.PROTOCOL, failed.reason());
        assertTrue(failed.detail().startsWith("TLS: the certificate of https://127.0.0.1:" + https.getAddress()
                .getPort() + " is not trusted: it does not chain to a trust anchor of this fetcher ("),
                failed.detail());
    }

    @Test
    void a_trusted_certificate_that_names_another_host_is_a_fetch_failure_saying_so() {
        CrlFetchFailed failed = fetchFailed(refresh(url(misnamed, "/crl"), trusting(NAMES_ANOTHER_HOST)));
        assertEquals(CrlFetchFailed.Code.PROTOCOL, failed.reason());
        assertTrue(failed.detail().startsWith("TLS: the certificate of https://127.0.0.1:" + misnamed.getAddress()
                .getPort() + " does not name that host ("), failed.detail());
    }

    @Test
    void a_redirect_from_https_to_http_is_followed_and_the_crl_is_still_checked_by_its_signature() {
        Fetched fetched = assertInstanceOf(Fetched.class, trusting(NAMES_THE_IP).fetch(url(https, "/to-http"),
                Validators.NONE));
        assertEquals(plain.url("/crl"), fetched.finalUrl());
        assertArrayEquals(CRL, fetched.body());
        List<Event> events = refresh(url(https, "/to-http"), trusting(NAMES_THE_IP));
        assertInstanceOf(CrlLoaded.class, events.get(0), events::toString);
    }
}
