package certgate.bench.replay;

import certgate.adapters.store.Audit;
import certgate.adapters.store.Progress;
import certgate.adapters.store.Replay;
import certgate.adapters.store.StoreReading;
import certgate.bench.Arguments;
import certgate.bench.Median;
import certgate.engine.Engine;
import certgate.eventstore.Blob;
import certgate.eventstore.CaCertificateLoaded;
import certgate.eventstore.CrlLoaded;
import certgate.eventstore.Event;
import certgate.eventstore.IkeIdentity;
import certgate.eventstore.Reason;
import certgate.eventstore.ValidationDecided;
import certgate.eventstore.ValidationRequested;
import certgate.eventstore.ValidationSettings;
import certgate.eventstore.Verdict;
import certgate.eventstore.log.FileEventLog;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * {@code certgate bench replay}: how fast a store of validation decisions replays.
 *
 * <p>Builds, in a temporary directory (or {@code --dir}), a store as {@code certgate validate} writes it: an
 * RSA-2048 root, intermediate and issuing CA and their CRLs (every tenth peer revoked), then {@code --decisions}
 * request and decision pairs over {@code --peers} peer certificates, each with its fqdn identity and a validation
 * time within an hour, appended in large durable batches. Each peer's verdict is decided once by the engine when
 * the store is built, and the audit below checks that every recorded decision re-decides the same.
 *
 * <p>Then, {@code --rounds} times each, measures: replay without re-deciding (the fold of {@code certgate replay}:
 * every event read, checked and decoded, the engine state folded, decisions counted), in events per second; and
 * replay re-deciding every decision (the pass of {@code certgate audit}, with a fresh engine each round, so its
 * caches start cold), in decisions per second. Reports medians, the bytes on disk per decision, and the append rate
 * seen while building.
 */
public final class ReplayBenchmark {
    static final String USAGE = String.join("\n",
            "usage: certgate bench replay [--decisions N] [--peers N] [--rounds N] [--threads N] [--dir DIR]",
            "                             [--quick] [--help]",
            "",
            "Builds a store of validation decisions (request and decision events, as 'certgate validate' writes",
            "them) over peer certificates of a 3-level RSA-2048 hierarchy, then reports:",
            "  - replay without re-deciding (read, check, decode, fold, count): events per second;",
            "  - replay re-deciding every decision (what 'certgate audit' does): decisions per second, on",
            "    one thread and on --threads threads (audit's default: one per processor);",
            "  - bytes on disk per decision, and the append rate while building.",
            "Figures are medians over rounds. Progress goes to stderr, the report to stdout.",
            "",
            "  --decisions N   decisions in the store (default 1000000)",
            "  --peers N       distinct peer certificates (default 2000; every 10th is revoked)",
            "  --rounds N      rounds to take the median of (default 3)",
            "  --threads N     re-deciding threads of the second audit figure (default: one per processor)",
            "  --dir DIR       build the store in DIR (must not exist) and keep it; default: a temporary",
            "                  directory, deleted at the end",
            "  --quick         small sizes for a smoke test (20000 decisions, 200 peers, 2 rounds)",
            "  --help          this text");

    private static final int BATCH_DECISIONS = 8_192;
    private static final Instant AT = Instant.parse("2025-06-01T12:00:00Z");

