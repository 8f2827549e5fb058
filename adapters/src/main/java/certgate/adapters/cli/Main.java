package certgate.adapters.cli;

import certgate.adapters.text.Suggest;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * {@code certgate COMMAND [OPTIONS]}: picks the command by its name and runs it. Commands are registered here,
 * one class each, plus those other jars on the class path declare as {@link Command} services (the benchmark
 * harnesses of the bench module); {@link #main} is the only place that exits the JVM.
 */
public final class Main {
    public static final String PROGRAM = "certgate";

    private final Map<String, Command> commands = new LinkedHashMap<>();

    private Main(List<Command> commands) {
        for (Command command : commands) {
            if (this.commands.putIfAbsent(command.name(), command) != null) {
                throw new IllegalArgumentException("two commands named " + command.name());
            }
        }
    }

    /** The commands of this release; they read the current time from {@code clock}, never the engine. */
    public static Main standard(Clock clock) {
        List<Command> commands = new ArrayList<>();
        commands.add(new VerifyCommand(clock));
        commands.add(new LoadCommand(clock));
        commands.add(new ValidateCommand(clock));
        commands.add(new FetchCommand(clock));
        commands.add(new ReplayCommand(clock));
        commands.add(new ExplainCommand());
        commands.add(new AuditCommand());
        commands.add(new WhatifCommand());
        commands.add(new ReportCommand(clock));
        commands.add(new LogCommand(clock));
        commands.add(new CheckpointCommand(clock));
        commands.add(new CheckCommand());
        commands.add(new TestCommand(clock));
        commands.add(new PolicyCommand(clock));
        commands.add(new KeygenCommand(clock));
        commands.add(new RequestCommand(clock));
        commands.add(new StatusCommand(clock));
        commands.add(new ExportCommand());
        commands.add(new ServeCommand(clock));
        commands.add(new SnapshotCommand());
        // commands shipped in other jars (the bench module's `bench`), present when their jar is on the class path
        ServiceLoader.load(Command.class, Main.class.getClassLoader()).forEach(commands::add);
        return withHelp(commands);
    }

    /** A dispatcher over the given commands, plus {@code help}. */
    static Main withHelp(List<Command> commands) {
        List<Command> all = new ArrayList<>(commands);
        Main[] self = new Main[1];
        all.add(new HelpCommand(() -> self[0].commands.values().stream().toList()));
        self[0] = new Main(all);
        return self[0];
    }

    /** The registered commands, in the order {@code help} lists them. */
    List<Command> commands() {
        return List.copyOf(commands.values());
    }

    public static void main(String[] args) {
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        PrintStream err = Terminal.standardError();
        int status = standard(Clock.systemUTC()).run(List.of(args), System.in, out, err);
        out.flush();
        err.flush();
        System.exit(status);
    }

    /** Runs one command line; returns its exit status. */
    public int run(List<String> args, InputStream stdin, PrintStream stdout, PrintStream stderr) {
        if (args.isEmpty()) {
            stderr.println(PROGRAM + ": no command given; run '" + PROGRAM + " --help' for the list of commands");
            return ExitStatus.USAGE;
        }
        String first = args.get(0);
        List<String> rest = args.subList(1, args.size());
        if (first.equals("--help") || first.equals("-h")) {
            return commands.get("help").run(rest, stdin, stdout, stderr);
        }
        if (first.equals("--version")) {
            stdout.println(PROGRAM + " " + Version.current());
            return ExitStatus.OK;
        }
        Optional<Command> command = Optional.ofNullable(commands.get(first));
        if (command.isEmpty()) {
            String what = first.startsWith("-") ? "unknown option '" : "unknown command '";
            stderr.println(PROGRAM + ": " + what + Terminal.safe(first) + "'" + Suggest.hint(first, commands.keySet())
                    + "; run '" + PROGRAM + " --help' for the list of commands");
            return ExitStatus.USAGE;
        }
        try {
            return command.get().run(List.copyOf(rest), stdin, stdout, stderr);
        } catch (RuntimeException | StackOverflowError e) {
            stdout.flush();
            stderr.println(PROGRAM + " " + first + ": internal error, please report it with this trace: " + e);
            e.printStackTrace(stderr);
            return ExitStatus.INTERNAL_ERROR;
        }
    }

    /** Prints a usage error as one line with the hint every command gives. */
    public static int usageError(String command, UsageException e, PrintStream stderr) {
        stderr.println(PROGRAM + " " + command + ": " + Terminal.safe(e.getMessage()) + "; see '" + PROGRAM + " "
                + command + " --help'");
        return ExitStatus.USAGE;
    }
}
