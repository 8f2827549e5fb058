package certgate.adapters.ocsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import certgate.engine.testpki.TestPki;
import certgate.testkit.Gen;
import certgate.testkit.Gens;
import certgate.testkit.Property;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Damaged requests (bytes flipped, cut, inserted, moved, in POST bodies and GET paths) get an OCSP response:
 * {@code malformedRequest}, or an answer when the damage left a request; never an HTTP error, an internal error,
 * a dropped connection, or an answer recorded for a request that was not one.
 */
class OcspRequestProperties extends WithOcspFixture {
    private static final Set<Integer> ANSWERS = Set.of(OCSPResp.SUCCESSFUL, OCSPResp.MALFORMED_REQUEST,
            OCSPResp.TRY_LATER);

    private final HttpClient client = HttpClient.newHttpClient();

    @BeforeEach
    void loadACrlRevokingOne() {
        fixture.loadCrl(fixture.crlRevokingOne(TestPki.NOW));
    }

    private Gen<byte[]> damagedRequests() throws Exception {
        byte[] plain = OcspEndpointTest.request(OcspEndpointTest.certId(fixture.ca, fixture.good.serial(), true),
                null);
        byte[] withNonce = OcspEndpointTest.request(OcspEndpointTest.certId(fixture.ca, fixture.revoked.serial(),
                false), new byte[16]);
        return random -> Gens.damaged(random.nextBoolean() ? plain : withNonce).generate(random);
    }

    @Test
    void a_damaged_request_gets_malformed_request_or_an_answer_from_the_responder_itself() throws Exception {
        OcspResponder responder = new OcspResponder(OcspResponders.load(List.of(new OcspResponders.Files(
                dir.resolve("responder.pem"), dir.resolve("responder.key"))), fixture.service.state(), TestPki.NOW));
        Property.forAll(damagedRequests()).tries(2_000).check(damaged -> {
            OcspResponder.Reply reply = responder.respond(fixture.service.state(), damaged, TestPki.NOW);
            int status = status(reply.response());
            assertTrue(ANSWERS.contains(status), "status " + status);
            assertEquals(status == OCSPResp.MALFORMED_REQUEST, reply.answers().isEmpty(), reply.summary());
        });
    }

    @Test
    void a_damaged_request_over_http_by_post_or_get_gets_an_ocsp_response() throws Exception {
        Property.forAll(damagedRequests()).tries(150).check(damaged -> {
            try {
                boolean get = damaged.length % 2 == 0;
                HttpRequest request = get
                        ? HttpRequest.newBuilder(fixture.uri("/ocsp/" + Base64.getEncoder().encodeToString(damaged)
                                .replace("+", "%2B").replace("/", "%2F").replace("=", "%3D"))).GET().build()
                        : HttpRequest.newBuilder(fixture.uri("/ocsp"))
                                .POST(HttpRequest.BodyPublishers.ofByteArray(damaged)).build();
                HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
                assertEquals(200, response.statusCode());
                assertTrue(ANSWERS.contains(status(response.body())));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        assertTrue(fixture.problems.stream().noneMatch(p -> p.contains("internal error")), fixture.problems::toString);
    }

    private static int status(byte[] response) {
        try {
            return new OCSPResp(response).getStatus();
        } catch (Exception e) {
            throw new AssertionError("not an OCSP response", e);
        }
    }
}
