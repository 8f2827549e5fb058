package certgate.bench;

import certgate.adapters.cli.Command;
import certgate.adapters.cli.ExitStatus;
import certgate.adapters.cli.Main;
import certgate.adapters.cli.Terminal;
import certgate.bench.crl.CrlBenchmark;
import certgate.bench.crl.FetchBenchmark;
import certgate.bench.crl.RefreshBenchmark;
import certgate.bench.log.LogBenchmark;
import certgate.bench.ocsp.OcspBenchmark;
import certgate.bench.open.OpenBenchmark;
import certgate.bench.replay.ReplayBenchmark;
import certgate.bench.serve.ServeBenchmark;
import certgate.bench.replay.WhatifBenchmark;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.List;

/**
 * {@code certgate bench [crl|log|replay|ocsp] [OPTIONS]}: the benchmark harnesses behind BENCHMARKS.md, each run
 * {@code certgate bench [crl|fetch|log|replay] [OPTIONS]}: the benchmark harnesses behind BENCHMARKS.md, each run
 * against its baselines in the same JVM. The harnesses parse their own options and answer {@code --help}.
 *
 * <p>It lives in its own module so that the tool's jar carries no benchmark code: {@link Main} finds it through
 * {@link java.util.ServiceLoader} (META-INF/services) when the bench jar is on the class path, which the
 * {@code certgate} launcher arranges for {@code certgate bench}.
 */
public final class BenchCommand implements Command {

    /** The form {@link java.util.ServiceLoader} instantiates. */
    public BenchCommand() {
    }

    @Override
    public String name() {
        return "bench";
    }

    @Override
    public String summary() {
        return "measure what BENCHMARKS.md reports: CRL loading and fetching, decisions, the log, replay, the service, OCSP";
    }

    @Override
    public String help() {
        return """
                Usage: certgate bench [crl] [OPTIONS]     CRL load and decisions per second against the JDK's
                                                          and BouncyCastle's PKIX validators (the default)
                       certgate bench fetch [OPTIONS]     a large CRL fetched over HTTP, verified and indexed,
                                                          against loading it from a file, with peak heap
                       certgate bench log [OPTIONS]       durable appends per second and replay of the log
                       certgate bench replay [OPTIONS]    replay of a store of decisions, with and without
                                                          re-deciding each one
                       certgate bench serve [OPTIONS]     the decision service under load (closed and open
                                                          loop) against a no-op endpoint on the same HTTP stack
                       certgate bench ocsp [OPTIONS]      OCSP responses per second and p99 latency against
                                                          openssl ocsp answering the same requests
                       certgate bench open [OPTIONS]      opening a store of a large CRL and many decisions,
                                                          from the whole log and from a snapshot
                       certgate bench whatif [OPTIONS]    whatif against audit on the same store of decisions
                                                          made under a policy
                       certgate bench refresh [OPTIONS]   log growth per refresh of an unchanged CRL (304,
                                                          or the same body sent again)

                Each harness answers --help with its options (sizes, rounds, --quick for a smoke run). Figures are
                medians over rounds; progress goes to stderr, the report to stdout.

                Exit status: 0 done, 2 usage error
                """;
    }

    @Override
    public int run(List<String> args, InputStream stdin, PrintStream stdout, PrintStream stderr) {
        if (!args.isEmpty() && (args.get(0).equals("--help") || args.get(0).equals("-h"))) {
            stdout.print(help());
            return ExitStatus.OK;
        }
        String which = args.isEmpty() || args.get(0).startsWith("-") ? "crl" : args.get(0);
        List<String> rest = args.isEmpty() || args.get(0).startsWith("-") ? args : args.subList(1, args.size());
        return switch (which) {
            case "crl" -> CrlBenchmark.run(rest, stdout, stderr);
            case "fetch" -> FetchBenchmark.run(rest, stdout, stderr);
            case "log" -> LogBenchmark.run(rest, stdout, stderr);
            case "replay" -> ReplayBenchmark.run(rest, stdout, stderr);
            case "serve" -> ServeBenchmark.run(rest, stdout, stderr);
            case "ocsp" -> OcspBenchmark.run(rest, stdout, stderr);
            case "open" -> OpenBenchmark.run(rest, stdout, stderr);
            case "whatif" -> WhatifBenchmark.run(rest, stdout, stderr);
            case "refresh" -> RefreshBenchmark.run(rest, stdout, stderr);
            default -> {
                stderr.println(Main.PROGRAM + " bench: unknown benchmark '" + Terminal.safe(which)
                        + "' (one of crl, fetch, log, replay, serve, ocsp, open, whatif, refresh); see '" + Main.PROGRAM
                        + " bench --help'");
                yield ExitStatus.USAGE;
            }
        };
    }
}
