package certgate.dsl;

import certgate.dsl.YamlNode.Location;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Collects the diagnostics of one file. */
final class Reporter {
    private final String file;
    private final List<Diagnostic> diagnostics = new ArrayList<>();

    Reporter(String file) {
        this.file = file;
    }

    void error(DiagnosticCode code, Location at, String path, String message, String help) {
        report(code, at, path, message, help);
    }

    void warning(DiagnosticCode code, Location at, String path, String message, String help) {
        report(code, at, path, message, help);
    }

    private void report(DiagnosticCode code, Location at, String path, String message, String help) {
        diagnostics.add(new Diagnostic(code.severity(), code, file, at.line(), at.column(), path, message,
                Optional.ofNullable(help)));
    }

    boolean hasErrors() {
        return diagnostics.stream().anyMatch(Diagnostic::isError);
    }

    /** In file order; diagnostics at one place keep the order they were found in. */
    List<Diagnostic> diagnostics() {
        List<Diagnostic> sorted = new ArrayList<>(diagnostics);
        sorted.sort(Comparator.comparingInt(Diagnostic::line).thenComparingInt(Diagnostic::column));
        return List.copyOf(sorted);
    }
}
