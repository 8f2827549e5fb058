package certgate.adapters.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import certgate.eventstore.Reason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** What the documentation says about the command line is what it does. */
class DocumentationTest {
    private static final Pattern VERDICT = Pattern.compile("(accept|reject) [A-Z_]+");
    private static final Pattern ASSIGNMENT = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(\\S+)");
    private static final String DRAFT = "README.md";
    private static final List<String> DOCUMENTS = List.of(DRAFT, "policies/examples/pki/README.md");

    @Test
    void the_reason_table_lists_every_reason_code() throws IOException {
        String draft = Files.readString(Repository.root().resolve(DRAFT));
        for (Reason reason : Reason.values()) {
            assertTrue(draft.contains("| `" + reason.name() + "` |"), reason + " is missing from " + DRAFT);
        }
    }

    @Test
    void the_draft_starts_with_the_two_commands_a_new_user_types() throws IOException {
        List<String> commands = Files.readAllLines(Repository.root().resolve(DRAFT)).stream()
                .filter(line -> line.contains("./certgate verify") || line.equals("mvn -B verify"))
                .limit(2)
                .toList();
        assertEquals(2, commands.size());
        assertTrue(commands.get(0).contains("gw-good.pem") && commands.get(0).contains("gw-revoked.pem"),
                commands.get(0));
        assertEquals("mvn -B verify", commands.get(1));
    }

    @TestFactory
    Stream<DynamicTest> every_documented_verify_command_prints_the_verdict_shown() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (String document : DOCUMENTS) {
            Path path = Repository.root().resolve(document);
            if (!Files.exists(path)) {
                continue;
            }
            for (Example example : examples(Files.readAllLines(path))) {
                tests.add(DynamicTest.dynamicTest(document + ": " + example.command(), () -> check(example)));
            }
        }
        assertTrue(tests.size() >= 6, "documented verify commands found: " + tests.size());
        return tests.stream();
    }

    private record Example(String command, String expectedVerdict) {
    }

    /**
     * Each {@code ./certgate verify} command of a document (a line may hold several, joined with ';', and set
     * shell variables first: {@code P=dir; ./certgate verify --peer $P/x.pem}), with the verdict line shown for
     * it: the next lines of the form "accept OK" or "reject REASON", in order, before the next command.
     */
    private static List<Example> examples(List<String> lines) {
        List<Example> examples = new ArrayList<>();
        List<String> pending = new ArrayList<>();
        Map<String, String> variables = new HashMap<>();
        for (String line : joinContinuations(lines)) {
            String trimmed = line.strip().replaceFirst("^\\$ ", "");
            if (trimmed.contains("./certgate verify")) {
                pending.forEach(command -> examples.add(new Example(command, "")));
                pending.clear();
                for (String segment : trimmed.split(";")) {
                    String command = segment.strip();
                    Matcher assignment = ASSIGNMENT.matcher(command);
                    if (assignment.matches()) {
                        variables.put(assignment.group(1), assignment.group(2));
                    } else if (command.startsWith("./certgate verify")) {
                        for (Map.Entry<String, String> variable : variables.entrySet()) {
                            command = command.replace("$" + variable.getKey(), variable.getValue());
                        }
                        pending.add(command);
                    }
                }
            } else if (VERDICT.matcher(trimmed).matches() && !pending.isEmpty()) {
                examples.add(new Example(pending.remove(0), trimmed));
            }
        }
        pending.forEach(command -> examples.add(new Example(command, "")));
        return examples;
    }

    /** Shell lines ending in a backslash continue on the next line, as in the README's longer commands. */
    private static List<String> joinContinuations(List<String> lines) {
        List<String> joined = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : lines) {
            if (line.endsWith("\\")) {
                current.append(line, 0, line.length() - 1).append(' ');
            } else {
                joined.add(current.append(line).toString());
                current.setLength(0);
            }
        }
        if (current.length() > 0) {
            joined.add(current.toString());
        }
        return joined;
    }

    /** Splits a command line into words as a shell does for the quoting the documents use ('...' and "..."). */
    private static List<String> shellWords(String command) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (char c : command.toCharArray()) {
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }

    private static void check(Example example) {
        List<String> words = shellWords(example.command());
        assertEquals("./certgate", words.get(0));
        List<String> args = new ArrayList<>();
        for (String word : words.subList(1, words.size())) {
            // Paths in the documents are relative to the repository root; the test runs elsewhere.
            args.add(word.startsWith("policies/") ? Repository.root().resolve(word).toString() : word);
        }
        Cli.Run run = Cli.run(args.toArray(String[]::new));
        assertTrue(run.status() == 0 || run.status() == 1, run.toString());
        assertFalse(example.expectedVerdict().isEmpty(), "the document shows no verdict for " + example.command());
        assertEquals(example.expectedVerdict(), run.outLines().get(0), run.toString());
    }
}
