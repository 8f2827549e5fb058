package certgate.adapters.cli;

import certgate.adapters.enroll.EnrollException;
import certgate.adapters.enroll.LocalCertificates;
import certgate.adapters.policy.Codes;
import certgate.adapters.policy.PolicySource;
import certgate.adapters.store.OpenedStore;
import certgate.adapters.store.Progress;
import certgate.adapters.store.Replay;
import certgate.dsl.Diagnostic;
import certgate.dsl.LoadedLocalCertificates;
import certgate.dsl.policy.CompiledPolicy;
import certgate.eventstore.log.CorruptLogException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code certgate check POLICY...}: compiles each policy file and prints every diagnostic as the compiler renders
 * it ({@code FILE:LINE:COLUMN: CODE: message}, the key path, a help line), or as one JSON array.
 */
public final class CheckCommand implements Command {
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private final StoreOption store;

    public CheckCommand() {
        this(StoreOption.ofProcess());
    }

    CheckCommand(Path workingDirectory) {
        this(new StoreOption(variable -> null, workingDirectory));
    }

    CheckCommand(StoreOption store) {
        this.store = store;
    }

    @Override
    public String name() {
        return "check";
    }

    @Override
    public String summary() {
        return "compile policy files and report every error and warning with its line and column";
    }

    @Override
    public String help() {
        return """
                Usage: certgate check POLICY... [--deny-warnings] [--format text|json] [--store DIR]

                Compiles each policy file (YAML, language version 1) and reports every error and warning,
                not only the first. Each reads FILE:LINE:COLUMN: CODE: message, then the key path
                (at: ike.gateways[1].ca-profile) and, where it helps, a help line (did you mean ...?).
                The codes are stable; 'certgate check --help' lists them below.

                Options:
                  --deny-warnings        warnings fail the check too (exit status 1)
                  --store DIR            also check the gateways' local-certificate against the local
                                         certificates loaded in this store ('certgate load local'): one of
                                         them must be the certificate named, and hold the gateway's
                                         local-identity (UNKNOWN_LOCAL_CERTIFICATE,
                                         LOCAL_IDENTITY_NOT_CERTIFIED). Without it, not checked.
                  --format text|json     text (default): the diagnostics, then one line per file
                                         ("FILE: ok, revision R" or "FILE: N error(s), M warning(s)").
                                         json: one array of {"file", "line", "column", "severity",
                                         "code", "message", "path", "help"} over all files.

                Exit status:
                  0  every file compiles without error (and without warning, with --deny-warnings)
                  1  a file has errors (or warnings, with --deny-warnings)
                  2  usage error, or a file (or the --store) that cannot be read
                """ + Codes.TEXT;
    }

    @Override
    public int run(List<String> argv, InputStream stdin, PrintStream stdout, PrintStream stderr) {
        Args args;
        boolean json;
        try {
            args = Args.parser().flag("--deny-warnings").value("--format").value(StoreOption.OPTION)
                    .positionals("POLICY", 1, Integer.MAX_VALUE).parse(argv);
            if (args.helpRequested()) {
                stdout.print(help());
                return ExitStatus.OK;
            }
            String format = args.value("--format").orElse("text");
            if (!format.equals("text") && !format.equals("json")) {
                throw new UsageException("--format '" + format + "' is not one of json, text");
            }
            json = format.equals("json");
        } catch (UsageException e) {
            return Main.usageError(name(), e, stderr);
        }
        Optional<LoadedLocalCertificates> loaded = Optional.empty();
        if (args.has(StoreOption.OPTION)) {
            Optional<Path> dir = store.existingOrSay(args, name(), stderr);
            if (dir.isEmpty()) {
                return ExitStatus.USAGE;
            }
            try {
                loaded = Optional.of(localCertificates(dir.get()));
            } catch (CorruptLogException | UncheckedIOException e) {
                return StoreOption.readFailed(name(), e, stderr);
            }
        }
        boolean denyWarnings = args.flag("--deny-warnings");
        boolean unreadable = false;
        boolean failed = false;
        ArrayNode all = JSON.createArrayNode();
        for (String file : args.positionals()) {
            PolicySource source;
            try {
                source = PolicySource.read(store.workingDirectory().resolve(file), file, loaded);
            } catch (PolicySource.Unreadable e) {
                stderr.println(Main.PROGRAM + " " + name() + ": " + Terminal.safe(e.getMessage()));
                unreadable = true;
                continue;
            }
            List<Diagnostic> diagnostics = source.result().diagnostics();
            int errors = source.result().errors().size();
            int warnings = source.result().warnings().size();
            failed |= errors > 0 || (denyWarnings && warnings > 0);
            if (json) {
                diagnostics.forEach(d -> all.add(json(d)));
            } else {
                diagnostics.forEach(d -> printLines(d.toString(), stdout));
                stdout.println(Terminal.safe(file) + ": " + verdict(source.policy(), errors, warnings, denyWarnings));
            }
        }
        if (json) {
            stdout.println(oneLine(all));
        }
        stdout.flush();
        return unreadable ? ExitStatus.USAGE : failed ? ExitStatus.REJECTED : ExitStatus.OK;
    }

    /** What the local certificates of the store say, for the compiler; one it cannot read says nothing. */
    private static LoadedLocalCertificates localCertificates(Path dir) {
        Replay replay = Replay.counting();
        OpenedStore.reading(dir, replay, Progress.silent());
        List<LoadedLocalCertificates.Loaded> loaded = new ArrayList<>();
        for (Replay.LocalCertificate local : replay.localCertificates()) {
            try {
                loaded.add(LocalCertificates.loaded(local.event().certificate()));
            } catch (EnrollException e) {
                // a certificate the store holds but BouncyCastle cannot read: no reference can be to it
            }
        }
        return new LoadedLocalCertificates(loaded);
    }

    private static String verdict(Optional<CompiledPolicy> policy, int errors, int warnings, boolean denyWarnings) {
        if (errors > 0) {
            return errors + " error(s), " + warnings + " warning(s)";
        }
        String summary = "ok, revision " + PolicySource.shortRevision(policy.orElseThrow().revision()) + ", "
                + policy.get().gateways().size() + " gateway(s), " + policy.get().caProfiles().size()
                + " CA profile(s)";
        if (warnings > 0) {
            return summary + "; " + warnings + " warning(s)" + (denyWarnings ? ", denied" : "");
        }
        return summary;
    }

    private static ObjectNode json(Diagnostic diagnostic) {
        ObjectNode node = JSON.createObjectNode();
        node.put("file", diagnostic.file());
        node.put("line", diagnostic.line());
        node.put("column", diagnostic.column());
        node.put("severity", diagnostic.severity().name().toLowerCase(Locale.ROOT));
        node.put("code", diagnostic.code().name());
        node.put("message", diagnostic.message());
        node.put("path", diagnostic.keyPath());
        diagnostic.help().ifPresentOrElse(help -> node.put("help", help), () -> node.putNull("help"));
        return node;
    }

    /** A diagnostic spans lines (key path, help): each is made safe for the terminal on its own. */
    static void printLines(String text, PrintStream out) {
        text.lines().forEach(line -> out.println(Terminal.safe(line)));
    }

    private static String oneLine(ArrayNode array) {
        try {
            return JSON.writeValueAsString(array);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings and numbers always serializes", e);
        }
    }
}
