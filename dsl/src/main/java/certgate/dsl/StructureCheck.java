package certgate.dsl;

import certgate.dsl.PolicySchema.Choice;
import certgate.dsl.PolicySchema.ExactlyOne;
import certgate.dsl.PolicySchema.Field;
import certgate.dsl.PolicySchema.Flag;
import certgate.dsl.PolicySchema.ForbiddenWhen;
import certgate.dsl.PolicySchema.IgnoredWhen;
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
import certgate.dsl.PolicySchema.VersionNumber;
import certgate.dsl.YamlNode.Entry;
import certgate.dsl.YamlNode.Mapping;
import certgate.dsl.YamlNode.Scalar;
import certgate.dsl.YamlNode.ScalarKind;
import certgate.dsl.YamlNode.Sequence;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks the tree against {@link PolicySchema}: keys, types, required keys, enum words, value formats, ranges
 * and the rules between keys. Everything the schema can say is checked here, once; {@link PolicyBuilder}
 * adds only what needs the whole file (names, references, DN rules, reachability).
 */
final class StructureCheck {
    private static final Pattern DECIMAL = Pattern.compile("-?[0-9]{1,9}");

    private final Reporter reporter;

    StructureCheck(Reporter reporter) {
        this.reporter = reporter;
    }

    void check(YamlNode node, Shape shape, String path) {
        if (shape instanceof MappingShape mapping) {
            mapping(node, mapping, path);
        } else if (shape instanceof ListShape list) {
            list(node, list, path);
        } else if (shape instanceof OneOrList oneOrList) {
            oneOrList(node, oneOrList, path);
        } else {
            scalar(node, (ScalarShape) shape, path);
        }
    }

    private void mapping(YamlNode node, MappingShape shape, String path) {
        if (!(node instanceof Mapping mapping)) {
            wrongType(node, "a mapping with the keys " + Suggestions.quoted(shape.keys()), path);
            return;
        }
        boolean unknownKeys = false;
        Set<String> suggested = new HashSet<>();
        Set<String> junosTargets = new HashSet<>();
        for (Entry entry : mapping.entries()) {
            String childPath = join(path, entry.key());
            Optional<Field> field = shape.field(entry.key());
            if (field.isPresent()) {
                check(entry.value(), field.get().shape(), childPath);
                continue;
            }
            String junosTarget = shape.junosSpellings().get(entry.key());
            if (junosTarget != null) {
                junosTargets.add(junosTarget);
                reporter.error(DiagnosticCode.JUNOS_SPELLING, entry.keyLocation(), childPath,
                        "`" + entry.key() + "` is the Junos keyword; certgate writes `" + junosTarget + "`",
                        "rename `" + entry.key() + "` to `" + junosTarget + "`");
                continue;
            }
            unknownKeys = true;
            Optional<String> closest = Suggestions.closest(entry.key(), shape.keys());
            closest.ifPresent(suggested::add);
            reporter.error(DiagnosticCode.UNKNOWN_KEY, entry.keyLocation(), childPath,
                    "unknown key `" + entry.key() + "`" + (path.isEmpty() ? " at the top level" : " in " + path),
                    closest.map(c -> "did you mean `" + c + "`?")
                            .orElse("allowed keys here: " + Suggestions.quoted(shape.keys())));
        }
        for (Field field : shape.fields()) {
            if (field.required() && mapping.entry(field.key()).isEmpty() && !suggested.contains(field.key())) {
                reporter.error(DiagnosticCode.MISSING_KEY, mapping.location(), join(path, field.key()),
                        "missing required key `" + field.key() + "`" + (path.isEmpty() ? "" : " in " + path),
                        field.description());
            }
        }
        for (Rule rule : shape.rules()) {
            rule(mapping, rule, path, unknownKeys, suggested, junosTargets);
        }
    }

