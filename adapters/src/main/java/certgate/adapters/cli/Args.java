package certgate.adapters.cli;

import certgate.adapters.text.Suggest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The parsed command line of one command. Options are declared first, so anything undeclared is a usage error
 * with a suggestion:
 *
 * <pre>{@code
 * Args args = Args.parser().value("--peer").values("--chain").flag("--allow-sha1").parse(argv);
 * }</pre>
 *
 * <p>Forms: {@code --name VALUE} and {@code --name=VALUE}; a multi-valued option takes every following argument
 * up to the next one that starts with {@code --}, and may be repeated ({@code --trust a.pem b.pem --trust
 * c.pem}); {@code -} is a value (standard input). {@code --help} anywhere asks for help and nothing else is
 * checked.
 */
public final class Args {

    private enum Arity { FLAG, ONE, MANY }

    private final boolean help;
    private final Map<String, List<String>> given;
    private final Map<String, Arity> declared;
    private final List<String> positionals;

    private Args(boolean help, Map<String, List<String>> given, Map<String, Arity> declared,
            List<String> positionals) {
        this.help = help;
        this.given = given;
        this.declared = declared;
        this.positionals = positionals;
    }

    public static Parser parser() {
        return new Parser();
    }

    public boolean helpRequested() {
        return help;
    }

    public boolean flag(String name) {
        declaredAs(name, Arity.FLAG);
        return given.containsKey(name);
    }

    public Optional<String> value(String name) {
        declaredAs(name, Arity.ONE);
        List<String> values = given.get(name);
        return values == null ? Optional.empty() : Optional.of(values.get(0));
    }

    /** The whole number given for {@code name}, within {@code [min, max]}; {@code absent} when not given. */
    public int intValue(String name, int min, int max, int absent) throws UsageException {
        Optional<String> text = value(name);
        if (text.isEmpty()) {
            return absent;
        }
        try {
            int number = Integer.parseInt(text.get());
            if (number >= min && number <= max) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below, with the range
        }
        throw new UsageException(name + " '" + text.get() + "' is not a number from " + min + " to " + max);
    }

    public List<String> values(String name) {
        declaredAs(name, Arity.MANY);
        return given.getOrDefault(name, List.of());
    }

    /** True when the option was given at all. */
    public boolean has(String name) {
        if (!declared.containsKey(name)) {
            throw new IllegalArgumentException("option " + name + " was not declared");
        }
        return given.containsKey(name);
    }

    public List<String> positionals() {
        return positionals;
    }

    private void declaredAs(String name, Arity arity) {
        if (declared.get(name) != arity) {
            throw new IllegalArgumentException("option " + name + " was not declared as " + arity);
        }
    }

    /** Declares options, then parses. */
    public static final class Parser {
        private final Map<String, Arity> declared = new LinkedHashMap<>();
        private int minPositionals;
        private int maxPositionals;
        private String positionalName = "";

        private Parser() {
        }

        /** An option with one value, given at most once. */
        public Parser value(String name) {
            return declare(name, Arity.ONE);
        }

        /** An option with one or more values, repeatable. */
        public Parser values(String name) {
            return declare(name, Arity.MANY);
        }

        /** An option without a value. */
        public Parser flag(String name) {
            return declare(name, Arity.FLAG);
        }

        /** Arguments that are not options, between {@code min} and {@code max} of them, shown as {@code name}. */
        public Parser positionals(String name, int min, int max) {
            this.positionalName = name;
            this.minPositionals = min;
            this.maxPositionals = max;
            return this;
        }

        private Parser declare(String name, Arity arity) {
            if (!name.startsWith("--") || declared.containsKey(name)) {
                throw new IllegalArgumentException("bad or repeated option declaration " + name);
            }
            declared.put(name, arity);
            return this;
        }

        public Args parse(List<String> args) throws UsageException {
            if (args.contains("--help") || args.contains("-h")) {
                return new Args(true, Map.of(), Map.copyOf(declared), List.of());
            }
            Map<String, List<String>> given = new HashMap<>();
            List<String> positionals = new ArrayList<>();
            for (int i = 0; i < args.size(); i++) {
                String arg = args.get(i);
                if (!arg.startsWith("--") || arg.equals("--")) {
                    if (arg.equals("--")) {
                        positionals.addAll(args.subList(i + 1, args.size()));
                        break;
                    }
                    if (arg.startsWith("-") && arg.length() > 1) {
                        throw new UsageException("unknown option '" + arg + "'" + Suggest.hint(arg, declared.keySet()));
                    }
                    positionals.add(arg);
                    continue;
                }
                int equals = arg.indexOf('=');
                String name = equals < 0 ? arg : arg.substring(0, equals);
                Arity arity = declared.get(name);
                if (arity == null) {
                    throw new UsageException("unknown option '" + name + "'" + Suggest.hint(name, declared.keySet()));
                }
                List<String> values = new ArrayList<>();
                if (equals >= 0) {
                    if (arity == Arity.FLAG) {
                        throw new UsageException(name + " takes no value");
                    }
                    values.add(arg.substring(equals + 1));
                } else if (arity != Arity.FLAG) {
                    while (i + 1 < args.size() && !args.get(i + 1).startsWith("--")) {
                        values.add(args.get(++i));
                        if (arity == Arity.ONE) {
                            break;
                        }
                    }
                    if (values.isEmpty()) {
                        throw new UsageException(name + " needs a value");
                    }
                }
                if (values.stream().anyMatch(String::isEmpty)) {
                    throw new UsageException(name + " has an empty value");
                }
                if (arity != Arity.MANY && given.containsKey(name)) {
                    throw new UsageException(name + " given more than once");
                }
                given.computeIfAbsent(name, k -> new ArrayList<>()).addAll(values);
            }
            if (positionals.size() > maxPositionals) {
                String first = positionals.get(maxPositionals);
                throw new UsageException(maxPositionals == 0
                        ? "unexpected argument '" + first + "' (this command takes options only)"
                        : "too many arguments: '" + first + "'");
            }
            if (positionals.size() < minPositionals) {
                throw new UsageException("missing " + positionalName);
            }
            Map<String, List<String>> frozen = new HashMap<>();
            given.forEach((k, v) -> frozen.put(k, List.copyOf(v)));
            return new Args(false, Map.copyOf(frozen), Map.copyOf(declared), List.copyOf(positionals));
        }
    }
}
