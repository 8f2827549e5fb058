package certgate.bench.replay;

import certgate.adapters.policy.PolicySource;
import certgate.adapters.store.Audit;
import certgate.adapters.store.Progress;
import certgate.adapters.store.WhatIf;
import certgate.bench.Arguments;
import certgate.bench.Median;
import certgate.dsl.policy.CompiledPolicy;
import certgate.engine.Engine;
import certgate.engine.PolicyDecisions;
import certgate.eventstore.Blob;
import certgate.eventstore.CaCertificateLoaded;
import certgate.eventstore.CrlLoaded;
import certgate.eventstore.Event;
import certgate.eventstore.IkeIdentity;
import certgate.eventstore.PolicyActivated;
import certgate.eventstore.Reason;
import certgate.eventstore.ValidationDecided;
import certgate.eventstore.ValidationRequested;
import certgate.eventstore.ValidationSettings;
import certgate.eventstore.Verdict;
import certgate.eventstore.log.FileEventLog;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;

/**
 * {@code certgate bench whatif}: is {@code certgate whatif} at least as fast as {@code certgate audit}, as issue 13
 * asks? Both run on the same store in the same JVM, alternately, round after round.
 *
 * <p>The store is the replay benchmark's (three RSA-2048 CAs, every tenth peer revoked), written as
 * {@code certgate validate} writes it under a policy: the policy is activated first, and each request is bound to it
 * (one gateway selecting the peers by their DN, one CA profile) and decided under it. Each round measures, in
 * decisions per second: {@code audit} on one thread and on {@code --threads} threads (its default: one per
 * processor), {@code whatif} with the live policy itself (no decision changes) and with the policy changed to
 * disable revocation checking (every tenth decision changes, and is listed with its first differing step).
 */
public final class WhatifBenchmark {
    static final String USAGE = String.join("\n",
            "usage: certgate bench whatif [--decisions N] [--peers N] [--rounds N] [--threads N] [--quick] [--help]",
            "",
            "Builds a store of validation decisions made under a policy (as 'certgate validate' records them),",
            "then, round after round on the same store, measures in decisions per second:",
            "  - 'certgate audit' on 1 thread and on --threads threads (audit's default: one per processor);",
            "  - 'certgate whatif' with the live policy (nothing changes) and with revocation checking disabled",
            "    (every 10th decision, a revoked peer, changes and is listed).",
            "Figures are medians over rounds, after one round not counted (the JIT's warm-up). Progress goes to",
            "stderr, the report to stdout.",
            "",
            "  --decisions N   decisions in the store (default 200000)",
            "  --peers N       distinct peer certificates (default 2000; every 10th is revoked)",
            "  --rounds N      rounds to take the median of (default 3)",
            "  --threads N     threads of audit's second figure (default: one per processor)",
            "  --quick         small sizes for a smoke test (10000 decisions, 100 peers, 2 rounds)",
            "  --help          this text");

    static final String POLICY = """
            version: 1
            pki:
              ca-profiles:
                - name: bench
                  ca-identity: "C=US, O=certgate bench, CN=Replay Bench Issuing CA"
            ike:
              gateways:
                - name: fleet
                  ca-profile: bench
                  remote-identity: { dn: { wildcard: "O=certgate bench" } }
            """;
    /** The live policy with revocation checking off: what would change if CRLs were ignored. */
    static final String WITHOUT_REVOCATION = POLICY.replace(
            "      ca-identity: \"C=US, O=certgate bench, CN=Replay Bench Issuing CA\"\n",
            "      ca-identity: \"C=US, O=certgate bench, CN=Replay Bench Issuing CA\"\n"
                    + "      revocation-check: { mode: disable }\n");

    private static final int BATCH_DECISIONS = 8_192;
    private static final Instant AT = Instant.parse("2025-06-01T12:00:00Z");

