package certgate.adapters.policy;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A policy test file that cannot be run: every problem found, each located as the compiler locates its
 * diagnostics ({@code FILE:LINE:COLUMN: message}, then the key path and a help line when there is one).
 */
public final class TestFileException extends Exception {
    private static final long serialVersionUID = 1L;

    /** One problem of a test file, 1-based line and column; {@code path} like {@code cases[2].peer.subject}. */
    public record Problem(String file, int line, int column, String path, String message, Optional<String> help) {
        public Problem {
            Objects.requireNonNull(file, "file");
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(message, "message");
            Objects.requireNonNull(help, "help");
        }

        @Override
        public String toString() {
            StringBuilder out = new StringBuilder().append(file).append(':').append(line).append(':').append(column)
                    .append(": ").append(message);
            if (!path.isEmpty()) {
                out.append("\n    at: ").append(path);
            }
            help.ifPresent(h -> out.append("\n    help: ").append(h));
            return out.toString();
        }
    }

    private final transient List<Problem> problems;

    public TestFileException(List<Problem> problems) {
        super(problems.stream().map(Problem::toString).collect(Collectors.joining("\n")));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a test file exception needs at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }
}
