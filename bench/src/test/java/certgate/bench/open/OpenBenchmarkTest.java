package certgate.bench.open;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import certgate.adapters.store.Audit;
import certgate.adapters.store.Progress;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OpenBenchmarkTest {
    @TempDir
    Path dir;

    private record Run(int status, String out, String err) {
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = OpenBenchmark.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void a_small_run_opens_the_store_both_ways_with_the_same_fold_and_reports_every_figure() {
        Path kept = dir.resolve("open-bench");

        Run run = run("--decisions", "2000", "--crl-entries", "3000", "--peers", "100", "--rounds", "2", "--dir",
                kept.toString());

        assertEquals(0, run.status(), run.out() + run.err());
        assertTrue(run.out().contains("a store of 4006 events (2000 decisions over 100 peers, a CRL of 3000"),
                run.out());
        assertTrue(run.out().matches("(?s).*snapshot at the head: \\d+\\.\\d MiB, written in \\d+ ms.*"), run.out());
        assertTrue(run.out().matches("(?s).*open as 'replay' \\(reader\\): whole log [\\d,]+ ms, from the snapshot"
                + " [\\d,]+ ms: \\d+\\.\\dx.*"), run.out());
        assertTrue(run.out().contains("open as 'validate' (writer"), run.out());
        assertTrue(Files.isRegularFile(kept.resolve("peer.pem")));
        Audit.Result audit = Audit.run(kept.resolve("store"), Optional.empty(), Optional.empty(), mismatch -> { },
                Progress.silent());
        assertTrue(audit.passed(), "the kept store audits clean");
        assertEquals(2000, audit.audited());
    }

    @Test
    void refuses_bad_options_and_an_existing_directory() {
        assertEquals(2, run("--decisions", "0").status());
        assertEquals(2, run("--frobnicate").status());
        assertEquals(2, run("--dir", dir.toString(), "--quick").status());
        assertEquals(0, run("--help").status());
    }
}
