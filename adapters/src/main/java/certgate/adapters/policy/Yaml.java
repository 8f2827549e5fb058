package certgate.adapters.policy;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * A small located YAML tree for policy test files, read with Jackson's streaming parser. Test files are input
 * from outside, so the reader is bounded and plain: nesting beyond {@link #MAX_DEPTH}, anchors and aliases,
 * explicit tags, duplicate keys and a second document are refused with a located error, and reading never does
 * more work than the text is long.
 */
final class Yaml {
    static final int MAX_DEPTH = 12;

    private static final YAMLFactory FACTORY = YAMLFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build())
            .build();

    private Yaml() {
    }

    /** Where a node starts, 1-based. */
    record At(int line, int column) {
        static final At START = new At(1, 1);
    }

    sealed interface Node {
        At at();

        String kind();
    }

    record Mapping(At at, Map<String, Entry> entries) implements Node {
        @Override
        public String kind() {
            return "a mapping";
        }

        Optional<Node> get(String key) {
            return Optional.ofNullable(entries.get(key)).map(Entry::value);
        }
    }

    record Entry(String key, At keyAt, Node value) {
    }

    record Sequence(At at, List<Node> items) implements Node {
        @Override
        public String kind() {
            return "a list";
        }
    }

    enum ScalarKind { STRING, NUMBER, BOOLEAN, NULL }

    record Scalar(At at, ScalarKind scalarKind, String text) implements Node {
        @Override
        public String kind() {
            return switch (scalarKind) {
                case STRING -> "a string";
                case NUMBER -> "a number";
                case BOOLEAN -> "a boolean";
                case NULL -> "nothing (null)";
            };
        }
    }

    /** A problem that stops reading: the text is not YAML a test file may use. */
    static final class SyntaxError extends Exception {
        private static final long serialVersionUID = 1L;
        private final transient At at;

        SyntaxError(At at, String message) {
            super(message);
            this.at = at;
        }

        At at() {
            return at;
        }
    }

    /** The document's root; an empty text is an error. */
    static Node read(String text) throws SyntaxError {
        try (YAMLParser parser = FACTORY.createParser(new StringReader(text))) {
            Reader reader = new Reader(parser);
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new SyntaxError(At.START, "the file is empty");
            }
            Node root = reader.node(first, 1);
            if (parser.nextToken() != null) {
                throw new SyntaxError(reader.at(), "a second YAML document starts here; put one test file in a file");
            }
            return root;
        } catch (JsonProcessingException e) {
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof MarkedYAMLException marked && marked.getProblemMark() != null) {
                    throw new SyntaxError(new At(marked.getProblemMark().getLine() + 1,
                            marked.getProblemMark().getColumn() + 1), "not well-formed YAML: " + marked.getProblem()
                            + (marked.getContext() == null ? "" : " (" + marked.getContext() + ")"));
                }
            }
            throw new SyntaxError(at(e.getLocation()), "not well-formed YAML: " + firstLine(e.getOriginalMessage()));
        } catch (IOException | RuntimeException e) {
            throw new SyntaxError(At.START, "the YAML parser failed: " + firstLine(String.valueOf(e.getMessage())));
        }
    }

    private static final class Reader {
        private final YAMLParser parser;

        Reader(YAMLParser parser) {
            this.parser = parser;
        }

        Node node(JsonToken token, int depth) throws IOException, SyntaxError {
            At at = at();
            if (parser.isCurrentAlias()) {
                throw new SyntaxError(at, "YAML aliases (*name) are not allowed in a test file; write the value out");
            }
            if (parser.getObjectId() != null) {
                throw new SyntaxError(at, "YAML anchors (&name) are not allowed in a test file; write values out");
            }
            Object tag = parser.getTypeId();
            if (tag != null) {
                throw new SyntaxError(at, "the YAML tag '" + tag + "' is not allowed in a test file");
            }
            if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
                if (depth > MAX_DEPTH) {
                    throw new SyntaxError(at, "mappings and lists nest deeper than " + MAX_DEPTH + " levels");
                }
                return token == JsonToken.START_OBJECT ? mapping(at, depth) : sequence(at, depth);
            }
            return switch (token) {
                case VALUE_STRING -> new Scalar(at, ScalarKind.STRING, parser.getText());
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> new Scalar(at, ScalarKind.NUMBER, parser.getText());
                case VALUE_TRUE, VALUE_FALSE -> new Scalar(at, ScalarKind.BOOLEAN, parser.getText());
                case VALUE_NULL -> new Scalar(at, ScalarKind.NULL, "");
                default -> throw new SyntaxError(at, "unexpected YAML content (" + token + ")");
            };
        }

        private Mapping mapping(At at, int depth) throws IOException, SyntaxError {
            Map<String, Entry> entries = new LinkedHashMap<>();
            JsonToken token;
            while ((token = parser.nextToken()) != JsonToken.END_OBJECT) {
                if (token != JsonToken.FIELD_NAME) {
                    throw new SyntaxError(at(), "expected a key, found " + token);
                }
                At keyAt = at();
                String key = parser.currentName();
                Node value = node(parser.nextToken(), depth + 1);
                Entry first = entries.putIfAbsent(key, new Entry(key, keyAt, value));
                if (first != null) {
                    throw new SyntaxError(keyAt, "duplicate key `" + key + "` (first at line " + first.keyAt().line()
                            + ")");
                }
            }
            return new Mapping(at, entries);
        }

        private Sequence sequence(At at, int depth) throws IOException, SyntaxError {
            List<Node> items = new ArrayList<>();
            JsonToken token;
            while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
                items.add(node(token, depth + 1));
            }
            return new Sequence(at, items);
        }

        At at() {
            return Yaml.at(parser.currentTokenLocation());
        }
    }

    private static At at(JsonLocation location) {
        if (location == null || location.getLineNr() < 1) {
            return At.START;
        }
        return new At(location.getLineNr(), Math.max(1, location.getColumnNr()));
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "(no detail)";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
