package certgate.bench.open;

import certgate.adapters.store.OpenedStore;
import certgate.adapters.store.Progress;
import certgate.adapters.store.Replay;
import certgate.adapters.store.StoreSnapshots;
import certgate.bench.Arguments;
import certgate.bench.Median;
import certgate.bench.crl.LargeCrlPki;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * {@code certgate bench open}: how long opening a large store takes, with and without a snapshot.
 *
 * <p>Builds (in a temporary directory, or {@code --dir}) a store as the CLI writes it: the CRL benchmark's 3-level
 * RSA-2048 hierarchy, its three CRLs (the issuing CA's with {@code --crl-entries} entries, 42 MB for a million),
 * then {@code --decisions} request and decision pairs over {@code --peers} peers. Then, {@code --rounds} times, it
 * opens the store as {@code replay} does (a reader) and as {@code validate} does (the writer), each from the whole
 * log and from a snapshot at the log's head, checking that both folds agree, and reports medians and the ratio.
 * With {@code --launcher PATH} it also times {@code PATH validate} on that store, a fresh JVM each time, as a user
 * runs it: with the snapshot, and (snapshots removed first) without.
 */
public final class OpenBenchmark {
    static final String USAGE = String.join("\n",
            "usage: certgate bench open [--decisions N] [--crl-entries N] [--peers N] [--rounds N] [--dir DIR]",
            "                           [--launcher PATH] [--validate-runs N] [--quick] [--help]",
            "",
            "Builds a store holding a large CRL and many decisions, then reports the time to open it (fold its",
            "events into the engine state) as 'replay' opens it and as 'validate' does, from the whole log and",
            "from a snapshot; medians over rounds, and the snapshot's size and write time. With --launcher, the",
            "wall time of one 'validate' through the launcher (JVM start included), with and without a snapshot.",
            "",
            "  --decisions N     decisions in the store (default 1000000)",
            "  --crl-entries N   entries of the issuing CA's CRL (default 1000000)",
            "  --peers N         distinct peer certificates (default 2000; every 50th revoked)",
            "  --rounds N        rounds to take the median of (default 5)",
            "  --dir DIR         build the store in DIR/store (DIR must not exist) and keep it, with the peer",
            "                    certificate DIR/peer.pem; default: a temporary directory, deleted at the end",
            "  --launcher PATH   the certgate launcher (./certgate) to time 'validate' with",
            "  --validate-runs N launcher runs per configuration (default 5)",
            "  --quick           small sizes for a smoke test (20000 decisions, 20000 CRL entries, 2 rounds)",
            "  --help            this text",
            "",
            "Give the JVM room: JAVA_OPTS=-Xmx4g for a million CRL entries and decisions.");

    private static final int BATCH_DECISIONS = 8_192;

    record Options(int decisions, int crlEntries, int peers, int rounds, Optional<Path> dir,
                   Optional<Path> launcher, int validateRuns) {
        static Optional<Options> parse(List<String> args) {
            int decisions = 1_000_000;
            int crlEntries = 1_000_000;
            int peers = 2_000;
            int rounds = 5;
            int validateRuns = 5;
            Optional<Path> dir = Optional.empty();
            Optional<Path> launcher = Optional.empty();
            boolean quick = false;
            Arguments arguments = new Arguments(args);
            while (arguments.hasNext()) {
                String arg = arguments.option();
                switch (arg) {
                    case "--help", "-h" -> {
                        return Optional.empty();
                    }
                    case "--quick" -> quick = true;
                    case "--decisions" -> decisions = arguments.number(arg, 1, 100_000_000);
                    case "--crl-entries" -> crlEntries = arguments.number(arg, 0, 1_500_000);
                    case "--peers" -> peers = arguments.number(arg, 1, 1_000_000);
                    case "--rounds" -> rounds = arguments.number(arg, 1, 1_000);
                    case "--validate-runs" -> validateRuns = arguments.number(arg, 1, 1_000);
                    case "--dir" -> dir = Optional.of(Path.of(arguments.value(arg)));
                    case "--launcher" -> launcher = Optional.of(Path.of(arguments.value(arg)));
                    default -> throw Arguments.unknown(arg);
                }
            }
            if (quick) {
                decisions = Math.min(decisions, 20_000);
                crlEntries = Math.min(crlEntries, 20_000);
                peers = Math.min(peers, 200);
                rounds = Math.min(rounds, 2);
                validateRuns = Math.min(validateRuns, 2);
            }
            return Optional.of(new Options(decisions, crlEntries, peers, rounds, dir, launcher, validateRuns));
        }
    }

    private final Options options;
    private final PrintStream out;
    private final PrintStream err;

    private OpenBenchmark(Options options, PrintStream out, PrintStream err) {
        this.options = options;
        this.out = out;
        this.err = err;
    }

    public static int run(List<String> args, PrintStream out, PrintStream err) {
        Optional<Options> options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("certgate bench open: " + e.getMessage() + "; run 'certgate bench open --help'");
            return 2;
        }
        if (options.isEmpty()) {
            out.println(USAGE);
            return 0;
        }
        try {
            return new OpenBenchmark(options.get(), out, err).measure();
        } catch (IOException | RuntimeException | OutOfMemoryError | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            err.println("certgate bench open: could not finish: " + e);
            return 1;
        }
    }

    /** The store built, and what its fold must show. */
    private record Built(Path store, Path peer, String peerId, Instant at, long events, long decisions, long bytes) {
    }

    /** One round's times, in milliseconds. */
    private record Round(double readFull, double readSnapshot, double writeFull, double writeSnapshot) {
    }

    private int measure() throws IOException, InterruptedException {
        Path dir;
        boolean temporary = options.dir().isEmpty();
        if (temporary) {
            dir = Files.createTempDirectory("certgate-open-bench");
        } else {
            dir = options.dir().get();
            if (Files.exists(dir)) {
                err.println("certgate bench open: " + dir + " exists; --dir names a directory to create");
                return 2;
            }
            Files.createDirectories(dir);
        }
        try {
            Built built = build(dir);
            step("writing a snapshot at the head (the log folded once, in full)");
            gc();
            OpenedStore whole = OpenedStore.reading(built.store(), Replay.counting(), recorded -> true,
                    OpenedStore.Opening.wholeLog(Progress.silent()));
            StoreSnapshots.Written snapshot = whole.writeSnapshot().orElseThrow();
            String expected = describe(whole.replay());
            whole = null;
            List<Round> rounds = new ArrayList<>();
            for (int round = 1; round <= options.rounds(); round++) {
                step("round " + round + " of " + options.rounds());
                rounds.add(new Round(
                        timeRead(built, false, expected), timeRead(built, true, expected),
                        timeWrite(built, false, expected), timeWrite(built, true, expected)));
            }
            List<Double> withSnapshot = new ArrayList<>();
            List<Double> withoutSnapshot = new ArrayList<>();
            if (options.launcher().isPresent()) {
                launch(built, withSnapshot, withoutSnapshot);
            }
            report(built, snapshot, rounds, withSnapshot, withoutSnapshot);
            return 0;
        } finally {
            if (temporary) {
                delete(dir);
            }
        }
    }

    private Built build(Path dir) throws IOException {
        LargeCrlPki pki = LargeCrlPki.build(options.peers(), options.crlEntries(), 50, this::step);
        Path store = dir.resolve("store");
        Instant at = pki.at();
        List<Event> loads = new ArrayList<>();
        for (byte[] ca : pki.cas()) {
            loads.add(new CaCertificateLoaded("default", Blob.of(ca)));
        }
        for (byte[] crl : pki.crls()) {
            loads.add(new CrlLoaded(Blob.of(crl), "file:bench.crl"));
        }
        long events;
        step("deciding each peer once, then appending " + options.decisions() + " decisions");
        try (FileEventLog log = FileEventLog.openForAppend(store, Clock.systemUTC())) {
            for (Event load : loads) {
                log.append(load);
            }
            Engine engine = Engine.replay(loads);
            Reason[] reasons = new Reason[options.peers()];
            List<Blob> peers = new ArrayList<>();
            List<IkeIdentity> identities = new ArrayList<>();
            for (int peer = 0; peer < reasons.length; peer++) {
                peers.add(Blob.of(pki.peers().get(peer)));
                identities.add(new IkeIdentity(IkeIdentity.Type.FQDN, LargeCrlPki.peerName(peer)));
                reasons[peer] = engine.decide(request("probe", peers.get(peer), identities.get(peer), at)).reason();
                if ((reasons[peer] == Reason.REVOKED) != pki.revoked()[peer]) {
                    throw new IllegalStateException("peer " + peer + " decided " + reasons[peer]);
                }
            }
            List<Event> batch = new ArrayList<>(2 * BATCH_DECISIONS);
            for (int i = 0; i < options.decisions(); i++) {
                int peer = i % options.peers();
                String id = "d-" + (log.nextSequence() + batch.size());
                batch.add(request(id, peers.get(peer), identities.get(peer), at));
                batch.add(new ValidationDecided(id, reasons[peer] == Reason.OK ? Verdict.ACCEPT : Verdict.REJECT,
                        reasons[peer]));
                if (batch.size() >= 2 * BATCH_DECISIONS) {
                    log.append(batch);
                    batch.clear();
                }
            }
            log.append(batch);
            events = log.nextSequence();
        }
        Path peer = dir.resolve("peer.pem");
        Files.writeString(peer, "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'})
                .encodeToString(pki.peers().get(0)) + "\n-----END CERTIFICATE-----\n", StandardCharsets.US_ASCII);
        long bytes;
        try (Stream<Path> files = Files.list(store)) {
            bytes = 0;
            for (Path file : files.filter(f -> f.toString().endsWith(".log")).toList()) {
                bytes += Files.size(file);
            }
        }
        step(String.format("built %d events, %.1f MiB of log", events, bytes / 1048576.0));
        return new Built(store, peer, "fqdn:" + LargeCrlPki.peerName(0), at, events, options.decisions(), bytes);
    }

    private double timeRead(Built built, boolean snapshot, String expected) {
        gc();
        long started = System.nanoTime();
        OpenedStore opened = OpenedStore.reading(built.store(), Replay.counting(), recorded -> true,
                opening(snapshot));
        double millis = (System.nanoTime() - started) / 1e6;
        check(opened, snapshot, expected, "reading");
        return millis;
    }

    private double timeWrite(Built built, boolean snapshot, String expected) {
        gc();
        long started = System.nanoTime();
        try (FileEventLog log = FileEventLog.openForAppend(built.store(), Clock.systemUTC())) {
            OpenedStore opened = OpenedStore.appending(log, opening(snapshot));
            double millis = (System.nanoTime() - started) / 1e6;
            check(opened, snapshot, expected, "appending");
            return millis;
        }
    }

    private OpenedStore.Opening opening(boolean snapshot) {
        return snapshot ? OpenedStore.Opening.snapshots(Progress.silent(), line -> {
            throw new IllegalStateException("the snapshot was not used: " + line);
        }) : OpenedStore.Opening.wholeLog(Progress.silent());
    }

    private static void check(OpenedStore opened, boolean snapshot, String expected, String how) {
        if (opened.openedFrom().isPresent() != snapshot || !describe(opened.replay()).equals(expected)) {
            throw new IllegalStateException("opening for " + how + (snapshot ? " from the snapshot" : "")
                    + " gave " + describe(opened.replay()) + ", not " + expected);
        }
    }

    private static String describe(Replay replay) {
        return replay.events() + " events, " + replay.decisions() + " decisions " + replay.byReason() + ", CRLs "
                + replay.engine().crls().stream().map(crl -> crl.entries()).toList() + ", "
                + replay.engine().trustedCertificates().size() + " CAs";
    }

    /** {@code validate} through the launcher, a fresh JVM each run: with the snapshot, then without any. */
    private void launch(Built built, List<Double> withSnapshot, List<Double> withoutSnapshot)
            throws IOException, InterruptedException {
        Path launcher = options.launcher().orElseThrow();
        List<String> command = List.of(launcher.toString(), "validate", "--store", built.store().toString(),
                "--peer", built.peer().toString(), "--id", built.peerId(), "--at", built.at().toString());
        step("warming the launcher (builds the jar if needed): " + String.join(" ", command));
        runOnce(command);
        for (int i = 0; i < options.validateRuns(); i++) {
            withSnapshot.add(runOnce(command));
        }
        for (int i = 0; i < options.validateRuns(); i++) {
            delete(built.store().resolve(StoreSnapshots.DIRECTORY));
            withoutSnapshot.add(runOnce(command));
        }
    }

    private double runOnce(List<String> command) throws IOException, InterruptedException {
        long started = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            int status = process.waitFor();
            double millis = (System.nanoTime() - started) / 1e6;
            if (status != 0) {
                throw new IllegalStateException(String.join(" ", command) + " exited with status " + status);
            }
            step(String.format("  validate through the launcher: %.0f ms", millis));
            return millis;
        } finally {
            process.destroyForcibly();
        }
    }

    private void report(Built built, StoreSnapshots.Written snapshot, List<Round> rounds, List<Double> withSnapshot,
            List<Double> withoutSnapshot) {
        double readFull = Median.of(rounds.stream().mapToDouble(Round::readFull).toArray());
        double readSnapshot = Median.of(rounds.stream().mapToDouble(Round::readSnapshot).toArray());
        double writeFull = Median.of(rounds.stream().mapToDouble(Round::writeFull).toArray());
        double writeSnapshot = Median.of(rounds.stream().mapToDouble(Round::writeSnapshot).toArray());
        out.println("certgate bench open: a store of " + built.events() + " events (" + built.decisions()
                + " decisions over " + options.peers() + " peers, a CRL of " + options.crlEntries() + " entries plus"
                + " the revoked peers), " + String.format("%.1f MiB of log", built.bytes() / 1048576.0) + ", Java "
                + Runtime.version().feature() + ", " + Runtime.getRuntime().availableProcessors() + " cores");
        out.println(String.format("  snapshot at the head: %.1f MiB, written in %d ms", snapshot.bytes() / 1048576.0,
                snapshot.took().toMillis()));
        out.println(String.format("  open as 'replay' (reader): whole log %,.0f ms, from the snapshot %,.0f ms:"
                + " %.1fx (medians of %d; rounds %s / %s)", readFull, readSnapshot, readFull / readSnapshot,
                rounds.size(), figures(rounds.stream().mapToDouble(Round::readFull).toArray()),
                figures(rounds.stream().mapToDouble(Round::readSnapshot).toArray())));
        out.println(String.format("  open as 'validate' (writer, lock and recovery included): whole log %,.0f ms,"
                + " from the snapshot %,.0f ms: %.1fx (rounds %s / %s)", writeFull, writeSnapshot,
                writeFull / writeSnapshot, figures(rounds.stream().mapToDouble(Round::writeFull).toArray()),
                figures(rounds.stream().mapToDouble(Round::writeSnapshot).toArray())));
        out.println(String.format("  target: from a snapshot at least 10x faster than the whole log: %s",
                readFull / readSnapshot >= 10 && writeFull / writeSnapshot >= 10 ? "met" : "NOT met"));
        if (!withSnapshot.isEmpty()) {
            double with = Median.of(withSnapshot.stream().mapToDouble(Double::doubleValue).toArray());
            double without = Median.of(withoutSnapshot.stream().mapToDouble(Double::doubleValue).toArray());
            out.println(String.format("  one 'validate' through the launcher, wall (JVM start included): with the"
                    + " snapshot %,.0f ms, without %,.0f ms (medians of %d; runs %s / %s; each appends a decision,"
                    + " and the run without one writes a snapshot, as a writer does after 100,000 events)", with,
                    without, withSnapshot.size(), figures(withSnapshot.stream().mapToDouble(Double::doubleValue)
                            .toArray()), figures(withoutSnapshot.stream().mapToDouble(Double::doubleValue).toArray())));
            out.println("  target: validate under 1 s of wall time: " + (with < 1_000 ? "met" : "NOT met"));
        }
    }

    private static ValidationRequested request(String id, Blob peer, IkeIdentity identity, Instant at) {
        return new ValidationRequested(id, peer, List.of(), Optional.of(identity), at, ValidationSettings.DEFAULTS,
                Optional.empty(), Optional.empty());
    }

    private static void gc() {
        System.gc();
        System.gc();
    }

    private void step(String what) {
        err.println("certgate bench open: " + what);
    }

    private static String figures(double[] values) {
        List<String> all = new ArrayList<>();
        for (double value : values) {
            all.add(String.format("%,.0f", value));
        }
        return String.join(", ", all);
    }

    private static void delete(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + dir + ": " + e.getMessage(), e);
        }
    }
}
