package certgate.adapters.text;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Validation times as people write them in ISO-8601. */
public final class Times {
    private static final Pattern WINDOW = Pattern.compile("([0-9]{1,6})([smhd])");

    private Times() {
    }

    /**
     * A span of time as a number and a unit: {@code 90s}, {@code 5m}, {@code 12h}, {@code 30d} (a day is 24
     * hours), as the policy language writes durations.
     */
    public static Duration window(String text) {
        Matcher m = WINDOW.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration: a number with a unit, such as 30d,"
                    + " 12h, 5m or 90s");
        }
        long amount = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
        };
    }

    /**
     * {@code 2030-01-01T00:00:00Z}, with an offset ({@code +02:00}), or a date alone (midnight UTC). A date and
     * time without a zone is refused: guessing the zone would move the decision by hours.
     */
    public static Instant parse(String text) {
        Instant utc = plainUtc(text);
        if (utc != null) {
            return utc;
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException notOffset) {
            try {
                return LocalDate.parse(text).atStartOfDay().toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException notDate) {
                try {
                    LocalDateTime.parse(text);
                } catch (DateTimeParseException notLocal) {
                    throw new IllegalArgumentException("'" + text + "' is not an ISO-8601 time such as "
                            + "2030-01-01T00:00:00Z");
                }
                throw new IllegalArgumentException("'" + text + "' has no time zone: add Z (UTC) or an offset "
                        + "such as +02:00");
            }
        }
    }

    /**
     * {@code YYYY-MM-DDTHH:MM:SSZ}, the form machines send, read without the general parser (which cost a decision
     * request more than deciding it did); null for anything else, which the general parser then reads or refuses.
     * Accepts exactly what the general parser accepts in this form: an impossible date or time is null here too.
     */
    private static Instant plainUtc(String text) {
        if (text.length() != 20 || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T'
                || text.charAt(13) != ':' || text.charAt(16) != ':' || text.charAt(19) != 'Z') {
            return null;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 2);
        int day = digits(text, 8, 2);
        int hour = digits(text, 11, 2);
        int minute = digits(text, 14, 2);
        int second = digits(text, 17, 2);
        if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) {
            return null;
        }
        try {
            return LocalDateTime.of(year, month, day, hour, minute, second).toInstant(ZoneOffset.UTC);
        } catch (DateTimeException impossible) {
            return null;
        }
    }

    /** The decimal number in {@code text[from, from + count)}, or -1 when a character there is not an ASCII digit. */
    private static int digits(String text, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
