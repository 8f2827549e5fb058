package certgate.bench.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class WhatifBenchmarkTest {
    private record Run(int status, String out, String err) {
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = WhatifBenchmark.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void a_small_run_measures_audit_and_whatif_on_the_same_store() {
        Run run = run("--decisions", "2000", "--peers", "40", "--rounds", "1", "--threads", "2");

        assertEquals(0, run.status(), run.out() + run.err());
        assertTrue(run.out().contains("2000 decisions over 40 peer certificates"), run.out() + run.err());
        assertTrue(run.out().contains("audit, 1 thread: "), run.out() + run.err());
        assertTrue(run.out().contains("audit, 2 threads (its default here): "), run.out() + run.err());
        assertTrue(run.out().contains("whatif, 1 thread, the live policy: "), run.out() + run.err());
        assertTrue(run.out().contains("whatif, 2 threads, the live policy: "), run.out() + run.err());
        assertTrue(run.out().contains("whatif, 2 thread(s), revocation off (200 changes): "), run.out() + run.err());
        assertTrue(run.out().contains("target: whatif >= audit's rate: "), run.out() + run.err());
        assertTrue(run.err().contains("round 1 of 1"), run.err());
    }

    @Test
    void refuses_bad_options() {
        assertEquals(2, run("--decisions", "0").status());
        assertEquals(2, run("--dir", "x").status());
        assertEquals(0, run("--help").status());
    }
}
