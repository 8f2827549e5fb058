package certgate.adapters.ocsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import certgate.engine.Engine;
import certgate.engine.testpki.PemText;
import certgate.engine.testpki.TestCert;
import certgate.engine.testpki.TestPki;
import certgate.eventstore.CaCertificateLoaded;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code serve --ocsp-cert FILE --ocsp-key FILE} refuses at start, each with its reason. */
class OcspRespondersTest {
    private static final TestPki CA = TestPki.root("CN=Responder Test CA");
    private static final Engine STATE = Engine.empty().apply(new CaCertificateLoaded("default",
            CA.certificate().blob()));
    private static final Instant NOW = TestPki.NOW;

    @TempDir
    Path dir;

    private OcspResponders.Files files(TestCert certificate, String permissions) throws IOException {
        Path cert = dir.resolve("responder.pem");
        Path key = dir.resolve("responder.key");
        Files.writeString(cert, certificate.pem());
        Files.writeString(key, PemText.block("PRIVATE KEY", certificate.keyPair().getPrivate().getEncoded()));
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString(permissions));
        return new OcspResponders.Files(cert, key);
    }

    private static TestCert responder(TestPki issuer, String... usages) {
        return issuer.issue(TestPki.spec("CN=Responder").extendedKeyUsage(false, usages));
    }

    private String refused(OcspResponders.Files files) {
        return assertThrows(ResponderException.class, () -> OcspResponders.load(List.of(files), STATE, NOW))
                .getMessage();
    }

    @Test
    void a_responder_issued_by_a_loaded_ca_with_the_ocsp_signing_usage_and_a_private_key_is_accepted()
            throws Exception {
        OcspResponders responders = OcspResponders.load(List.of(files(responder(CA, OcspFixture.OCSP_SIGNING),
                "rw-------")), STATE, NOW);
        assertEquals(CA.certificate().blob().sha256Hex(), responders.fallback().caSha256());
        assertTrue(responders.describe().get(0).contains("for CA 'CN=Responder Test CA'"), responders.describe()
                .toString());
    }

    @Test
    void a_key_file_that_group_or_others_may_read_is_refused() throws Exception {
        String message = refused(files(responder(CA, OcspFixture.OCSP_SIGNING), "rw-r--r--"));
        assertTrue(message.contains("accessible by group or others (permissions rw-r--r--)")
                && message.contains("chmod 600"), message);
    }

    @Test
    void a_certificate_without_the_ocsp_signing_usage_is_refused() throws Exception {
        String message = refused(files(responder(CA, "1.3.6.1.5.5.7.3.1"), "rw-------"));
        assertTrue(message.contains("lacks id-kp-OCSPSigning"), message);
        message = refused(files(CA.leaf("CN=no usage at all"), "rw-------"));
        assertTrue(message.contains("lacks id-kp-OCSPSigning"), message);
    }

    @Test
    void a_certificate_not_issued_by_a_loaded_ca_is_refused_even_under_its_name() throws Exception {
        String message = refused(files(responder(TestPki.root("CN=Stranger CA"), OcspFixture.OCSP_SIGNING),
                "rw-------"));
        assertTrue(message.contains("not issued by a loaded CA"), message);
        String sameName = refused(files(responder(TestPki.root("CN=Responder Test CA"), OcspFixture.OCSP_SIGNING),
                "rw-------"));
        assertTrue(sameName.contains("not issued by a loaded CA"), sameName);
    }

    @Test
    void a_key_that_is_not_the_certificates_or_an_expired_certificate_is_refused() throws Exception {
        OcspResponders.Files pair = files(responder(CA, OcspFixture.OCSP_SIGNING), "rw-------");
        TestCert other = responder(CA, OcspFixture.OCSP_SIGNING);
        Files.writeString(pair.key(), PemText.block("PRIVATE KEY", other.keyPair().getPrivate().getEncoded()));
        assertTrue(refused(pair).contains("not the private key of"), refused(pair));
        TestCert expired = CA.issue(TestPki.spec("CN=Old Responder").validity(NOW.minusSeconds(86_400 * 30),
                NOW.minusSeconds(86_400)).extendedKeyUsage(false, OcspFixture.OCSP_SIGNING));
        String message = refused(files(expired, "rw-------"));
        assertTrue(message.contains("not valid now"), message);
    }

    @Test
    void pairs_must_pair_and_one_ca_has_one_responder() throws Exception {
        ResponderException unpaired = assertThrows(ResponderException.class,
                () -> OcspResponders.pairs(List.of("a.pem", "b.pem"), List.of("a.key")));
        assertTrue(unpaired.getMessage().contains("come in pairs: 2 certificate(s) and 1 key(s)"),
                unpaired.getMessage());
        OcspResponders.Files first = files(responder(CA, OcspFixture.OCSP_SIGNING), "rw-------");
        Path secondCert = dir.resolve("second.pem");
        Path secondKey = dir.resolve("second.key");
        Files.copy(first.certificate(), secondCert);
        Files.copy(first.key(), secondKey);
        Files.setPosixFilePermissions(secondKey, PosixFilePermissions.fromString("rw-------"));
        ResponderException twice = assertThrows(ResponderException.class, () -> OcspResponders.load(
                List.of(first, new OcspResponders.Files(secondCert, secondKey)), STATE, NOW));
        assertTrue(twice.getMessage().contains("a second OCSP responder for CA"), twice.getMessage());
        assertThrows(ResponderException.class, () -> OcspResponders.load(List.of(), STATE, NOW));
    }
}
