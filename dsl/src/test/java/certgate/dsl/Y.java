package certgate.dsl;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A tiny YAML document model for tests: generated policies are built as Y trees, mutated, then rendered. */
sealed interface Y permits Y.M, Y.L, Y.S {

    /** A mapping; entries in order. Rendered in block style, or flow style when {@code flow}. */
    record M(List<Map.Entry<String, Y>> entries, boolean flow) implements Y {
        public M {
            entries = List.copyOf(entries);
        }

        static M of(boolean flow, Object... keysAndValues) {
            List<Map.Entry<String, Y>> entries = new ArrayList<>();
            for (int i = 0; i < keysAndValues.length; i += 2) {
                entries.add(Map.entry((String) keysAndValues[i], (Y) keysAndValues[i + 1]));
            }
            return new M(entries, flow);
        }

        M with(String key, Y value) {
            List<Map.Entry<String, Y>> copy = new ArrayList<>();
            boolean replaced = false;
            for (Map.Entry<String, Y> entry : entries) {
                if (entry.getKey().equals(key)) {
                    copy.add(Map.entry(key, value));
                    replaced = true;
                } else {
                    copy.add(entry);
                }
            }
            if (!replaced) {
                copy.add(Map.entry(key, value));
            }
            return new M(copy, flow);
        }

        Y get(String key) {
            return entries.stream().filter(e -> e.getKey().equals(key)).map(Map.Entry::getValue).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no key " + key));
        }
    }

    record L(List<Y> items) implements Y {
        public L {
            items = List.copyOf(items);
        }
    }

    /** A scalar, exactly as it is to appear in the file (quotes included when it needs them). */
    record S(String raw) implements Y {
        static S quoted(String text) {
            return new S("\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"");
        }
    }

    static String render(Y root) {
        StringBuilder out = new StringBuilder();
        block(root, 0, out);
        return out.toString();
    }

    private static void block(Y node, int indent, StringBuilder out) {
        String pad = "  ".repeat(indent);
        if (node instanceof M m && !m.flow()) {
            for (Map.Entry<String, Y> entry : m.entries()) {
                out.append(pad).append(entry.getKey()).append(':');
                value(entry.getValue(), indent, out);
            }
        } else if (node instanceof L l) {
            for (Y item : l.items()) {
                out.append(pad).append("- ");
                if (item instanceof M m && !m.flow() && !m.entries().isEmpty()) {
                    // The first entry shares the dash's line; the rest align under it.
                    StringBuilder inner = new StringBuilder();
                    block(item, indent + 1, inner);
                    out.append(inner.substring(pad.length() + 2));
                } else {
                    out.append(flow(item)).append('\n');
                }
            }
        } else {
            out.append(pad).append(flow(node)).append('\n');
        }
    }

    private static void value(Y value, int indent, StringBuilder out) {
        boolean nested = (value instanceof M m && !m.flow() && !m.entries().isEmpty())
                || (value instanceof L l && !l.items().isEmpty());
        if (nested) {
            out.append('\n');
            block(value, indent + 1, out);
        } else {
            out.append(' ').append(flow(value)).append('\n');
        }
    }

    static String flow(Y node) {
        if (node instanceof S s) {
            return s.raw();
        }
        if (node instanceof L l) {
            return "[" + String.join(", ", l.items().stream().map(Y::flow).toList()) + "]";
        }
        M m = (M) node;
        return "{" + String.join(", ", m.entries().stream().map(e -> e.getKey() + ": " + flow(e.getValue()))
                .toList()) + "}";
    }
}
