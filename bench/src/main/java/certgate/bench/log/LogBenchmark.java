package certgate.bench.log;

import certgate.bench.Arguments;
import certgate.bench.Median;
import certgate.eventstore.Blob;
import certgate.eventstore.Event;
import certgate.eventstore.IkeIdentity;
import certgate.eventstore.Reason;
import certgate.eventstore.RecordedEvent;
import certgate.eventstore.ValidationDecided;
import certgate.eventstore.ValidationRequested;
import certgate.eventstore.ValidationSettings;
import certgate.eventstore.Verdict;
import certgate.eventstore.log.FileEventLog;
import certgate.eventstore.log.LogReader;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * {@code certgate bench log}: durable appends per second with group commit, replay speed, bytes per decision.
 *
 * <p>The workload is the one the log exists for: validation requests over 2,000 peer certificates (1 KiB each,
 * stored once per segment) with an issuing CA in the chain, each followed by its decision. The append run has
 * many threads each appending a request and its decision as one batch and waiting for it to be durable; the
 * replay run reads and decodes a log of {@code --events} decisions (and as many requests) with a
 * {@link LogReader}, CRC and sequence checked, blobs resolved. Figures are medians over {@code --rounds}.
 */
public final class LogBenchmark {
    private static final String USAGE = """
            usage: certgate bench log [--events N] [--appends N] [--threads N] [--rounds N] [--dir DIR]
              --events N    decisions in the replay log (each with its request: 2N events)  default 1000000
              --appends N   events appended durably per append round                         default 200000
              --threads N   appending threads                                                default 256
              --rounds N    rounds of each measurement; medians are reported                 default 5
              --dir DIR     where to write the stores (a temporary directory by default, deleted afterwards)
            """;
    private static final int PEERS = 2_000;

    private LogBenchmark() {
    }

    public static void main(String[] args) {
        System.exit(run(List.of(args), System.out, System.err));
    }

