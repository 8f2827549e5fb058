package certgate.dsl;

import certgate.dsl.YamlNode.Location;
import certgate.dsl.YamlNode.Mapping;
import certgate.dsl.YamlNode.Scalar;
import certgate.dsl.YamlNode.ScalarKind;
import certgate.dsl.policy.CompiledPolicy;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
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
    /** Files larger than this are refused before parsing. */
    public static final int MAX_BYTES = 1 << 20;

    private PolicyCompiler() {
    }

    public static CompileResult compile(String fileName, byte[] source) {
        Objects.requireNonNull(fileName, "fileName");
        Objects.requireNonNull(source, "source");
        Reporter reporter = new Reporter(fileName);
        Optional<CompiledPolicy> policy = Optional.empty();
        try {
            policy = compile(fileName, source, reporter);
        } catch (RuntimeException | StackOverflowError e) {
            // Fail closed on a compiler bug, with a diagnostic rather than an exception in the caller's face.
            reporter.error(DiagnosticCode.INTERNAL_ERROR, Location.START, "", "the compiler failed: " + e,
                    "please report this with the policy file");
            policy = Optional.empty();
        }
        return new CompileResult(policy, reporter.diagnostics());
    }

    private static Optional<CompiledPolicy> compile(String fileName, byte[] source, Reporter reporter) {
        if (source.length > MAX_BYTES) {
            reporter.error(DiagnosticCode.FILE_TOO_LARGE, Location.START, "", "the file has " + source.length
                    + " bytes; policies are limited to " + MAX_BYTES + " bytes (1 MiB)", null);
            return Optional.empty();
        }
        Optional<String> text = decode(source, reporter);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        Optional<YamlNode> root = YamlReader.read(text.get(), reporter);
        if (root.isEmpty()) {
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
        return new PolicyBuilder(reporter).build(mapping, fileName, sha256(source));
    }

    private static boolean unknownVersion(Mapping root) {
        return root.get("version").filter(v -> v instanceof Scalar s && s.scalarKind() == ScalarKind.INTEGER
                && !s.text().equals(String.valueOf(PolicySchema.VERSION))).isPresent();
    }

    /** Strict UTF-8 (a leading byte order mark is skipped); a bad byte is reported at its line and column. */
    private static Optional<String> decode(byte[] source, Reporter reporter) {
        int start = source.length >= 3 && (source[0] & 0xff) == 0xef && (source[1] & 0xff) == 0xbb
                && (source[2] & 0xff) == 0xbf ? 3 : 0;
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(source, start, source.length - start);
        CharBuffer out = CharBuffer.allocate(source.length);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            out.flip();
            reporter.error(DiagnosticCode.INVALID_ENCODING, Lines.end(out.toString()), "",
                    String.format("byte 0x%02x at offset %d is not valid UTF-8", source[in.position()] & 0xff,
                            in.position()), "save the file as UTF-8");
            return Optional.empty();
        }
        out.flip();
        return Optional.of(out.toString());
    }

    static String sha256(byte[] source) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(source));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
