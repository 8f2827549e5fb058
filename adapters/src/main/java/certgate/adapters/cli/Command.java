package certgate.adapters.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.List;

/**
 * One subcommand of {@code certgate}. It gets its arguments (after its name), the three standard streams, and
 * returns the exit status; it never calls {@link System#exit}, so tests run it in-process. Every command
 * answers {@code --help} with {@link #help()} on stdout and exit status 0.
 */
public interface Command {

    /** The word that selects the command: {@code verify}. */
    String name();

    /** One line for {@code certgate help}. */
    String summary();

    /** The whole {@code --help} text: synopsis, options with their defaults, exit statuses. */
    String help();

    int run(List<String> args, InputStream stdin, PrintStream stdout, PrintStream stderr);
}
