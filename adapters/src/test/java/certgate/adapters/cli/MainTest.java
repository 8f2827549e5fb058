package certgate.adapters.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

class MainTest {

    @Test
    void no_command_is_a_usage_error_with_a_hint() {
        Cli.Run run = Cli.run();
        assertEquals(2, run.status());
        assertEquals("certgate: no command given; run 'certgate --help' for the list of commands\n", run.err());
    }

    @Test
    void an_unknown_command_is_one_line_with_a_suggestion_and_a_hint() {
        Cli.Run run = Cli.run("verfy", "--peer", "x");
        assertEquals(2, run.status());
        assertEquals("certgate: unknown command 'verfy' (did you mean 'verify'?); "
                + "run 'certgate --help' for the list of commands\n", run.err());
        assertEquals("", run.out());
    }

    @Test
    void an_unknown_top_level_option_is_a_usage_error() {
        Cli.Run run = Cli.run("--verbose");
        assertEquals(2, run.status());
        assertTrue(run.err().startsWith("certgate: unknown option '--verbose'"), run.err());
    }

    @Test
    void an_unknown_option_of_a_command_names_the_command_and_its_help() {
        Cli.Run run = Cli.run("verify", "--chian", "x.pem");
        assertEquals(2, run.status());
        assertEquals("certgate verify: unknown option '--chian' (did you mean '--chain'?); "
                + "see 'certgate verify --help'\n", run.err());
    }

    @Test
    void help_lists_every_command_and_the_exit_statuses() {
        Cli.Run run = Cli.run("--help");
        assertEquals(0, run.status());
        assertTrue(run.out().contains("\n  verify "), run.out());
        assertTrue(run.out().contains("\n  help "), run.out());
        assertTrue(run.out().contains("Exit status"), run.out());
        assertEquals(run.out(), Cli.run("help").out());
    }

    private static List<String> commandNames() {
        return Main.standard(Clock.systemUTC()).commands().stream().map(Command::name).toList();
    }

    @Test
    void every_command_answers_help_the_same_three_ways() {
        assertTrue(commandNames().containsAll(List.of("verify", "help")), commandNames().toString());
        for (String command : commandNames()) {
            Cli.Run direct = Cli.run(command, "--help");
            assertEquals(0, direct.status(), command);
            assertTrue(direct.out().startsWith("Usage: certgate " + command), direct.out());
            assertTrue(direct.out().contains("Exit status"), command + " help has no exit statuses");
            assertTrue(Cli.run("--help").out().contains("\n  " + command + " "), command + " is not listed");
            assertEquals(direct.out(), Cli.run("help", command).out());
            assertEquals(direct.out(), Cli.run(command, "-h").out());
        }
    }

    @Test
    void help_texts_fit_a_terminal() {
        for (String command : commandNames()) {
            for (String line : Cli.run(command, "--help").outLines()) {
                assertTrue(line.length() <= 104, command + " help line too long: " + line);
            }
        }
    }

    @Test
    void help_for_an_unknown_command_suggests_one() {
        Cli.Run run = Cli.run("help", "verif");
        assertEquals(2, run.status());
        assertTrue(run.err().contains("unknown command 'verif' (did you mean 'verify'?)"), run.err());
    }

    @Test
    void version_prints_one_line() {
        Cli.Run run = Cli.run("--version");
        assertEquals(0, run.status());
        assertTrue(run.out().matches("certgate \\S.*\n"), run.out());
    }

    @Test
    void a_command_that_throws_gives_exit_status_3_and_a_trace() {
        Command broken = new Command() {
            @Override
            public String name() {
                return "broken";
            }

            @Override
            public String summary() {
                return "always fails";
            }

            @Override
            public String help() {
                return "Usage: certgate broken\n";
            }

            @Override
            public int run(List<String> args, InputStream stdin, PrintStream stdout, PrintStream stderr) {
                throw new IllegalStateException("boom");
            }
        };
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.withHelp(List.of(broken)).run(List.of("broken"), new ByteArrayInputStream(new byte[0]),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(3, status);
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("certgate broken: internal error"), err.toString());
    }

    @Test
    void control_characters_in_a_typed_command_do_not_reach_the_terminal() {
        Cli.Run run = Cli.run("\u001b[2Jverify");
        assertEquals(2, run.status());
        assertTrue(run.err().contains("\\u001b[2Jverify"), run.err());
        assertEquals(1, run.err().lines().count());
    }

    @Test
    void the_standard_dispatcher_builds() {
        assertEquals(2, Main.standard(Clock.systemUTC()).run(List.of(), InputStream.nullInputStream(),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));
    }
}
