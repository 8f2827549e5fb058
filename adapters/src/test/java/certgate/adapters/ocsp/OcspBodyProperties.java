package certgate.adapters.ocsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import certgate.engine.testpki.TestPki;
import certgate.eventstore.OcspAnswered;
import certgate.testkit.Bytes;
import certgate.testkit.Gen;
import certgate.testkit.Gens;
import certgate.testkit.Property;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A POST body reaches the responder as the same bytes however HTTP frames it: with a Content-Length (read into an
 * array of that size) or chunked (read to its end). Damaged requests, sent both ways on a raw socket, get the same
 * OCSP status and record the same answers, and a Content-Length at or beyond the responder's bound is refused as
 * a malformed request without an answer recorded.
 */
class OcspBodyProperties extends WithOcspFixture {
    private static final Set<Integer> ANSWERS = Set.of(OCSPResp.SUCCESSFUL, OCSPResp.MALFORMED_REQUEST,
            OCSPResp.TRY_LATER);

    @BeforeEach
    void loadACrlRevokingOne() {
        fixture.loadCrl(fixture.crlRevokingOne(TestPki.NOW));
    }

    /** Sends {@code body} to POST /ocsp on a connection of its own; returns the HTTP status and the body. */
    private Object[] post(byte[] body, boolean chunked) {
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        String head = "POST /ocsp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/ocsp-request\r\n"
                + "Connection: close\r\n" + (chunked ? "Transfer-Encoding: chunked\r\n"
                : "Content-Length: " + body.length + "\r\n") + "\r\n";
        request.writeBytes(head.getBytes(StandardCharsets.US_ASCII));
        if (chunked) {
            int half = body.length / 2;
            for (byte[] chunk : new byte[][] {Arrays.copyOfRange(body, 0, half),
                    Arrays.copyOfRange(body, half, body.length)}) {
                if (chunk.length > 0) {
                    request.writeBytes((Integer.toHexString(chunk.length) + "\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    request.writeBytes(chunk);
                    request.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
                }
            }
            request.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        } else {
            request.writeBytes(body);
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", fixture.uri("/").getPort()), 10_000);
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(request.toByteArray());
            byte[] response = socket.getInputStream().readAllBytes();
            int end = Bytes.indexOf(response, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertTrue(end > 0, "no HTTP response head");
            String statusLine = new String(response, 0, end, StandardCharsets.US_ASCII).split("\r\n")[0];
            return new Object[] {Integer.parseInt(statusLine.split(" ")[1]),
                Arrays.copyOfRange(response, end + 4, response.length)};
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int ocspStatus(byte[] body) {
        try {
            return new OCSPResp(body).getStatus();
        } catch (IOException e) {
            throw new AssertionError("not an OCSP response", e);
        }
    }

    @Test
    void a_damaged_body_is_read_alike_with_a_content_length_and_chunked() throws Exception {
        byte[] plain = OcspEndpointTest.request(OcspEndpointTest.certId(fixture.ca, fixture.revoked.serial(), false),
                null);
        Gen<byte[]> bodies = Gens.frequency(random -> plain, Gens.damaged(plain));
        Property.forAll(bodies).tries(100).check(body -> {
            int before = fixture.service.answers().size();
            Object[] fixed = post(body, false);
            List<OcspAnswered> byLength = fixture.service.answers().subList(before, fixture.service.answers().size());
            int middle = fixture.service.answers().size();
            Object[] chunked = post(body, true);
            List<OcspAnswered> byChunks = fixture.service.answers().subList(middle, fixture.service.answers().size());
            assertEquals(200, fixed[0]);
            assertEquals(200, chunked[0]);
            int status = ocspStatus((byte[]) fixed[1]);
            assertTrue(ANSWERS.contains(status), "status " + status);
            assertEquals(status, ocspStatus((byte[]) chunked[1]));
            assertEquals(byLength, byChunks);
            assertEquals(status == OCSPResp.MALFORMED_REQUEST, byLength.isEmpty());
        });
    }

    @Test
    void a_body_over_the_bound_is_a_malformed_request_whichever_way_it_is_framed() {
        for (int length : new int[] {OcspRequest.MAX_BYTES + 1, 3 * OcspRequest.MAX_BYTES}) {
            byte[] body = new byte[length];
            body[0] = 0x30;
            for (boolean chunked : new boolean[] {false, true}) {
                Object[] response = post(body, chunked);
                assertEquals(200, response[0]);
                assertEquals(OCSPResp.MALFORMED_REQUEST, ocspStatus((byte[]) response[1]), length + " " + chunked);
            }
        }
        assertTrue(fixture.service.answers().isEmpty());
    }

    @Test
    void a_content_length_is_decimal_digits_and_anything_else_means_read_to_the_end() {
        assertEquals(0, OcspHandler.contentLength("0"));
        assertEquals(16_384, OcspHandler.contentLength("16384"));
        assertEquals(999_999_999_999_999_999L, OcspHandler.contentLength("999999999999999999"));
        for (String other : new String[] {null, "", "-1", "+5", " 5", "5 ", "0x10", "1e3", "9999999999999999999"}) {
            assertEquals(-1, OcspHandler.contentLength(other), "'" + other + "'");
        }
    }
}
