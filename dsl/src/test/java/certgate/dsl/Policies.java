package certgate.dsl;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import certgate.dsl.dn.DistinguishedName;
import certgate.dsl.dn.DnSyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;

/** Helpers for tests of the compiler. */
final class Policies {
    private Policies() {
    }

    static DistinguishedName dn(String text) {
        try {
            return DistinguishedName.parse(text);
        } catch (DnSyntaxException e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    static CompileResult compile(String text) {
        return PolicyCompiler.compile("test.yaml", text.getBytes(StandardCharsets.UTF_8));
    }

    /** The one diagnostic with this code; fails listing them all when there is none or several. */
    static Diagnostic only(CompileResult result, DiagnosticCode code) {
        List<Diagnostic> found = result.diagnostics().stream().filter(d -> d.code() == code).toList();
        if (found.size() != 1) {
            fail("expected one " + code + ", got:\n" + describe(result));
        }
        return found.get(0);
    }

    static void assertAt(Diagnostic diagnostic, int line, int column) {
        assertTrue(diagnostic.line() == line && diagnostic.column() == column,
                "expected " + line + ":" + column + ", got\n" + diagnostic);
    }

    static void assertClean(CompileResult result) {
        if (!result.diagnostics().isEmpty() || result.policy().isEmpty()) {
            fail("expected a clean compile, got:\n" + describe(result));
        }
    }

    static String describe(CompileResult result) {
        return result.diagnostics().stream().map(Diagnostic::toString).collect(Collectors.joining("\n"));
    }
}