    /** Runs the benchmark; returns the exit code (0 done, 2 bad arguments, 1 failure). */
    public static int run(List<String> args, PrintStream out, PrintStream err) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("certgate bench log: " + e.getMessage());
            err.print(USAGE);
            return 2;
        }
        if (options.help) {
            out.print(USAGE);
            return 0;
        }
        boolean temporary = options.dir.isEmpty();
        Path dir;
        try {
            dir = temporary ? Files.createTempDirectory("certgate-bench-log") : Files.createDirectories(
                    Path.of(options.dir.get()));
        } catch (IOException e) {
            err.println("certgate bench log: cannot create the store directory: " + e.getMessage());
            return 1;
        }
        try {
            Workload workload = new Workload(42);
            Measured append = medianOfRounds(options.rounds, round -> {
                err.printf("\rappend round %d/%d ...            ", round + 1, options.rounds);
                return appendRound(dir.resolve("append-" + round), workload, options.appends, options.threads);
            });
            err.printf("\rwriting the replay log of %,d decisions ...            ", options.events);
            Path replayStore = dir.resolve("replay");
            writeReplayLog(replayStore, workload, options.events);
            long bytes = sizeOf(replayStore);
            Measured replay = medianOfRounds(options.rounds, round -> {
                err.printf("\rreplay round %d/%d ...            ", round + 1, options.rounds);
                return replayRound(replayStore, 2L * options.events);
            });
            err.printf("\r%60s\r", "");
            out.printf("durable appends (group commit, %d threads, request+decision per append): %,.0f events/s"
                    + " (median of %d rounds of %,d events; %.1f us CPU per event)%n", options.threads, append.rate(),
                    options.rounds, options.appends, append.cpuMicrosPerEvent());
            out.printf("replay (read, check CRC and sequence, decode): %,.0f events/s = %,.0f decisions/s"
                    + " (median of %d rounds over %,d decisions and their requests; %.2f us CPU per event)%n",
                    replay.rate(), replay.rate() / 2, options.rounds, options.events, replay.cpuMicrosPerEvent());
            out.printf("bytes on disk per decision (request + decision + blobs, %,d peer certificates): %.1f"
                    + " (%,d bytes for %,d decisions)%n", PEERS, (double) bytes / options.events, bytes,
                    options.events);
            out.printf("machine: %d processors, load average %.1f when done%n",
                    Runtime.getRuntime().availableProcessors(),
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            return 0;
        } catch (IOException | RuntimeException e) {
            err.println();
            err.println("certgate bench log: failed: " + e);
            return 1;
        } finally {
            if (temporary) {
                deleteTree(dir);
            }
        }
    }

    private interface Round {
        Measured run(int round) throws IOException;
    }

    /** One round: events per wall-clock second, and CPU microseconds spent per event. */
    private record Measured(double rate, double cpuMicrosPerEvent) {
    }

    private static Measured medianOfRounds(int rounds, Round round) throws IOException {
        double[] rates = new double[rounds];
        double[] cpu = new double[rounds];
        for (int i = 0; i < rounds; i++) {
            Measured measured = round.run(i);
            rates[i] = measured.rate();
            cpu[i] = measured.cpuMicrosPerEvent();
        }
        return new Measured(Median.of(rates), Median.of(cpu));
    }

    /** CPU time of this whole process, nanoseconds; -1 where the JVM cannot tell. */
    private static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    private static Measured appendRound(Path store, Workload workload, int events, int threads) {
        AtomicLong next = new AtomicLong();
        int pairs = events / 2;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long start = System.nanoTime();
        long cpuStart = processCpuNanos();
        try (FileEventLog log = FileEventLog.openForAppend(store, Clock.systemUTC())) {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    for (long i = next.getAndIncrement(); i < pairs; i = next.getAndIncrement()) {
                        log.append(workload.pair(i));
                    }
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                future.get();
            }
        } catch (Exception e) {
            throw new IllegalStateException("append round failed: " + e, e);
        } finally {
            pool.shutdownNow();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpuMicros = (processCpuNanos() - cpuStart) / 1e3;
        deleteTree(store);
        return new Measured(2.0 * pairs / seconds, cpuMicros / (2.0 * pairs));
    }

    private static void writeReplayLog(Path store, Workload workload, int decisions) {
        try (FileEventLog log = FileEventLog.openForAppend(store, Clock.systemUTC())) {
            List<Event> batch = new ArrayList<>(10_000);
            for (long i = 0; i < decisions; i++) {
                batch.addAll(workload.pair(i));
                if (batch.size() >= 10_000) {
                    log.append(batch);
                    batch.clear();
                }
            }
            log.append(batch);
        }
    }

    private static Measured replayRound(Path store, long expected) {
        long[] counts = new long[Verdict.values().length];
        long start = System.nanoTime();
        long cpuStart = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        long read;
        try (LogReader reader = LogReader.open(store)) {
            read = reader.poll(recorded -> count(recorded, counts));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpuMicros = (ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpuStart) / 1e3;
        if (read != expected || counts[0] + counts[1] != expected / 2) {
            throw new IllegalStateException("replay read " + read + " events, expected " + expected);
        }
        return new Measured(read / seconds, cpuMicros / read);
    }

    private static void count(RecordedEvent recorded, long[] counts) {
        if (recorded.event() instanceof ValidationDecided decided) {
            counts[decided.verdict().ordinal()]++;
        }
    }

    private static long sizeOf(Path store) throws IOException {
        try (Stream<Path> files = Files.list(store)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".log")).mapToLong(f -> {
                try {
                    return Files.size(f);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).sum();
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir + ": " + e.getMessage(), e);
        }
    }

    /** 2,000 peers of 1 KiB under one issuing CA; request i is for peer i mod 2,000. */
    private static final class Workload {
        private final Blob[] peers = new Blob[PEERS];
        private final Blob issuing;
        private final String revision = "9f2c".repeat(16);
        private final Instant base = Instant.parse("2025-06-01T00:00:00Z");

        Workload(long seed) {
            SplittableRandom random = new SplittableRandom(seed);
            for (int i = 0; i < PEERS; i++) {
                byte[] der = new byte[1024];
                random.nextBytes(der);
                peers[i] = Blob.of(der);
            }
            byte[] ca = new byte[1200];
            random.nextBytes(ca);
            issuing = Blob.of(ca);
        }

        List<Event> pair(long i) {
            int peer = (int) (i % PEERS);
            String id = "req-" + i;
            ValidationRequested request = new ValidationRequested(id, peers[peer], List.of(issuing),
                    Optional.of(new IkeIdentity(IkeIdentity.Type.FQDN, "gw" + peer + ".branches.example.net")),
                    base.plusMillis(i), ValidationSettings.DEFAULTS, Optional.of("branches"), Optional.of(revision));
            boolean accept = i % 10 != 0;
            ValidationDecided decided = new ValidationDecided(id, accept ? Verdict.ACCEPT : Verdict.REJECT,
                    accept ? Reason.OK : Reason.REVOKED);
            return List.of(request, decided);
        }
    }

    private static final class Options {
        int events = 1_000_000;
        int appends = 200_000;
        int threads = 256;
        int rounds = 5;
        Optional<String> dir = Optional.empty();
        boolean help;

        static Options parse(List<String> args) {
            Options options = new Options();
            Arguments arguments = new Arguments(args);
            while (arguments.hasNext()) {
                String arg = arguments.option();
                switch (arg) {
                    case "--help", "-h" -> options.help = true;
                    case "--events" -> options.events = arguments.number(arg, 1, Integer.MAX_VALUE);
                    case "--appends" -> options.appends = arguments.number(arg, 2, Integer.MAX_VALUE);
                    case "--threads" -> options.threads = arguments.number(arg, 1, 4_096);
                    case "--rounds" -> options.rounds = arguments.number(arg, 1, 100);
                    case "--dir" -> options.dir = Optional.of(arguments.value(arg));
                    default -> throw Arguments.unknown(arg);
                }
            }
            return options;
        }
    }
}
