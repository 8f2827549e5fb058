package certgate.adapters.cli;

import certgate.adapters.policy.PolicySource;
import certgate.adapters.policy.PolicyTestFile;
import certgate.adapters.policy.PolicyTestRun;
import certgate.adapters.policy.PolicyTestRun.Outcome;
import certgate.adapters.policy.TestFileException;
import certgate.adapters.policy.TestFileParser;
import certgate.dsl.Diagnostic;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * {@code certgate test TESTFILE...}: runs the cases of policy test files ({@code *.tests.yaml}) and shows each
 * failing case with expected and actual side by side, and the decision's trace.
 */
public final class TestCommand implements Command {
    private static final List<String> ROWS = List.of("verdict", "reason", "gateway");

    private final Clock clock;
    private final Path workingDirectory;

    public TestCommand(Clock clock) {
        this(clock, Path.of(""));
    }

    TestCommand(Clock clock, Path workingDirectory) {
        this.clock = clock;
        this.workingDirectory = workingDirectory;
    }

    @Override
    public String name() {
        return "test";
    }

    @Override
    public String summary() {
        return "run a policy's test cases (*.tests.yaml) against it, with throw-away CAs";
    }

    @Override
    public String help() {
        return """
                Usage: certgate test TESTFILE... [--format text|json]

                Runs policy test files: each names a policy (relative to the test file), a decision time
                ('at', default now) and cases. For the run, certgate makes one throw-away CA per CA profile
                of the policy (EC P-256; subject the profile's ca-identity, if it has one), issues each
                case's peer certificate (subject, subjectAltNames, validity) from the CA of the case's
                profile, puts the peers marked revoked on that CA's CRL, and decides each case under the
                policy as 'certgate verify --policy' would: gateway lookup by the case's IKE ID (or the
                gateway the case names), then the gateway's CA profile.

                A case passes when the verdict, and the reason and gateway if the case gives them, are as
                expected. Every case gets a line (ok or FAIL); a failing case shows expected and actual
                side by side, then the trace. The last line is "N passed, M failed".

                --format json prints JSON lines instead: {"case": {...}} for each case (file, line, name,
                passed, expected, actual, differs, and the decision as 'certgate verify --format json'
                prints it), then {"summary": {"passed", "failed", "filesNotRun"}}.

                Case format (see policies/README.md):
                  - name: a revoked branch certificate is rejected
                    peer: {subject: "CN=b1, OU=Branches, O=Corp", san: ["dns:b1.corp.example"],
                           validity: valid|expired|not-yet-valid, revoked: true, profile: corp}
                    ike-id: "dn:CN=b1, OU=Branches, O=Corp"
                    expect: {verdict: reject, reason: REVOKED, gateway: branches}

                Exit status:
                  0  every case passed
                  1  a case failed
                  2  usage error; a test file or its policy that cannot be read, parsed or compiled
                     (each problem located FILE:LINE:COLUMN)
                """;
    }

    @Override
    public int run(List<String> argv, InputStream stdin, PrintStream stdout, PrintStream stderr) {
        Args args;
        boolean json;
        try {
            args = Args.parser().value("--format").positionals("TESTFILE", 1, Integer.MAX_VALUE).parse(argv);
            if (args.helpRequested()) {
                stdout.print(help());
                return ExitStatus.OK;
            }
            json = DecisionOptions.json(args);
        } catch (UsageException e) {
            return Main.usageError(name(), e, stderr);
        }
        long passed = 0;
        long failed = 0;
        boolean invalid = false;
        for (String file : args.positionals()) {
            Optional<PolicyTestRun.Result> result = runFile(file, stdout, stderr);
            if (result.isEmpty()) {
                invalid = true;
                continue;
            }
            if (json) {
                printJson(result.get(), stdout);
            } else {
                print(result.get(), stdout);
            }
            passed += result.get().passed();
            failed += result.get().failed();
        }
        if (json) {
            ObjectNode summary = DecisionFormat.object();
            summary.putObject("summary").put("passed", passed).put("failed", failed).put("filesNotRun", invalid);
            stdout.println(DecisionFormat.oneLine(summary));
        } else {
            stdout.println(passed + " passed, " + failed + " failed"
                    + (invalid ? " (and test files that could not run: see above)" : ""));
        }
        stdout.flush();
        return invalid ? ExitStatus.USAGE : failed > 0 ? ExitStatus.REJECTED : ExitStatus.OK;
    }

