package certgate.adapters.ocsp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import certgate.engine.testpki.TestPki;
import java.math.BigInteger;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.junit.jupiter.api.Test;

/**
 * RFC 5019 section 6 over real HTTP: a signed answer to a GET tells HTTP caches how long it stays right (until the
 * nextUpdate of the CRL it came from), what it was made from and its entity tag; a POST, an unsigned answer, an
 * answer with a nonce and one with an {@code unknown} in it tell them nothing. The clock is fixed at
 * {@link TestPki#NOW} (2025-01-01T00:00:00Z), so the expected headers are written out literally.
 */
class OcspCachingHeadersTest extends WithOcspFixture {
    private static final Instant NOW = TestPki.NOW;
    private static final List<String> CACHING = List.of("Cache-Control", "Last-Modified", "Expires", "ETag");

    private final HttpClient client = HttpClient.newHttpClient();

    private HttpResponse<byte[]> get(byte[] request) throws Exception {
        String path = "/ocsp/" + URLEncoder.encode(Base64.getEncoder().encodeToString(request),
                StandardCharsets.US_ASCII);
        HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(fixture.uri(path)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, response.statusCode());
        return response;
    }

    private HttpResponse<byte[]> post(byte[] request) throws Exception {
        HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(fixture.uri("/ocsp"))
                .header("Content-Type", "application/ocsp-request")
                .POST(HttpRequest.BodyPublishers.ofByteArray(request)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, response.statusCode());
        return response;
    }

    private byte[] request(BigInteger serial, boolean sha256) throws Exception {
        return OcspEndpointTest.request(OcspEndpointTest.certId(fixture.ca, serial, sha256), null);
    }

    private static String header(HttpResponse<?> response, String name) {
        return response.headers().firstValue(name).orElseThrow(() -> new AssertionError("no " + name + " in "
                + response.headers().map()));
    }

    private static void assertNoCachingHeaders(HttpHeaders headers, String what) {
        for (String name : CACHING) {
            assertTrue(headers.firstValue(name).isEmpty(), what + " has " + name + ": " + headers.map());
        }
    }

