package certgate.engine.bench;

import certgate.engine.testpki.CertSpec;
import certgate.engine.testpki.KeyType;
import certgate.engine.testpki.TestCert;
import certgate.engine.testpki.TestPki;
import certgate.engine.x509.ParsedCertificate;
import certgate.engine.x509.Sha256;
import certgate.engine.x509.VerificationCache;
import java.security.PublicKey;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.CertificatePolicies;
import org.bouncycastle.asn1.x509.PolicyInformation;
import org.bouncycastle.asn1.x509.X509ObjectIdentifiers;

/**
 * Rough split of a fresh peer's cost: digest, strict parse (subject and issuer names converted), parse through a
 * {@link VerificationCache} (issuer names interned, as the engine parses), and the RSA verify for scale. The
 * peers look like the adapters' bench: RSA-2048, subject CN/O/C, SAN dNSName, keyUsage, AKI, SKI; a second set
 * adds what real peers often carry too (cRLDistributionPoints, authorityInfoAccess, certificatePolicies,
 * extKeyUsage). Run by hand, not by surefire:
 *
 * <pre>
 * mvn -B -o -q -pl engine test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt \
 *     -Dmdep.includeScope=test
 * java -cp engine/target/classes:engine/target/test-classes:$(cat /tmp/cp.txt) certgate.engine.bench.ParseBench
 * </pre>
 *
 * Prints each round, then the median of the second half of the rounds (steady state, after JIT warm-up).
 */
final class ParseBench {
    private static final int PEERS = 2_000;
    private static final String AUTHORITY_INFO_ACCESS = "1.3.6.1.5.5.7.1.1";
    private static final String CERTIFICATE_POLICIES = "2.5.29.32";

    private ParseBench() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 40;
        TestPki root = TestPki.root(TestPki.spec("CN=Bench Root").keyType(KeyType.RSA_2048));
        TestPki sub = root.intermediate(TestPki.spec("CN=Bench Sub, O=Bench Corp, C=US").keyType(KeyType.RSA_2048));
        List<byte[]> ders = new ArrayList<>();
        List<Sha256> digests = new ArrayList<>();
        List<byte[]> fullDers = new ArrayList<>();
        List<Sha256> fullDigests = new ArrayList<>();
        for (int i = 0; i < PEERS; i++) {
            TestCert cert = sub.issue(peer(i));
            ders.add(cert.der());
            digests.add(Sha256.of(cert.der()));
            TestCert full = sub.issue(withCommonExtensions(peer(i)));
            fullDers.add(full.der());
            fullDigests.add(Sha256.of(full.der()));
        }
        PublicKey key = ParsedCertificate.parse(sub.certificate().der()).publicKey().key().orElseThrow();
        double[][] figures = new double[rounds][];
        for (int round = 0; round < rounds; round++) {
            double[] plain = round(ders, digests, key);
            double[] full = parseOnly(fullDers, fullDigests);
            figures[round] = new double[] {plain[0], plain[1], plain[2], plain[3], plain[4], full[0], full[1]};
            System.out.printf(Locale.ROOT, "round %2d: sha %.2f us, parse %.2f us, cached parse %.2f us, "
                            + "parse+label+issuerKey %.2f us, verify %.2f us; with CDP/AIA/policies/EKU: "
                            + "parse %.2f us, cached parse %.2f us%n", round, figures[round][0], figures[round][1],
                    figures[round][2], figures[round][3], figures[round][4], figures[round][5], figures[round][6]);
        }
        String[] labels = {"sha", "parse", "cached parse", "parse+label+issuerKey", "verify",
            "parse with CDP/AIA/policies/EKU", "cached parse with CDP/AIA/policies/EKU"};
        StringBuilder out = new StringBuilder("steady state (median of rounds " + rounds / 2 + "-" + (rounds - 1)
                + ", per certificate):");
        for (int column = 0; column < labels.length; column++) {
            double[] values = new double[rounds - rounds / 2];
            for (int round = rounds / 2; round < rounds; round++) {
                values[round - rounds / 2] = figures[round][column];
            }
            Arrays.sort(values);
            out.append(String.format(Locale.ROOT, " %s %.2f us,", labels[column], values[values.length / 2]));
        }
        System.out.println(out.substring(0, out.length() - 1));
    }

    /** A peer as the adapters' bench makes them: subject CN, O, C; SAN dNSName; keyUsage, AKI, SKI. */
    private static CertSpec peer(int i) {
        return TestPki.spec("CN=peer-" + i + ".example.net, O=Bench Corp, C=US").keyType(KeyType.RSA_2048)
                .san(TestPki.dns("peer-" + i + ".example.net"));
    }

    /** The same peer with the extensions real peers usually carry besides: CDP, AIA (OCSP), a policy, EKU. */
    private static CertSpec withCommonExtensions(CertSpec spec) {
        return spec.crlDistributionPoint(TestPki.uri("http://crl.example.net/bench-sub.crl"))
                .extension(AUTHORITY_INFO_ACCESS, false, new AuthorityInformationAccess(new AccessDescription(
                        X509ObjectIdentifiers.ocspAccessMethod, TestPki.uri("http://ocsp.example.net"))))
                .extension(CERTIFICATE_POLICIES, false, new CertificatePolicies(new PolicyInformation(
                        new ASN1ObjectIdentifier("2.23.140.1.2.2"))))
                .extendedKeyUsage(false, "1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
    }

    private static double[] parseOnly(List<byte[]> ders, List<Sha256> digests) throws Exception {
        int n = ders.size();
        long sink = 0;
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            sink += ParsedCertificate.parse(ders.get(i), digests.get(i)).version();
        }
        long t1 = System.nanoTime();
        VerificationCache cache = new VerificationCache();
        for (int i = 0; i < n; i++) {
            byte[] der = ders.get(i);
            sink += cache.parse(digests.get(i), () -> der).hashCode();
        }
        long t2 = System.nanoTime();
        if (sink == 42) {
            System.out.println();
        }
        return new double[] {(t1 - t0) / 1e3 / n, (t2 - t1) / 1e3 / n};
    }

    private static double[] round(List<byte[]> ders, List<Sha256> digests, PublicKey key) throws Exception {
        int n = ders.size();
        long sink = 0;
        long t0 = System.nanoTime();
        for (byte[] der : ders) {
            sink += Sha256.of(der).hashCode();
        }
        long t1 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            sink += ParsedCertificate.parse(ders.get(i), digests.get(i)).version();
        }
        long t2 = System.nanoTime();
        VerificationCache cache = new VerificationCache();
        for (int i = 0; i < n; i++) {
            byte[] der = ders.get(i);
            sink += cache.parse(digests.get(i), () -> der).hashCode();
        }
        long t3 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            ParsedCertificate p = ParsedCertificate.parse(ders.get(i), digests.get(i));
            sink += p.label().length() + p.issuer().key().length();
        }
        long t4 = System.nanoTime();
        Signature verifier = Signature.getInstance("SHA256withRSA");
        for (int i = 0; i < n; i += 4) {
            ParsedCertificate p = ParsedCertificate.parse(ders.get(i), digests.get(i));
            verifier.initVerify(key);
            verifier.update(p.tbs());
            sink += verifier.verify(p.signature()) ? 1 : 0;
        }
        long t5 = System.nanoTime();
        if (sink == 42) {
            System.out.println();
        }
        double parse = (t2 - t1) / 1e3 / n;
        return new double[] {(t1 - t0) / 1e3 / n, parse, (t3 - t2) / 1e3 / n, (t4 - t3) / 1e3 / n,
            (t5 - t4) / 1e3 / ((n + 3) / 4) - parse};
    }
}
