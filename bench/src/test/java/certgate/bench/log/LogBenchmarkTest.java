package certgate.bench.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogBenchmarkTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return LogBenchmark.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void a_small_run_reports_append_and_replay_rates_and_bytes_per_decision(@TempDir Path dir) throws Exception {
        assertEquals(0, run("--events", "3000", "--appends", "400", "--threads", "8", "--rounds", "1", "--dir",
                dir.toString()), err.toString(StandardCharsets.UTF_8));
        String report = out.toString(StandardCharsets.UTF_8);
        assertTrue(report.matches("(?s)durable appends .*: [\\d,]+ events/s .*replay .*: [\\d,]+ events/s = "
                + "[\\d,]+ decisions/s .*bytes on disk per decision .*: \\d+\\.\\d .*"), report);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("replay round 1/1"), "progress on stderr");
        assertTrue(Files.exists(dir.resolve("replay")), "the replay store stays in a --dir given");
    }

    @Test
    void help_prints_the_options_and_a_bad_option_is_refused_with_them() {
        assertEquals(0, run("--help"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("--events N"));
        assertEquals(2, run("--events", "many"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--events must be a whole number, was 'many'"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("usage: certgate bench log"));
    }
}
