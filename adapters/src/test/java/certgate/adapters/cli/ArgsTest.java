package certgate.adapters.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ArgsTest {
    private static Args.Parser parser() {
        return Args.parser().value("--peer").values("--trust").flag("--allow-sha1");
    }

    private static Args parse(String... args) throws UsageException {
        return parser().parse(List.of(args));
    }

    private static String usageError(String... args) {
        return assertThrows(UsageException.class, () -> parse(args)).getMessage();
    }

    @Test
    void values_come_in_both_forms() throws Exception {
        assertEquals(Optional.of("a.pem"), parse("--peer", "a.pem").value("--peer"));
        assertEquals(Optional.of("a.pem"), parse("--peer=a.pem").value("--peer"));
    }

    @Test
    void a_multi_valued_option_takes_every_following_value_and_repeats() throws Exception {
        Args args = parse("--trust", "a.pem", "b.pem", "--allow-sha1", "--trust", "c.pem");
        assertEquals(List.of("a.pem", "b.pem", "c.pem"), args.values("--trust"));
        assertTrue(args.flag("--allow-sha1"));
    }

    @Test
    void a_single_value_takes_one_argument_and_a_dash_is_a_value() throws Exception {
        assertEquals(Optional.of("-"), parse("--peer", "-").value("--peer"));
        assertEquals("unexpected argument 'extra' (this command takes options only)",
                usageError("--peer", "a.pem", "extra"));
    }

    @Test
    void absent_options_are_empty() throws Exception {
        Args args = parse();
        assertEquals(Optional.empty(), args.value("--peer"));
        assertEquals(List.of(), args.values("--trust"));
        assertFalse(args.flag("--allow-sha1"));
        assertFalse(args.has("--trust"));
    }

    @Test
    void an_unknown_option_suggests_the_closest_known_one() {
        assertEquals("unknown option '--trsut' (did you mean '--trust'?)", usageError("--trsut", "x"));
        assertEquals("unknown option '--frobnicate'", usageError("--frobnicate"));
        assertEquals("unknown option '-p'", usageError("-p"));
    }

    @Test
    void a_missing_or_empty_value_is_an_error() {
        assertEquals("--peer needs a value", usageError("--peer"));
        assertEquals("--peer needs a value", usageError("--peer", "--allow-sha1"));
        assertEquals("--trust needs a value", usageError("--trust"));
        assertEquals("--peer has an empty value", usageError("--peer="));
    }

    @Test
    void a_single_valued_option_given_twice_is_an_error() {
        assertEquals("--peer given more than once", usageError("--peer", "a", "--peer", "b"));
    }

    @Test
    void a_flag_takes_no_value() {
        assertEquals("--allow-sha1 takes no value", usageError("--allow-sha1=yes"));
    }

    @Test
    void help_anywhere_wins_over_every_other_problem() throws Exception {
        assertTrue(parse("--bogus", "--help").helpRequested());
        assertTrue(parse("-h").helpRequested());
    }

    @Test
    void positionals_are_counted() throws Exception {
        Args.Parser withFiles = Args.parser().flag("--deny-warnings").positionals("POLICY", 1, 3);
        assertEquals(List.of("a.yaml", "b.yaml"), withFiles.parse(List.of("a.yaml", "b.yaml")).positionals());
        assertEquals("missing POLICY",
                assertThrows(UsageException.class, () -> withFiles.parse(List.of("--deny-warnings"))).getMessage());
        assertEquals(List.of("--odd"), withFiles.parse(List.of("--", "--odd")).positionals());
    }

    @Test
    void reading_an_undeclared_option_is_a_programming_error() throws Exception {
        Args args = parse();
        assertThrows(IllegalArgumentException.class, () -> args.value("--trust"));
        assertThrows(IllegalArgumentException.class, () -> args.flag("--nope"));
    }
}
