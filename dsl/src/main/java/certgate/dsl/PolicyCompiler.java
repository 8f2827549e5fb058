package certgate.dsl;

import certgate.dsl.YamlNode.Location;
import certgate.dsl.YamlNode.Mapping;
import certgate.dsl.YamlNode.Scalar;
import certgate.dsl.YamlNode.ScalarKind;
import certgate.dsl.policy.CompiledPolicy;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * Compiles a policy file (YAML, language version 1) into a {@link CompiledPolicy}, reporting every error and
 * warning with its file, line, column and key path. Never throws for any input: a bad file gives diagnostics.
 *
 * <pre>{@code
 * CompileResult result = PolicyCompiler.compile("branch-offices.yaml", Files.readAllBytes(path));
 * result.diagnostics().forEach(System.err::println);
 * result.policy().ifPresent(policy -> ...);
 * }</pre>
 */
public final class PolicyCompiler {
    /** Files larger than this are refused before parsing (the bound of every YAML file certgate reads). */
    public static final int MAX_BYTES = YamlReader.MAX_BYTES;

    private PolicyCompiler() {
    }

    public static CompileResult compile(String fileName, byte[] source) {
        return compile(fileName, source, Optional.empty());
    }

    /**
     * {@link #compile(String, byte[])}, also checking each gateway's {@code local-certificate} against the local
     * certificates of a store: one of them must be the certificate named, and hold the gateway's local identity.
     */
    public static CompileResult compile(String fileName, byte[] source, LoadedLocalCertificates store) {
        return compile(fileName, source, Optional.of(store));
    }

    private static CompileResult compile(String fileName, byte[] source, Optional<LoadedLocalCertificates> store) {
        Objects.requireNonNull(fileName, "fileName");
        Objects.requireNonNull(source, "source");
        Reporter reporter = new Reporter(fileName);
        Optional<CompiledPolicy> policy = Optional.empty();
        try {
            policy = compile(fileName, source, store, reporter);
        } catch (RuntimeException | StackOverflowError e) {
            // Fail closed on a compiler bug, with a diagnostic rather than an exception in the caller's face.
            reporter.error(DiagnosticCode.INTERNAL_ERROR, Location.START, "", "the compiler failed: " + e,
                    "please report this with the policy file");
            policy = Optional.empty();
        }
        return new CompileResult(policy, reporter.diagnostics());
    }

    private static Optional<CompiledPolicy> compile(String fileName, byte[] source,
            Optional<LoadedLocalCertificates> store, Reporter reporter) {
        Optional<YamlNode> root = YamlReader.read(source, reporter);
        if (root.isEmpty()) {
            if (!reporter.hasErrors()) {
                reporter.error(DiagnosticCode.MISSING_KEY, Location.START, "",
                        "the policy is empty", "start with `version: 1`, then `ike:` with its `gateways:`");
            }
            return Optional.empty();
        }
        if (!(root.get() instanceof Mapping mapping)) {
            reporter.error(DiagnosticCode.WRONG_TYPE, root.get().location(), "", "a policy is a mapping with the"
                    + " keys `version`, `pki` and `ike`, found " + root.get().kind(), null);
            return Optional.empty();
        }
        if (unknownVersion(mapping)) {
            // Another version's file may use keys this one does not know: checking them would only add noise.
            new StructureCheck(reporter).check(mapping.get("version").orElseThrow(),
                    PolicySchema.ROOT.field("version").orElseThrow().shape(), "version");
            return Optional.empty();
        }
        new StructureCheck(reporter).check(mapping, PolicySchema.ROOT, "");
        return new PolicyBuilder(reporter, store).build(mapping, fileName, sha256(source));
    }

    private static boolean unknownVersion(Mapping root) {
        return root.get("version").filter(v -> v instanceof Scalar s && s.scalarKind() == ScalarKind.INTEGER
                && !s.text().equals(String.valueOf(PolicySchema.VERSION))).isPresent();
    }

    static String sha256(byte[] source) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(source));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
