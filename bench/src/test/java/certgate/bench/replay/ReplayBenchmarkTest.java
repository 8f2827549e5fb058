package certgate.bench.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

class ReplayBenchmarkTest {
    @TempDir
    Path dir;

    private record Run(int status, String out, String err) {
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = ReplayBenchmark.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void a_small_run_builds_a_store_that_audits_clean_and_reports_every_figure() {
        Path store = dir.resolve("bench-store");

        Run run = run("--decisions", "3000", "--peers", "40", "--rounds", "1", "--threads", "2", "--dir",
                store.toString());

        assertEquals(0, run.status(), run.out() + run.err());
        assertTrue(run.out().contains("3000 decisions over 40 peer certificates"), run.out());
        assertTrue(run.out().contains("decisions by reason: {OK=2700, REVOKED=300}"), run.out());
        assertTrue(run.out().contains("replay without re-deciding: "), run.out());
        assertTrue(run.out().contains("replay re-deciding, 1 thread: "), run.out());
        assertTrue(run.out().contains("replay re-deciding, 2 threads: "), run.out());
        assertTrue(run.out().matches("(?s).*bytes on disk per decision: \\d+\\.\\d .*"), run.out());
        assertTrue(Files.isDirectory(store), "--dir keeps the store");
        assertTrue(run.err().contains("round 1 of 1"), run.err());
        Audit.Result audit = Audit.run(store, Optional.empty(), Optional.empty(), mismatch -> { },
                Progress.silent());
        assertTrue(audit.passed(), "the kept store is one the commands read and audit clean");
        assertEquals(3000, audit.audited());
        assertEquals(6006, audit.replay().events(), "3 CAs, 3 CRLs, 3000 requests and 3000 decisions");
    }

    @Test
    void refuses_bad_options_and_an_existing_directory() {
        assertEquals(2, run("--decisions", "0").status());
        assertEquals(2, run("--rounds").status());
        assertEquals(2, run("--threads", "0").status());
        assertEquals(2, run("--frobnicate").status());
        assertEquals(2, run("--decisions", "10", "--dir", dir.toString()).status());
        Run help = run("--help");
        assertEquals(0, help.status());
        assertTrue(help.out().startsWith("usage: certgate bench replay"), help.out());
        assertFalse(help.out().contains("\t"));
    }
}
