package certgate.adapters.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BenchCommandDispatchTest {

    @Test
    void bench_help_names_the_three_harnesses() {
        Cli.Run run = Cli.run("bench", "--help");
        assertEquals(0, run.status(), run::toString);
        assertTrue(run.out().contains("bench log") && run.out().contains("bench replay")
                && run.out().contains("[crl]"), run::toString);
    }

    @Test
    void each_harness_answers_its_own_help() {
        for (String harness : new String[] {"crl", "log", "replay"}) {
            Cli.Run run = Cli.run("bench", harness, "--help");
            assertEquals(0, run.status(), run::toString);
            assertTrue(run.out().contains("--rounds"), harness + ": " + run);
        }
    }

    @Test
    void an_unknown_harness_is_a_usage_error_naming_the_choices() {
        Cli.Run run = Cli.run("bench", "crl2");
        assertEquals(2, run.status(), run::toString);
        assertEquals("certgate bench: unknown benchmark 'crl2' (one of crl, log, replay); "
                + "see 'certgate bench --help'\n", run.err());
    }
}
