package certgate.der;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What the framing walk run before BouncyCastle accepts, and how it names the problem. */
class DerTest {
    private static Optional<String> problem(String hex) {
        return Der.problem(HexFormat.of().parseHex(hex.replace(" ", "")));
    }

    @Test
    void well_formed_der_has_no_problem() {
        assertEquals(Optional.empty(), problem("3006020101020102"));
        assertEquals(Optional.empty(), problem("0400"));
        assertEquals(Optional.empty(), problem("1f2103616263"));
    }

    @Test
    void contents_are_left_to_the_reader_that_follows() {
        // BOOLEAN 0x01 and an INTEGER with a redundant octet: BouncyCastle's re-encoding check refuses them.
        assertEquals(Optional.empty(), problem("3007 010101 02020001"));
    }

    @Test
    void ber_forms_are_refused_with_the_offset() {
        assertTrue(problem("3080020101 0000").orElseThrow().contains("indefinite"));
        assertTrue(problem("30810302 0101").orElseThrow().contains("not minimal DER"));
        assertTrue(problem("2406040161040162").orElseThrow().contains("constructed"));
        assertTrue(problem("3003020101ff").orElseThrow().contains("after the end"));
        assertTrue(problem("30050201").orElseThrow().contains("offset 0"));
    }

    @Test
    void offsets_count_from_the_start_of_the_part_checked() {
        byte[] bytes = HexFormat.of().parseHex("ffff3080");
        assertEquals(Optional.of("indefinite length is BER, not DER (at byte offset 0)"),
                Der.problem(bytes, 2, 2));
    }

    @Test
    void tag_numbers_above_30_must_use_their_shortest_form() {
        assertTrue(problem("1f1e00").orElseThrow().contains("must use the short form"));
        assertTrue(problem("1f802100").orElseThrow().contains("leading zero group"));
        assertTrue(problem("1f8181818101 00").orElseThrow().contains("too large"));
    }

    @Test
    void nesting_is_bounded() {
        StringBuilder hex = new StringBuilder();
        int depth = DerCursor.MAX_DEPTH + 2;
        for (int i = 0; i < depth; i++) {
            hex.append("30").append(String.format("%02x", 2 * (depth - i - 1)));
        }
        assertTrue(problem(hex.toString()).orElseThrow().contains("nested deeper"));
    }

    @Test
    void a_part_is_held_to_the_depth_bound_of_its_container() {
        byte[] twoLevels = HexFormat.of().parseHex("30023000");
        assertEquals(Optional.empty(), Der.problem(twoLevels, 0, 4, DerCursor.MAX_DEPTH - 2));
        assertTrue(Der.problem(twoLevels, 0, 4, DerCursor.MAX_DEPTH - 1).orElseThrow().contains("nested deeper"));
    }
}
