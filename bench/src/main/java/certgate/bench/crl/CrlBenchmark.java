package certgate.bench.crl;

import certgate.bench.Arguments;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code certgate bench}: certgate against the JDK's and BouncyCastle's PKIX validators on the same inputs in the
 * same run: loading a large CRL, and decisions per second with it in force. See
 * {@link BenchRun} for what is measured and how.
 */
public final class CrlBenchmark {
    static final String USAGE = String.join("\n",
            "usage: certgate bench [--peers N] [--crl-entries N] [--rounds N] [--warmup N]",
            "                      [--budget SECONDS] [--max-validations N] [--quick] [--help]",
            "",
            "Builds a 3-level RSA-2048 hierarchy, peer certificates and a large CRL from the issuing CA, then",
            "reports, against the JDK's and BouncyCastle's PKIX validators on the same inputs:",
            "  - loading the CRL: certgate's index (parse + signature) vs CertificateFactory.generateCRL,",
            "    and retained heap bytes per entry;",
            "  - decisions per second with the CRL in force, fresh peer certificates, and the bare RSA-2048",
            "    verify rate of one core.",
            "Figures are medians over rounds, after warm-up rounds that are not counted (a gateway decides",
            "for days: the figure to compare is the compiled code's). Progress goes to stderr, the report",
            "to stdout.",
            "",
            "  --peers N            peer certificates (default 2000; every 50th is on the CRL,",
            "                       with --quick every 10th)",
            "  --crl-entries N      random serials on the issuing CA's CRL (default 1000000)",
            "  --rounds N           rounds to take the median of (default 5)",
            "  --warmup N           certgate decision rounds before the counted ones, each on a fresh engine",
            "                       (default 10; --quick 1); the JDK, BouncyCastle and the bare verify get",
            "                       one uncounted round each (a JDK round re-reads the whole CRL per peer,",
            "                       so it is compiled within its first validation)",
            "  --budget SECONDS     time budget of a JDK/BouncyCastle round (default 10)",
            "  --max-validations N  validations in a JDK/BouncyCastle round at most (default 100)",
            "  --quick              small sizes for a smoke test (40 peers, 5000 entries, 2 rounds)",
            "  --help               this text",
            "",
            "Give the JVM room for the baselines' CRL objects: -Xmx4g for a million entries.");

    private CrlBenchmark() {
    }

    /** Runs the benchmark; 0 when it ran, 2 on a usage error, 1 when it could not run. */
    public static int run(List<String> args, PrintStream out, PrintStream err) {
        Optional<Options> parsed;
        try {
            parsed = Options.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("certgate bench: " + e.getMessage());
            err.println("run 'certgate bench --help' for the options");
            return 2;
        }
        if (parsed.isEmpty()) {
            out.println(USAGE);
            return 0;
        }
        try {
            new BenchRun(parsed.get(), out, err).run();
            return 0;
        } catch (RuntimeException | OutOfMemoryError e) {
            err.println("certgate bench: could not finish: " + e);
            return 1;
        }
    }

    public static void main(String[] args) {
        System.exit(run(List.of(args), System.out, System.err));
    }

    /** The benchmark's sizes; {@code --quick} sets small defaults that later options still override. */
    record Options(int peers, int crlEntries, int rounds, int warmupRounds, double budgetSeconds,
                   int maxValidations, int revokedEvery, boolean quick) {

        /** The options, or empty when help was asked for. */
        static Optional<Options> parse(List<String> args) {
            Arguments arguments = new Arguments(args);
            boolean quick = arguments.contains("--quick");
            int peers = quick ? 40 : 2_000;
            int crlEntries = quick ? 5_000 : 1_000_000;
            int rounds = quick ? 2 : 5;
            int warmup = quick ? 1 : 10;
            double budget = quick ? 1 : 10;
            int maxValidations = quick ? 10 : 100;
            while (arguments.hasNext()) {
                String arg = arguments.option();
                switch (arg) {
                    case "--help", "-h" -> {
                        return Optional.empty();
                    }
                    case "--quick" -> {
                        // applied above, before the options that may override it
                    }
                    case "--peers" -> peers = arguments.number(arg, 1, 1_000_000);
                    case "--crl-entries" -> crlEntries = arguments.number(arg, 0, 5_000_000);
                    case "--rounds" -> rounds = arguments.number(arg, 1, 100);
                    case "--warmup" -> warmup = arguments.number(arg, 0, 1_000);
                    case "--budget" -> budget = arguments.seconds(arg, 3_600);
                    case "--max-validations" -> maxValidations = arguments.number(arg, 1, 1_000_000);
                    default -> throw Arguments.unknown(arg);
                }
            }
            return Optional.of(new Options(peers, crlEntries, rounds, warmup, budget, maxValidations, quick ? 10 : 50,
                    quick));
        }

        String describe() {
            return String.format(Locale.ROOT, "%d peers, %d CRL entries, %d rounds after %d warm-up rounds, "
                    + "baseline rounds of %d validations or %.1f s", peers, crlEntries, rounds, warmupRounds,
                    maxValidations, budgetSeconds);
        }
    }
}
