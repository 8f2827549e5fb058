package certgate.bench.serve;

import certgate.adapters.cli.ServeCommand;
import certgate.adapters.http.LoopHttpServer;
import certgate.adapters.serve.Limits;
import certgate.adapters.serve.Service;
import certgate.adapters.store.OpenedStore;
import certgate.adapters.store.Progress;
import certgate.bench.Arguments;
import certgate.bench.Median;
import certgate.bench.crl.BenchPki;
import certgate.bench.http.KeepAliveClient;
import certgate.bench.http.LoadGenerator;
import certgate.eventstore.Blob;
import certgate.eventstore.CaCertificateLoaded;
import certgate.eventstore.CrlLoaded;
import certgate.eventstore.Event;
import certgate.eventstore.log.FileEventLog;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntFunction;
import java.util.stream.Stream;

/**
 * {@code certgate bench serve}: the decision service under load, against a no-op endpoint on the same HTTP stack
 * in the same run.
 *
 * <p>Builds the RSA-2048 PKI of {@code bench crl} ({@code --peers} peer certificates, every tenth revoked, the
 * issuing CA's CRL of {@code --crl-entries} entries), loads it into a new store, and starts the real service on
 * 127.0.0.1 with a no-op endpoint mounted beside the API ({@code POST /noop}: reads the body, answers
 * {@code {}}, behind the same gate: request log, metrics, limits). The load generator ({@link LoadGenerator}, one
 * thread on a selector) writes each request in one piece on keep-alive connections, one request in flight per
 * connection. Every decision is durable (request and decision fsynced in a group commit) before its answer.
 *
 * <p>Closed loop ({@code --connections} clients, each sending its next request when the previous answer is
 * in), {@code --rounds} times, medians reported: the no-op endpoint; repeated peers (16 peers, asked again and
 * again); fresh peers (each request a peer not asked before, until the round's share runs out). Then open loop at
 * half of the measured sustained throughput, latency from each request's scheduled time, each request sent at
 * that time on any idle connection or a new one (up to {@link LoadGenerator#OPEN_LOOP_CONNECTION_CAP}): repeated
 * and fresh.
 */
public final class ServeBenchmark {
    static final String USAGE = String.join("\n",
            "usage: certgate bench serve [--peers N] [--crl-entries N] [--seconds S] [--rounds N]",
            "                            [--connections N] [--dir DIR] [--quick] [--help]",
            "",
            "  --peers N         peer certificates, every tenth revoked (default 6000; fresh-peer runs use",
            "                    each once)",
            "  --crl-entries N   entries of the issuing CA's CRL (default 1,000,000)",
            "  --seconds S       length of each closed-loop and open-loop run (default 5)",
            "  --rounds N        closed-loop rounds; medians are reported (default 3)",
            "  --connections N   keep-alive connections of the load generator (default 16)",
            "  --dir DIR         build the store in DIR (must not exist) and keep it",
            "  --quick           a smoke run: 400 peers, 10,000 CRL entries, 1 s runs, 1 round",
            "");
    private static final int REPEATED_PEERS = 16;
    private static final double WARM_UP_SECONDS = 10;

    record Options(int peers, int crlEntries, double seconds, int rounds, int connections, Optional<Path> dir) {
        static Optional<Options> parse(List<String> args) {
            int peers = 6_000;
            int crlEntries = 1_000_000;
            double seconds = 5;
            int rounds = 3;
            int connections = 16;
            Optional<Path> dir = Optional.empty();
            boolean quick = false;
            Arguments arguments = new Arguments(args);
            while (arguments.hasNext()) {
                String arg = arguments.option();
                switch (arg) {
                    case "--help", "-h" -> {
                        return Optional.empty();
                    }
                    case "--quick" -> quick = true;
                    case "--peers" -> peers = arguments.number(arg, 100, 1_000_000);
                    case "--crl-entries" -> crlEntries = arguments.number(arg, 0, 10_000_000);
                    case "--seconds" -> seconds = arguments.seconds(arg, 600);
                    case "--rounds" -> rounds = arguments.number(arg, 1, 100);
                    case "--connections" -> connections = arguments.number(arg, 1, 512);
                    case "--dir" -> dir = Optional.of(Path.of(arguments.value(arg)));
                    default -> throw Arguments.unknown(arg);
                }
            }
            if (quick) {
                peers = Math.min(peers, 400);
                crlEntries = Math.min(crlEntries, 10_000);
                seconds = Math.min(seconds, 1);
                rounds = 1;
            }
            return Optional.of(new Options(peers, crlEntries, seconds, rounds, connections, dir));
        }
    }

