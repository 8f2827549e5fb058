package certgate.bench.ocsp;

import certgate.adapters.cli.ServeCommand;
import certgate.adapters.http.LoopHttpServer;
import certgate.adapters.ocsp.OcspHandler;
import certgate.adapters.ocsp.OcspResponders;
import certgate.adapters.ocsp.ResponderException;
import certgate.adapters.serve.Limits;
import certgate.adapters.serve.Service;
import certgate.adapters.store.OpenedStore;
import certgate.adapters.store.Progress;
import certgate.bench.Arguments;
import certgate.bench.Median;
import certgate.bench.http.KeepAliveClient;
import certgate.bench.http.LoadGenerator;
import certgate.eventstore.Blob;
import certgate.eventstore.CaCertificateLoaded;
import certgate.eventstore.CrlLoaded;
import certgate.eventstore.OcspAnswered;
import certgate.eventstore.log.FileEventLog;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.OCSPException;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.RevokedStatus;

/**
 * {@code certgate bench ocsp}: OCSP responses per second with a warm cache, and their p99 latency, from certgate's
 * endpoint ({@link OcspHandler} mounted in {@code certgate serve} as the service mounts it: its own HTTP server,
 * its gate and its group commit, every answer appended durably to a real log before it is sent) and from
 * {@code openssl ocsp -index ... -port} (a real responder on the same machine, which signs each response), side by
 * side in one run, answering the same requests over the same PKI.
 *
 * <p>The requests are those a gateway sends without a nonce: one SHA-1 CertID each, over {@code --serials}
 * serials of one CA, every {@code --revoked-every}-th revoked. Before measuring, both responders' answers to a
 * sample are checked to be successful and to say good or revoked as the PKI does, and certgate's cache is warmed
 * by asking for each serial once. Each round runs {@code --connections} clients writing each request in one
 * piece (the shared {@link LoadGenerator}: one thread on a selector, one request in flight per connection, so
 * that the load takes little of the CPU certgate runs on), for {@code --seconds}, first against certgate, then
 * against a no-op endpoint mounted the same way (it reads the request and answers 5 fixed bytes: the ceiling of
 * the HTTP stack on this machine, with the same load generator), then against OpenSSL; figures are medians over
 * {@code --rounds}. Against certgate each client keeps one connection alive; against OpenSSL it makes one per
 * request, since an {@code openssl ocsp} process serves one connection at a time and a kept one would starve the
 * other clients.
 * OpenSSL runs as {@code --openssl-processes} processes ({@code -multi}, one per processor by default), certgate
 * in this JVM. The harness starts OpenSSL and stops it, and every process it forked, by PID.
 */
public final class OcspBenchmark {
    private static final String USAGE = """
            usage: certgate bench ocsp [--serials N] [--revoked-every N] [--connections N] [--seconds S]
                                       [--rounds N] [--openssl-processes N] [--dir DIR] [--quick]
              --serials N            serials asked about (one CA)                           default 1000
              --revoked-every N      every N-th serial is revoked on the CRL                 default 10
              --connections N        concurrent keep-alive clients                           default 64
              --seconds S            length of each measured run                             default 10
              --rounds N             rounds per responder; medians are reported              default 3
              --openssl-processes N  openssl ocsp -multi N (1: a single process)            default processors
              --dir DIR              where the PKI files and certgate's log go (a new directory in it,
                                     deleted afterwards); its file system's fsync is what each answer
                                     waits for                                               default the temp dir
              --quick                a smoke run: 100 serials, 8 connections, 2 s, 1 round
            """;

    /** The path of the no-op endpoint, mounted beside {@code /ocsp} on the same server. */
    private static final String NO_OP = "/noop";

    private OcspBenchmark() {
    }

    public static void main(String[] args) {
        System.exit(run(List.of(args), System.out, System.err));
    }

