package certgate.bench.crl;

import certgate.bench.Median;
import certgate.engine.Decision;
import certgate.engine.Engine;
import certgate.engine.revocation.CrlFormatException;
import certgate.engine.revocation.CrlIndex;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.util.Locale;
import java.util.Optional;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * One benchmark run. What it measures, in the same JVM and on the same inputs:
 * <ul>
 *   <li>Loading the issuing CA's CRL: certgate's {@link CrlIndex#parse} plus the RSA signature over
 *       {@link CrlIndex#tbsCertList()}, against the JDK's {@code CertificateFactory.generateCRL} (alone, and with
 *       {@code X509CRL.verify}), and BouncyCastle's {@code X509CRLHolder} converted to an {@code X509CRL} for
 *       information. A full GC before each measurement keeps one's garbage off the next one's clock.</li>
 *   <li>Retained heap per CRL entry: {@link CrlIndex#retainedBytes()} / size, cross-checked by the heap in use
 *       after GC before and after parsing (the DER array already exists, so the delta is what the index adds);
 *       the same delta for the JDK's X509CRL.</li>
 *   <li>Decisions per second with the CRL in force: certgate decides every peer once on a fresh {@link Engine}
 *       per round (the engine memoizes CA signatures, so a peer seen before would be cheaper); the JDK and
 *       BouncyCastle PKIX validators take fresh peers for a round until its time budget or validation cap;
 *       and the bare SHA256withRSA verify rate of one core, on a peer certificate's own signature.</li>
 * </ul>
 * Every figure is the median over the rounds; the machine is shared and noisy.
 */
final class BenchRun {
    private final CrlBenchmark.Options options;
    private final PrintStream out;
    private final PrintStream err;

    BenchRun(CrlBenchmark.Options options, PrintStream out, PrintStream err) {
        this.options = options;
        this.out = out;
        this.err = err;
    }

    void run() {
        long setupStart = System.nanoTime();
        BenchPki pki = BenchPki.build(options.peers(), options.crlEntries(), options.revokedEvery(), progress());
        PkixBaseline jdk;
        PkixBaseline bc;
        BouncyCastleProvider provider = new BouncyCastleProvider();
        try {
            progress().step("parsing the CRLs for the JDK and BouncyCastle validators");
            jdk = PkixBaseline.jdk(pki);
            bc = PkixBaseline.bouncyCastle(pki, provider);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the baselines could not read the benchmark PKI: " + e.getMessage(), e);
        }
        CertgateRunner certgate = new CertgateRunner(pki);
        double setupSeconds = (System.nanoTime() - setupStart) / 1e9;

        Load load = measureLoad(pki, provider);
        Memory memory = measureMemory(pki);
        Decisions decisions = measureDecisions(pki, certgate, jdk, bc);
        report(pki, setupSeconds, load, memory, decisions);
    }

    // --- loading the CRL ----------------------------------------------------------------------------------

    private record Load(double certgateMs, double jdkParseMs, double jdkVerifyMs, double bcMs, int entries) {
    }

    private Load measureLoad(BenchPki pki, BouncyCastleProvider provider) {
        int rounds = options.rounds();
        double[] certgate = new double[rounds];
        double[] jdkParse = new double[rounds];
        double[] jdkVerify = new double[rounds];
        double[] bc = new double[rounds];
        PublicKey key = pki.issuing.getPublicKey();
        int entries = -1;
        try {
            CertificateFactory sun = CertificateFactory.getInstance("X.509");
            JcaX509CRLConverter converter = new JcaX509CRLConverter().setProvider(provider);
            progress().step("warming up the CRL readers");
            verify(CrlIndex.parse(pki.issuingCrl), key);
            Reference.reachabilityFence(converter.getCRL(new X509CRLHolder(pki.issuingCrl)));
            for (int round = 0; round < rounds; round++) {
                progress().step("loading the CRL, round " + (round + 1) + " of " + rounds);
                byte[] der = pki.issuingCrlNumbered(2_000 + round); // bytes the JDK's CRL cache has not seen
                collectGarbage();
                long start = System.nanoTime();
                CrlIndex index = CrlIndex.parse(der);
                boolean verified = verify(index, key);
                certgate[round] = millisSince(start);
                if (!verified) {
                    throw new IllegalStateException("certgate: the CRL's signature did not verify");
                }
                entries = index.size();
                index = null;

                collectGarbage();
                start = System.nanoTime();
                X509CRL crl = (X509CRL) sun.generateCRL(new ByteArrayInputStream(der));
                jdkParse[round] = millisSince(start);
                crl.verify(key);
                jdkVerify[round] = millisSince(start);
                crl = null;

                collectGarbage();
                start = System.nanoTime();
                X509CRL bcCrl = converter.getCRL(new X509CRLHolder(der));
                bc[round] = millisSince(start);
                Reference.reachabilityFence(bcCrl);
            }
        } catch (CrlFormatException e) {
            throw new IllegalStateException("certgate refused the benchmark's CRL: " + e.getMessage(), e);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("a baseline could not load the benchmark's CRL: " + e, e);
        }
        return new Load(Median.of(certgate), Median.of(jdkParse), Median.of(jdkVerify), Median.of(bc), entries);
    }

    private static boolean verify(CrlIndex index, PublicKey key) throws GeneralSecurityException {
        if (!index.signatureAlgorithm().getAlgorithm().equals(PKCSObjectIdentifiers.sha256WithRSAEncryption)) {
            throw new IllegalStateException("the benchmark CRL is signed with " + index.signatureAlgorithm());
        }
        Signature signature = Signature.getInstance("SHA256withRSA");
        signature.initVerify(key);
        signature.update(index.tbsCertList());
        return signature.verify(index.signatureValue());
    }

    // --- retained heap --------------------------------------------------------------------------------------

    private record Memory(double indexEstimate, double indexDelta, double jdkDelta, double derPerEntry) {
    }

    private Memory measureMemory(BenchPki pki) {
        progress().step("measuring retained heap");
        try {
            long before = usedHeapAfterGc();
            CrlIndex index = CrlIndex.parse(pki.issuingCrl);
            long after = usedHeapAfterGc();
            int size = Math.max(1, index.size());
            double estimate = index.retainedBytes() / (double) size;
            Reference.reachabilityFence(index);
            index = null;

            byte[] unseen = pki.issuingCrlNumbered(3_000);
            long jdkBefore = usedHeapAfterGc();
            X509CRL crl = (X509CRL) CertificateFactory.getInstance("X.509")
                    .generateCRL(new ByteArrayInputStream(unseen));
            long jdkAfter = usedHeapAfterGc();
            Reference.reachabilityFence(crl);
            return new Memory(estimate, (after - before) / (double) size, (jdkAfter - jdkBefore) / (double) size,
                    pki.issuingCrl.length / (double) size);
        } catch (CrlFormatException e) {
            throw new IllegalStateException("certgate refused the benchmark's CRL: " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK could not load the benchmark's CRL: " + e, e);
        }
    }

    private static long usedHeapAfterGc() {
        collectGarbage();
        collectGarbage();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    // --- decisions ------------------------------------------------------------------------------------------

    private record Decisions(Optional<Double> certgate, Optional<String> certgateProblem, int certgateRight,
                             int certgateDecided, double jdk, int jdkRight, int jdkDecided, double bc, int bcRight,
                             int bcDecided, double bareVerify) {
    }

    private Decisions measureDecisions(BenchPki pki, CertgateRunner certgate, PkixBaseline jdk, PkixBaseline bc) {
        int rounds = options.rounds();
        double[] certgateRates = new double[rounds];
        double[] jdkRates = new double[rounds];
        double[] bcRates = new double[rounds];
        double[] bareRates = new double[rounds];
        Optional<String> certgateProblem = Optional.empty();
        Tally certgateTally = new Tally();
        Tally jdkTally = new Tally();
        Tally bcTally = new Tally();
        int jdkCursor = 0;
        int bcCursor = pki.peers.size() / 2;
        // Warm-up: the same work as a counted round, for every validator, so each is measured compiled. certgate
        // decides on a fresh engine every round, so nothing but the JIT's work carries over.
        for (int round = 0; round < options.warmupRounds(); round++) {
            progress().step("warm-up round " + (round + 1) + " of " + options.warmupRounds());
            if (certgateProblem.isEmpty()) {
                try {
                    certgateRound(pki, certgate, new Tally());
                } catch (RuntimeException e) {
                    certgateProblem = Optional.of(e.toString());
                }
            }
            if (round == 0) {
                Tally ignored = new Tally();
                baselineRound(pki, jdk, jdkCursor, ignored);
                baselineRound(pki, bc, bcCursor, ignored);
                bareVerifyRound(pki);
            }
        }
        for (int round = 0; round < rounds; round++) {
            if (certgateProblem.isEmpty()) {
                progress().step("certgate decisions, round " + (round + 1) + " of " + rounds);
                try {
                    certgateRates[round] = certgateRound(pki, certgate, round == 0 ? certgateTally : new Tally());
                } catch (RuntimeException e) {
                    certgateProblem = Optional.of(e.toString());
                }
            }
            progress().step("JDK PKIX validations, round " + (round + 1) + " of " + rounds);
            jdkRates[round] = baselineRound(pki, jdk, jdkCursor, jdkTally);
            jdkCursor = (jdkCursor + jdkTally.lastCount) % pki.peers.size();
            progress().step("BC PKIX validations, round " + (round + 1) + " of " + rounds);
            bcRates[round] = baselineRound(pki, bc, bcCursor, bcTally);
            bcCursor = (bcCursor + bcTally.lastCount) % pki.peers.size();
            progress().step("bare RSA-2048 verify, round " + (round + 1) + " of " + rounds);
            bareRates[round] = bareVerifyRound(pki);
        }
        Optional<Double> certgateRate = certgateProblem.isPresent() ? Optional.empty()
                : Optional.of(Median.of(certgateRates));
        return new Decisions(certgateRate, certgateProblem, certgateTally.right, certgateTally.decided,
                Median.of(jdkRates), jdkTally.right, jdkTally.decided, Median.of(bcRates), bcTally.right,
                bcTally.decided, Median.of(bareRates));
    }

    /** Right answers: accept exactly the peers that are not on the CRL. */
    private static final class Tally {
        int decided;
        int right;
        int lastCount;

        void add(boolean accepted, boolean revoked) {
            decided++;
            if (accepted != revoked) {
                right++;
            }
        }
    }

    private double certgateRound(BenchPki pki, CertgateRunner certgate, Tally tally) {
        Engine engine = certgate.loadedEngine();
        collectGarbage(); // the previous engine and its CRL index are garbage: not this round's cost
        int peers = certgate.peers();
        boolean[] accepted = new boolean[peers];
        long start = System.nanoTime();
        for (int peer = 0; peer < peers; peer++) {
            Decision decision = certgate.decide(engine, peer);
            accepted[peer] = decision.accepted();
        }
        long elapsed = System.nanoTime() - start;
        for (int peer = 0; peer < peers; peer++) {
            tally.add(accepted[peer], pki.revoked[peer]);
        }
        return peers / (elapsed / 1e9);
    }

    private double baselineRound(BenchPki pki, PkixBaseline baseline, int cursor, Tally tally) {
        long budget = (long) (options.budgetSeconds() * 1e9);
        int count = 0;
        long start = System.nanoTime();
        long elapsed = 0;
        while (count < options.maxValidations() && elapsed < budget) {
            int peer = (cursor + count) % pki.peers.size();
            boolean accepted = baseline.validate(pki.peerDers.get(peer));
            tally.add(accepted, pki.revoked[peer]);
            count++;
            elapsed = System.nanoTime() - start;
        }
        tally.lastCount = count;
        return count / (elapsed / 1e9);
    }

    private double bareVerifyRound(BenchPki pki) {
        try {
            byte[] tbs = pki.peers.get(0).getTBSCertificate();
            byte[] signatureBytes = pki.peers.get(0).getSignature();
            Signature signature = Signature.getInstance("SHA256withRSA");
            PublicKey key = pki.issuing.getPublicKey();
            long budget = (long) (Math.min(2.0, options.budgetSeconds()) * 1e9);
            int count = 0;
            long start = System.nanoTime();
            long elapsed = 0;
            while (elapsed < budget) {
                signature.initVerify(key);
                signature.update(tbs);
                if (!signature.verify(signatureBytes)) {
                    throw new IllegalStateException("a benchmark peer's signature did not verify");
                }
                count++;
                elapsed = System.nanoTime() - start;
            }
            return count / (elapsed / 1e9);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("bare verify failed: " + e, e);
        }
    }

    // --- the report -----------------------------------------------------------------------------------------

    private void report(BenchPki pki, double setupSeconds, Load load, Memory memory, Decisions decisions) {
        int revoked = 0;
        for (boolean r : pki.revoked) {
            revoked += r ? 1 : 0;
        }
        line("certgate bench: 3-level RSA-2048 hierarchy, %d peers (%d of them revoked), CRL of %d entries "
                + "(%.1f MB)", pki.peers.size(), revoked, load.entries(), pki.issuingCrl.length / 1e6);
        line("options: %s", options.describe());
        line("machine: %d processors, %s %s, max heap %d MB", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.name"), System.getProperty("java.runtime.version"),
                Runtime.getRuntime().maxMemory() >> 20);
        line("setup: %.1f s", setupSeconds);
        line("");
        line("load the CRL (median of %d rounds)                      ms", options.rounds());
        line("  certgate CrlIndex.parse + RSA signature        %10.1f", load.certgateMs());
        line("  JDK CertificateFactory.generateCRL             %10.1f", load.jdkParseMs());
        line("  JDK generateCRL + X509CRL.verify               %10.1f", load.jdkVerifyMs());
        line("  BC X509CRLHolder + JcaX509CRLConverter (info)  %10.1f", load.bcMs());
        double loadRatio = load.jdkParseMs() / load.certgateMs();
        line("  ratio JDK generateCRL / certgate               %10.1fx  target >= 10x: %s", loadRatio,
                loadRatio >= 10 ? "met" : "MISSED");
        line("  ratio JDK generateCRL + verify / certgate      %10.1fx", load.jdkVerifyMs() / load.certgateMs());
        line("retained heap per CRL entry                          bytes");
        line("  certgate retainedBytes() / size                %10.1f   target <= 32: %s", memory.indexEstimate(),
                memory.indexEstimate() <= 32 ? "met" : "MISSED");
        line("  certgate heap delta after GC / size            %10.1f", memory.indexDelta());
        line("  JDK X509CRL heap delta after GC / size         %10.1f", memory.jdkDelta());
        line("  (the DER itself, %.1f bytes per entry, is shared with the caller, not copied)",
                memory.derPerEntry());
        line("");
        line("decisions per second, CRL in force (median of %d rounds)", options.rounds());
        if (decisions.certgate().isPresent()) {
            line("  certgate Engine.decide                         %10.1f   (%d fresh peers a round)",
                    decisions.certgate().get(), pki.peers.size());
        } else {
            line("  certgate Engine.decide                                n/a   (%s)",
                    decisions.certgateProblem().orElse("not run"));
        }
        line("  JDK PKIX (SUN)                                 %10.1f   (%d validations or %.1f s a round)",
                decisions.jdk(), options.maxValidations(), options.budgetSeconds());
        line("  BC PKIX                                        %10.1f", decisions.bc());
        line("  bare RSA-2048 verify, one core                 %10.1f", decisions.bareVerify());
        if (decisions.certgate().isPresent()) {
            double rate = decisions.certgate().get();
            line("  ratio certgate / JDK                           %10.1fx  target >= 1000x: %s",
                    rate / decisions.jdk(), rate / decisions.jdk() >= 1_000 ? "met" : "MISSED");
            line("  ratio certgate / BC                            %10.1fx", rate / decisions.bc());
            line("  ratio certgate / bare verify                   %10.2f   target >= 0.5: %s",
                    rate / decisions.bareVerify(), rate / decisions.bareVerify() >= 0.5 ? "met" : "MISSED");
        } else {
            line("  ratios with certgate                                  n/a");
        }
        line("");
        line("verdicts right (accept exactly the peers not on the CRL): certgate %s, JDK %d/%d, BC %d/%d",
                decisions.certgate().isPresent() ? decisions.certgateRight() + "/" + decisions.certgateDecided()
                        : "n/a", decisions.jdkRight(), decisions.jdkDecided(), decisions.bcRight(),
                decisions.bcDecided());
    }

    private void line(String format, Object... args) {
        out.println(String.format(Locale.ROOT, format, args));
    }

    // --- helpers --------------------------------------------------------------------------------------------

    private static double millisSince(long start) {
        return (System.nanoTime() - start) / 1e6;
    }

    private static void collectGarbage() {
        System.gc();
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private BenchPki.Progress progress() {
        return BenchPki.Progress.to(err);
    }
}
