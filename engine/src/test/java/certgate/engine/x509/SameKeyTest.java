package certgate.engine.x509;

import static org.junit.jupiter.api.Assertions.assertEquals;

import certgate.engine.testpki.KeyType;
import certgate.engine.testpki.TestCert;
import certgate.engine.testpki.TestPki;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Keys are compared as the bytes of the SPKI inside the certificate: exactly when BouncyCastle finds them equal. */
class SameKeyTest {
    @Test
    void same_key_as_agrees_with_the_decoded_public_key_infos() throws Exception {
        TestPki root = TestPki.root("CN=Key Root");
        TestPki rsa = root.intermediate(TestPki.spec("CN=Key RSA").keyType(KeyType.RSA_2048));
        List<TestCert> certs = new ArrayList<>(List.of(root.certificate(), rsa.certificate()));
        TestCert first = rsa.issue(TestPki.spec("CN=a"));
        certs.add(first);
        certs.add(rsa.issue(TestPki.spec("CN=b").keyPair(first.keyPair())));
        certs.add(root.issue(TestPki.spec("CN=c").keyPair(rsa.keyPair())));
        certs.add(root.issue(TestPki.spec("CN=d")));
        List<ParsedCertificate> parsed = new ArrayList<>();
        for (TestCert cert : certs) {
            parsed.add(ParsedCertificate.parse(cert.der()));
        }
        int same = 0;
        for (ParsedCertificate a : parsed) {
            for (ParsedCertificate b : parsed) {
                boolean expected = a.publicKeyInfo().equals(b.publicKeyInfo());
                assertEquals(expected, a.sameKeyAs(b), () -> a + " / " + b);
                same += expected && a != b ? 1 : 0;
            }
        }
        assertEquals(4, same, "two pairs of certificates share a key");
    }
}
