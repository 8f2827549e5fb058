package certgate.bench.crl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class FetchBenchmarkTest {
    private static final String NUMBER = "\\s+[0-9]+(\\.[0-9]+)?";

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void a_quick_run_reports_both_paths_their_ratio_and_the_heap() {
        Run run = run("--quick", "--crl-entries", "2000", "--rounds", "1", "--warmup", "0", "--no-heap-probe");

        assertEquals(0, run.status, run.err);
        for (String figure : List.of("from disk: PkiFiles \\+ LoadCheck \\+ apply \\(certgate load\\)",
                "from HTTP: fetch \\+ admitCrl \\+ apply", "ratio HTTP / disk",
                "from HTTP: kept by the new state \\(after GC\\)",
                "from disk: kept by the new state \\(after GC\\)")) {
            assertTrue(Pattern.compile("(?m)^  " + figure + NUMBER).matcher(run.out).find(),
                    "a figure for '" + figure + "' in:\n" + run.out);
        }
        assertTrue(run.out.contains("CRL of 2000 entries"), run.out);
        assertTrue(run.out.contains("served from http://127.0.0.1:"), run.out);
        assertTrue(run.out.contains("target <= 1.5x"), run.out);
        assertTrue(run.out.contains("from HTTP: peak live (least -Xmx minus setup's)          not measured"), run.out);
        assertTrue(run.err.contains("[bench] round 1 of 1"), run.err);
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void the_heap_probe_finds_a_peak_for_each_path_against_its_target() {
        Run run = run("--crl-entries", "1000", "--rounds", "1", "--warmup", "0");

        assertEquals(0, run.status, run.err);
        for (String figure : List.of("from HTTP: peak live \\(least -Xmx minus setup's\\)",
                "from disk: peak live \\(least -Xmx minus setup's\\)")) {
            assertTrue(Pattern.compile("(?m)^  " + figure + NUMBER).matcher(run.out).find(),
                    "a figure for '" + figure + "' in:\n" + run.out);
        }
        assertTrue(run.out.contains("target <= 2x"), run.out);
        for (String stage : List.of("fetch \\(the fetcher's own need\\)",
                "fetch \\+ Blob.takingOwnershipOf \\+ admitCrl")) {
            assertTrue(Pattern.compile("(?m)^    " + stage + NUMBER).matcher(run.out).find(),
                    stage + " in:\n" + run.out);
        }
        assertTrue(run.err.contains("http in ") && run.err.contains("out of heap"), run.err);
    }

    @Test
    void help_prints_the_options() {
        Run run = run("--help");
        assertEquals(0, run.status);
        for (String option : List.of("--crl-entries", "--rounds", "--warmup", "--no-heap-probe", "--quick")) {
            assertTrue(run.out.contains(option), option);
        }
    }

    @Test
    void a_bad_option_is_a_usage_error_naming_it() {
        Run unknown = run("--peers", "3");
        assertEquals(2, unknown.status);
        assertTrue(unknown.err.contains("certgate bench fetch: unknown option '--peers'"), unknown.err);
    }

    private record Run(int status, String out, String err) {
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = FetchBenchmark.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