    record Options(int decisions, int peers, int rounds, int threads) {
        static Optional<Options> parse(List<String> args) {
            int decisions = 200_000;
            int peers = 2_000;
            int rounds = 3;
            int threads = Runtime.getRuntime().availableProcessors();
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
                    default -> throw Arguments.unknown(arg);
                }
            }
            if (quick && !sized) {
                decisions = 10_000;
                peers = 100;
                rounds = Math.min(rounds, 2);
            }
            return Optional.of(new Options(decisions, peers, rounds, threads));
        }
    }

    /** One round's figures, in decisions per second. */
    record Round(double auditOneThread, double auditThreads, double whatifOneThread, double whatifSame,
                 double whatifChanged) {
    }

    private final Options options;
    private final PrintStream out;
    private final PrintStream err;
    private long revoked;

    private WhatifBenchmark(Options options, PrintStream out, PrintStream err) {
        this.options = options;
        this.out = out;
        this.err = err;
    }

    /** Runs the benchmark; 0 when it ran, 2 on a usage error, 1 when it could not run or a figure was wrong. */
    public static int run(List<String> args, PrintStream out, PrintStream err) {
        Optional<Options> options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("certgate bench whatif: " + e.getMessage() + "; run 'certgate bench whatif --help'");
            return 2;
        }
        if (options.isEmpty()) {
            out.println(USAGE);
            return 0;
        }
        Path dir = null;
        try {
            dir = Files.createTempDirectory("certgate-whatif-bench");
            return new WhatifBenchmark(options.get(), out, err).measure(dir);
        } catch (IOException e) {
            err.println("certgate bench whatif: could not finish: " + e);
            return 1;
        } catch (RuntimeException | OutOfMemoryError e) {
            err.println("certgate bench whatif: could not finish: " + e);
            return 1;
        } finally {
            if (dir != null) {
                delete(dir);
            }
        }
    }

    private int measure(Path dir) throws IOException {
        Path store = dir.resolve("store");
        PolicySource live = read(dir, "live.yaml", POLICY);
        build(store, live.activation());
        CompiledPolicy same = live.policy().orElseThrow();
        CompiledPolicy changed = read(dir, "without-revocation.yaml", WITHOUT_REVOCATION).policy().orElseThrow();
        List<Round> rounds = new ArrayList<>();
        // Round 0 warms up and is not counted: with 3 counted rounds and none before them, C2 was still compiling
        // through the median one, and the ratio moved from 0.82 (3 rounds) to 1.26-1.38 (5 rounds) on one build.
        for (int round = 0; round <= options.rounds(); round++) {
            String of = round == 0 ? "warm-up round: " : "round " + round + " of " + options.rounds() + ": ";
            double auditOne = audit(store, of, 1);
            double auditThreads = options.threads() > 1 ? audit(store, of, options.threads()) : auditOne;
            double whatifOne = whatif(store, of + "whatif, the live policy", same, 0, 1);
            double whatifSame = options.threads() > 1
                    ? whatif(store, of + "whatif, the live policy", same, 0, options.threads()) : whatifOne;
            double whatifChanged = whatif(store, of + "whatif, revocation checking disabled", changed, revoked,
                    options.threads());
            if (auditOne < 0 || auditThreads < 0 || whatifOne < 0 || whatifSame < 0 || whatifChanged < 0) {
                return 1;
            }
            if (round > 0) {
                rounds.add(new Round(auditOne, auditThreads, whatifOne, whatifSame, whatifChanged));
            }
        }
        report(rounds);
        return 0;
    }

    private void build(Path store, PolicyActivated activation) {
        ReplayBenchmark.Pki pki = ReplayBenchmark.Pki.build(options.peers(), this::step);
        try (FileEventLog log = FileEventLog.openForAppend(store, Clock.systemUTC())) {
            List<Event> loads = new ArrayList<>();
            for (Blob ca : pki.cas()) {
                loads.add(new CaCertificateLoaded("default", ca));
            }
            for (Blob crl : pki.crls()) {
                loads.add(new CrlLoaded(crl, "file:bench.crl"));
            }
            loads.add(activation);
            log.append(loads);
            Engine engine = Engine.replay(loads);
            CompiledPolicy policy = engine.activePolicy().orElseThrow(() -> new IllegalStateException(
                    "the benchmark's policy does not compile: " + engine.rejectedLoads()));
            ValidationRequested[] bound = new ValidationRequested[options.peers()];
            Reason[] reasons = new Reason[options.peers()];
            for (int peer = 0; peer < bound.length; peer++) {
                bound[peer] = PolicyDecisions.bind(policy, new ValidationRequested("probe", pki.peers().get(peer),
                        List.of(), Optional.of(new IkeIdentity(IkeIdentity.Type.DN, subject(peer))), AT,
                        ValidationSettings.DEFAULTS, Optional.empty(), Optional.empty()));
                reasons[peer] = engine.decide(bound[peer]).reason();
            }
            Map<Reason, Long> byReason = new EnumMap<>(Reason.class);
            Progress progress = Progress.to(err, count -> "appending decisions: " + count + " of "
                    + options.decisions());
            List<Event> batch = new ArrayList<>(2 * BATCH_DECISIONS);
            for (int i = 0; i < options.decisions(); i++) {
                int peer = i % options.peers();
                String id = "d-" + i;
                ValidationRequested template = bound[peer];
                batch.add(new ValidationRequested(id, template.peer(), template.chain(), template.identity(),
                        AT.plusSeconds(i % 3_600), template.settings(), template.gateway(), template.policyRevision()));
                Reason reason = reasons[peer];
                batch.add(new ValidationDecided(id, reason == Reason.OK ? Verdict.ACCEPT : Verdict.REJECT, reason));
                if (reason == Reason.REVOKED) {
                    revoked++;
                }
                byReason.merge(reason, 1L, Long::sum);
                if (batch.size() >= 2 * BATCH_DECISIONS) {
                    log.append(batch);
                    batch.clear();
                    progress.tick(i + 1);
                }
            }
            log.append(batch);
            progress.done();
            step("built a store of " + options.decisions() + " decisions under a policy: " + byReason);
        }
    }

    /** The peer's subject as RFC 4514 text (BouncyCastle wrote the X500Name in the order given, CN first). */
    private static String subject(int peer) {
        return "C=US, O=certgate bench, CN=" + ReplayBenchmark.Pki.peerName(peer);
    }

    /** The policy as 'whatif --policy FILE' reads it: from a file, compiled (or refused, as 'check' would). */
    private static PolicySource read(Path dir, String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text, StandardCharsets.UTF_8);
        try {
            PolicySource source = PolicySource.read(file, name);
            if (source.policy().isEmpty()) {
                throw new IllegalStateException(name + " does not compile: " + source.result().diagnostics());
            }
            return source;
        } catch (PolicySource.Unreadable e) {
            throw new UncheckedIOException(new IOException(e.getMessage(), e));
        }
    }

    /** One audit pass, in decisions per second; negative when a decision did not re-decide the same. */
    private double audit(Path store, String round, int threads) {
        step(round + "audit, " + threads + (threads == 1 ? " thread" : " threads"));
        long started = System.nanoTime();
        Audit.Result result = Audit.run(store, Optional.empty(), Optional.empty(), threads, mismatch -> { },
                Progress.to(err, count -> "audit: " + count + " events read"));
        double seconds = (System.nanoTime() - started) / 1e9;
        if (!result.passed() || result.audited() != options.decisions()) {
            err.println("certgate bench whatif: the audit did not reproduce the store: " + result.mismatched()
                    + " mismatches of " + result.audited());
            return -1;
        }
        return result.audited() / seconds;
    }

    /** One whatif pass, in decisions per second; negative when it did not change exactly {@code expected}. */
    private double whatif(Path store, String what, CompiledPolicy policy, long expected, int threads) {
        step(what + ", " + threads + (threads == 1 ? " thread" : " threads"));
        long[] listed = {0};
        long started = System.nanoTime();
        WhatIf.Result result = WhatIf.run(store, policy, Optional.empty(), Optional.empty(), threads,
                change -> listed[0]++, Progress.to(err, count -> "whatif: " + count + " events read"));
        double seconds = (System.nanoTime() - started) / 1e9;
        if (result.considered() != options.decisions() || result.changed() != expected || listed[0] != expected) {
            err.println("certgate bench whatif: " + what + ": " + result.changed() + " of " + result.considered()
                    + " changed, " + expected + " expected");
            return -1;
        }
        return result.considered() / seconds;
    }

    private void report(List<Round> rounds) {
        double auditOne = median(rounds, Round::auditOneThread);
        double auditThreads = median(rounds, Round::auditThreads);
        double whatifOne = median(rounds, Round::whatifOneThread);
        double same = median(rounds, Round::whatifSame);
        double changed = median(rounds, Round::whatifChanged);
        out.println("certgate bench whatif: " + options.decisions() + " decisions over " + options.peers()
                + " peer certificates (RSA-2048, 3 levels) under a policy, Java " + Runtime.version().feature() + ", "
                + Runtime.getRuntime().availableProcessors() + " cores; medians of " + rounds.size() + " round(s)");
        out.println(String.format("  audit, 1 thread:                            %,10.0f decisions/s", auditOne));
        out.println(String.format("  whatif, 1 thread, the live policy:          %,10.0f decisions/s", whatifOne));
        if (options.threads() > 1) {
            int n = options.threads();
            out.println(String.format("  audit, %d threads (its default here):       %,10.0f decisions/s", n,
                    auditThreads));
            out.println(String.format("  whatif, %d threads, the live policy:        %,10.0f decisions/s", n, same));
        }
        out.println(String.format("  whatif, %d thread(s), revocation off (%d changes): %,10.0f decisions/s",
                options.threads(), revoked, changed));
        double slowest = Math.min(same, changed);
        out.println(String.format("  target: whatif >= audit's rate: %s (slower whatif / audit, both on %d thread(s):"
                + " %.2f; on 1 thread: %.2f)", slowest >= auditThreads ? "met" : "NOT met", options.threads(),
                slowest / auditThreads, whatifOne / auditOne));
    }

    private static double median(List<Round> rounds, ToDoubleFunction<Round> figure) {
        return Median.of(rounds.stream().mapToDouble(figure).toArray());
    }

    private void step(String what) {
        err.println("certgate bench whatif: " + what);
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
}
