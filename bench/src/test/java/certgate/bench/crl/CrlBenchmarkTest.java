package certgate.bench.crl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class CrlBenchmarkTest {
    private static final String NUMBER = "\\s+[0-9]+(\\.[0-9]+)?";

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void a_quick_run_reports_every_figure_and_ratio_and_right_verdicts() {
        Run run = run("--quick", "--peers", "12", "--crl-entries", "300", "--rounds", "1", "--budget", "0.2",
                "--max-validations", "4");

        assertEquals(0, run.status, run.err);
        for (String figure : List.of("certgate CrlIndex.parse \\+ RSA signature", "JDK CertificateFactory.generateCRL",
                "JDK generateCRL \\+ X509CRL.verify", "BC X509CRLHolder \\+ JcaX509CRLConverter \\(info\\)",
                "ratio JDK generateCRL / certgate", "certgate retainedBytes\\(\\) / size",
                "certgate heap delta after GC / size", "JDK X509CRL heap delta after GC / size",
                "certgate Engine.decide", "JDK PKIX \\(SUN\\)", "BC PKIX", "bare RSA-2048 verify, one core",
                "ratio certgate / JDK", "ratio certgate / BC", "ratio certgate / bare verify")) {
            assertTrue(Pattern.compile("(?m)^  " + figure + NUMBER).matcher(run.out).find(),
                    "a figure for '" + figure + "' in:\n" + run.out);
        }
        assertTrue(run.out.contains("CRL of 301 entries"), run.out); // 300 random + the 10th of 12 peers
        assertTrue(run.out.contains("target >= 10x"), run.out);
        assertTrue(run.out.contains("target <= 32"), run.out);
        assertTrue(run.out.contains("target >= 1000x"), run.out);
        assertTrue(run.out.contains("target >= 0.5"), run.out);
        Matcher verdicts = Pattern.compile("certgate ([0-9]+)/([0-9]+), JDK ([0-9]+)/([0-9]+), BC ([0-9]+)/([0-9]+)")
                .matcher(run.out);
        assertTrue(verdicts.find(), run.out);
        assertEquals("12", verdicts.group(2), "certgate decides every peer once");
        for (int group = 1; group <= 5; group += 2) {
            assertEquals(verdicts.group(group + 1), verdicts.group(group), "every verdict right: " + verdicts.group());
        }
        assertTrue(run.err.contains("[bench] "), "progress on stderr");
        assertTrue(run.out.contains("after 1 warm-up rounds"), "--quick warms up once: " + run.out);
        assertTrue(run.err.contains("[bench] warm-up round 1 of 1"), run.err);
    }

    @Test
    void help_prints_the_options() {
        Run run = run("--help");
        assertEquals(0, run.status);
        for (String option : List.of("--peers", "--crl-entries", "--rounds", "--warmup", "--budget",
                "--max-validations", "--quick")) {
            assertTrue(run.out.contains(option), option);
        }
    }

    @Test
    void a_bad_option_is_a_usage_error_naming_it() {
        Run unknown = run("--peer", "3");
        assertEquals(2, unknown.status);
        assertTrue(unknown.err.contains("unknown option '--peer'"), unknown.err);
        Run badValue = run("--rounds", "zero");
        assertEquals(2, badValue.status);
        assertTrue(badValue.err.contains("--rounds must be a whole number, was 'zero'"), badValue.err);
        Run missing = run("--crl-entries");
        assertEquals(2, missing.status);
        assertTrue(missing.err.contains("--crl-entries needs a value"), missing.err);
    }

    private record Run(int status, String out, String err) {
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = CrlBenchmark.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
