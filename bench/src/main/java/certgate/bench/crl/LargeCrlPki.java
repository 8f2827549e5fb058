package certgate.bench.crl;

import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/**
 * The CRL benchmark's inputs for the other harnesses: a 3-level RSA-2048 hierarchy, peers issued by the issuing
 * CA (every {@code revokedEvery}-th revoked), and the issuing CA's CRL of {@code crlEntries} random serials plus
 * the revoked peers (the root's and the intermediate's CRLs are empty). DER throughout.
 */
public record LargeCrlPki(Instant at, List<byte[]> cas, List<byte[]> crls, List<byte[]> peers, boolean[] revoked) {

    /** Builds it, saying each long step to {@code step}. */
    public static LargeCrlPki build(int peers, int crlEntries, int revokedEvery, Consumer<String> step) {
        BenchPki pki = BenchPki.build(peers, crlEntries, revokedEvery, new BenchPki.Progress() {
            @Override
            public void step(String what) {
                step.accept(what);
            }

            @Override
            public void count(String what, int done, int total) {
            }

            @Override
            public void done(String what, int total) {
                step.accept(what + ": " + total);
            }
        });
        return new LargeCrlPki(pki.at, List.of(BenchPki.encoded(pki.root), BenchPki.encoded(pki.intermediate),
                BenchPki.encoded(pki.issuing)), List.of(pki.rootCrl, pki.intermediateCrl, pki.issuingCrl),
                pki.peerDers, pki.revoked.clone());
    }

    /** The dNSName of peer {@code index}. */
    public static String peerName(int index) {
        return BenchPki.peerName(index);
    }
}
