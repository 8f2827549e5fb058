package certgate.engine.testpki;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import certgate.engine.x509.CertificateFormatException;
import certgate.engine.x509.ParsedCertificate;
import java.io.ByteArrayInputStream;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The fixture makes what it says: well-formed certificates, PEM the JDK reads, DNs in RFC 4514 order. */
class TestPkiTest {
    private final TestPki root = TestPki.root("CN=Root, O=Corp, C=US");

    @Test
    void certificates_are_well_formed_for_the_strict_parser() throws CertificateFormatException {
        TestCert gw = root.intermediate("CN=Sub, O=Corp").leaf("CN=gw1, O=Corp", TestPki.dns("gw1.example"));
        ParsedCertificate parsed = ParsedCertificate.parse(gw.der());
        assertTrue(parsed.profileProblems().isEmpty(), parsed.profileProblems().toString());
        assertEquals("CN=gw1, O=Corp", parsed.subject().text());
        assertEquals("CN=Sub, O=Corp", parsed.issuer().text());
        assertEquals(gw.serial(), parsed.serial());
    }

    @Test
    void pem_output_is_read_by_the_jdk_as_the_same_certificate() throws Exception {
        String pem = root.certificate().pem();
        assertTrue(pem.startsWith("-----BEGIN CERTIFICATE-----\n"));
        byte[] bytes = pem.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        X509Certificate read = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(bytes));
        assertArrayEquals(root.certificate().der(), read.getEncoded());
        assertEquals("CN=Root,O=Corp,C=US", read.getSubjectX500Principal().getName());
    }

    @Test
    void crl_pem_has_its_own_label() {
        String pem = PemText.crl(root.crl().build());
        assertTrue(pem.startsWith("-----BEGIN X509 CRL-----\n") && pem.endsWith("-----END X509 CRL-----\n"));
        String body = pem.lines().filter(line -> !line.startsWith("-----")).reduce("", String::concat);
        assertTrue(Base64.getDecoder().decode(body).length > 100);
    }

    @Test
    void a_bad_signature_changes_only_the_signature() throws CertificateFormatException {
        TestCert bad = root.issue(TestPki.spec("CN=bad").serial(7).badSignature());
        ParsedCertificate parsed = ParsedCertificate.parse(bad.der());
        assertEquals("CN=bad", parsed.subject().text());
    }
}
