package certgate.adapters.text;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** Validation times as people write them in ISO-8601. */
public final class Times {
    private Times() {
    }

    /**
     * {@code 2030-01-01T00:00:00Z}, with an offset ({@code +02:00}), or a date alone (midnight UTC). A date and
     * time without a zone is refused: guessing the zone would move the decision by hours.
     */
    public static Instant parse(String text) {
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
}
