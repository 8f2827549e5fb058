package certgate.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ArgumentsTest {

    @Test
    void options_and_their_values_are_read_in_order() {
        Arguments arguments = new Arguments(List.of("--rounds", "3", "--budget", "0.5", "--dir", "x"));
        assertEquals("--rounds", arguments.option());
        assertEquals(3, arguments.number("--rounds", 1, 100));
        assertEquals("--budget", arguments.option());
        assertEquals(0.5, arguments.seconds("--budget", 3_600));
        assertEquals("--dir", arguments.option());
        assertEquals("x", arguments.value("--dir"));
        assertFalse(arguments.hasNext());
    }

    @Test
    void a_number_may_group_its_digits_with_underscores_or_commas() {
        assertEquals(1_000_000, new Arguments(List.of("1_000_000")).number("--events", 1, 2_000_000));
        assertEquals(1_000_000, new Arguments(List.of("1,000,000")).number("--events", 1, 2_000_000));
    }

    @Test
    void each_usage_error_names_the_option_and_what_was_wrong() {
        assertEquals("--rounds needs a value", message(() -> new Arguments(List.of()).value("--rounds")));
        assertEquals("--rounds must be a whole number, was 'zero'",
                message(() -> new Arguments(List.of("zero")).number("--rounds", 1, 100)));
        assertEquals("--rounds must be 1..100, was 0",
                message(() -> new Arguments(List.of("0")).number("--rounds", 1, 100)));
        assertEquals("--budget must be more than 0 and at most 3600, was 0",
                message(() -> new Arguments(List.of("0")).seconds("--budget", 3_600)));
        assertEquals("unknown option '--frob'", Arguments.unknown("--frob").getMessage());
        assertTrue(new Arguments(List.of("a", "--quick")).contains("--quick"));
    }

    private static String message(Runnable parse) {
        return assertThrows(IllegalArgumentException.class, parse::run).getMessage();
    }
}
