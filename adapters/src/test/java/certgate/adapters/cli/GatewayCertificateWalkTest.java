package certgate.adapters.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import certgate.eventstore.LocalCertificateLoaded;
import certgate.eventstore.log.LogReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's walk of the gateway's own certificate, run line by line exactly as written: the {@code ./certgate}
 * lines in-process (working directory and environment of their own), the {@code openssl} lines as the real
 * OpenSSL, in a copy of the repository's {@code policies/examples}. Each line must exit 0, or the status its
 * {@code # exit N} comment says. A line of any other kind fails the test, so the README cannot grow a step this
 * test does not run.
 */
class GatewayCertificateWalkTest {
    private static final String SECTION = "### A walk on the example PKI";
    private static final Pattern EXIT = Pattern.compile("#\\s*exit (\\d+)");
    private static final Pattern VARIABLE = Pattern.compile("\\$([A-Za-z_][A-Za-z0-9_]*)");

    @TempDir
    Path dir;

    private final Map<String, String> environment = new HashMap<>();
    private final StringBuilder outputs = new StringBuilder();
    private final Map<String, String> shell = new HashMap<>();

    /** The lines of the first code block after the walk's heading, joined where they end with a backslash. */
    static List<String> walk() throws IOException {
        List<String> lines = Files.readAllLines(Repository.root().resolve("README.md"));
        int heading = lines.indexOf(SECTION);
        assertTrue(heading >= 0, "README.md has no '" + SECTION + "'");
        int start = heading + 1;
        while (!lines.get(start).equals("```")) {
            start++;
        }
        List<String> walk = new ArrayList<>();
        StringBuilder pending = new StringBuilder();
        for (int i = start + 1; !lines.get(i).equals("```"); i++) {
            String line = lines.get(i);
            if (line.endsWith("\\")) {
                pending.append(line, 0, line.length() - 1);
                continue;
            }
            walk.add(pending + line);
            pending.setLength(0);
        }
        return walk;
    }

    @Test
    void the_readme_walk_runs_as_written_from_keygen_to_status() throws IOException {
        OpenSsl.assumeAvailable();
        copy(Repository.root().resolve("policies/examples"), dir.resolve("policies/examples"));
        List<String> walk = walk();
        assertTrue(walk.stream().anyMatch(l -> l.startsWith("./certgate keygen")), walk.toString());
        for (String line : walk) {
            run(line);
        }
        List<LocalCertificateLoaded> loaded = new ArrayList<>();
        try (LogReader reader = LogReader.open(dir.resolve(environment.get("CERTGATE_STORE")))) {
            reader.poll(recorded -> {
                if (recorded.event() instanceof LocalCertificateLoaded local) {
                    loaded.add(local);
                }
            });
        }
        assertEquals(1, loaded.size(), "the walk loads one local certificate");
        // What the README says the request prints, it prints.
        String peers = "peers: gateway hub-to-gw1 finds this gateway by fqdn:gw1.example.net and checks its"
                + " certificate under CA profile example (a certificate issued by 'CN=Example Issuing CA, O=Example,"
                + " C=US')";
        assertTrue(outputs.toString().contains(peers), outputs.toString());
        assertTrue(String.join(" ", Files.readString(Repository.root().resolve("README.md")).split("\\s+"))
                .contains("`" + peers + "`"), "README.md quotes the line the request prints");
        assertEquals(Optional.of("gw1-to-hub"), loaded.get(0).gateway());
    }

    private void run(String line) {
        Matcher exit = EXIT.matcher(line);
        int expected = exit.find() ? Integer.parseInt(exit.group(1)) : 0;
        String command = line.replaceFirst("\\s*#.*$", "").strip();
        if (command.isEmpty()) {
            return;
        }
        List<String> words = words(command);
        if (words.get(0).equals("export") || words.get(0).contains("=")) {
            boolean export = words.get(0).equals("export");
            for (String assignment : export ? words.subList(1, words.size()) : words) {
                int equals = assignment.indexOf('=');
                assertTrue(equals > 0, "not an assignment: " + assignment + " in: " + line);
                (export ? environment : shell).put(assignment.substring(0, equals), assignment.substring(equals + 1));
            }
            return;
        }
        List<String> argv = words.subList(1, words.size());
        int status;
        String output;
        if (words.get(0).equals("./certgate")) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (PrintStream stdout = new PrintStream(out, true, StandardCharsets.UTF_8)) {
                status = Main.withHelp(commands()).run(argv, new ByteArrayInputStream(new byte[0]), stdout, stdout);
            }
            output = out.toString(StandardCharsets.UTF_8);
        } else if (words.get(0).equals("openssl")) {
            OpenSsl.Result result = OpenSsl.run(dir, argv.toArray(String[]::new));
            status = result.status();
            output = result.output();
        } else {
            fail("the walk may hold ./certgate, openssl and variable assignments only: " + line);
            return;
        }
        assertEquals(expected, status, line + "\n" + output);
        outputs.append(output);
    }

    /** The commands as the launcher runs them, in this test's working directory and environment. */
    private List<Command> commands() {
        Clock clock = Clock.systemUTC();
        StoreOption option = new StoreOption(environment::get, dir);
        return List.of(new LoadCommand(clock, option), new PolicyCommand(clock, option),
                new KeygenCommand(clock, option), new RequestCommand(clock, option), new CheckCommand(option),
                new StatusCommand(clock, option), new ReplayCommand(clock, option));
    }

    /** Words split at spaces, each {@code $NAME} replaced as the shell would (the walk quotes nothing). */
    private List<String> words(String command) {
        assertTrue(!command.contains("\"") && !command.contains("'"), "the walk quotes nothing: " + command);
        List<String> words = new ArrayList<>();
        for (String word : command.split("\\s+")) {
            Matcher variable = VARIABLE.matcher(word);
            StringBuilder expanded = new StringBuilder();
            while (variable.find()) {
                String value = shell.getOrDefault(variable.group(1), environment.get(variable.group(1)));
                assertTrue(value != null, "$" + variable.group(1) + " is not set before: " + command);
                variable.appendReplacement(expanded, Matcher.quoteReplacement(value));
            }
            variable.appendTail(expanded);
            words.add(expanded.toString());
        }
        return words;
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
    }
}