    private Optional<PolicyTestRun.Result> runFile(String file, PrintStream stdout, PrintStream stderr) {
        Path path = workingDirectory.resolve(file);
        String prefix = Main.PROGRAM + " " + name() + ": ";
        byte[] bytes;
        try {
            if (Files.isDirectory(path)) {
                stderr.println(prefix + Terminal.safe(file) + ": is a directory, not a test file");
                return Optional.empty();
            }
            if (Files.size(path) > TestFileParser.MAX_BYTES) {
                stderr.println(prefix + Terminal.safe(file) + ": larger than 1 MiB, the limit for test files");
                return Optional.empty();
            }
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            stderr.println(prefix + Terminal.safe(file) + ": no such file");
            return Optional.empty();
        } catch (AccessDeniedException e) {
            stderr.println(prefix + Terminal.safe(file) + ": permission denied");
            return Optional.empty();
        } catch (IOException e) {
            stderr.println(prefix + Terminal.safe(file) + ": cannot read: " + Terminal.safe(String.valueOf(
                    e.getMessage())));
            return Optional.empty();
        }
        try {
            PolicyTestFile tests = TestFileParser.parse(file, bytes);
            Path policyPath = resolveSibling(path, tests.policy());
            String policyName = resolveSibling(Path.of(file), tests.policy()).toString();
            PolicySource source;
            try {
                source = PolicySource.read(policyPath, policyName);
            } catch (PolicySource.Unreadable e) {
                stderr.println(prefix + Terminal.safe(file) + ":" + tests.policyAt().line() + ":"
                        + tests.policyAt().column() + ": the policy " + Terminal.safe(e.getMessage()));
                return Optional.empty();
            }
            if (source.policy().isEmpty()) {
                stderr.println(prefix + Terminal.safe(file) + ": its policy " + Terminal.safe(policyName)
                        + " does not compile:");
                for (Diagnostic diagnostic : source.result().errors()) {
                    CheckCommand.printLines(diagnostic.toString(), stderr);
                }
                return Optional.empty();
            }
            return Optional.of(PolicyTestRun.run(tests, source, clock.instant()));
        } catch (TestFileException e) {
            stderr.println(prefix + Terminal.safe(file) + " cannot run:");
            for (TestFileException.Problem problem : e.problems()) {
                CheckCommand.printLines(problem.toString(), stderr);
            }
            return Optional.empty();
        }
    }

    private static Path resolveSibling(Path testFile, String policy) {
        Path parent = testFile.getParent();
        return parent == null ? Path.of(policy) : parent.resolve(policy);
    }

    private static void print(PolicyTestRun.Result result, PrintStream out) {
        out.println(Terminal.safe(result.tests().file()) + ": policy " + Terminal.safe(result.tests().policy())
                + " (revision " + PolicySource.shortRevision(result.policy().revision()) + "), "
                + result.outcomes().size() + " case(s) at " + result.at());
        for (Outcome outcome : result.outcomes()) {
            String where = "(" + result.tests().file() + ":" + outcome.testCase().at().line() + ")";
            if (outcome.passed()) {
                out.println("  ok    " + Terminal.safe(outcome.testCase().name()));
                continue;
            }
            out.println("  FAIL  " + Terminal.safe(outcome.testCase().name()) + " " + Terminal.safe(where));
            out.println(String.format("        %-10s %-30s %s", "", "expected", "actual"));
            for (String row : ROWS) {
                String expected = PolicyTestRun.expectedText(outcome.testCase(), row);
                String actual = actual(outcome, row);
                String mark = outcome.mismatches().contains(row) ? "   <- differs" : "";
                out.println(String.format("        %-10s %-30s %s%s", row, Terminal.safe(expected),
                        Terminal.safe(actual), mark).stripTrailing());
            }
            out.println("        trace:");
            DecisionFormat.text(outcome.decision()).lines()
                    .forEach(line -> out.println("          " + line));
        }
        out.println("  " + result.passed() + " passed, " + result.failed() + " failed");
    }

    /** One JSON line per case: {"case": {...}} with the decision as 'certgate verify --format json' prints it. */
    private static void printJson(PolicyTestRun.Result result, PrintStream out) {
        for (Outcome outcome : result.outcomes()) {
            ObjectNode line = DecisionFormat.object();
            ObjectNode node = line.putObject("case").put("file", result.tests().file())
                    .put("line", outcome.testCase().at().line()).put("name", outcome.testCase().name())
                    .put("policy", result.tests().policy()).put("policyRevision", result.policy().revision())
                    .put("at", result.at().toString()).put("passed", outcome.passed());
            ObjectNode expected = node.putObject("expected");
            ObjectNode actual = node.putObject("actual");
            for (String row : ROWS) {
                expected.put(row, PolicyTestRun.expectedText(outcome.testCase(), row));
                actual.put(row, actual(outcome, row));
            }
            outcome.mismatches().forEach(node.putArray("differs")::add);
            node.set("decision", DecisionFormat.json(outcome.testCase().name(), outcome.decision()));
            out.println(DecisionFormat.oneLine(line));
        }
    }

    private static String actual(Outcome outcome, String row) {
        return switch (row) {
            case "verdict" -> DecisionFormat.lower(outcome.decision().verdict());
            case "reason" -> outcome.decision().reason().name();
            case "gateway" -> outcome.gateway().orElse("(none)");
            default -> throw new IllegalArgumentException(row);
        };
    }
}
