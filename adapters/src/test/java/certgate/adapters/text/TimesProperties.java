package certgate.adapters.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import certgate.testkit.Gens;
import certgate.testkit.Property;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import org.junit.jupiter.api.Test;

/**
 * {@link Times#parse} reads the form machines send ({@code 2030-01-01T00:00:00Z}) without the general parser: it
 * must accept and refuse exactly what {@link OffsetDateTime#parse} does for strings of that shape.
 */
class TimesProperties {
    /** Characters for strings shaped like {@code YYYY-MM-DDTHH:MM:SSZ}: digits, often out of range, and others. */
    private static final String DIGITISH = "0123456789012345678901234567890123456789x ";

    @Test
    void theFastFormAgreesWithTheGeneralParser() {
        Property.forAll(Gens.listOf(Gens.strings(DIGITISH, 2, 2), 6, 6)).tries(2_000).check(parts -> {
            String year = (parts.get(0).contains("x") || parts.get(0).contains(" ") ? parts.get(0) : "20")
                    + parts.get(0);
            String text = year + "-" + parts.get(1) + "-" + parts.get(2) + "T" + parts.get(3) + ":" + parts.get(4)
                    + ":" + parts.get(5) + "Z";
            Instant general;
            try {
                general = OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeParseException refused) {
                assertThrows(IllegalArgumentException.class, () -> Times.parse(text), text);
                return;
            }
            assertEquals(general, Times.parse(text), text);
        });
    }

    @Test
    void impossibleDatesAndTimesAreRefusedWithTheGeneralMessage() {
        for (String text : new String[] {"2030-02-30T00:00:00Z", "2031-02-29T00:00:00Z", "2030-01-01T24:00:00Z",
                "2030-01-01T00:60:00Z", "2030-01-01T00:00:60Z", "2030-13-01T00:00:00Z", "2030-00-01T00:00:00Z"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Times.parse(text), text);
            assertEquals("'" + text + "' is not an ISO-8601 time such as 2030-01-01T00:00:00Z", e.getMessage());
        }
        assertEquals(Instant.parse("2028-02-29T23:59:59Z"), Times.parse("2028-02-29T23:59:59Z"));
    }
}