    private record Options(int serials, int revokedEvery, int connections, double seconds, int rounds,
                           int opensslProcesses, Optional<Path> dir, boolean help) {
        static Options parse(List<String> args) {
            Arguments in = new Arguments(args);
            boolean quick = in.contains("--quick");
            int serials = quick ? 100 : 1000;
            int revokedEvery = 10;
            int connections = quick ? 8 : 64;
            double seconds = quick ? 2 : 10;
            int rounds = quick ? 1 : 3;
            int processes = Runtime.getRuntime().availableProcessors();
            boolean help = false;
            Optional<Path> dir = Optional.empty();
            while (in.hasNext()) {
                String option = in.option();
                switch (option) {
                    case "--serials" -> serials = in.number(option, 1, 1_000_000);
                    case "--revoked-every" -> revokedEvery = in.number(option, 0, 1_000_000);
                    case "--connections" -> connections = in.number(option, 1, 1024);
                    case "--seconds" -> seconds = in.seconds(option, 3600);
                    case "--rounds" -> rounds = in.number(option, 1, 100);
                    case "--openssl-processes" -> processes = in.number(option, 1, 64);
                    case "--dir" -> dir = Optional.of(Path.of(in.value(option)));
                    case "--quick" -> { }
                    case "--help", "-h" -> help = true;
                    default -> throw Arguments.unknown(option);
                }
            }
            return new Options(serials, revokedEvery, connections, seconds, rounds, processes, dir, help);
        }
    }

    /**
     * One measured run: responses per second, latency percentiles in microseconds, and the CPU time this JVM spent
     * per response (server and load generator together; openssl's own CPU is not in it), the load generator's
     * share apart.
     */
    record Run(double rate, double p50Micros, double p99Micros, long responses, long connections,
               double cpuMicrosPerResponse, double generatorCpuMicrosPerResponse) {
    }

