package certgate.dsl;

import certgate.dsl.YamlNode.Scalar;
import certgate.dsl.YamlNode.ScalarKind;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as policies write them: 0, or up to 9 digits and one unit: 90s, 5m, 2h, 1d. */
final class Durations {
    static final String JSON_PATTERN = "^(0|[0-9]{1,9}[smhd])$";
    static final String FORM = "0, or a number with a unit: 90s, 5m, 2h, 1d";
    private static final Pattern TEXT = Pattern.compile("(0|([0-9]{1,9})([smhd]))");

    private Durations() {
    }

    /** The duration a scalar holds; empty when it is not one (an integer other than 0, "1h30m", "5 min"...). */
    static Optional<Duration> parse(Scalar scalar) {
        if (scalar.scalarKind() == ScalarKind.INTEGER) {
            return scalar.text().equals("0") ? Optional.of(Duration.ZERO) : Optional.empty();
        }
        if (scalar.scalarKind() != ScalarKind.STRING) {
            return Optional.empty();
        }
        return parse(scalar.text());
    }

    static Optional<Duration> parse(String text) {
        Matcher m = TEXT.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        if (m.group(2) == null) {
            return Optional.of(Duration.ZERO);
        }
        long amount = Long.parseLong(m.group(2));
        return Optional.of(switch (m.group(3)) {
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
        });
    }

    /** The shortest way to write a duration: 0s, 90s, 5m, 2h, 1d. */
    static String format(Duration duration) {
        long seconds = duration.getSeconds();
        if (seconds != 0 && seconds % 86_400 == 0) {
            return seconds / 86_400 + "d";
        }
        if (seconds != 0 && seconds % 3_600 == 0) {
            return seconds / 3_600 + "h";
        }
        if (seconds != 0 && seconds % 60 == 0) {
            return seconds / 60 + "m";
        }
        return seconds + "s";
    }
}
