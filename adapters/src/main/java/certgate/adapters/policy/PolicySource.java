package certgate.adapters.policy;

import certgate.dsl.CompileResult;
import certgate.dsl.Diagnostic;
import certgate.dsl.LoadedLocalCertificates;
import certgate.dsl.DiagnosticCode;
import certgate.dsl.PolicyCompiler;
import certgate.dsl.Severity;
import certgate.dsl.policy.CompiledPolicy;
import certgate.eventstore.PolicyActivated;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A policy file read and compiled, as every policy command needs it: its bytes (the revision is their SHA-256),
 * the compiler's diagnostics, and the policy when there is no error. Reading is bounded: a file over the
 * compiler's limit is not read whole, and gets the compiler's own {@code FILE_TOO_LARGE} diagnostic.
 */
public record PolicySource(String file, byte[] bytes, CompileResult result) {

    /** The file cannot be read at all (missing, a directory, no permission): one line naming it. */
    public static final class Unreadable extends Exception {
        private static final long serialVersionUID = 1L;

        Unreadable(String message) {
            super(message);
        }
    }

    public static PolicySource read(Path path, String shownName) throws Unreadable {
        return read(path, shownName, Optional.empty());
    }

    /**
     * {@link #read(Path, String)}, checking the gateways' local-certificate references against a store's local
     * certificates when they are given.
     */
    public static PolicySource read(Path path, String shownName, Optional<LoadedLocalCertificates> store)
            throws Unreadable {
        byte[] bytes;
        try {
            if (Files.isDirectory(path)) {
                throw new Unreadable(shownName + ": is a directory, not a policy file");
            }
            long size = Files.size(path);
            if (size > PolicyCompiler.MAX_BYTES) {
                Diagnostic tooLarge = new Diagnostic(Severity.ERROR, DiagnosticCode.FILE_TOO_LARGE, shownName, 1, 1, "",
                        "the file has " + size + " bytes; policies are limited to " + PolicyCompiler.MAX_BYTES
                                + " bytes (1 MiB)", Optional.empty());
                return new PolicySource(shownName, new byte[0], new CompileResult(Optional.empty(), List.of(tooLarge)));
            }
            try (InputStream in = Files.newInputStream(path)) {
                bytes = in.readNBytes(PolicyCompiler.MAX_BYTES + 1);
            }
        } catch (NoSuchFileException e) {
            throw new Unreadable(shownName + ": no such file");
        } catch (AccessDeniedException e) {
            throw new Unreadable(shownName + ": permission denied");
        } catch (IOException e) {
            throw new Unreadable(shownName + ": cannot read: " + e.getMessage());
        }
        return new PolicySource(shownName, bytes, store.isPresent()
                ? PolicyCompiler.compile(shownName, bytes, store.get()) : PolicyCompiler.compile(shownName, bytes));
    }

    public Optional<CompiledPolicy> policy() {
        return result.policy();
    }

    /**
     * The event that activates the policy: its source as text and its revision. Only for a policy that compiled,
     * whose bytes are therefore UTF-8 and come back unchanged from the text.
     */
    public PolicyActivated activation() {
        CompiledPolicy policy = policy().orElseThrow(() -> new IllegalStateException(file + " did not compile"));
        String source = new String(bytes, StandardCharsets.UTF_8);
        if (!Arrays.equals(source.getBytes(StandardCharsets.UTF_8), bytes)) {
            throw new IllegalStateException(file + ": the compiled source does not survive a round trip as text");
        }
        return new PolicyActivated(policy.revision(), source);
    }

    public static String shortRevision(String revision) {
        return revision.length() > 12 ? revision.substring(0, 12) : revision;
    }
}
