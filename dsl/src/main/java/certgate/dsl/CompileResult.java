package certgate.dsl;

import certgate.dsl.policy.CompiledPolicy;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** What compiling a policy file gave: the policy when there was no error, and every diagnostic in file order. */
public record CompileResult(Optional<CompiledPolicy> policy, List<Diagnostic> diagnostics) {

    public CompileResult {
        Objects.requireNonNull(policy, "policy");
        diagnostics = List.copyOf(diagnostics);
        if (policy.isPresent() && diagnostics.stream().anyMatch(Diagnostic::isError)) {
            throw new IllegalArgumentException("a policy with errors cannot have compiled");
        }
    }

    public List<Diagnostic> errors() {
        return diagnostics.stream().filter(Diagnostic::isError).toList();
    }

    public List<Diagnostic> warnings() {
        return diagnostics.stream().filter(d -> !d.isError()).toList();
    }

    public boolean hasErrors() {
        return policy.isEmpty();
    }
}
