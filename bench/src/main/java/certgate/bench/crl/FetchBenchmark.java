package certgate.bench.crl;

import certgate.adapters.fetch.CrlFetcher;
import certgate.adapters.fetch.CrlFetchers;
import certgate.adapters.fetch.FetchLimits;
import certgate.bench.Arguments;
import certgate.bench.Median;
import certgate.engine.Engine;
import certgate.eventstore.Blob;
import certgate.eventstore.CaCertificateLoaded;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * {@code certgate bench fetch}: a large CRL fetched from a distribution point on loopback, verified and indexed,
 * against the same CRL loaded from a file as {@code certgate load crl} loads it.
 *
 * <p>Builds the issuing CA's CRL of {@code --crl-entries} entries as {@code bench crl} does (RSA-2048, SHA-256),
 * writes it to a file, and serves it from a JDK {@code HttpServer} on 127.0.0.1. Each round, after a full GC:
 * <ul>
 *   <li>from disk: {@link PkiFiles#crls} (read, PEM or DER, structure checked), {@link LoadCheck#crls} (the
 *       engine's admission: parse, index, signature against the held CA) and {@link Engine#apply} of the
 *       {@code CrlLoaded} event (the index the state keeps);</li>
 *   <li>from the network: {@link CrlFetcher#fetch} with the default limits, {@link Engine#admitCrl} on the
 *       fetched bytes, and {@link Engine#apply} of the {@code CrlLoaded} event.</li>
 * </ul>
 * Then the heap: what the new state keeps (heap in use after GC, before and after), and the peak each path
 * needs, measured as the least {@code -Xmx} in which {@link FetchHeapProbe} completes it in a JVM of its own,
 * minus the least in which the same JVM only sets up: live data at the worst moment, not the garbage a roomy heap
 * carries (the sum of the pools' peak usage, tried first, counted that and said 8x).
 */
public final class FetchBenchmark {
    static final String USAGE = String.join("\n",
            "usage: certgate bench fetch [--crl-entries N] [--rounds N] [--warmup N] [--no-heap-probe] [--quick]",
            "                            [--help]",
            "",
            "Builds the issuing CA's CRL as 'bench crl' does, serves it from an HTTP server on 127.0.0.1, and",
            "reports, each figure the median over rounds:",
            "  - fetch + verify + index: the HTTP fetcher (default limits), the engine's admitCrl on the bytes,",
            "    and applying the CrlLoaded event, against loading the same file as 'certgate load crl' does",
            "    (read + check + admit + apply); target: at most 1.5x the file load;",
            "  - the peak heap of each path (target: at most 2x the CRL size): the least -Xmx in which a",
            "    JVM of its own completes the path, found by bisection, minus the least for setup alone;",
            "    and the heap the new state keeps.",
            "",
            "  --crl-entries N   entries on the CRL (default 1000000)",
            "  --rounds N        rounds to take the median of (default 5)",
            "  --warmup N        uncounted rounds of each path first (default 2; --quick 1)",
            "  --no-heap-probe   skip the peak-heap bisection (a dozen JVM starts per path)",
            "  --quick           small sizes for a smoke test (5000 entries, 2 rounds)",
            "  --help            this text",
            "",
            "Progress goes to stderr, the report to stdout. A million entries need about -Xmx1g.");

    private FetchBenchmark() {
    }

    /** Runs the benchmark; 0 when it ran, 2 on a usage error, 1 when it could not run. */
    public static int run(List<String> args, PrintStream out, PrintStream err) {
        Optional<Options> parsed;
        try {
            parsed = Options.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("certgate bench fetch: " + e.getMessage());
            err.println("run 'certgate bench fetch --help' for the options");
            return 2;
        }
        if (parsed.isEmpty()) {
            out.println(USAGE);
            return 0;
        }
        try {
            new FetchBenchmark.Run(parsed.get(), out, err).run();
            return 0;
        } catch (RuntimeException | OutOfMemoryError e) {
            err.println("certgate bench fetch: could not finish: " + e);
            return 1;
        }
    }

    record Options(int crlEntries, int rounds, int warmupRounds, boolean heapProbe) {
        static Optional<Options> parse(List<String> args) {
            Arguments arguments = new Arguments(args);
            boolean quick = arguments.contains("--quick");
            int crlEntries = quick ? 5_000 : 1_000_000;
            int rounds = quick ? 2 : 5;
            int warmup = quick ? 1 : 2;
            boolean heapProbe = true;
            while (arguments.hasNext()) {
                String arg = arguments.option();
                switch (arg) {
                    case "--help", "-h" -> {
                        return Optional.empty();
                    }
                    case "--quick" -> {
                        // applied above, before the options that may override it
                    }
                    case "--crl-entries" -> crlEntries = arguments.number(arg, 0, 5_000_000);
                    case "--rounds" -> rounds = arguments.number(arg, 1, 100);
                    case "--warmup" -> warmup = arguments.number(arg, 0, 100);
                    case "--no-heap-probe" -> heapProbe = false;
                    default -> throw Arguments.unknown(arg);
                }
            }
            return Optional.of(new Options(crlEntries, rounds, warmup, heapProbe));
        }
    }

    private static final List<String> STAGES = List.of("fetch", "admit");
    private static final List<String> STAGE_NAMES = List.of("fetch (the fetcher's own need)",
            "fetch + Blob.takingOwnershipOf + admitCrl");

    private static final class Run {
        private final Options options;
        private final PrintStream out;
        private final PrintStream err;

        Run(Options options, PrintStream out, PrintStream err) {
            this.options = options;
            this.out = out;
            this.err = err;
        }

        void run() {
            BenchPki pki = BenchPki.build(1, options.crlEntries(), 0, progress());
            Path dir;
            try {
                dir = Files.createTempDirectory("certgate-bench-fetch-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Path file = dir.resolve("issuing-ca.crl");
            ExecutorService handlers = Executors.newFixedThreadPool(2);
            HttpServer server = null;
            try {
                Files.write(file, pki.issuingCrl);
                byte[] served = Files.readAllBytes(file);
                server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
                server.setExecutor(handlers);
                server.createContext("/issuing-ca.crl", exchange -> {
                    try (exchange) {
                        exchange.getResponseHeaders().add("Content-Type", "application/pkix-crl");
                        exchange.sendResponseHeaders(200, served.length);
                        exchange.getResponseBody().write(served);
                    }
                });
                server.start();
                URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/issuing-ca.crl");
                measure(pki, file, url);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                if (server != null) {
                    server.stop(0);
                }
                handlers.shutdownNow();
                try (Stream<Path> files = Files.list(dir)) {
                    for (Path each : files.toList()) {
                        Files.deleteIfExists(each);
                    }
                    Files.deleteIfExists(dir);
                } catch (IOException e) {
                    err.println("[bench] could not delete " + dir + ": " + e.getMessage());
                }
            }
        }

        private void measure(BenchPki pki, Path file, URI url) {
            Engine base = Engine.replay(List.of(
                    new CaCertificateLoaded("default", Blob.of(BenchPki.encoded(pki.root))),
                    new CaCertificateLoaded("default", Blob.of(BenchPki.encoded(pki.intermediate))),
                    new CaCertificateLoaded("default", Blob.of(BenchPki.encoded(pki.issuing)))));
            CrlFetcher fetcher = CrlFetchers.standard(FetchLimits.DEFAULTS);
            Supplier<Engine> fromDisk = () -> LoadPaths.fromDisk(base, file, pki.at);
            Supplier<Engine> fromNetwork = () -> LoadPaths.fromHttp(base, fetcher, url, pki.at);

            for (int round = 0; round < options.warmupRounds(); round++) {
                progress().step("warm-up round " + (round + 1) + " of " + options.warmupRounds());
                checkInForce(fromDisk.get());
                checkInForce(fromNetwork.get());
            }
            double[] disk = new double[options.rounds()];
            double[] network = new double[options.rounds()];
            for (int round = 0; round < options.rounds(); round++) {
                progress().step("round " + (round + 1) + " of " + options.rounds());
                disk[round] = timed(fromDisk);
                network[round] = timed(fromNetwork);
            }
            progress().step("measuring the heap each path keeps");
            long keptDisk = kept(fromDisk);
            long keptNetwork = kept(fromNetwork);
            if (!options.heapProbe()) {
                report(pki, url, Median.of(disk), Median.of(network), new Heap(-1, keptNetwork),
                        new Heap(-1, keptDisk), -1);
                return;
            }
            progress().step("finding the least heap each path completes in (a JVM per try)");
            List<String> probeArgs = probeArgs(pki, file, url);
            int setupMib = leastHeapMib("setup", probeArgs, 4, 64);
            // a path needs at least what setup needs, and (the targets being 2x and 3 copies) less than 4x more
            int highMib = setupMib + 8 + (int) (4L * pki.issuingCrl.length >> 20);
            int networkMib = leastHeapMib("http", probeArgs, setupMib - 1, highMib);
            int diskMib = leastHeapMib("disk", probeArgs, setupMib - 1, highMib);
            List<Integer> stagesMib = new ArrayList<>();
            for (String stage : STAGES) {
                stagesMib.add(leastHeapMib(stage, probeArgs, setupMib - 1, networkMib) - setupMib);
            }
            report(pki, url, Median.of(disk), Median.of(network),
                    new Heap((long) (networkMib - setupMib) << 20, keptNetwork),
                    new Heap((long) (diskMib - setupMib) << 20, keptDisk), setupMib);
            line("  the HTTP path cut short after each stage, all so far held (peak live, least -Xmx minus setup's):");
            for (int i = 0; i < STAGES.size(); i++) {
                long bytes = (long) stagesMib.get(i) << 20;
                line("    %-44s %10.1f %8.2fx", STAGE_NAMES.get(i), bytes / 1e6,
                        bytes / (double) pki.issuingCrl.length);
            }
        }

        private record Heap(long peak, long kept) {
        }

        private static List<String> probeArgs(BenchPki pki, Path file, URI url) {
            List<String> args = new ArrayList<>(List.of(url.toString(), file.toString(),
                    String.valueOf(pki.at.getEpochSecond())));
            try {
                int n = 0;
                for (byte[] ca : List.of(BenchPki.encoded(pki.root), BenchPki.encoded(pki.intermediate),
                        BenchPki.encoded(pki.issuing))) {
                    Path caFile = file.resolveSibling("ca-" + n++ + ".der");
                    Files.write(caFile, ca);
                    args.add(caFile.toString());
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return args;
        }

        private static void checkInForce(Engine engine) {
            if (engine.crls().size() != 1 || !engine.rejectedLoads().isEmpty()) {
                throw new IllegalStateException("the CRL is not in force after loading it: " + engine.rejectedLoads());
            }
        }

        private static double timed(Supplier<Engine> load) {
            collectGarbage();
            long start = System.nanoTime();
            Engine engine = load.get();
            double millis = (System.nanoTime() - start) / 1e6;
            checkInForce(engine);
            return millis;
        }

        private static long kept(Supplier<Engine> load) {
            long before = usedHeapAfterGc();
            Engine engine = load.get();
            long after = usedHeapAfterGc();
            checkInForce(engine);
            Reference.reachabilityFence(engine);
            return after - before;
        }

        /**
         * The least -Xmx, in MiB, in which a probe JVM completes {@code mode}, found by bisection between
         * {@code lowMib} (taken to fail) and {@code highMib} (checked to complete).
         */
        private int leastHeapMib(String mode, List<String> probeArgs, int lowMib, int highMib) {
            int low = lowMib;
            int high = highMib;
            if (!probe(mode, probeArgs, high)) {
                throw new IllegalStateException("the " + mode + " probe does not complete even in " + high + " MiB");
            }
            while (high - low > 1) {
                int middle = (low + high) >>> 1;
                if (probe(mode, probeArgs, middle)) {
                    high = middle;
                } else {
                    low = middle;
                }
            }
            return high;
        }

        private boolean probe(String mode, List<String> probeArgs, int heapMib) {
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString(), "-XX:+UseSerialGC", "-Xmn2m", "-Xms" + heapMib + "m", "-Xmx" + heapMib + "m",
                    "-cp", System.getProperty("java.class.path"), FetchHeapProbe.class.getName(), mode));
            command.addAll(probeArgs);
            try {
                Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
                process.getOutputStream().close();
                String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!process.waitFor(10, TimeUnit.MINUTES)) {
                    process.destroyForcibly();
                    throw new IllegalStateException("the " + mode + " probe did not finish in 10 minutes");
                }
                int status = process.exitValue();
                if (status != 0 && status != FetchHeapProbe.OUT_OF_HEAP && !output.contains("OutOfMemoryError")
                        && !output.contains("Could not reserve") && !output.contains("Too small")) {
                    throw new IllegalStateException("the " + mode + " probe failed (" + status + "): " + output);
                }
                progress().step("  " + mode + " in " + heapMib + " MiB: "
                        + (status == 0 ? "completes" : "out of heap"));
                return status == 0;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }

        private static long usedHeapAfterGc() {
            collectGarbage();
            collectGarbage();
            return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        }

        private static void collectGarbage() {
            System.gc();
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private void report(BenchPki pki, URI url, double diskMs, double networkMs, Heap network, Heap disk,
                int setupMib) {
            double size = pki.issuingCrl.length;
            line("certgate bench fetch: CRL of %d entries (%.1f MB), RSA-2048 SHA-256, served from %s",
                    pki.crlEntries, size / 1e6, url);
            line("machine: %d processors, %s %s, max heap %d MB", Runtime.getRuntime().availableProcessors(),
                    System.getProperty("java.vm.name"), System.getProperty("java.runtime.version"),
                    Runtime.getRuntime().maxMemory() >> 20);
            line("");
            line("load the CRL into the state (median of %d rounds after %d warm-up)   ms", options.rounds(),
                    options.warmupRounds());
            line("  from disk: PkiFiles + LoadCheck + apply (certgate load)  %10.1f", diskMs);
            line("  from HTTP: fetch + admitCrl + apply                      %10.1f", networkMs);
            double ratio = networkMs / diskMs;
            line("  ratio HTTP / disk                                        %10.2fx  target <= 1.5x: %s", ratio,
                    ratio <= 1.5 ? "met" : "MISSED");
            line("heap                                                            MB   x CRL size");
            if (network.peak() < 0) {
                line("  from HTTP: peak live (least -Xmx minus setup's)          not measured (--no-heap-probe)");
            } else {
                line("  from HTTP: peak live (least -Xmx minus setup's)          %10.1f %8.2fx  target <= 2x: %s",
                        network.peak() / 1e6, network.peak() / size, network.peak() <= 2 * size ? "met" : "MISSED");
            }
            line("  from HTTP: kept by the new state (after GC)              %10.1f %8.2fx", network.kept() / 1e6,
                    network.kept() / size);
            if (disk.peak() >= 0) {
                line("  from disk: peak live (least -Xmx minus setup's)          %10.1f %8.2fx", disk.peak() / 1e6,
                        disk.peak() / size);
            }
            line("  from disk: kept by the new state (after GC)              %10.1f %8.2fx", disk.kept() / 1e6,
                    disk.kept() / size);
            if (setupMib >= 0) {
                line("  (least -Xmx found by bisection to 1 MiB, SerialGC with a 2 MiB young generation; setup "
                        + "alone: %d MiB)", setupMib);
            }
        }

        private void line(String format, Object... args) {
            out.println(String.format(Locale.ROOT, format, args));
        }

        private BenchPki.Progress progress() {
            return BenchPki.Progress.to(err);
        }
    }
}
