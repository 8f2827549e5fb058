package certgate.bench;

import java.util.List;

/**
 * The option parser every harness uses: a cursor over the arguments after the harness's name, with the value
 * readers and their messages in one place ({@code --rounds must be a whole number, was 'zero'}). A usage error
 * is an {@link IllegalArgumentException} whose message the harness prints after its name.
 */
public final class Arguments {
    private final List<String> args;
    private int next;

    public Arguments(List<String> args) {
        this.args = List.copyOf(args);
    }

    public boolean hasNext() {
        return next < args.size();
    }

    /** The next option word. */
    public String option() {
        return args.get(next++);
    }

    /** Whether the word appears anywhere (for options such as {@code --quick} that set other defaults). */
    public boolean contains(String word) {
        return args.contains(word);
    }

    /** The value after {@code option}. */
    public String value(String option) {
        if (next >= args.size()) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args.get(next++);
    }

    /** A whole-number value from {@code min} to {@code max}; {@code 1_000_000} and {@code 1,000,000} are read. */
    public int number(String option, int min, int max) {
        String text = value(option);
        int value;
        try {
            value = Integer.parseInt(text.replace("_", "").replace(",", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be a whole number, was '" + text + "'", e);
        }
        if (value < min || value > max) {
            throw new IllegalArgumentException(option + " must be " + min + ".." + max + ", was " + value);
        }
        return value;
    }

    /** A number of seconds, more than 0 and at most {@code max}. */
    public double seconds(String option, int max) {
        String text = value(option);
        double value;
        try {
            value = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be a number of seconds, was '" + text + "'", e);
        }
        if (!(value > 0 && value <= max)) {
            throw new IllegalArgumentException(option + " must be more than 0 and at most " + max + ", was " + text);
        }
        return value;
    }

    /** The usage error for a word no option of the harness matches. */
    public static IllegalArgumentException unknown(String option) {
        return new IllegalArgumentException("unknown option '" + option + "'");
    }
}