    /** One run's figures. */
    record Figures(double perSecond, double p50, double p99, double max, int answered, int failed) {
        static Figures of(LoadGenerator.Result result) {
            return new Figures(result.perSecond(), result.percentileMillis(50), result.percentileMillis(99),
                    result.maxMillis(), result.answered(), result.failed());
        }

        static Figures median(List<Figures> rounds) {
            return new Figures(Median.of(rounds.stream().mapToDouble(Figures::perSecond).toArray()),
                    Median.of(rounds.stream().mapToDouble(Figures::p50).toArray()),
                    Median.of(rounds.stream().mapToDouble(Figures::p99).toArray()),
                    Median.of(rounds.stream().mapToDouble(Figures::max).toArray()),
                    rounds.stream().mapToInt(Figures::answered).sum(),
                    rounds.stream().mapToInt(Figures::failed).sum());
        }

        String line(String what) {
            return String.format(Locale.ROOT, "  %-34s %9.0f req/s   p50 %7.2f ms   p99 %7.2f ms   max %8.2f ms"
                    + "   (%d answered%s)", what, perSecond, p50, p99, max, answered,
                    failed == 0 ? "" : ", " + failed + " FAILED");
        }
    }

    private ServeBenchmark() {
    }

    /** Runs the benchmark; 0 when it ran, 2 on a usage error, 1 when it could not run or a request failed. */
    public static int run(List<String> args, PrintStream out, PrintStream err) {
        Options options;
        try {
            Optional<Options> parsed = Options.parse(args);
            if (parsed.isEmpty()) {
                out.print(USAGE);
                return 0;
            }
            options = parsed.get();
        } catch (IllegalArgumentException e) {
            err.println("certgate bench serve: " + e.getMessage() + "\n" + USAGE);
            return 2;
        }
        if (options.dir().isPresent() && Files.exists(options.dir().get())) {
            err.println("certgate bench serve: --dir " + options.dir().get() + " exists; name a new directory");
            return 2;
        }
        try {
            return new Run(options, out, err).run();
        } catch (IOException | InterruptedException | RuntimeException e) {
            err.println("certgate bench serve: " + e);
            return 1;
        }
    }

    private static final class Run {
        private final Options options;
        private final PrintStream out;
        private final PrintStream err;
        private BenchPki pki;
        private byte[][] decisionRequests;

        Run(Options options, PrintStream out, PrintStream err) {
            this.options = options;
            this.out = out;
            this.err = err;
        }

        int run() throws IOException, InterruptedException {
            Path dir = options.dir().orElse(Files.createTempDirectory("certgate-bench-serve"));
            err.println("bench serve: building the PKI: " + options.peers() + " peers, a CRL of "
                    + options.crlEntries() + " entries");
            pki = BenchPki.build(options.peers(), options.crlEntries(), 10, BenchPki.Progress.none());
            decisionRequests = new byte[options.peers()][];
            for (int i = 0; i < options.peers(); i++) {
                String body = "{\"peer\": \"" + Base64.getEncoder().encodeToString(pki.peerDers.get(i))
                        + "\", \"id\": \"fqdn:" + BenchPki.peerName(i) + "\", \"at\": \"" + pki.at + "\"}";
                decisionRequests[i] = KeepAliveClient.request("POST", "/v1/decisions?explain=false",
                        List.of("Content-Type: application/json"), body.getBytes(StandardCharsets.UTF_8), true);
            }
            Path store = dir.resolve("store");
            err.println("bench serve: loading the store " + store);
            FileEventLog log = FileEventLog.openForAppend(store, Clock.systemUTC());
            List<Event> loads = new ArrayList<>();
            for (byte[] ca : List.of(BenchPki.encoded(pki.root), BenchPki.encoded(pki.intermediate),
                    BenchPki.encoded(pki.issuing))) {
                loads.add(new CaCertificateLoaded("default", Blob.of(ca)));
            }
            for (byte[] crl : List.of(pki.rootCrl, pki.intermediateCrl, pki.issuingCrl)) {
                loads.add(new CrlLoaded(Blob.of(crl), "file:bench.crl"));
            }
            log.append(loads);
            OpenedStore opened = OpenedStore.appending(log, Progress.silent());
            Service.Config config = new Service.Config(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                    Optional.empty(), Optional.empty(), 32, Limits.DEFAULTS,
                    Map.of("/noop", state -> noOp()));
            PrintStream requestLog = new PrintStream(new FileOutputStream(dir.resolve("serve.log").toFile()), true,
                    StandardCharsets.UTF_8);
            Service service = Service.start(config, ServeCommand.FORMATS, Clock.systemUTC(), requestLog);
            int status;
            try {
                service.ready(log, opened.replay());
                status = measure(service.address().getPort());
            } finally {
                service.close();
                requestLog.close();
                if (options.dir().isEmpty()) {
                    delete(dir);
                }
            }
            return status;
        }