    record Options(int decisions, int peers, int rounds, int threads, Optional<Path> dir) {
        static Optional<Options> parse(List<String> args) {
            int decisions = 1_000_000;
            int peers = 2_000;
            int rounds = 3;
            int threads = Runtime.getRuntime().availableProcessors();
            Optional<Path> dir = Optional.empty();
            boolean quick = false;
            boolean sized = false;
            Arguments arguments = new Arguments(args);
            while (arguments.hasNext()) {
                String arg = arguments.option();
                switch (arg) {
                    case "--help", "-h" -> {
                        return Optional.empty();
                    }
                    case "--quick" -> quick = true;
                    case "--decisions" -> {
                        decisions = arguments.number(arg, 1, 100_000_000);
                        sized = true;
                    }
                    case "--peers" -> {
                        peers = arguments.number(arg, 1, 1_000_000);
                        sized = true;
                    }
                    case "--rounds" -> rounds = arguments.number(arg, 1, 100);
                    case "--threads" -> threads = arguments.number(arg, 1, 256);
                    case "--dir" -> dir = Optional.of(Path.of(arguments.value(arg)));
                    default -> throw Arguments.unknown(arg);
                }
            }
            if (quick && !sized) {
                decisions = 20_000;
                peers = 200;
                rounds = Math.min(rounds, 2);
            }
            return Optional.of(new Options(decisions, peers, rounds, threads, dir));
        }
    }

    /** What the build produced: the store, and the counts the audit must reproduce. */
    record Built(Path dir, long events, Map<Reason, Long> expected, double appendEventsPerSecond, long bytes) {
    }

    /** One round's figures. */
    record Round(double replayEventsPerSecond, double redecidedOneThread, double redecidedThreads) {
    }

    private final Options options;
    private final PrintStream out;
    private final PrintStream err;

    private ReplayBenchmark(Options options, PrintStream out, PrintStream err) {
        this.options = options;
        this.out = out;
        this.err = err;
    }

