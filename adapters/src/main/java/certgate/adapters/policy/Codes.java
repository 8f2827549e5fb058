package certgate.adapters.policy;

import certgate.dsl.DiagnosticCode;
import certgate.dsl.Severity;

/** The compiler's diagnostic codes, for help texts: taken from the enum, so the list cannot go stale. */
public final class Codes {
    private static final int WIDTH = 100;

    public static final String TEXT = text();

    private Codes() {
    }

    private static String text() {
        StringBuilder out = new StringBuilder("\nDiagnostic codes (stable; warnings marked *):\n");
        for (DiagnosticCode code : DiagnosticCode.values()) {
            String head = String.format("  %-24s ", code.name() + (code.severity() == Severity.WARNING ? " *" : ""));
            wrap(out, head, code.description());
        }
        return out.toString();
    }

    private static void wrap(StringBuilder out, String head, String text) {
        StringBuilder line = new StringBuilder(head);
        for (String word : text.split(" ")) {
            if (line.length() + word.length() + 1 > WIDTH && line.length() > head.length()) {
                out.append(line.toString().stripTrailing()).append('\n');
                line = new StringBuilder(" ".repeat(head.length()));
            }
            line.append(word).append(' ');
        }
        out.append(line.toString().stripTrailing()).append('\n');
    }
}