        private int measure(int port) throws InterruptedException, IOException {
            byte[] noop = KeepAliveClient.request("POST", "/noop", List.of("Content-Type: application/json"),
                    bodyOf(decisionRequests[0]), true);
            IntFunction<byte[]> repeated = i -> decisionRequests[i % REPEATED_PEERS];
            int connections = options.connections();
            // Long enough for the JIT to finish: on 2 cores, 2 s left C2 compiling through the first measured round
            // (40% of the CPU in the repeated-peer round went to the compiler threads).
            double warmUp = Math.min(WARM_UP_SECONDS, 2 * options.seconds());
            err.println("bench serve: warming up (" + warmUp + " s each: no-op, repeated peers)");
            LoadGenerator.closedLoop(port, connections, warmUp, i -> noop);
            LoadGenerator.closedLoop(port, connections, warmUp, repeated);
            // Fresh peers: each peer once; the closed rounds share the first half, the open loop the rest.
            int firstFresh = REPEATED_PEERS;
            int freshPerRound = (options.peers() - firstFresh) / 2 / options.rounds();
            List<Figures> noOps = new ArrayList<>();
            List<Figures> repeats = new ArrayList<>();
            List<Figures> freshes = new ArrayList<>();
            for (int round = 1; round <= options.rounds(); round++) {
                err.println("bench serve: closed loop, round " + round + " of " + options.rounds());
                noOps.add(Figures.of(LoadGenerator.closedLoop(port, connections, options.seconds(), i -> noop)));
                repeats.add(Figures.of(LoadGenerator.closedLoop(port, connections, options.seconds(), repeated)));
                int from = firstFresh + (round - 1) * freshPerRound;
                freshes.add(Figures.of(LoadGenerator.closedLoop(port, connections, options.seconds(),
                        i -> i < freshPerRound ? decisionRequests[from + i] : null)));
            }
            Figures noOp = Figures.median(noOps);
            Figures repeat = Figures.median(repeats);
            Figures fresh = Figures.median(freshes);
            double repeatedRate = repeat.perSecond() / 2;
            err.println("bench serve: open loop, repeated peers at " + Math.round(repeatedRate) + "/s");
            int cap = LoadGenerator.OPEN_LOOP_CONNECTION_CAP;
            // The same schedule against the no-op endpoint: what the HTTP stack, the JVM and this machine give an
            // open loop at that rate before certgate does any work.
            Figures openNoOp = Figures.of(LoadGenerator.openLoop(port, cap, repeatedRate, options.seconds(),
                    i -> noop));
            double snapshotsBefore = snapshotsWritten(port);
            Figures openRepeated = Figures.of(LoadGenerator.openLoop(port, cap, repeatedRate, options.seconds(),
                    repeated));
            double snapshotsDuring = snapshotsWritten(port) - snapshotsBefore;
            int openFreshFrom = firstFresh + options.rounds() * freshPerRound;
            int openFreshPeers = options.peers() - openFreshFrom;
            double freshRate = fresh.perSecond() / 2;
            double freshSeconds = Math.min(options.seconds(), openFreshPeers / freshRate);
            err.println("bench serve: open loop, fresh peers at " + Math.round(freshRate) + "/s");
            Figures openFresh = Figures.of(LoadGenerator.openLoop(port, cap, freshRate, freshSeconds,
                    i -> openFreshFrom + i < options.peers() ? decisionRequests[openFreshFrom + i] : null));
            Map<String, Double> metrics = metrics(port);
            double appends = metrics.getOrDefault("certgate_log_appends_total", 0.0);
            double events = metrics.getOrDefault("certgate_log_appended_events_total", 0.0);

            out.println(String.format(Locale.ROOT, "certgate bench serve: %d peer certificates (RSA-2048, every"
                    + " tenth revoked), issuing CA's CRL of %,d entries in force; %d keep-alive connections, raw"
                    + " sockets, one write per request; %.0f s runs; every decision durable (fsync, group commit)"
                    + " before its answer", options.peers(), pki.crlEntries, connections, options.seconds()));
            out.println("closed loop, medians of " + options.rounds() + " round(s):");
            out.println(noOp.line("no-op endpoint (same HTTP stack)"));
            out.println(repeat.line("POST /v1/decisions, repeated peers"));
            out.println(fresh.line("POST /v1/decisions, fresh peers"));
            out.println(String.format(Locale.ROOT, "  repeated peers / no-op throughput: %.2f (target >= 0.50: %s)",
                    repeat.perSecond() / noOp.perSecond(), repeat.perSecond() / noOp.perSecond() >= 0.5
                            ? "met" : "NOT met"));
            out.println("open loop at half of the sustained throughput, latency from the scheduled send time:");
            out.println(openNoOp.line(String.format(Locale.ROOT, "no-op endpoint at %.0f/s", repeatedRate)));
            out.println(openRepeated.line(String.format(Locale.ROOT, "repeated peers at %.0f/s", repeatedRate)));
            out.println(openFresh.line(String.format(Locale.ROOT, "fresh peers at %.0f/s", freshRate)));
            out.println(String.format(Locale.ROOT, "  p99 at half of sustained, repeated peers: %.2f ms (target <="
                    + " 10 ms: %s); snapshots the service finished writing meanwhile: %.0f", openRepeated.p99(),
                    openRepeated.p99() <= 10 ? "met" : "NOT met", snapshotsDuring));
            out.println(String.format(Locale.ROOT, "group commit: %.0f durable appends for %.0f events, %.1f events"
                    + " (%.1f decisions) per append", appends, events, events / Math.max(1, appends),
                    events / Math.max(1, appends) / 2));
            out.println(String.format(Locale.ROOT, "service side, means over the whole run: a durable round (from its"
                    + " write until durable) %.2f ms, a decision from its request's arrival to its durable answer"
                    + " %.2f ms",
                    mean(metrics, "certgate_log_append_seconds") * 1e3,
                    mean(metrics, "certgate_decision_duration_seconds") * 1e3));
            out.println(String.format(Locale.ROOT, "durable rounds slower than 5 ms: %.1f%%, than 10 ms: %.1f%% (the"
                    + " disk's stalls, which every decision in flight waits out)",
                    slowerThan(metrics, "certgate_log_append_seconds", "0.005"),
                    slowerThan(metrics, "certgate_log_append_seconds", "0.01")));
            boolean failed = Stream.of(noOp, repeat, fresh, openNoOp, openRepeated, openFresh)
                    .anyMatch(f -> f.failed() > 0);
            return failed ? 1 : 0;
        }

