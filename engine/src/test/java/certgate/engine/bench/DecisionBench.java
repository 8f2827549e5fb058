package certgate.engine.bench;

import certgate.engine.Decision;
import certgate.engine.Engine;
import certgate.engine.testpki.KeyType;
import certgate.engine.testpki.Scenario;
import certgate.engine.testpki.TestCert;
import certgate.engine.testpki.TestPki;
import certgate.eventstore.Blob;
import certgate.eventstore.ValidationRequested;
import java.security.Signature;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Rough timings of the decision path (not run by surefire's default includes; run with
 * {@code -Dtest=DecisionBench}). The benchmark harness proper is the adapters' {@code certgate bench}.
 */
class DecisionBench {
    public static void main(String[] args) throws Exception {
        new DecisionBench().timings();
    }

    @Test
    void timings() throws Exception {
        TestPki root = TestPki.root(TestPki.spec("CN=Bench Root").keyType(KeyType.RSA_2048));
        TestPki sub = root.intermediate(TestPki.spec("CN=Bench Sub").keyType(KeyType.RSA_2048));
        int peers = Integer.getInteger("bench.peers", 2000);
        List<TestCert> certs = new ArrayList<>();
        for (int i = 0; i < peers; i++) {
            certs.add(sub.issue(TestPki.spec("CN=peer" + i).keyType(KeyType.EC_P256)
                    .san(TestPki.dns("peer" + i + ".example"))));
        }
        byte[] crl = sub.crl().revoke(java.math.BigInteger.valueOf(12345)).build();
        Scenario scenario = Scenario.trusting(root).checkRevocation().crl(crl).crl(root.crl().build());
        List<ValidationRequested> requests = new ArrayList<>();
        for (TestCert cert : certs) {
            requests.add(scenario.request(cert.blob(), List.of(sub.certificate().blob())));
        }
        int freshRounds = Integer.getInteger("bench.freshRounds", 3);
        for (int round = 0; round < freshRounds; round++) {
            Engine fresh = scenario.engine();
            long start = System.nanoTime();
            for (ValidationRequested request : requests) {
                Decision d = fresh.decide(request);
                if (!d.accepted()) {
                    throw new AssertionError(d.reason() + " " + d.trace());
                }
            }
            long elapsed = System.nanoTime() - start;
            System.out.printf("fresh peers: %.1f us/decision%n", elapsed / 1e3 / requests.size());
        }
        Engine engine = scenario.engine();
        for (ValidationRequested request : requests) {
            engine.decide(request);
        }
        for (int round = 0; round < 5; round++) {
            long start = System.nanoTime();
            int n = 0;
            for (int k = 0; k < 20; k++) {
                for (ValidationRequested request : requests) {
                    engine.decide(request);
                    n++;
                }
            }
            long elapsed = System.nanoTime() - start;
            System.out.printf("repeated peers: %.2f us/decision (%.0f/s)%n", elapsed / 1e3 / n, n * 1e9 / elapsed);
        }
        Signature signer = Signature.getInstance("SHA256withRSA");
        signer.initSign(sub.keyPair().getPrivate());
        byte[] data = new byte[500];
        signer.update(data);
        byte[] sig = signer.sign();
        Signature verifier = Signature.getInstance("SHA256withRSA");
        for (int round = 0; round < 3; round++) {
            long start = System.nanoTime();
            for (int i = 0; i < 5000; i++) {
                verifier.initVerify(sub.keyPair().getPublic());
                verifier.update(data);
                verifier.verify(sig);
            }
            System.out.printf("bare RSA-2048 verify: %.1f us%n", (System.nanoTime() - start) / 1e3 / 5000);
        }
        Blob unused = certs.get(0).blob();
        System.out.println(unused.length());
    }
}