    private void rule(Mapping mapping, Rule rule, String path, boolean unknownKeys, Set<String> suggested,
                      Set<String> junosTargets) {
        if (rule instanceof ExactlyOne one) {
            List<Entry> present = new ArrayList<>();
            for (Entry entry : mapping.entries()) {
                if (one.keys().contains(entry.key())) {
                    present.add(entry);
                }
            }
            long total = present.size() + junosTargets.stream().filter(one.keys()::contains).count();
            if (present.size() > 1) {
                Entry second = present.get(1);
                reporter.error(one.code(), second.keyLocation(), join(path, second.key()),
                        "both `" + present.get(0).key() + "` and `" + second.key() + "` are given",
                        "give exactly one of " + Suggestions.quoted(one.keys()));
            } else if (total == 0 && !unknownKeys) {
                reporter.error(one.code(), mapping.location(), path,
                        "none of " + Suggestions.quoted(one.keys()) + " is given",
                        "give exactly one of " + Suggestions.quoted(one.keys()));
            }
        } else if (rule instanceof RequiredUnless required) {
            boolean exempt = textOf(mapping, required.otherKey()).filter(required.otherValue()::equals)
                    .isPresent();
            if (!exempt && mapping.entry(required.key()).isEmpty() && !suggested.contains(required.key())) {
                reporter.error(DiagnosticCode.MISSING_KEY, mapping.location(), join(path, required.key()),
                        "missing key `" + required.key() + "` (required unless `" + required.otherKey()
                                + "` is " + required.otherValue() + ")",
                        "name the CA profile whose CA issues the peers' certificates");
            }
        } else if (rule instanceof ForbiddenWhen forbidden) {
            if (textOf(mapping, forbidden.otherKey()).filter(forbidden.otherValue()::equals).isEmpty()) {
                return;
            }
            if (mapping.get(forbidden.key()).orElse(null) instanceof Mapping inner) {
                inner.entry(forbidden.nested()).ifPresent(entry -> reporter.error(forbidden.code(),
                        entry.keyLocation(), join(join(path, forbidden.key()), entry.key()), forbidden.message(),
                        "use ip, fqdn or ufqdn, or switch the gateway to certificate authentication"));
            }
        } else if (rule instanceof IgnoredWhen ignored) {
            if (textOf(mapping, ignored.otherKey()).filter(ignored.otherValue()::equals).isEmpty()) {
                return;
            }
            mapping.entry(ignored.key()).ifPresent(entry -> reporter.warning(DiagnosticCode.IGNORED_SETTING,
                    entry.keyLocation(), join(path, entry.key()), "`" + entry.key() + "` has no effect: "
                            + ignored.why(), "remove `" + entry.key() + "`"));
        }
    }

    private static Optional<String> textOf(Mapping mapping, String key) {
        return mapping.get(key).flatMap(node -> node instanceof Scalar scalar ? Optional.of(scalar.text())
                : Optional.empty());
    }

    private void list(YamlNode node, ListShape shape, String path) {
        if (!(node instanceof Sequence sequence)) {
            wrongType(node, "a list", path);
            return;
        }
        for (int i = 0; i < sequence.items().size(); i++) {
            check(sequence.items().get(i), shape.items(), path + "[" + i + "]");
        }
    }

    private void oneOrList(YamlNode node, OneOrList shape, String path) {
        if (!(node instanceof Sequence sequence)) {
            scalar(node, shape.item(), path);
            return;
        }
        int size = sequence.items().size();
        if (size == 0 || size > shape.maxItems()) {
            reporter.error(DiagnosticCode.TOO_MANY_ITEMS, node.location(), path, (size == 0 ? "an empty list"
                    : "a list of " + size) + " where 1 to " + shape.maxItems() + " values belong",
                    "give one value, or a list of at most " + shape.maxItems() + " (tried in order)");
        }
        for (int i = 0; i < size; i++) {
            scalar(sequence.items().get(i), shape.item(), path + "[" + i + "]");
        }
    }