        /** The body of a request made by {@link KeepAliveClient#request}: the same bytes for the no-op endpoint. */
        private static byte[] bodyOf(byte[] request) {
            String text = new String(request, StandardCharsets.ISO_8859_1);
            return text.substring(text.indexOf("\r\n\r\n") + 4).getBytes(StandardCharsets.ISO_8859_1);
        }

        /** The service's count of snapshots written in the background so far. */
        private static double snapshotsWritten(int port) throws IOException {
            return metrics(port).getOrDefault("certgate_snapshots_written_total", 0.0);
        }

        /** A histogram's mean from its {@code _sum} and {@code _count}. */
        private static double mean(Map<String, Double> metrics, String histogram) {
            return metrics.getOrDefault(histogram + "_sum", 0.0) / Math.max(1, metrics.getOrDefault(histogram
                    + "_count", 0.0));
        }

        /** The percentage of a histogram's observations above the bucket bound {@code le}. */
        private static double slowerThan(Map<String, Double> metrics, String histogram, String le) {
            double count = metrics.getOrDefault(histogram + "_count", 0.0);
            double within = metrics.getOrDefault(histogram + "_bucket{le=\"" + le + "\"}", count);
            return count == 0 ? 0 : 100 * (count - within) / count;
        }

        /** The service's own counters, read from GET /metrics. */
        private static Map<String, Double> metrics(int port) throws IOException {
            try (java.net.Socket socket = new java.net.Socket(InetAddress.getLoopbackAddress(), port)) {
                socket.getOutputStream().write(("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                String text = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                Map<String, Double> values = new java.util.HashMap<>();
                for (String line : text.split("\n")) {
                    String[] parts = line.split(" ");
                    if (parts.length == 2 && line.startsWith("certgate_")) {
                        try {
                            values.put(parts[0], Double.parseDouble(parts[1]));
                        } catch (NumberFormatException e) {
                            // not a plain sample
                        }
                    }
                }
                return values;
            }
        }

        private static LoopHttpServer.NonBlocking noOp() {
            byte[] answer = "{}".getBytes(StandardCharsets.UTF_8);
            return exchange -> {
                try (InputStream in = exchange.getRequestBody()) {
                    in.transferTo(OutputStream.nullOutputStream());
                }
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, answer.length);
                try (OutputStream body = exchange.getResponseBody()) {
                    body.write(answer);
                }
            };
        }

        private static void delete(Path dir) throws IOException {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            }
        }
    }
}