    /** Runs the benchmark; 0 when it ran, 2 on a usage error, 1 when it could not run or a decision differed. */
    public static int run(List<String> args, PrintStream out, PrintStream err) {
        Optional<Options> options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("certgate bench replay: " + e.getMessage() + "; run 'certgate bench replay --help'");
            return 2;
        }
        if (options.isEmpty()) {
            out.println(USAGE);
            return 0;
        }
        try {
            return new ReplayBenchmark(options.get(), out, err).measure();
        } catch (IOException e) {
            err.println("certgate bench replay: could not finish: " + e);
            return 1;
        } catch (RuntimeException | OutOfMemoryError e) {
            err.println("certgate bench replay: could not finish: " + e);
            return 1;
        }
    }

    private int measure() throws IOException {
        Path dir;
        boolean temporary = options.dir().isEmpty();
        if (temporary) {
            dir = Files.createTempDirectory("certgate-replay-bench");
        } else {
            dir = options.dir().get();
            if (Files.exists(dir)) {
                err.println("certgate bench replay: " + dir + " exists; --dir names a directory to create");
                return 2;
            }
        }
        try {
            Built built = build(dir);
            List<Round> rounds = new ArrayList<>();
            for (int round = 1; round <= options.rounds(); round++) {
                Round measured = round(built, round);
                if (measured == null) {
                    return 1;
                }
                rounds.add(measured);
            }
            report(built, rounds);
            return 0;
        } finally {
            if (temporary) {
                delete(dir);
            }
        }
    }

    private Built build(Path dir) {
        Pki pki = Pki.build(options.peers(), this::step);
        long started = System.nanoTime();
        Map<Reason, Long> expected = new EnumMap<>(Reason.class);
        long events;
        try (FileEventLog log = FileEventLog.openForAppend(dir, Clock.systemUTC())) {
            List<Event> loads = new ArrayList<>();
            for (Blob ca : pki.cas()) {
                loads.add(new CaCertificateLoaded("default", ca));
            }
            for (Blob crl : pki.crls()) {
                loads.add(new CrlLoaded(crl, "file:bench.crl"));
            }
            log.append(loads);
            Engine engine = Engine.replay(loads);
            Reason[] reasons = new Reason[options.peers()];
            IkeIdentity[] identities = new IkeIdentity[options.peers()];
            for (int peer = 0; peer < reasons.length; peer++) {
                identities[peer] = new IkeIdentity(IkeIdentity.Type.FQDN, Pki.peerName(peer));
                reasons[peer] = engine.decide(request("probe", pki.peers().get(peer), identities[peer], AT)).reason();
            }
            Progress progress = Progress.to(err, count -> "appending decisions: " + count + " of "
                    + options.decisions());
            List<Event> batch = new ArrayList<>(2 * BATCH_DECISIONS);
            for (int i = 0; i < options.decisions(); i++) {
                int peer = i % options.peers();
                String id = "d-" + (log.nextSequence() + batch.size());
                batch.add(request(id, pki.peers().get(peer), identities[peer], AT.plusSeconds(i % 3_600)));
                Reason reason = reasons[peer];
                batch.add(new ValidationDecided(id, reason == Reason.OK ? Verdict.ACCEPT : Verdict.REJECT, reason));
                expected.merge(reason, 1L, Long::sum);
                if (batch.size() >= 2 * BATCH_DECISIONS) {
                    log.append(batch);
                    batch.clear();
                    progress.tick(i + 1);
                }
            }
            log.append(batch);
            progress.done();
            events = log.nextSequence();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        long bytes = segmentBytes(dir);
        step("built " + events + " events (" + mebibytes(bytes) + " on disk) in " + String.format("%.1f s", seconds));
        return new Built(dir, events, expected, events / seconds, bytes);
    }

    private Round round(Built built, int round) {
        step("round " + round + " of " + options.rounds() + ": replay without re-deciding");
        Replay replay = Replay.counting();
        long started = System.nanoTime();
        long read = StoreReading.read(built.dir(), replay);
        double replaySeconds = (System.nanoTime() - started) / 1e9;
        if (read != built.events() || replay.decisions() != options.decisions()) {
            err.println("certgate bench replay: read " + read + " events and " + replay.decisions()
                    + " decisions, expected " + built.events() + " and " + options.decisions());
            return null;
        }
        double oneThread = audit(built, round, 1);
        if (oneThread < 0) {
            return null;
        }
        double threads = oneThread;
        if (options.threads() > 1) {
            threads = audit(built, round, options.threads());
            if (threads < 0) {
                return null;
            }
        }
        return new Round(read / replaySeconds, oneThread, threads);
    }

    /** One audit pass on {@code threads} threads, in decisions per second; negative when it did not reproduce. */
    private double audit(Built built, int round, int threads) {
        step("round " + round + " of " + options.rounds() + ": replay re-deciding every decision, " + threads
                + (threads == 1 ? " thread" : " threads"));
        long[] mismatches = {0};
        long started = System.nanoTime();
        Audit.Result audit = Audit.run(built.dir(), Optional.empty(), Optional.empty(), threads, mismatch -> {
            if (mismatches[0]++ < 5) {
                err.println("certgate bench replay: MISMATCH " + mismatch.describe());
            }
        }, Progress.to(err, count -> "re-deciding: " + count + " events read"));
        double auditSeconds = (System.nanoTime() - started) / 1e9;
        if (!audit.passed() || audit.audited() != options.decisions()
                || !audit.replay().byReason().equals(built.expected())) {
            err.println("certgate bench replay: the audit did not reproduce the store: " + audit.mismatched()
                    + " mismatches, " + audit.audited() + " audited, counts " + audit.replay().byReason());
            return -1;
        }
        return audit.audited() / auditSeconds;
    }

    private void report(Built built, List<Round> rounds) {
        double replay = Median.of(rounds.stream().mapToDouble(Round::replayEventsPerSecond).toArray());
        double redecideOne = Median.of(rounds.stream().mapToDouble(Round::redecidedOneThread).toArray());
        double redecide = Median.of(rounds.stream().mapToDouble(Round::redecidedThreads).toArray());
        out.println("certgate bench replay: " + options.decisions() + " decisions over " + options.peers()
                + " peer certificates (RSA-2048, 3 levels), " + built.events() + " events, Java "
                + Runtime.version().feature() + ", " + Runtime.getRuntime().availableProcessors() + " cores");
        out.println("  decisions by reason: " + built.expected());
        out.println(String.format("  replay without re-deciding: %,.0f events/s (median of %d; rounds %s)", replay,
                rounds.size(), figures(rounds.stream().mapToDouble(Round::replayEventsPerSecond).toArray())));
        out.println(String.format("  replay re-deciding, 1 thread: %,.0f decisions/s (median of %d; rounds %s)",
                redecideOne, rounds.size(), figures(rounds.stream().mapToDouble(Round::redecidedOneThread)
                        .toArray())));
        if (options.threads() > 1) {
            out.println(String.format("  replay re-deciding, %d threads: %,.0f decisions/s (median of %d; rounds %s)",
                    options.threads(), redecide, rounds.size(), figures(rounds.stream()
                            .mapToDouble(Round::redecidedThreads).toArray())));
        }
        out.println(String.format("  bytes on disk per decision: %.1f (%s for %d decisions, request and decision"
                + " events, blobs once per segment)", (double) built.bytes() / options.decisions(),
                mebibytes(built.bytes()), options.decisions()));
        out.println(String.format("  appends while building:     %,.0f events/s (durable batches of %d events)",
                built.appendEventsPerSecond(), 2 * BATCH_DECISIONS));
        out.println(String.format("  targets: replay >= 500,000 events/s %s; re-deciding >= 200,000 decisions/s %s"
                + " (%d %s, as 'certgate audit --threads %d' runs; 1 thread: %s)",
                replay >= 500_000 ? "met" : "NOT met", redecide >= 200_000 ? "met" : "NOT met", options.threads(),
                options.threads() == 1 ? "thread" : "threads", options.threads(),
                redecideOne >= 200_000 ? "met" : "not met"));
    }

    private static ValidationRequested request(String id, Blob peer, IkeIdentity identity, Instant at) {
        return new ValidationRequested(id, peer, List.of(), Optional.of(identity), at, ValidationSettings.DEFAULTS,
                Optional.empty(), Optional.empty());
    }

    private void step(String what) {
        err.println("certgate bench replay: " + what);
    }

    private static String figures(double[] values) {
        List<String> all = new ArrayList<>();
        for (double value : values) {
            all.add(String.format("%,.0f", value));
        }
        return String.join(", ", all);
    }

    private static String mebibytes(long bytes) {
        return String.format("%.1f MiB", bytes / (1024.0 * 1024.0));
    }

    private static long segmentBytes(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            long total = 0;
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".log")).toList()) {
                total += Files.size(file);
            }
            return total;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            // A leftover temporary directory is not worth failing a finished benchmark for.
        }
    }

    /** The benchmark's PKI: three RSA-2048 CAs, their CRLs, and peers issued by the last. */
    record Pki(List<Blob> cas, List<Blob> crls, List<Blob> peers) {
        static String peerName(int index) {
            return "peer-" + index + ".bench.example";
        }

        static Pki build(int peerCount, Consumer<String> step) {
            try {
                step.accept("generating RSA-2048 keys and issuing " + peerCount + " peer certificates");
                KeyPair rootKey = rsa();
                KeyPair intermediateKey = rsa();
                KeyPair issuingKey = rsa();
                KeyPair[] peerKeys = {rsa(), rsa()};
                Instant notBefore = AT.minusSeconds(30L * 86_400);
                Instant notAfter = AT.plusSeconds(3L * 365 * 86_400);
                X500Name rootName = new X500Name("CN=Replay Bench Root CA, O=certgate bench, C=US");
                X500Name intermediateName = new X500Name("CN=Replay Bench Intermediate CA, O=certgate bench, C=US");
                X500Name issuingName = new X500Name("CN=Replay Bench Issuing CA, O=certgate bench, C=US");
                X509CertificateHolder root = ca(rootName, rootKey.getPublic(), rootName, rootKey, null, 1, notBefore,
                        notAfter, 2);
                X509CertificateHolder intermediate = ca(intermediateName, intermediateKey.getPublic(), rootName,
                        rootKey, rootKey.getPublic(), 2, notBefore, notAfter, 1);
                X509CertificateHolder issuing = ca(issuingName, issuingKey.getPublic(), intermediateName,
                        intermediateKey, intermediateKey.getPublic(), 3, notBefore, notAfter, 0);
                SplittableRandom random = new SplittableRandom(20250601L);
                JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
                ContentSigner signer = signer(issuingKey.getPrivate());
                List<Blob> peers = new ArrayList<>(peerCount);
                X509v2CRLBuilder issuingCrl = crl(issuingName, issuingKey.getPublic());
                for (int i = 0; i < peerCount; i++) {
                    byte[] serialBytes = new byte[16];
                    random.nextBytes(serialBytes);
                    BigInteger serial = new BigInteger(1, serialBytes).setBit(126);
                    X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuingName, serial,
                            Date.from(notBefore), Date.from(notAfter),
                            new X500Name("CN=" + peerName(i) + ", O=certgate bench, C=US"),
                            peerKeys[i % peerKeys.length].getPublic());
                    builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
                    builder.addExtension(Extension.subjectAlternativeName, false,
                            new GeneralNames(new GeneralName(GeneralName.dNSName, peerName(i))));
                    builder.addExtension(Extension.authorityKeyIdentifier, false,
                            utils.createAuthorityKeyIdentifier(issuingKey.getPublic()));
                    peers.add(Blob.of(builder.build(signer).getEncoded()));
                    if (i % 10 == 9) {
                        issuingCrl.addCRLEntry(serial, Date.from(AT.minusSeconds(86_400)), CRLReason.keyCompromise);
                    }
                }
                List<Blob> cas = List.of(Blob.of(root.getEncoded()), Blob.of(intermediate.getEncoded()),
                        Blob.of(issuing.getEncoded()));
                List<Blob> crls = List.of(
                        Blob.of(crl(rootName, rootKey.getPublic()).build(signer(rootKey.getPrivate())).getEncoded()),
                        Blob.of(crl(intermediateName, intermediateKey.getPublic())
                                .build(signer(intermediateKey.getPrivate())).getEncoded()),
                        Blob.of(issuingCrl.build(signer).getEncoded()));
                return new Pki(cas, crls, List.copyOf(peers));
            } catch (GeneralSecurityException | OperatorCreationException e) {
                throw new IllegalStateException("cannot build the benchmark PKI: " + e.getMessage(), e);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static X509CertificateHolder ca(X500Name subject, PublicKey key, X500Name issuerName,
                KeyPair issuerKey, PublicKey authorityKey, long serial, Instant notBefore, Instant notAfter,
                int pathLength) throws GeneralSecurityException, OperatorCreationException, IOException {
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuerName, BigInteger.valueOf(serial),
                    Date.from(notBefore), Date.from(notAfter), subject, key);
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(pathLength));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            builder.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(key));
            if (authorityKey != null) {
                builder.addExtension(Extension.authorityKeyIdentifier, false,
                        utils.createAuthorityKeyIdentifier(authorityKey));
            }
            return builder.build(signer(issuerKey.getPrivate()));
        }

        private static X509v2CRLBuilder crl(X500Name issuer, PublicKey issuerKey)
                throws GeneralSecurityException, IOException {
            X509v2CRLBuilder builder = new X509v2CRLBuilder(issuer, Date.from(AT.minusSeconds(3_600)));
            builder.setNextUpdate(Date.from(AT.plusSeconds(7L * 86_400)));
            builder.addExtension(Extension.cRLNumber, false, new CRLNumber(BigInteger.ONE));
            builder.addExtension(Extension.authorityKeyIdentifier, false,
                    new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(issuerKey));
            return builder;
        }

        private static ContentSigner signer(PrivateKey key) throws OperatorCreationException {
            return new JcaContentSignerBuilder("SHA256withRSA").build(key);
        }

        private static KeyPair rsa() throws GeneralSecurityException {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        }
    }

    /** For {@code main}: {@code java -cp ... certgate.adapters.store.ReplayBenchmark --quick}. */
    public static void main(String[] args) {
        System.exit(run(List.of(args), System.out, System.err));
    }
}
