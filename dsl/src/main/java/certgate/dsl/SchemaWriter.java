package certgate.dsl;

import certgate.dsl.PolicySchema.Choice;
import certgate.dsl.PolicySchema.ExactlyOne;
import certgate.dsl.PolicySchema.Field;
import certgate.dsl.PolicySchema.Flag;
import certgate.dsl.PolicySchema.ForbiddenWhen;
import certgate.dsl.PolicySchema.IntegerRange;
import certgate.dsl.PolicySchema.ListShape;
import certgate.dsl.PolicySchema.MappingShape;
import certgate.dsl.PolicySchema.OneOrList;
import certgate.dsl.PolicySchema.RequiredUnless;
import certgate.dsl.PolicySchema.Rule;
import certgate.dsl.PolicySchema.ScalarShape;
import certgate.dsl.PolicySchema.Shape;
import certgate.dsl.PolicySchema.Span;
import certgate.dsl.PolicySchema.Text;
import certgate.dsl.PolicySchema.ValueType;
import certgate.dsl.PolicySchema.VersionNumber;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes {@link PolicySchema} as a JSON Schema (draft 2020-12). Warnings-only rules ({@code IgnoredWhen}) and
 * checks that need the whole file (unique names, references, repeated wildcard types) have no JSON Schema
 * form and are left to the compiler. Output is deterministic: keys in model order, two-space indent.
 */
final class SchemaWriter {
    private SchemaWriter() {
    }

    static String write(MappingShape root) {
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        schema.put("$id", "urn:certgate:policy-schema:1");
        schema.put("title", "certgate policy");
        schema.putAll(mapping(root));
        StringBuilder out = new StringBuilder();
        json(schema, 0, out);
        return out.append('\n').toString();
    }

    private static Map<String, Object> shape(Shape shape) {
        if (shape instanceof MappingShape mapping) {
            return mapping(mapping);
        }
        if (shape instanceof ListShape list) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("type", "array");
            out.put("items", shape(list.items()));
            return out;
        }
        if (shape instanceof OneOrList oneOrList) {
            Map<String, Object> list = new LinkedHashMap<>();
            list.put("type", "array");
            list.put("items", scalar(oneOrList.item().type()));
            list.put("minItems", 1);
            list.put("maxItems", oneOrList.maxItems());
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("anyOf", List.of(scalar(oneOrList.item().type()), list));
            return out;
        }
        return scalar(((ScalarShape) shape).type());
    }

    private static Map<String, Object> mapping(MappingShape mapping) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("description", mapping.description());
        out.put("type", "object");
        Map<String, Object> properties = new LinkedHashMap<>();
        for (Field field : mapping.fields()) {
            Map<String, Object> property = new LinkedHashMap<>();
            property.put("description", field.description());
            property.putAll(shape(field.shape()));
            field.defaultValue().ifPresent(value -> property.put("default", defaultValue(field.shape(), value)));
            properties.put(field.key(), property);
        }
        out.put("properties", properties);
        out.put("additionalProperties", false);
        List<Object> required = new ArrayList<>(mapping.fields().stream().filter(Field::required)
                .map(Field::key).toList());
        if (!required.isEmpty()) {
            out.put("required", required);
        }
        List<Object> rules = new ArrayList<>();
        for (Rule rule : mapping.rules()) {
            rule(rule).ifPresent(rules::add);
        }
        if (rules.size() == 1) {
            out.putAll(castMap(rules.get(0)));
        } else if (rules.size() > 1) {
            out.put("allOf", rules);
        }
        return out;
    }

    private static java.util.Optional<Map<String, Object>> rule(Rule rule) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (rule instanceof ExactlyOne one) {
            List<Object> options = new ArrayList<>();
            for (String key : one.keys()) {
                options.add(Map.of("required", List.of(key)));
            }
            out.put("oneOf", options);
        } else if (rule instanceof RequiredUnless required) {
            out.put("if", when(required.otherKey(), required.otherValue()));
            out.put("else", Map.of("required", List.of(required.key())));
        } else if (rule instanceof ForbiddenWhen forbidden) {
            out.put("if", when(forbidden.otherKey(), forbidden.otherValue()));
            out.put("then", Map.of("properties", Map.of(forbidden.key(),
                    Map.of("not", Map.of("required", List.of(forbidden.nested()))))));
        } else {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(out);
    }

    private static Map<String, Object> when(String key, String value) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("properties", Map.of(key, Map.of("const", value)));
        out.put("required", List.of(key));
        return out;
    }

    private static Map<String, Object> scalar(ValueType type) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (type instanceof VersionNumber version) {
            out.put("const", version.value());
        } else if (type instanceof IntegerRange range) {
            out.put("type", "integer");
            out.put("minimum", range.min());
            out.put("maximum", range.max());
        } else if (type instanceof Flag) {
            out.put("type", "boolean");
        } else if (type instanceof Choice choice) {
            out.put("enum", new ArrayList<Object>(choice.values()));
        } else if (type instanceof Text text) {
            out.put("type", "string");
            out.put("pattern", text.format().pattern());
        } else if (type instanceof Span span) {
            out.put("anyOf", List.of(Map.of("const", 0), orderedMap("type", "string", "pattern",
                    Durations.JSON_PATTERN)));
            out.put("$comment", "at most " + Durations.format(span.max()));
        }
        return out;
    }

    private static Object defaultValue(Shape shape, String value) {
        if (shape instanceof ScalarShape scalar) {
            if (scalar.type() instanceof IntegerRange || (scalar.type() instanceof Span && value.equals("0"))) {
                return Integer.parseInt(value);
            }
            if (scalar.type() instanceof Flag) {
                return Boolean.parseBoolean(value);
            }
        }
        return value;
    }

    private static Map<String, Object> orderedMap(String k1, Object v1, String k2, Object v2) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put(k1, v1);
        out.put(k2, v2);
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Object value) {
        return (Map<String, Object>) value;
    }

    private static void json(Object value, int indent, StringBuilder out) {
        if (value instanceof Map<?, ?> map) {
            if (map.isEmpty()) {
                out.append("{}");
                return;
            }
            out.append("{\n");
            int i = 0;
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                out.append("  ".repeat(indent + 1));
                string(String.valueOf(entry.getKey()), out);
                out.append(": ");
                json(entry.getValue(), indent + 1, out);
                out.append(++i < map.size() ? ",\n" : "\n");
            }
            out.append("  ".repeat(indent)).append('}');
        } else if (value instanceof List<?> list) {
            boolean simple = list.stream().noneMatch(v -> v instanceof Map || v instanceof List);
            if (simple) {
                out.append('[');
                for (int i = 0; i < list.size(); i++) {
                    json(list.get(i), indent, out);
                    out.append(i + 1 < list.size() ? ", " : "");
                }
                out.append(']');
                return;
            }
            out.append("[\n");
            for (int i = 0; i < list.size(); i++) {
                out.append("  ".repeat(indent + 1));
                json(list.get(i), indent + 1, out);
                out.append(i + 1 < list.size() ? ",\n" : "\n");
            }
            out.append("  ".repeat(indent)).append(']');
        } else if (value instanceof String text) {
            string(text, out);
        } else {
            out.append(value);
        }
    }

    private static void string(String text, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