    /** Runs the benchmark; returns the exit code (0 done, 2 bad arguments, 1 failure). */
    public static int run(List<String> args, PrintStream out, PrintStream err) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("certgate bench ocsp: " + e.getMessage());
            err.print(USAGE);
            return 2;
        }
        if (options.help()) {
            out.print(USAGE);
            return 0;
        }
        Path dir = null;
        Process openssl = null;
        Service service = null;
        FileEventLog log = null;
        try {
            dir = options.dir().isPresent() ? Files.createTempDirectory(options.dir().get(), "certgate-bench-ocsp")
                    : Files.createTempDirectory("certgate-bench-ocsp");
            Instant now = Instant.now();
            err.println("building the PKI: " + options.serials() + " serials ...");
            OcspBenchPki pki = OcspBenchPki.build(options.serials(), options.revokedEvery(), now);
            pki.write(dir, now);

            log = FileEventLog.openForAppend(dir.resolve("store"), Clock.systemUTC());
            OpenedStore store = OpenedStore.appending(log, Progress.silent());
            store.append(List.of(new CaCertificateLoaded("bench", Blob.of(pki.ca().getEncoded())),
                    new CrlLoaded(Blob.of(pki.crl()), "file:ca.crl")));
            double appendMillis = durableAppendMillis(log);
            OcspResponders responders = OcspResponders.load(List.of(new OcspResponders.Files(
                    dir.resolve("responder.pem"), dir.resolve("responder.key"))), store.state(), now);
            // certgate serve itself: its HTTP server, gate and group commit, the endpoints mounted as serve mounts
            // them; handler threads as many as connections and a few more, as serve's default of 32 would be.
            Service.Config config = new Service.Config(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                    Optional.empty(), Optional.empty(), options.connections() + 4, Limits.DEFAULTS, Map.of())
                    .mount("/ocsp", state -> new OcspHandler(state, responders, Clock.systemUTC(), err::println))
                    .mount(NO_OP, state -> noOp());
            service = Service.start(config, ServeCommand.FORMATS, Clock.systemUTC(),
                    new PrintStream(OutputStream.nullOutputStream()));
            service.ready(log, store.replay());
            log = null; // the service closes it
            InetSocketAddress certgate = new InetSocketAddress("127.0.0.1", service.address().getPort());

            int port = freePort();
            openssl = startOpenSsl(dir, port, options.opensslProcesses());
            InetSocketAddress opensslAddress = new InetSocketAddress("127.0.0.1", port);
            awaitListening(opensslAddress, openssl, dir);

            check(certgate, "/ocsp", pki, "certgate");
            check(opensslAddress, "/", pki, "openssl ocsp");
            err.println("warming certgate's cache: each serial once ...");
            try (KeepAliveClient client = new KeepAliveClient(certgate, true)) {
                for (byte[] request : requests(pki, "/ocsp", true)) {
                    client.send(request);
                }
            }
            // Long enough for C2 to finish with both paths: with 1 s, a third of the first round's CPU went to it.
            double warmUp = Math.min(10, 2 * options.seconds());
            err.printf("warming up (%.0f s each: certgate, no-op) ...%n", warmUp);
            measure(certgate, "/ocsp", pki, options.connections(), warmUp);
            measure(certgate, NO_OP, pki, options.connections(), warmUp);
            measure(opensslAddress, "/", pki, Math.min(options.connections(), 8), 1.0);

            List<Run> ours = new ArrayList<>();
            List<Run> theirs = new ArrayList<>();
            List<Run> ceiling = new ArrayList<>();
            for (int round = 0; round < options.rounds(); round++) {
                err.printf("round %d/%d: certgate ...%n", round + 1, options.rounds());
                ours.add(measure(certgate, "/ocsp", pki, options.connections(), options.seconds()));
                err.printf("round %d/%d: no-op endpoint ...%n", round + 1, options.rounds());
                ceiling.add(measure(certgate, NO_OP, pki, options.connections(), options.seconds()));
                err.printf("round %d/%d: openssl ocsp ...%n", round + 1, options.rounds());
                theirs.add(measure(opensslAddress, "/", pki, options.connections(), options.seconds()));
            }
            report(out, options, ours, ceiling, theirs, appendMillis);
            return 0;
        } catch (IOException | ResponderException | RuntimeException e) {
            err.println("certgate bench ocsp: failed: " + e);
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("certgate bench ocsp: interrupted");
            return 1;
        } finally {
            stop(openssl);
            if (service != null) {
                service.close();
            }
            if (log != null) {
                log.close();
            }
            if (dir != null) {
                deleteTree(dir);
            }
        }
    }

    /**
     * The median time of one durable append of one answer with nobody else appending: what a round of group
     * commit costs on this file system, and so what bounds certgate's answers per second per connection.
     */
    private static double durableAppendMillis(FileEventLog log) {
        OcspAnswered answer = new OcspAnswered("1.3.14.3.2.26", "00".repeat(20), "00".repeat(20), BigInteger.ONE,
                OcspAnswered.Status.GOOD, Optional.empty());
        double[] millis = new double[50];
        for (int i = 0; i < millis.length; i++) {
            long start = System.nanoTime();
            log.append(List.of(answer));
            millis[i] = (System.nanoTime() - start) / 1e6;
        }
        return Median.of(millis);
    }

    private static void report(PrintStream out, Options options, List<Run> ours, List<Run> ceiling,
            List<Run> theirs, double appendMillis) {
        double ourRate = Median.of(ours.stream().mapToDouble(Run::rate).toArray());
        double noOpRate = Median.of(ceiling.stream().mapToDouble(Run::rate).toArray());
        double noOpP50 = Median.of(ceiling.stream().mapToDouble(Run::p50Micros).toArray());
        double noOpP99 = Median.of(ceiling.stream().mapToDouble(Run::p99Micros).toArray());
        double theirRate = Median.of(theirs.stream().mapToDouble(Run::rate).toArray());
        double ourP99 = Median.of(ours.stream().mapToDouble(Run::p99Micros).toArray());
        double theirP99 = Median.of(theirs.stream().mapToDouble(Run::p99Micros).toArray());
        double ourP50 = Median.of(ours.stream().mapToDouble(Run::p50Micros).toArray());
        double theirP50 = Median.of(theirs.stream().mapToDouble(Run::p50Micros).toArray());
        out.printf("OCSP, warm cache, %d serials, %d keep-alive connections, %.0f s x %d round(s), log in %s,"
                + " medians:%n", options.serials(), options.connections(), options.seconds(), options.rounds(),
                options.dir().map(Path::toString).orElse(System.getProperty("java.io.tmpdir")));
        out.printf("  certgate serve (its HTTP server, each answer durable in the log first): %,10.0f responses/s"
                + "  p50 %,8.0f us  p99 %,8.0f us%n", ourRate, ourP50, ourP99);
        out.printf("  no-op endpoint (mounted the same way, reads the body, 5-byte answer): %,10.0f responses/s"
                + "  p50 %,8.0f us  p99 %,8.0f us%n", noOpRate, noOpP50, noOpP99);
        out.printf("  openssl ocsp -index -port (-multi %d, signs each response):       %,10.0f responses/s"
                + "  p50 %,8.0f us  p99 %,8.0f us%n", options.opensslProcesses(), theirRate, theirP50, theirP99);
        out.printf("  certgate / openssl: %.1fx the throughput, %.2fx the p99 latency%n", ourRate / theirRate,
                ourP99 / theirP99);
        out.printf("  certgate / no-op endpoint: %.2f of the HTTP stack's ceiling%n", ourRate / noOpRate);
        double ourCpu = Median.of(ours.stream().mapToDouble(Run::cpuMicrosPerResponse).toArray());
        double noOpCpu = Median.of(ceiling.stream().mapToDouble(Run::cpuMicrosPerResponse).toArray());
        out.printf("  CPU of this JVM per response (server and load generator): certgate %.1f us, no-op %.1f us:"
                + " certgate's OCSP answer and durable append cost %.1f us of CPU more%n", ourCpu, noOpCpu,
                ourCpu - noOpCpu);
        out.printf("  of which the load generator's thread: certgate %.1f us, no-op %.1f us, openssl %.1f us%n",
                Median.of(ours.stream().mapToDouble(Run::generatorCpuMicrosPerResponse).toArray()),
                Median.of(ceiling.stream().mapToDouble(Run::generatorCpuMicrosPerResponse).toArray()),
                Median.of(theirs.stream().mapToDouble(Run::generatorCpuMicrosPerResponse).toArray()));
        double needed = 10 * theirRate;
        out.printf("  10x openssl would be %,.0f responses/s: %s%n", needed, needed > noOpRate
                ? String.format("above the no-op ceiling of this HTTP stack on this machine (%.1fx openssl),"
                        + " so no OCSP endpoint on it can reach 10x here", noOpRate / theirRate)
                : String.format("within the no-op ceiling (%.1fx openssl)", noOpRate / theirRate));
        out.printf("  connections made: certgate %d (kept alive), openssl %d (one per request: an openssl ocsp"
                + " process serves one connection at a time)%n", ours.get(ours.size() - 1).connections(),
                theirs.get(theirs.size() - 1).connections());
        out.printf("  one durable append alone (a round of group commit: write and force): median %.2f ms%n",
                appendMillis);
        out.printf("machine: %d processors, load average %.1f when done%n", Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    /** Both responders must say what the PKI says, for a sample of serials, before their speed means anything. */
    private static void check(InetSocketAddress server, String path, OcspBenchPki pki, String who)
            throws IOException {
        boolean keepAlive = path.equals("/ocsp");
        List<byte[]> requests = requests(pki, path, keepAlive);
        try (KeepAliveClient client = new KeepAliveClient(server, keepAlive)) {
            for (int i = 0; i < Math.min(20, requests.size()); i++) {
                KeepAliveClient.Response response = client.send(requests.get(i));
                try {
                    OCSPResp parsed = new OCSPResp(response.body());
                    if (response.status() != 200 || parsed.getStatus() != OCSPResp.SUCCESSFUL) {
                        throw new IllegalStateException(who + " answered HTTP " + response.status() + ", OCSP status "
                                + parsed.getStatus() + " for serial " + pki.serials().get(i));
                    }
                    Object status = ((BasicOCSPResp) parsed.getResponseObject()).getResponses()[0].getCertStatus();
                    if ((status instanceof RevokedStatus) != pki.revoked().get(i) || (status != null
                            && !(status instanceof RevokedStatus))) {
                        throw new IllegalStateException(who + " said " + status + " for serial "
                                + pki.serials().get(i) + ", revoked: " + pki.revoked().get(i));
                    }
                } catch (OCSPException | IOException e) {
                    throw new IllegalStateException(who + " sent no OCSP response: " + e.getMessage(), e);
                }
            }
        }
    }

    /**
     * One closed-loop run of the shared load generator: kept-alive connections to certgate, one connection per
     * request to OpenSSL ({@code path} "/"). Any request not answered 200 fails the run, as a responder that fails
     * under load has no rate worth reporting.
     */
    private static Run measure(InetSocketAddress server, String path, OcspBenchPki pki, int connections,
            double seconds) {
        boolean keepAlive = !path.equals("/");
        List<byte[]> requests = requests(pki, path, keepAlive);
        LoadGenerator.Target target = keepAlive ? LoadGenerator.Target.keptAlive(server)
                : LoadGenerator.Target.onePerRequest(server);
        long cpuStart = processCpuNanos();
        LoadGenerator.Result result = LoadGenerator.closedLoop(target, connections, seconds,
                i -> requests.get(Math.floorMod(i, requests.size())));
        long cpu = processCpuNanos() - cpuStart;
        if (result.failed() > 0) {
            throw new IllegalStateException(result.failed() + " of " + (result.answered() + result.failed())
                    + " requests to " + server + path + " failed (not answered 200)");
        }
        if (result.answered() == 0) {
            throw new IllegalStateException("no response in " + seconds + " s");
        }
        return new Run(result.perSecond(), result.percentileMillis(50) * 1e3, result.percentileMillis(99) * 1e3,
                result.answered(), result.connections(), cpu / 1e3 / result.answered(),
                result.generatorCpuNanos() / 1e3 / result.answered());
    }

    /**
     * The PKI's OCSP requests as whole HTTP requests to {@code path}, made once so that the clients' loop does
     * nothing but send and read.
     */
    private static List<byte[]> requests(OcspBenchPki pki, String path, boolean keepAlive) {
        return pki.requests().stream().map(body -> KeepAliveClient.request("POST", path,
                List.of("Content-Type: application/ocsp-request"), body, keepAlive)).toList();
    }

    /**
     * The ceiling of the HTTP stack: what certgate's endpoint does minus the OCSP work and the durable append. It
     * reads the request body as {@link OcspHandler} does and answers a fixed body of 5 bytes with the same
     * content type and a Content-Length, on the same server, executor and connections.
     */
    private static LoopHttpServer.NonBlocking noOp() {
        byte[] answer = new byte[] {0x30, 0x03, 0x0a, 0x01, 0x06}; // an OCSPResponse: unauthorized
        return exchange -> {
            try (exchange) {
                exchange.getRequestBody().readNBytes(16 * 1024 + 1);
                exchange.getResponseHeaders().set("Content-Type", "application/ocsp-response");
                exchange.sendResponseHeaders(200, answer.length);
                exchange.getResponseBody().write(answer);
            }
        };
    }

    private static Process startOpenSsl(Path dir, int port, int processes) throws IOException {
        List<String> command = new ArrayList<>(List.of("openssl", "ocsp", "-index", "index.txt", "-port",
                String.valueOf(port), "-rsigner", "responder.pem", "-rkey", "responder.key", "-CA", "ca.pem",
                "-ndays", "1", "-ignore_err"));
        if (processes > 1) {
            command.addAll(List.of("-multi", String.valueOf(processes)));
        }
        try {
            return new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("openssl.log").toFile()).start();
        } catch (IOException e) {
            throw new IOException("cannot start openssl (apt-get install openssl): " + e.getMessage(), e);
        }
    }

    /**
     * Waits for openssl to say it listens (its ACCEPT line, printed once the socket is bound). Probing with a
     * connection would not do: a single openssl ocsp process stops answering after a connection closed without a
     * request (OpenSSL 3.0).
     */
    private static void awaitListening(InetSocketAddress address, Process process, Path dir)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        Path log = dir.resolve("openssl.log");
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("openssl ocsp exited with " + process.exitValue() + ": " + Files.readString(log));
            }
            if (Files.exists(log) && Files.readString(log).contains("ACCEPT ")) {
                return;
            }
            Thread.sleep(50);
        }
        throw new IOException("openssl ocsp did not listen on " + address + " within 15 s: " + Files.readString(log));
    }

    /** Stops openssl and each process it forked ({@code -multi}), by PID. */
    private static void stop(Process process) {
        if (process == null) {
            return;
        }
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        children.forEach(ProcessHandle::destroy);
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    /** The CPU time of this JVM so far (all threads, user and system), or 0 where the JVM does not tell. */
    private static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return Math.max(0, os.getProcessCpuTime());
        }
        return 0;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind is the system's to clean
        }
    }
}
