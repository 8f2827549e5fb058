package certgate.bench.crl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RefreshBenchmarkTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return RefreshBenchmark.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void a_small_run_reports_well_under_a_kilobyte_per_refresh_of_an_unchanged_crl(@TempDir Path dir) {
        assertEquals(0, run("--entries", "2000", "--refreshes", "20", "--dir", dir.toString()),
                err.toString(StandardCharsets.UTF_8));
        String report = out.toString(StandardCharsets.UTF_8);
        Matcher growth = Pattern.compile("304 Not Modified ([\\d.]+) bytes; same body sent again \\(200\\) ([\\d.]+)"
                + " bytes").matcher(report);
        assertTrue(growth.find(), report);
        assertTrue(Double.parseDouble(growth.group(1)) < 1024 && Double.parseDouble(growth.group(2)) < 1024, report);
    }

    @Test
    void help_prints_the_options_and_a_bad_option_is_refused() {
        assertEquals(0, run("--help"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("--refreshes N"));
        assertEquals(2, run("--entries", "many"));
    }
}
