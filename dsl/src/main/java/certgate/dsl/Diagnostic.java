package certgate.dsl;

import java.util.Objects;
import java.util.Optional;

/**
 * One error or warning about a policy file: where (1-based line and column, and the key path such as
 * {@code ike.gateways[1].ca-profile}, list indexes from 0), what, and optionally how to fix it.
 */
public record Diagnostic(Severity severity, DiagnosticCode code, String file, int line, int column, String keyPath,
                         String message, Optional<String> help) {

    public Diagnostic {
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(keyPath, "keyPath");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(help, "help");
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    /**
     * {@code FILE:LINE:COLUMN: CODE: message}, then an indented {@code at: path} line (when the path is not the
     * whole file) and a {@code help: ...} line when there is help. A warning's message starts with "warning: ".
     */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder()
                .append(file).append(':').append(line).append(':').append(column).append(": ")
                .append(code.name()).append(": ")
                .append(severity == Severity.WARNING ? "warning: " : "")
                .append(message);
        if (!keyPath.isEmpty()) {
            out.append("\n    at: ").append(keyPath);
        }
        help.ifPresent(h -> out.append("\n    help: ").append(h));
        return out.toString();
    }
}
