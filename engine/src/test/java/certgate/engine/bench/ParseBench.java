package certgate.engine.bench;

import certgate.engine.testpki.KeyType;
import certgate.engine.testpki.TestCert;
import certgate.engine.testpki.TestPki;
import certgate.engine.x509.ParsedCertificate;
import certgate.engine.x509.Sha256;
import java.security.Signature;
import java.util.ArrayList;
import java.util.List;

/** Rough split of a fresh peer's cost: digest, strict parse, RSA verify (run by hand, not by surefire). */
final class ParseBench {
    private ParseBench() {
    }

    public static void main(String[] args) throws Exception {
        TestPki root = TestPki.root(TestPki.spec("CN=Bench Root").keyType(KeyType.RSA_2048));
        TestPki sub = root.intermediate(TestPki.spec("CN=Bench Sub, O=Bench Corp, C=US").keyType(KeyType.RSA_2048));
        List<byte[]> ders = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            TestCert cert = sub.issue(TestPki.spec("CN=peer" + i + ", O=Bench Corp, C=US").keyType(KeyType.EC_P256)
                    .san(TestPki.dns("peer" + i + ".example")));
            ders.add(cert.der());
        }
        ParsedCertificate subParsed = ParsedCertificate.parse(sub.certificate().der());
        java.security.PublicKey key = subParsed.publicKey().key().orElseThrow();
        for (int round = 0; round < 8; round++) {
            long t0 = System.nanoTime();
            for (byte[] der : ders) {
                Sha256.of(der);
            }
            long t1 = System.nanoTime();
            for (byte[] der : ders) {
                ParsedCertificate.parse(der);
            }
            long t2 = System.nanoTime();
            for (byte[] der : ders) {
                ParsedCertificate p = ParsedCertificate.parse(der);
                p.label();
                p.issuer().key();
            }
            long t3 = System.nanoTime();
            Signature verifier = Signature.getInstance("SHA256withRSA");
            for (byte[] der : ders) {
                ParsedCertificate p = ParsedCertificate.parse(der);
                verifier.initVerify(key);
                verifier.update(p.tbs());
                verifier.verify(p.signature());
            }
            long t4 = System.nanoTime();
            int n = ders.size();
            System.out.printf("sha %.1f us, parse %.1f us, parse+label+issuerKey %.1f us, parse+verify %.1f us%n",
                    (t1 - t0) / 1e3 / n, (t2 - t1) / 1e3 / n, (t3 - t2) / 1e3 / n, (t4 - t3) / 1e3 / n);
        }
    }
}
