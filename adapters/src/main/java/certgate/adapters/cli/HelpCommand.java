package certgate.adapters.cli;

import certgate.adapters.text.Suggest;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/** {@code certgate help [COMMAND]}: the list of commands, or one command's help. */
final class HelpCommand implements Command {
    private final Supplier<List<Command>> commands;

    HelpCommand(Supplier<List<Command>> commands) {
        this.commands = commands;
    }

    @Override
    public String name() {
        return "help";
    }

    @Override
    public String summary() {
        return "show the list of commands, or the help of one command";
    }

    @Override
    public String help() {
        return """
                Usage: certgate help [COMMAND]

                Without COMMAND, lists the commands. With COMMAND, prints the same text as
                'certgate COMMAND --help'.

                Exit status: 0 done; 2 unknown command.
                """;
    }

    @Override
    public int run(List<String> args, InputStream stdin, PrintStream stdout, PrintStream stderr) {
        if (args.isEmpty()) {
            stdout.print(overview());
            return ExitStatus.OK;
        }
        if (args.get(0).equals("--help") || args.get(0).equals("-h")) {
            stdout.print(help());
            return ExitStatus.OK;
        }
        if (args.size() > 1) {
            return Main.usageError(name(), new UsageException("takes at most one command name"), stderr);
        }
        String wanted = args.get(0);
        Optional<Command> command = commands.get().stream().filter(c -> c.name().equals(wanted)).findFirst();
        if (command.isEmpty()) {
            List<String> names = commands.get().stream().map(Command::name).toList();
            return Main.usageError(name(), new UsageException("unknown command '" + wanted + "'"
                    + Suggest.hint(wanted, names)), stderr);
        }
        stdout.print(command.get().help());
        return ExitStatus.OK;
    }

    private String overview() {
        StringBuilder out = new StringBuilder();
        out.append("Usage: certgate COMMAND [OPTIONS]\n\n");
        out.append("certgate decides whether an IKE peer's certificate is acceptable, and records every input\n");
        out.append("and decision as events.\n\nCommands:\n");
        for (Command command : commands.get()) {
            out.append(String.format("  %-10s %s\n", command.name(), command.summary()));
        }
        out.append("\nOptions:\n");
        out.append(String.format("  %-10s %s\n", "--help", "this text; 'certgate COMMAND --help' for a command"));
        out.append(String.format("  %-10s %s\n", "--version", "print the version"));
        out.append("\nExit status: 0 accepted or done; 1 rejected; 2 usage error or unusable input file;\n");
        out.append("3 internal error (a bug); 4 store busy (another command is writing; see --wait);\n");
        out.append("5 store damaged (see 'certgate log repair'); 6 to 9: 'log verify --checkpoint' failures\n");
        out.append("(see 'certgate log --help').\n");
        return out.toString();
    }
}
