package certgate.adapters.fetch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import certgate.adapters.fetch.FetchOutcome.Failed;
import certgate.adapters.fetch.FetchOutcome.Fetched;
import certgate.adapters.fetch.FetchOutcome.NotModified;
import certgate.adapters.fetch.FetchOutcome.Validators;
import certgate.engine.testpki.TestPki;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The HTTP fetcher against a real server on loopback: a good CRL, and the exact outcome of every fault. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HttpCrlFetcherTest {
    static final Duration TRANSFER_LIMIT = Duration.ofMillis(1_000);
    static final int MAX_BYTES = 64 * 1024;
    static final FetchLimits LIMITS = new FetchLimits(Duration.ofMillis(1_000), TRANSFER_LIMIT, MAX_BYTES, 3);
    static final byte[] CRL = TestPki.root("CN=Example Issuing CA, O=Example, C=US").crl()
            .revoke(BigInteger.valueOf(0x1002)).build();

    static CrlHttpServer server;
    final CrlFetcher fetcher = CrlFetchers.standard(LIMITS);

    @BeforeAll
    static void start() {
        server = CrlHttpServer.start(CRL, MAX_BYTES + 1, 100);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private FetchOutcome fetch(String path) {
        return fetcher.fetch(server.url(path), Validators.NONE);
    }

    private static Failed failed(FetchOutcome outcome, FetchFailure failure) {
        Failed failed = assertInstanceOf(Failed.class, outcome, () -> String.valueOf(outcome));
        assertEquals(failure, failed.failure(), failed::toString);
        return failed;
    }

    @Test
    void a_crl_arrives_byte_for_byte_with_the_servers_validators() {
        Fetched fetched = assertInstanceOf(Fetched.class, fetch("/crl"));
        assertArrayEquals(CRL, fetched.body());
        assertEquals(200, fetched.status());
        assertEquals(server.url("/crl"), fetched.url());
        assertEquals(server.url("/crl"), fetched.finalUrl());
        assertEquals(new Validators(CrlHttpServer.ETAG, CrlHttpServer.LAST_MODIFIED), fetched.validators());
    }

    @Test
    void a_body_without_content_length_arrives_whole() {
        Fetched fetched = assertInstanceOf(Fetched.class, fetch("/crl-chunked"));
        assertArrayEquals(CRL, fetched.body());
        assertEquals(new Validators(null, null), fetched.validators());
    }

    @Test
    void a_conditional_get_naming_the_current_version_is_not_modified() {
        NotModified byEtag = assertInstanceOf(NotModified.class, fetcher.fetch(server.url("/crl"),
                new Validators(CrlHttpServer.ETAG, null)));
        assertEquals(304, byEtag.status());
        assertEquals(new Validators(CrlHttpServer.ETAG, CrlHttpServer.LAST_MODIFIED), byEtag.validators());
        NotModified byDate = assertInstanceOf(NotModified.class, fetcher.fetch(server.url("/crl"),
                new Validators(null, CrlHttpServer.LAST_MODIFIED)));
        assertEquals(304, byDate.status());
    }

    @Test
    void a_conditional_get_naming_another_version_fetches_the_body() {
        Fetched fetched = assertInstanceOf(Fetched.class, fetcher.fetch(server.url("/crl"),
                new Validators("\"crl-v0\"", null)));
        assertArrayEquals(CRL, fetched.body());
    }

    @Test
    void a_closed_port_is_refused() {
        Failed failed = failed(fetcher.fetch(URI.create("http://127.0.0.1:" + CrlHttpServer.closedPort() + "/crl"),
                Validators.NONE), FetchFailure.REFUSED);
        assertEquals(0, failed.status());
        assertTrue(failed.detail().startsWith("cannot connect"), failed.detail());
    }

    @Test
    void a_server_that_never_answers_is_cut_off_at_the_transfer_limit() {
        Failed failed = failed(fetch("/silent"), FetchFailure.TIMEOUT);
        assertAboutTheLimit(failed.took());
        assertEquals("no complete answer within 1 s", failed.detail());
    }

    @Test
    void a_server_that_trickles_is_cut_off_at_the_transfer_limit_not_waited_on() {
        // one byte every 100 ms: the CRL would take a minute; each byte arriving must not restart the clock
        Failed failed = failed(fetch("/trickle"), FetchFailure.TIMEOUT);
        assertAboutTheLimit(failed.took());
    }

    private static void assertAboutTheLimit(Duration took) {
        assertTrue(took.compareTo(TRANSFER_LIMIT.minusMillis(50)) >= 0, "took " + took);
        assertTrue(took.compareTo(TRANSFER_LIMIT.plusMillis(900)) <= 0, "took " + took);
    }

    @Test
    void a_server_whose_accept_queue_is_full_is_cut_off_at_the_connect_limit() throws Exception {
        // Linux drops a SYN when a listening socket's accept queue is full: the connect hangs, as it does to a
        // host that drops packets, and only the connect limit ends it.
        FetchLimits shortConnect = new FetchLimits(Duration.ofMillis(300), Duration.ofSeconds(5), MAX_BYTES, 3);
        List<Socket> filling = new ArrayList<>();
        try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            for (int i = 0; i < 8; i++) {
                Socket socket = new Socket();
                filling.add(socket);
                try {
                    socket.connect(full.getLocalSocketAddress(), 100);
                } catch (SocketTimeoutException e) {
                    break; // the queue is full
                }
            }
            Failed failed = failed(CrlFetchers.standard(shortConnect).fetch(URI.create("http://127.0.0.1:"
                    + full.getLocalPort() + "/crl"), Validators.NONE), FetchFailure.TIMEOUT);
            assertEquals("no connection within 300 ms", failed.detail());
            assertTrue(failed.took().toMillis() >= 250 && failed.took().toMillis() < 1_500, "took " + failed.took());
        } finally {
            for (Socket socket : filling) {
                socket.close();
            }
        }
    }

    @Test
    void a_status_other_than_200_or_304_fails_with_that_status() {
        Failed notFound = failed(fetch("/missing"), FetchFailure.HTTP_STATUS);
        assertEquals(404, notFound.status());
        assertEquals("HTTP 404", notFound.detail());
        Failed broken = failed(fetch("/broken"), FetchFailure.HTTP_STATUS);
        assertEquals(500, broken.status());
    }

    @Test
    void a_304_to_an_unconditional_get_is_a_failure_not_a_confirmation() {
        try (RawHttpServer raw = new RawHttpServer()) {
            raw.answer("HTTP/1.1 304 Not Modified\r\nContent-Length: 0\r\n\r\n".getBytes(
                    java.nio.charset.StandardCharsets.US_ASCII), false);
            Failed failed = failed(fetcher.fetch(raw.url("/crl"), Validators.NONE), FetchFailure.HTTP_STATUS);
            assertEquals(304, failed.status());
        }
    }

    @Test
    void a_garbage_body_is_fetched_as_sent_for_the_engine_to_refuse() {
        Fetched fetched = assertInstanceOf(Fetched.class, fetch("/garbage"));
        assertEquals("<html>this is not a CRL</html>", new String(fetched.body(),
                java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void a_content_length_over_the_limit_is_refused_before_reading() {
        Failed failed = failed(fetch("/oversize"), FetchFailure.TOO_LARGE);
        assertEquals(200, failed.status());
        assertEquals("Content-Length " + (MAX_BYTES + 1) + ", over the limit of " + MAX_BYTES + " bytes",
                failed.detail());
    }

    @Test
    void a_body_without_length_is_counted_and_cut_at_the_limit() {
        Failed failed = failed(fetch("/oversize-chunked"), FetchFailure.TOO_LARGE);
        assertEquals("more than " + MAX_BYTES + " bytes sent, over the limit of " + MAX_BYTES + " bytes",
                failed.detail());
    }

    @Test
    void a_body_shorter_than_its_content_length_is_a_protocol_failure() {
        failed(fetch("/short"), FetchFailure.PROTOCOL);
    }

    @Test
    void up_to_three_redirects_are_followed_and_the_final_url_reported() {
        Fetched fetched = assertInstanceOf(Fetched.class, fetch("/hops/3"));
        assertArrayEquals(CRL, fetched.body());
        assertEquals(server.url("/hops/3"), fetched.url());
        assertEquals(server.url("/hops/0"), fetched.finalUrl());
    }

    @Test
    void a_fourth_redirect_is_not_followed() {
        Failed failed = failed(fetch("/hops/4"), FetchFailure.REDIRECT);
        assertEquals(302, failed.status());
        assertEquals("more than 3 redirects", failed.detail());
    }

    @Test
    void a_redirect_loop_is_detected_before_the_redirect_limit() {
        Failed loop = failed(fetch("/loop-a"), FetchFailure.REDIRECT);
        assertEquals("redirect loop: HTTP 302 back to '" + server.url("/loop-a") + "'", loop.detail());
        Failed self = failed(fetch("/self"), FetchFailure.REDIRECT);
        assertTrue(self.detail().startsWith("redirect loop"), self.detail());
        assertEquals(1, server.requests("/self"), "the loop is seen without asking again");
    }

    @Test
    void a_redirect_to_a_file_or_ftp_url_is_not_followed() {
        Failed file = failed(fetch("/to-file"), FetchFailure.REDIRECT);
        assertEquals("HTTP 302 to 'file:///etc/passwd': a redirect may lead only to http or https", file.detail());
        failed(fetch("/to-ftp"), FetchFailure.REDIRECT);
    }

    @Test
    void https_to_a_plain_http_server_is_a_protocol_failure() {
        try (RawHttpServer plain = new RawHttpServer()) {
            plain.answerAtOnce("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n".getBytes(
                    java.nio.charset.StandardCharsets.US_ASCII));
            URI url = URI.create("https://127.0.0.1:" + plain.url("/").getPort() + "/crl");
            Failed failed = failed(fetcher.fetch(url, Validators.NONE), FetchFailure.PROTOCOL);
            assertTrue(failed.detail().startsWith("TLS: "), failed.detail());
        }
    }

    @Test
    void https_to_a_server_that_never_answers_the_handshake_is_cut_off_at_the_limit() {
        Failed failed = failed(fetcher.fetch(URI.create("https://127.0.0.1:" + server.url("/crl").getPort() + "/crl"),
                Validators.NONE), FetchFailure.TIMEOUT);
        assertAboutTheLimit(failed.took());
    }

    @Test
    void concurrent_fetches_of_one_url_share_one_request() throws Exception {
        int callers = 8;
        URI url = server.url("/gated");
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            CountDownLatch started = new CountDownLatch(callers);
            List<Future<FetchOutcome>> outcomes = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                outcomes.add(pool.submit(() -> {
                    started.countDown();
                    return fetcher.fetch(url, Validators.NONE);
                }));
            }
            started.await();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (server.requests("/gated") == 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            Thread.sleep(300); // every caller is now waiting on the one fetch under way
            server.openGate();
            Fetched first = assertInstanceOf(Fetched.class, outcomes.get(0).get(20, TimeUnit.SECONDS));
            for (Future<FetchOutcome> outcome : outcomes) {
                assertSame(first, outcome.get(20, TimeUnit.SECONDS), "every caller gets the one outcome");
            }
            assertEquals(1, server.requests("/gated"));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void a_later_fetch_of_the_same_url_asks_again() {
        int before = server.requests("/crl-chunked");
        fetch("/crl-chunked");
        fetch("/crl-chunked");
        assertEquals(before + 2, server.requests("/crl-chunked"));
    }
}