    private static String sha256Hex(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    @Test
    void a_conditional_get_for_the_same_response_is_304_without_a_body_and_still_recorded() throws Exception {
        fixture.loadCrl(fixture.crlRevokingOne(NOW));
        byte[] request = request(fixture.revoked.serial(), true);
        HttpResponse<byte[]> first = get(request);
        String path = "/ocsp/" + URLEncoder.encode(Base64.getEncoder().encodeToString(request),
                StandardCharsets.US_ASCII);
        int before = fixture.service.answers().size();

        HttpResponse<byte[]> same = client.send(HttpRequest.newBuilder(fixture.uri(path))
                .header("If-None-Match", header(first, "ETag")).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        HttpResponse<byte[]> other = client.send(HttpRequest.newBuilder(fixture.uri(path))
                .header("If-None-Match", "\"" + "0".repeat(64) + "\"").GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        HttpResponse<byte[]> since = client.send(HttpRequest.newBuilder(fixture.uri(path))
                .header("If-Modified-Since", header(first, "Last-Modified")).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());

        assertEquals(304, same.statusCode());
        assertEquals(0, same.body().length);
        assertEquals(header(first, "ETag"), header(same, "ETag"));
        assertEquals(header(first, "Cache-Control"), header(same, "Cache-Control"));
        assertEquals(200, other.statusCode(), "another entity tag is another response");
        assertArrayEquals(first.body(), other.body());
        assertEquals(304, since.statusCode());
        assertEquals(before + 3, fixture.service.answers().size(), "what each client was told is in the log");
    }

    @Test
    void a_get_answer_may_be_cached_until_the_next_update_of_the_crl_it_came_from() throws Exception {
        // thisUpdate 2024-12-31T23:00Z, nextUpdate 2025-01-02T00:00Z: a day from now.
        fixture.loadCrl(fixture.crlRevokingOne(NOW));
        for (BigInteger serial : List.of(fixture.good.serial(), fixture.revoked.serial())) {
            for (boolean sha256 : new boolean[] {false, true}) {
                byte[] request = request(serial, sha256);
                for (int time = 0; time < 2; time++) { // signed, then from the cache of signed answers
                    HttpResponse<byte[]> response = get(request);
                    assertEquals(OCSPResp.SUCCESSFUL, new OCSPResp(response.body()).getStatus());
                    assertEquals("max-age=86400, public, no-transform, must-revalidate",
                            header(response, "Cache-Control"));
                    assertEquals("Tue, 31 Dec 2024 23:00:00 GMT", header(response, "Last-Modified"));
                    assertEquals("Thu, 02 Jan 2025 00:00:00 GMT", header(response, "Expires"));
                    assertEquals("\"" + sha256Hex(response.body()) + "\"", header(response, "ETag"));
                }
            }
        }
    }

    @Test
    void max_age_counts_the_seconds_left_and_is_zero_for_an_answer_from_a_crl_past_its_next_update()
            throws Exception {
        // A stale CRL still revokes what it lists (fail closed); its answer is due already.
        fixture.loadCrl(fixture.ca.crl().thisUpdate(Instant.parse("2024-12-20T10:00:00Z"))
                .nextUpdate(Instant.parse("2024-12-27T10:00:00Z"))
                .revoke(fixture.revoked.serial(), Instant.parse("2024-12-19T00:00:00Z"), 1).build());
        HttpResponse<byte[]> stale = get(request(fixture.revoked.serial(), true));
        assertEquals("max-age=0, public, no-transform, must-revalidate", header(stale, "Cache-Control"));
        assertEquals("Fri, 20 Dec 2024 10:00:00 GMT", header(stale, "Last-Modified"));
        assertEquals("Fri, 27 Dec 2024 10:00:00 GMT", header(stale, "Expires"));

        fixture.loadCrl(fixture.ca.crl().thisUpdate(Instant.parse("2024-12-31T12:00:00Z"))
                .nextUpdate(Instant.parse("2025-01-01T00:01:40.900Z")).build());
        HttpResponse<byte[]> soon = get(request(fixture.good.serial(), true));
        assertEquals("max-age=100, public, no-transform, must-revalidate", header(soon, "Cache-Control"),
                "whole seconds left, rounded down");
        assertEquals("Wed, 01 Jan 2025 00:01:40 GMT", header(soon, "Expires"));
    }

    @Test
    void a_post_answer_carries_no_caching_headers_though_the_same_get_does() throws Exception {
        fixture.loadCrl(fixture.crlRevokingOne(NOW));
        byte[] request = request(fixture.good.serial(), true);
        assertNoCachingHeaders(post(request).headers(), "a POST answer");
        assertEquals("max-age=86400, public, no-transform, must-revalidate", header(get(request), "Cache-Control"));
        assertNoCachingHeaders(post(request).headers(), "a POST answer from the cache");
    }

    @Test
    void unsigned_answers_answers_with_a_nonce_and_unknown_issuers_carry_no_caching_headers() throws Exception {
        // No CRL yet: tryLater.
        HttpResponse<byte[]> tryLater = get(request(fixture.good.serial(), true));
        assertEquals(OCSPResp.TRY_LATER, new OCSPResp(tryLater.body()).getStatus());
        assertNoCachingHeaders(tryLater.headers(), "tryLater");

        fixture.loadCrl(fixture.crlRevokingOne(NOW));
        HttpResponse<byte[]> malformed = get(new byte[] {0x30, 0x03, 0x02, 0x01, 0x05});
        assertEquals(OCSPResp.MALFORMED_REQUEST, new OCSPResp(malformed.body()).getStatus());
        assertNoCachingHeaders(malformed.headers(), "malformedRequest");

        HttpResponse<byte[]> withNonce = get(OcspEndpointTest.request(OcspEndpointTest.certId(fixture.ca,
                fixture.good.serial(), true), new byte[] {1, 2, 3, 4, 5, 6, 7, 8}));
        assertEquals(OCSPResp.SUCCESSFUL, new OCSPResp(withNonce.body()).getStatus());
        assertNoCachingHeaders(withNonce.headers(), "an answer with a nonce");

        TestPki other = TestPki.root("CN=Other CA");
        byte[] mixed = new OCSPReqBuilder()
                .addRequest(OcspEndpointTest.certId(fixture.ca, fixture.good.serial(), true))
                .addRequest(OcspEndpointTest.certId(other, BigInteger.TEN, true)).build().getEncoded();
        HttpResponse<byte[]> withUnknown = get(mixed);
        assertEquals(OCSPResp.SUCCESSFUL, new OCSPResp(withUnknown.body()).getStatus());
        assertNoCachingHeaders(withUnknown.headers(), "an answer with an unknown CertID (no nextUpdate)");
    }
}
