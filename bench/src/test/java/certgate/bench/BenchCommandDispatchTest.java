package certgate.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import certgate.adapters.cli.Main;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code certgate bench} as the tool runs it: found by {@link Main} through its service declaration. */
class BenchCommandDispatchTest {

    private record Run(int status, String out, String err) {
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.standard(Clock.systemUTC()).run(List.of(args), new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void the_tool_lists_bench_among_its_commands_when_the_bench_jar_is_on_the_class_path() {
        Run run = run("help");
        assertEquals(0, run.status(), run::toString);
        assertTrue(run.out().contains("bench"), run::toString);
    }

    @Test
    void bench_help_names_every_harness() {
        Run run = run("bench", "--help");
        assertEquals(0, run.status(), run::toString);
        assertTrue(run.out().contains("bench log") && run.out().contains("bench replay")
                && run.out().contains("bench serve") && run.out().contains("[crl]"), run::toString);
    }

    @Test
    void each_harness_answers_its_own_help() {
        for (String harness : new String[] {"crl", "fetch", "log", "replay", "serve", "open", "whatif"}) {
            Run run = run("bench", harness, "--help");
            assertEquals(0, run.status(), run::toString);
            assertTrue(run.out().contains("--rounds"), harness + ": " + run);
        }
    }

    @Test
    void an_unknown_harness_is_a_usage_error_naming_the_choices() {
        Run run = run("bench", "crl2");
        assertEquals(2, run.status(), run::toString);
        assertEquals("certgate bench: unknown benchmark 'crl2' (one of crl, fetch, log, replay, serve, ocsp, open, whatif, refresh); "
                + "see 'certgate bench --help'\n", run.err());
    }
}