    private void scalar(YamlNode node, ScalarShape shape, String path) {
        PolicySchema.ValueType type = shape.type();
        if (type instanceof VersionNumber version) {
            Optional<Integer> value = decimal(node);
            if (value.isEmpty()) {
                wrongType(node, "the integer " + version.value(), path);
            } else if (value.get() != version.value()) {
                reporter.error(DiagnosticCode.UNKNOWN_VERSION, node.location(), path,
                        "policy language version " + value.get() + " is not known",
                        "this certgate reads `version: " + version.value() + "`");
            }
        } else if (type instanceof IntegerRange range) {
            Optional<Integer> value = decimal(node);
            if (value.isEmpty()) {
                wrongType(node, "an integer from " + range.min() + " to " + range.max(), path);
            } else if (value.get() < range.min() || value.get() > range.max()) {
                reporter.error(DiagnosticCode.OUT_OF_RANGE, node.location(), path,
                        value.get() + " is out of range", "use an integer from " + range.min() + " to "
                                + range.max());
            }
        } else if (type instanceof Flag flag) {
            boolean ok = node instanceof Scalar scalar && scalar.scalarKind() == ScalarKind.BOOLEAN
                    && (scalar.text().equalsIgnoreCase("true") || scalar.text().equalsIgnoreCase("false"));
            if (!ok) {
                wrongType(node, "true or false", path);
            }
        } else if (type instanceof Choice choice) {
            if (!(node instanceof Scalar scalar) || scalar.scalarKind() == ScalarKind.NULL) {
                wrongType(node, "one of " + Suggestions.quoted(choice.values()), path);
            } else if (!choice.values().contains(scalar.text())) {
                String closest = Suggestions.closest(scalar.text(), choice.values())
                        .map(c -> "did you mean `" + c + "`? ").orElse("");
                reporter.error(DiagnosticCode.BAD_ENUM_VALUE, node.location(), path,
                        "`" + scalar.text() + "` is not an allowed value",
                        closest + "allowed values: " + Suggestions.quoted(choice.values()));
            }
        } else if (type instanceof Text text) {
            if (!(node instanceof Scalar scalar) || scalar.scalarKind() != ScalarKind.STRING) {
                wrongType(node, "a string (" + text.format().form() + ")", path);
                return;
            }
            text.format().check(scalar.text()).ifPresent(problem -> reporter.error(text.format().code(),
                    problem.offset() >= 0 ? scalar.at(problem.offset()) : scalar.location(), path,
                    problem.message(), "expected " + text.format().form()));
        } else if (type instanceof Span span) {
            if (!(node instanceof Scalar scalar)
                    || (scalar.scalarKind() != ScalarKind.STRING && scalar.scalarKind() != ScalarKind.INTEGER)) {
                wrongType(node, "a duration (" + Durations.FORM + ")", path);
                return;
            }
            Optional<Duration> value = Durations.parse(scalar);
            if (value.isEmpty()) {
                reporter.error(DiagnosticCode.MALFORMED_DURATION, node.location(), path,
                        "`" + scalar.text() + "` is not a duration", "write " + Durations.FORM);
            } else if (value.get().compareTo(span.max()) > 0) {
                reporter.error(DiagnosticCode.OUT_OF_RANGE, node.location(), path,
                        "`" + scalar.text() + "` is longer than the allowed " + Durations.format(span.max()),
                        "use at most " + Durations.format(span.max()));
            }
        }
    }

    /** A decimal integer scalar (not 0x10, 010 or 1_000: the policy has no need for them). */
    private static Optional<Integer> decimal(YamlNode node) {
        if (node instanceof Scalar scalar && scalar.scalarKind() == ScalarKind.INTEGER
                && DECIMAL.matcher(scalar.text()).matches()
                && (scalar.text().equals("0") || !scalar.text().replace("-", "").startsWith("0"))) {
            return Optional.of(Integer.parseInt(scalar.text()));
        }
        return Optional.empty();
    }

    private void wrongType(YamlNode node, String expected, String path) {
        String found = node.kind();
        String help = null;
        if (node instanceof Scalar scalar && scalar.scalarKind() != ScalarKind.NULL) {
            found = found + " `" + scalar.text() + "`";
            if (expected.startsWith("a string") && scalar.scalarKind() != ScalarKind.STRING) {
                help = "quote it: \"" + scalar.text() + "\"";
            } else if (expected.equals("true or false")) {
                help = "write true or false";
            }
        }
        reporter.error(DiagnosticCode.WRONG_TYPE, node.location(), path, "expected " + expected + ", found "
                + found, help);
    }

    static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }
}
