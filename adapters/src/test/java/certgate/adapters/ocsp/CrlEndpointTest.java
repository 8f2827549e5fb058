package certgate.adapters.ocsp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import certgate.eventstore.Blob;
import certgate.eventstore.CaCertificateLoaded;
import certgate.engine.testpki.TestPki;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The CRL endpoint over the JDK's HTTP client: the bytes as signed, the validators, 304, and what is not there. */
class CrlEndpointTest extends WithOcspFixture {
    private static final Instant NOW = TestPki.NOW;

    private final HttpClient client = HttpClient.newHttpClient();

    private HttpResponse<byte[]> get(String path, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(fixture.uri(path)).GET();
        if (headers.length > 0) {
            request.headers(headers);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private String byIssuer() {
        return "/crls/by-issuer/" + fixture.ca.certificate().blob().sha256Hex() + ".crl";
    }

    @Test
    void the_crl_in_force_is_served_byte_for_byte_by_issuer_and_by_profile() throws Exception {
        byte[] crl = fixture.crlRevokingOne(NOW);
        fixture.loadCrl(crl);
        for (String path : new String[] {byIssuer(), "/crls/default.crl",
                byIssuer().replace(fixture.ca.certificate().blob().sha256Hex(),
                        fixture.ca.certificate().blob().sha256Hex().toUpperCase())}) {
            HttpResponse<byte[]> response = get(path);
            assertEquals(200, response.statusCode(), path);
            assertArrayEquals(crl, response.body(), path);
            assertEquals("application/pkix-crl", response.headers().firstValue("Content-Type").orElseThrow());
            assertEquals("\"" + Blob.of(crl).sha256Hex() + "\"", response.headers().firstValue("ETag").orElseThrow());
            assertEquals("Tue, 31 Dec 2024 23:00:00 GMT", response.headers().firstValue("Last-Modified").orElseThrow(),
                    "thisUpdate, an hour before 2025-01-01T00:00:00Z");
        }
    }

    @Test
    void a_conditional_get_for_the_crl_in_force_is_304_and_a_new_crl_is_sent_whole() throws Exception {
        byte[] first = fixture.ca.crl().thisUpdate(NOW.minusSeconds(7_200)).number(1).build();
        fixture.loadCrl(first);
        String etag = get(byIssuer()).headers().firstValue("ETag").orElseThrow();
        String lastModified = get(byIssuer()).headers().firstValue("Last-Modified").orElseThrow();
        HttpResponse<byte[]> unchanged = get(byIssuer(), "If-None-Match", etag);
        assertEquals(304, unchanged.statusCode());
        assertEquals(0, unchanged.body().length);
        assertEquals(304, get(byIssuer(), "If-Modified-Since", lastModified).statusCode());
        assertEquals(304, get("/crls/default.crl", "If-None-Match", "\"other\", " + etag).statusCode());
        byte[] second = fixture.ca.crl().thisUpdate(NOW.minusSeconds(60)).number(2).build();
        fixture.loadCrl(second);
        HttpResponse<byte[]> changed = get(byIssuer(), "If-None-Match", etag);
        assertEquals(200, changed.statusCode());
        assertArrayEquals(second, changed.body());
        assertNotEquals(etag, changed.headers().firstValue("ETag").orElseThrow());
        assertEquals(200, get(byIssuer(), "If-Modified-Since", lastModified).statusCode());
    }

    @Test
    void a_ca_not_held_one_without_a_crl_an_unknown_profile_or_path_is_404() throws Exception {
        HttpResponse<byte[]> noCrl = get(byIssuer());
        assertEquals(404, noCrl.statusCode());
        assertTrue(new String(noCrl.body()).contains("has no CRL in force"));
        assertEquals(404, get("/crls/by-issuer/" + "ab".repeat(32) + ".crl").statusCode());
        assertEquals(404, get("/crls/nosuchprofile.crl").statusCode());
        assertEquals(404, get("/crls/../etc/passwd").statusCode());
        assertEquals(404, get("/crls/by-issuer/xyz.crl").statusCode());
        HttpResponse<String> post = client.send(HttpRequest.newBuilder(fixture.uri(byIssuer()))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, post.statusCode());
    }

    @Test
    void a_profile_with_several_cas_with_a_crl_names_them_instead_of_choosing() throws Exception {
        TestPki sub = fixture.ca.intermediate("CN=OCSP Test Sub CA");
        fixture.service.load(new CaCertificateLoaded("default", sub.certificate().blob()));
        fixture.loadCrl(fixture.crlRevokingOne(NOW));
        assertEquals(200, get("/crls/default.crl").statusCode(), "one of the two CAs has a CRL");
        fixture.loadCrl(sub.crl().build());
        HttpResponse<byte[]> both = get("/crls/default.crl");
        assertEquals(409, both.statusCode());
        String body = new String(both.body());
        assertTrue(body.contains(byIssuer()) && body.contains(sub.certificate().blob().sha256Hex()), body);
    }
}
