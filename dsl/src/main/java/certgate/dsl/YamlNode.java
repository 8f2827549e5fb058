package certgate.dsl;

import java.util.List;
import java.util.Optional;

/**
 * The located tree {@link YamlReader} reads a file into: every node keeps the 1-based line and column it starts
 * at. Aliases share the anchored node, so a tree may hold one node at several places.
 */
public sealed interface YamlNode permits YamlNode.Mapping, YamlNode.Sequence, YamlNode.Scalar {

    Location location();

    /** What the node is, for "expected X, found Y" messages. */
    String kind();

    record Location(int line, int column) {
        public static final Location START = new Location(1, 1);
    }

    record Entry(String key, Location keyLocation, YamlNode value) {
    }

    record Mapping(Location location, List<Entry> entries) implements YamlNode {
        public Mapping {
            entries = List.copyOf(entries);
        }

        /** The first entry with this key (the reader keeps the first of duplicate keys). */
        public Optional<Entry> entry(String key) {
            return entries.stream().filter(e -> e.key().equals(key)).findFirst();
        }

        public Optional<YamlNode> get(String key) {
            return entry(key).map(Entry::value);
        }

        @Override
        public String kind() {
            return "a mapping";
        }
    }

    record Sequence(Location location, List<YamlNode> items) implements YamlNode {
        public Sequence {
            items = List.copyOf(items);
        }

        @Override
        public String kind() {
            return "a list";
        }
    }

    enum ScalarKind { STRING, INTEGER, FLOAT, BOOLEAN, NULL }

    /**
     * A scalar as YAML typed it, with its text as written. {@code quoted} tells whether the text is in quotes,
     * {@code sourceExact} whether the value appears verbatim on its line (so columns inside it are exact).
     */
    record Scalar(Location location, ScalarKind scalarKind, String text, boolean quoted, boolean sourceExact)
            implements YamlNode {
        @Override
        public String kind() {
            return switch (scalarKind) {
                case STRING -> "a string";
                case INTEGER -> "an integer";
                case FLOAT -> "a number";
                case BOOLEAN -> "a boolean";
                case NULL -> "nothing (null)";
            };
        }

        /** The location of the character at {@code offset} inside the value, when that can be known exactly. */
        Location at(int offset) {
            if (!sourceExact) {
                return location;
            }
            return new Location(location.line(), location.column() + (quoted ? 1 : 0) + offset);
        }
    }
}
