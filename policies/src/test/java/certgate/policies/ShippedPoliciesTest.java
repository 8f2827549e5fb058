package certgate.policies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import certgate.adapters.cli.Main;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped policies hold to what they claim, through the commands a user runs: every policy passes
 * {@code certgate check --deny-warnings}, every test file passes {@code certgate test}, the cases cover what the
 * examples are for, and the runner does fail a case that is wrong.
 */
class ShippedPoliciesTest {
    /** Tests run in the module's directory: policies/. */
    private static final Path POLICIES = Path.of("").toAbsolutePath();
    private static final Pattern SUMMARY = Pattern.compile("(?m)^(\\d+) passed, (\\d+) failed$");

    private record Run(int status, String out, String err) {
        @Override
        public String toString() {
            return "exit " + status + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private static Run certgate(List<String> args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
                PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            int status = Main.standard(Clock.fixed(Instant.parse("2030-01-01T00:00:00Z"), ZoneOffset.UTC))
                    .run(args, new ByteArrayInputStream(new byte[0]), o, e);
            return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        }
    }

    private static List<Path> yaml(boolean tests) throws IOException {
        List<Path> found = new ArrayList<>();
        for (Path dir : List.of(POLICIES, POLICIES.resolve("examples"))) {
            try (Stream<Path> files = Files.list(dir)) {
                files.filter(p -> p.toString().endsWith(".yaml") && p.toString().endsWith(".tests.yaml") == tests)
                        .sorted().forEach(found::add);
            }
        }
        return found;
    }

    private static List<String> strings(List<Path> paths) {
        return paths.stream().map(Path::toString).toList();
    }

    @Test
    void every_shipped_policy_passes_check_without_a_warning() throws IOException {
        List<Path> policies = yaml(false);
        assertTrue(policies.size() >= 3, policies.toString());
        List<String> args = new ArrayList<>(List.of("check", "--deny-warnings"));
        args.addAll(strings(policies));
        Run run = certgate(args);
        assertEquals(0, run.status(), run.toString());
        for (Path policy : policies) {
            assertTrue(run.out().contains(policy + ": ok, revision "), run.out());
        }
    }

    @Test
    void every_shipped_policy_has_a_test_file_and_every_test_file_passes() throws IOException {
        List<Path> tests = yaml(true);
        for (Path policy : yaml(false)) {
            Path testFile = Path.of(policy.toString().replace(".yaml", ".tests.yaml"));
            assertTrue(tests.contains(testFile), policy + " has no " + testFile.getFileName());
        }
        List<String> args = new ArrayList<>(List.of("test"));
        args.addAll(strings(tests));
        Run run = certgate(args);
        assertEquals(0, run.status(), run.toString());
        Matcher summary = SUMMARY.matcher(run.out());
        assertTrue(summary.find(), run.out());
        assertEquals("0", summary.group(2), run.out());
        long cases = run.out().lines().filter(line -> line.startsWith("  ok    ")).count();
        assertEquals(Long.parseLong(summary.group(1)), cases, run.out());
        assertTrue(cases >= 25, run.out());
    }

    @Test
    void the_cases_cover_acceptance_both_dn_rules_and_the_main_rejections() throws IOException {
        StringBuilder all = new StringBuilder();
        for (Path file : yaml(true)) {
            all.append(Files.readString(file));
        }
        String text = all.toString();
        assertTrue(text.contains("verdict: accept"), "no accepting case");
        for (String reason : List.of("IDENTITY_MISMATCH", "REVOKED", "EXPIRED", "NOT_YET_VALID", "GATEWAY_NOT_FOUND",
                "NO_TRUSTED_PATH", "NOT_A_CERTIFICATE_GATEWAY")) {
            assertTrue(text.contains("reason: " + reason), "no case expects " + reason);
        }
        // accepted through each DN rule: branches (wildcard) and engr-central (container)
        assertTrue(Files.readString(POLICIES.resolve("branch-offices.yaml")).contains("wildcard:"));
        assertTrue(text.contains("{verdict: accept, gateway: branches}"), "no case accepted by the wildcard rule");
        assertTrue(Files.readString(POLICIES.resolve("strict-container.yaml")).contains("container:"));
        assertTrue(text.contains("{verdict: accept, gateway: engr-central}"), "no case accepted by the container");
    }

    @Test
    void a_case_that_expects_the_wrong_thing_is_reported_as_failing(@TempDir Path dir) throws IOException {
        Files.copy(POLICIES.resolve("branch-offices.yaml"), dir.resolve("branch-offices.yaml"));
        String cases = Files.readString(POLICIES.resolve("branch-offices.tests.yaml"));
        String wrong = cases.replace("expect: {verdict: reject, reason: REVOKED, gateway: branches}",
                "expect: {verdict: accept, gateway: branches}");
        assertFalse(wrong.equals(cases), "the revoked case to flip is gone from branch-offices.tests.yaml");
        Path file = dir.resolve("branch-offices.tests.yaml");
        Files.writeString(file, wrong);
        Run run = certgate(List.of("test", file.toString()));
        assertEquals(1, run.status(), run.toString());
        assertTrue(run.out().contains("  FAIL  a revoked branch certificate is rejected"), run.out());
        assertTrue(run.out().contains("verdict    accept                         reject   <- differs"), run.out());
        assertTrue(run.out().contains("revocation   fail"), run.out());
        Matcher summary = SUMMARY.matcher(run.out());
        assertTrue(summary.find(), run.out());
        assertEquals("1", summary.group(2), run.out());
    }
}
