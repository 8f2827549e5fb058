package certgate.dsl;

import certgate.dsl.YamlNode.Entry;
import certgate.dsl.YamlNode.Location;
import certgate.dsl.YamlNode.Mapping;
import certgate.dsl.YamlNode.Scalar;
import certgate.dsl.YamlNode.ScalarKind;
import certgate.dsl.YamlNode.Sequence;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The one reader of YAML that certgate takes from outside (policies and policy test files): bytes in, the
 * located {@link YamlNode} tree out, or diagnostics located at file, line and column. Never throws for any input.
 *
 * <p>Bounds, because the file is input from outside: more than {@link #MAX_BYTES} bytes, bytes that are not
 * strict UTF-8, nesting deeper than {@link #MAX_DEPTH}, more than {@link #MAX_ALIASES} aliases, or aliases that
 * would expand to more than {@link #MAX_ALIAS_NODES} nodes (the "billion laughs") stop the read with one error.
 * Aliases are expanded by sharing the anchored subtree, so reading itself never does more work than the text is
 * long. Duplicate keys are reported and the first kept. Explicit tags are refused: no file certgate reads needs
 * them and they could change what a value means. One document per file.
 *
 * <pre>{@code
 * YamlReader.Read read = YamlReader.read("cases.tests.yaml", bytes);
 * read.diagnostics().forEach(System.err::println);
 * read.root().ifPresent(root -> ...);
 * }</pre>
 */
public final class YamlReader {
    /** Files larger than this are refused before parsing. */
    public static final int MAX_BYTES = 1 << 20;
    /** Mappings and lists nested deeper than this are refused; a policy needs 7 levels, a test file 5. */
    public static final int MAX_DEPTH = 12;
    public static final int MAX_ALIASES = 64;
    public static final int MAX_ALIAS_NODES = 1_000;

    private static final AnchoredYamlFactory FACTORY = new AnchoredYamlFactory();

    /**
     * What reading a file gave: its root node, and every problem found, in file order. The root is empty when
     * the file holds no YAML document (without a diagnostic: what an empty file means is the caller's to say)
     * or when an error stopped the read; a root may come with errors that did not (a duplicate key).
     */
    public record Read(Optional<YamlNode> root, List<Diagnostic> diagnostics) {
        public Read {
            Objects.requireNonNull(root, "root");
            diagnostics = List.copyOf(diagnostics);
        }

        public boolean hasErrors() {
            return diagnostics.stream().anyMatch(Diagnostic::isError);
        }
    }

    private final String text;
    private final List<String> lines;
    private final Reporter reporter;
    private final Map<String, YamlNode> anchors = new HashMap<>();
    private final Map<YamlNode, long[]> sizeAndHeight = new IdentityHashMap<>();
    private int aliases;
    private long expandedNodes;
    private AnchoredYamlFactory.Parser parser;

    private YamlReader(String text, Reporter reporter) {
        this.text = text;
        this.lines = Lines.split(text);
        this.reporter = reporter;
    }

    /** Reads {@code bytes}, the content of {@code file} (the name diagnostics give). */
    public static Read read(String file, byte[] bytes) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(bytes, "bytes");
        Reporter reporter = new Reporter(file);
        Optional<YamlNode> root = read(bytes, reporter);
        return new Read(root, reporter.diagnostics());
    }

    /** The document's root node, or empty: after reporting why, or for a file without a document. */
    static Optional<YamlNode> read(byte[] bytes, Reporter reporter) {
        if (bytes.length > MAX_BYTES) {
            reporter.error(DiagnosticCode.FILE_TOO_LARGE, Location.START, "", "the file has " + bytes.length
                    + " bytes; files are limited to " + MAX_BYTES + " bytes (1 MiB)", null);
            return Optional.empty();
        }
        return decode(bytes, reporter).flatMap(text -> new YamlReader(text, reporter).read());
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

    /** Thrown to stop reading once an error that makes the rest meaningless has been reported. */
    private static final class Stop extends Exception {
        private static final long serialVersionUID = 1L;

        Stop() {
            super(null, null, false, false);
        }
    }

    private Optional<YamlNode> read() {
        try (AnchoredYamlFactory.Parser p = (AnchoredYamlFactory.Parser) FACTORY.createParser(new StringReader(text))) {
            parser = p;
            JsonToken first = p.nextToken();
            if (first == null) {
                return Optional.empty();
            }
            YamlNode root = node(first, 1, "");
            JsonToken next = p.nextToken();
            if (next != null) {
                reporter.error(DiagnosticCode.YAML_MULTIPLE_DOCUMENTS, location(), "",
                        "a second YAML document starts here",
                        "put one document in a file, without '---' between parts");
                return Optional.empty();
            }
            return Optional.of(root);
        } catch (Stop stop) {
            return Optional.empty();
        } catch (JsonProcessingException e) {
            syntaxError(e);
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            // The parser failed in a way it does not describe with a location: report where it had got to.
            reporter.error(DiagnosticCode.YAML_SYNTAX, safeLocation(), "", "the YAML parser failed: " + e, null);
            return Optional.empty();
        }
    }

    private YamlNode node(JsonToken token, int depth, String path) throws IOException, Stop {
        Location location = location();
        Optional<String> alias = parser.alias();
        if (alias.isPresent()) {
            return expand(alias.get(), location, depth, path);
        }
        Optional<String> tag = parser.explicitTag();
        if (tag.isPresent()) {
            reporter.error(DiagnosticCode.YAML_SYNTAX, location, path, "the YAML tag '" + tag.get()
                    + "' is not allowed here", "remove the tag; quote the value if it must be a string");
            throw new Stop();
        }
        Optional<String> anchor = parser.anchor();
        YamlNode node = switch (token) {
            case START_OBJECT -> mapping(location, depth, path);
            case START_ARRAY -> sequence(location, depth, path);
            case VALUE_STRING -> scalar(location, ScalarKind.STRING);
            case VALUE_NUMBER_INT -> scalar(location, ScalarKind.INTEGER);
            case VALUE_NUMBER_FLOAT -> scalar(location, ScalarKind.FLOAT);
            case VALUE_TRUE, VALUE_FALSE -> scalar(location, ScalarKind.BOOLEAN);
            case VALUE_NULL -> scalar(location, ScalarKind.NULL);
            default -> {
                reporter.error(DiagnosticCode.YAML_SYNTAX, location, path, "unexpected YAML content (" + token + ")",
                        null);
                throw new Stop();
            }
        };
        anchor.ifPresent(name -> anchors.put(name, node));
        return node;
    }

    private Mapping mapping(Location location, int depth, String path) throws IOException, Stop {
        checkDepth(location, depth, path);
        List<Entry> entries = new ArrayList<>();
        Map<String, Location> seen = new HashMap<>();
        long size = 1;
        long height = 0;
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_OBJECT) {
            if (token != JsonToken.FIELD_NAME) {
                reporter.error(DiagnosticCode.YAML_SYNTAX, location(), path, "expected a key, found " + token, null);
                throw new Stop();
            }
            Location keyLocation = location();
            if (parser.alias().isPresent()) {
                reporter.error(DiagnosticCode.YAML_BAD_ALIAS, keyLocation, path,
                        "an alias cannot be used as a key", "write the key out");
                throw new Stop();
            }
            String key = parser.currentName();
            String childPath = path.isEmpty() ? key : path + "." + key;
            YamlNode value = node(parser.nextToken(), depth + 1, childPath);
            Location first = seen.putIfAbsent(key, keyLocation);
            if (first != null) {
                reporter.error(DiagnosticCode.DUPLICATE_KEY, keyLocation, childPath,
                        "duplicate key `" + key + "` (first at line " + first.line() + ")",
                        "remove one of the two");
                continue;
            }
            entries.add(new Entry(key, keyLocation, value));
            long[] child = measure(value);
            size = saturatedAdd(size, child[0]);
            height = Math.max(height, child[1]);
        }
        Mapping mapping = new Mapping(location, entries);
        sizeAndHeight.put(mapping, new long[] {size, height + 1});
        return mapping;
    }

    private Sequence sequence(Location location, int depth, String path) throws IOException, Stop {
        checkDepth(location, depth, path);
        List<YamlNode> items = new ArrayList<>();
        long size = 1;
        long height = 0;
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
            YamlNode item = node(token, depth + 1, path + "[" + items.size() + "]");
            items.add(item);
            long[] child = measure(item);
            size = saturatedAdd(size, child[0]);
            height = Math.max(height, child[1]);
        }
        Sequence sequence = new Sequence(location, items);
        sizeAndHeight.put(sequence, new long[] {size, height + 1});
        return sequence;
    }

    private Scalar scalar(Location location, ScalarKind kind) throws IOException {
        String value = parser.getText();
        boolean quoted = parser.quoted();
        boolean exact = !parser.blockScalar() && sourceHas(location, value, quoted);
        return new Scalar(location, kind, value, quoted, exact);
    }

    /** Whether the value's characters stand verbatim at its location (no escapes, folding or line breaks). */
    private boolean sourceHas(Location location, String value, boolean quoted) {
        int lineIndex = location.line() - 1;
        if (lineIndex < 0 || lineIndex >= lines.size()) {
            return false;
        }
        int start = location.column() - 1 + (quoted ? 1 : 0);
        String line = lines.get(lineIndex);
        return start >= 0 && start <= line.length() && line.startsWith(value, start);
    }

    private YamlNode expand(String name, Location location, int depth, String path) throws Stop {
        YamlNode target = anchors.get(name);
        if (target == null) {
            reporter.error(DiagnosticCode.YAML_BAD_ALIAS, location, path, "the alias *" + name
                    + " names no anchor defined before it", "define `&" + name + "` on a node earlier in the file");
            throw new Stop();
        }
        long[] measured = measure(target);
        aliases++;
        expandedNodes = saturatedAdd(expandedNodes, measured[0]);
        if (aliases > MAX_ALIASES || expandedNodes > MAX_ALIAS_NODES) {
            reporter.error(DiagnosticCode.YAML_ALIAS_LIMIT, location, path, "YAML aliases expand beyond the limit ("
                    + MAX_ALIASES + " aliases, " + MAX_ALIAS_NODES + " expanded nodes)",
                    "write the repeated parts out; neither a policy nor a test file needs deep alias expansion");
            throw new Stop();
        }
        if (depth - 1 + measured[1] > MAX_DEPTH) {
            reporter.error(DiagnosticCode.YAML_TOO_DEEP, location, path, "the alias *" + name
                    + " nests deeper than " + MAX_DEPTH + " levels", null);
            throw new Stop();
        }
        return target;
    }

    private long[] measure(YamlNode node) {
        return sizeAndHeight.getOrDefault(node, new long[] {1, 0});
    }

    private void checkDepth(Location location, int depth, String path) throws Stop {
        if (depth > MAX_DEPTH) {
            reporter.error(DiagnosticCode.YAML_TOO_DEEP, location, path,
                    "mappings and lists nest deeper than " + MAX_DEPTH + " levels", "a policy needs at most 7 levels,"
                            + " a test file 5");
            throw new Stop();
        }
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }

    private Location location() {
        return toLocation(parser.currentTokenLocation());
    }

    private Location safeLocation() {
        try {
            return parser == null ? Location.START : toLocation(parser.currentLocation());
        } catch (RuntimeException e) {
            return Location.START;
        }
    }

    private static Location toLocation(JsonLocation location) {
        if (location == null || location.getLineNr() < 1) {
            return Location.START;
        }
        return new Location(location.getLineNr(), Math.max(1, location.getColumnNr()));
    }

    private void syntaxError(JsonProcessingException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof org.yaml.snakeyaml.error.MarkedYAMLException marked
                    && marked.getProblemMark() != null) {
                Location at = new Location(marked.getProblemMark().getLine() + 1,
                        marked.getProblemMark().getColumn() + 1);
                String context = marked.getContext() == null ? "" : " (" + marked.getContext() + ")";
                reporter.error(DiagnosticCode.YAML_SYNTAX, at, "", marked.getProblem() + context, null);
                return;
            }
        }
        String message = e.getOriginalMessage();
        int newline = message == null ? -1 : message.indexOf('\n');
        reporter.error(DiagnosticCode.YAML_SYNTAX, toLocation(e.getLocation()), "",
                newline < 0 ? String.valueOf(message) : message.substring(0, newline), null);
    }
}
