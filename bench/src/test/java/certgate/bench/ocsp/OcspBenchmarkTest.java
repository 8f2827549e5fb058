package certgate.bench.ocsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OcspBenchmarkTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return OcspBenchmark.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    /** The harness needs the real openssl as the other responder: skipped with one line without it, unless CI. */
    private static void assumeOpenSsl() throws InterruptedException {
        boolean available;
        try {
            Process process = new ProcessBuilder("openssl", "version").redirectErrorStream(true).start();
            available = process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            available = false;
        }
        String why = "OpenSSL is not on the PATH: bench ocsp runs openssl ocsp (apt-get install openssl)";
        if (!available && "true".equals(System.getenv("CI"))) {
            throw new AssertionError(why + "; CI=true requires it");
        }
        if (!available) {
            System.err.println("certgate: " + why + "; skipping");
        }
        assumeTrue(available, why);
    }

    @Test
    void a_small_run_checks_both_responders_and_reports_their_rates_side_by_side(@TempDir Path dir)
            throws Exception {
        assumeOpenSsl();
        assertEquals(0, run("--serials", "20", "--connections", "2", "--seconds", "0.5", "--rounds", "1",
                "--openssl-processes", "1", "--dir", dir.toString()), err.toString(StandardCharsets.UTF_8));
        String report = out.toString(StandardCharsets.UTF_8);
        assertTrue(report.matches("(?s).*certgate .*: +[\\d,]+ responses/s +p50 +[\\d,]+ us +p99 +[\\d,]+ us.*"
                + "no-op endpoint .*: +[\\d,]+ responses/s .*"
                + "openssl ocsp .*: +[\\d,]+ responses/s .*certgate / openssl: \\d+\\.\\dx the throughput.*"
                + "certgate / no-op endpoint: \\d\\.\\d\\d of the HTTP stack's ceiling.*"
                + "10x openssl would be [\\d,]+ responses/s: (above|within) the no-op ceiling.*"
                + "one durable append alone .*: median \\d+\\.\\d\\d ms.*"), report);
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(0, left.count(), "the run's directory is deleted, and openssl stopped with it");
        }
    }

    @Test
    void help_prints_the_options_and_a_bad_option_is_refused_with_them() {
        assertEquals(0, run("--help"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("--connections N"));
        assertEquals(2, run("--connections", "0"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--connections must be 1..1024, was 0"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("usage: certgate bench ocsp"));
    }
}
