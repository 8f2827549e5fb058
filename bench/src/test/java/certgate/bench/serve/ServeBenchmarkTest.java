package certgate.bench.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ServeBenchmarkTest {
    @TempDir
    Path dir;

    private record Run(int status, String out, String err) {
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = ServeBenchmark.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void a_quick_run_serves_every_request_and_reports_every_figure() {
        Path kept = dir.resolve("bench");

        Run run = run("--quick", "--dir", kept.toString());

        System.out.print(run.out());
        assertEquals(0, run.status(), run.out() + run.err());
        for (String expected : List.of("no-op endpoint (same HTTP stack)", "POST /v1/decisions, repeated peers",
                "POST /v1/decisions, fresh peers", "repeated peers / no-op throughput: ", "open loop at half",
                "p99 at half of sustained, repeated peers: ", "group commit: ")) {
            assertTrue(run.out().contains(expected), expected + " missing from:\n" + run.out());
        }
        assertTrue(Files.isRegularFile(kept.resolve("serve.log")), "--dir keeps the store and the request log");
    }

    @Test
    void refuses_bad_options() {
        assertEquals(2, run("--peers", "1").status());
        assertEquals(2, run("--frobnicate").status());
        assertEquals(0, run("--help").status());
    }
}
