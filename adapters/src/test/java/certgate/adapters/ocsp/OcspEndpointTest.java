package certgate.adapters.ocsp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import certgate.engine.testpki.TestCert;
import certgate.engine.testpki.TestPki;
import certgate.eventstore.OcspAnswered;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.oiw.OIWObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.SingleResp;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.junit.jupiter.api.Test;

/**
 * The OCSP endpoint spoken to with BouncyCastle's request builder over the JDK's HTTP client: SHA-256 CertIDs,
 * GET as well as POST, nonces at and beyond RFC 8954's bounds, the cache and its end, at a fixed time.
 */
class OcspEndpointTest extends WithOcspFixture {
    static final Instant NOW = TestPki.NOW;

    private final HttpClient client = HttpClient.newHttpClient();

    static CertificateID certId(TestPki ca, BigInteger serial, boolean sha256) throws Exception {
        AlgorithmIdentifier algorithm = new AlgorithmIdentifier(sha256 ? NISTObjectIdentifiers.id_sha256
                : OIWObjectIdentifiers.idSHA1);
        return new CertificateID(new JcaDigestCalculatorProviderBuilder().build().get(algorithm),
                new X509CertificateHolder(ca.certificate().der()), serial);
    }

    static byte[] request(CertificateID id, byte[] nonce) throws Exception {
        OCSPReqBuilder builder = new OCSPReqBuilder().addRequest(id);
        if (nonce != null) {
            // RFC 8954: the extnValue holds the DER of the nonce's own OCTET STRING.
            builder.setRequestExtensions(new Extensions(new Extension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce,
                    false, new DEROctetString(nonce).getEncoded())));
        }
        return builder.build().getEncoded();
    }

    private OCSPResp post(byte[] request) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(fixture.uri("/ocsp"))
                .header("Content-Type", "application/ocsp-request")
                .POST(HttpRequest.BodyPublishers.ofByteArray(request)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, response.statusCode());
        assertEquals("application/ocsp-response", response.headers().firstValue("Content-Type").orElseThrow());
        return new OCSPResp(response.body());
    }

    private SingleResp verified(OCSPResp response) throws Exception {
        assertEquals(OCSPResp.SUCCESSFUL, response.getStatus());
        BasicOCSPResp basic = (BasicOCSPResp) response.getResponseObject();
        assertTrue(basic.isSignatureValid(new JcaContentVerifierProviderBuilder()
                .build(new X509CertificateHolder(fixture.responder.der()))));
        assertEquals(1, basic.getResponses().length);
        return basic.getResponses()[0];
    }

    @Test
    void a_sha256_cert_id_is_answered_with_the_dates_of_the_crl_in_force() throws Exception {
        fixture.loadCrl(fixture.crlRevokingOne(NOW));
        CertificateID id = certId(fixture.ca, fixture.good.serial(), true);
        SingleResp single = verified(post(request(id, null)));
        assertEquals(id, single.getCertID());
        assertNull(single.getCertStatus());
        assertEquals(Date.from(NOW.minusSeconds(3_600)), single.getThisUpdate());
        assertEquals(Date.from(NOW.plusSeconds(86_400)), single.getNextUpdate());
        OcspAnswered answer = fixture.service.answers().get(0);
        assertEquals(NISTObjectIdentifiers.id_sha256.getId(), answer.hashAlgorithm());
        assertEquals(OcspAnswered.Status.GOOD, answer.status());
    }

    @Test
    void a_get_request_is_answered_as_the_same_post() throws Exception {
        fixture.loadCrl(fixture.crlRevokingOne(NOW));
        byte[] request = request(certId(fixture.ca, fixture.revoked.serial(), true), null);
        String path = "/ocsp/" + URLEncoder.encode(Base64.getEncoder().encodeToString(request),
                StandardCharsets.US_ASCII);
        HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(fixture.uri(path)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, response.statusCode());
        SingleResp single = verified(new OCSPResp(response.body()));
        RevokedStatus revoked = assertInstanceOf(RevokedStatus.class, single.getCertStatus());
        assertEquals(CRLReason.keyCompromise, revoked.getRevocationReason());
        assertEquals(Date.from(NOW.minusSeconds(86_400)), revoked.getRevocationTime());
        assertArrayEquals(response.body(), post(request).getEncoded(), "the same answer, from the cache");
    }

    @Test
    void a_nonce_of_1_to_32_octets_is_echoed_and_any_other_length_is_a_malformed_request() throws Exception {
        fixture.loadCrl(fixture.crlRevokingOne(NOW));
        CertificateID id = certId(fixture.ca, fixture.good.serial(), false);
        for (int length : new int[] {1, 16, 32}) {
            byte[] nonce = new byte[length];
            nonce[0] = (byte) length;
            OCSPResp response = post(request(id, nonce));
            verified(response);
            Extension echoed = ((BasicOCSPResp) response.getResponseObject())
                    .getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce);
            assertArrayEquals(new DEROctetString(nonce).getEncoded(), echoed.getExtnValue().getOctets());
        }
        for (int length : new int[] {0, 33, 200}) {
            assertEquals(OCSPResp.MALFORMED_REQUEST, post(request(id, new byte[length])).getStatus(),
                    "nonce of " + length);
        }
        assertEquals(3, fixture.service.answers().size(), "malformed requests are not answers about a CertID");
    }

    @Test
    void a_cached_good_answer_ends_when_the_cas_crl_changes() throws Exception {
        byte[] first = fixture.ca.crl().thisUpdate(NOW.minusSeconds(7_200)).nextUpdate(NOW.plusSeconds(86_400))
                .number(1).build();
        fixture.loadCrl(first);
        byte[] request = request(certId(fixture.ca, fixture.revoked.serial(), true), null);
        OCSPResp good = post(request);
        assertNull(verified(good).getCertStatus());
        assertArrayEquals(good.getEncoded(), post(request).getEncoded());
        fixture.loadCrl(fixture.crlRevokingOne(NOW));
        assertInstanceOf(RevokedStatus.class, verified(post(request)).getCertStatus());
        List<OcspAnswered.Status> statuses = fixture.service.answers().stream().map(OcspAnswered::status).toList();
        assertEquals(List.of(OcspAnswered.Status.GOOD, OcspAnswered.Status.GOOD, OcspAnswered.Status.REVOKED),
                statuses);
    }

    @Test
    void a_serial_listed_by_a_stale_crl_is_still_revoked_and_an_unlisted_one_is_try_later() throws Exception {
        fixture.loadCrl(fixture.ca.crl().thisUpdate(NOW.minusSeconds(9 * 86_400)).nextUpdate(NOW.minusSeconds(86_400))
                .revoke(fixture.revoked.serial(), NOW.minusSeconds(10 * 86_400), 1).build());
        assertInstanceOf(RevokedStatus.class,
                verified(post(request(certId(fixture.ca, fixture.revoked.serial(), true), null))).getCertStatus());
        assertEquals(OCSPResp.TRY_LATER,
                post(request(certId(fixture.ca, fixture.good.serial(), true), null)).getStatus());
    }

    @Test
    void a_request_about_several_certificates_answers_each_and_one_without_a_fresh_crl_makes_all_try_later()
            throws Exception {
        fixture.loadCrl(fixture.crlRevokingOne(NOW));
        TestPki other = TestPki.root("CN=Other CA");
        TestCert stranger = other.leaf("CN=stranger", TestPki.dns("stranger.example"));
        byte[] request = new OCSPReqBuilder().addRequest(certId(fixture.ca, fixture.good.serial(), true))
                .addRequest(certId(fixture.ca, fixture.revoked.serial(), false))
                .addRequest(certId(other, stranger.serial(), true)).build().getEncoded();
        BasicOCSPResp basic = (BasicOCSPResp) post(request).getResponseObject();
        SingleResp[] answers = basic.getResponses();
        assertEquals(3, answers.length);
        assertNull(answers[0].getCertStatus());
        assertInstanceOf(RevokedStatus.class, answers[1].getCertStatus());
        assertInstanceOf(UnknownStatus.class, answers[2].getCertStatus());
        assertEquals(3, fixture.service.answers().size());
    }

    @Test
    void garbage_a_wrong_method_or_another_path_never_gets_a_server_error() throws Exception {
        assertEquals(OCSPResp.MALFORMED_REQUEST, post(new byte[] {0x30, 0x03, 0x02, 0x01}).getStatus());
        assertEquals(OCSPResp.MALFORMED_REQUEST, post(new byte[0]).getStatus());
        assertEquals(OCSPResp.MALFORMED_REQUEST, post(new byte[OcspRequest.MAX_BYTES + 10]).getStatus());
        HttpResponse<byte[]> get = client.send(HttpRequest.newBuilder(fixture.uri("/ocsp/not%base64!!")).GET()
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(OCSPResp.MALFORMED_REQUEST, new OCSPResp(get.body()).getStatus());
        HttpResponse<String> put = client.send(HttpRequest.newBuilder(fixture.uri("/ocsp"))
                .PUT(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, put.statusCode());
        HttpResponse<String> elsewhere = client.send(HttpRequest.newBuilder(fixture.uri("/ocspx")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(404, elsewhere.statusCode());
        assertTrue(fixture.service.answers().isEmpty());
        assertFalse(fixture.problems.stream().anyMatch(p -> p.contains("internal error")), fixture.problems::toString);
    }
}
