package certgate.engine.x509;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What the strict DER walk accepts and what it names as the problem. */
class DerTest {
    private static Optional<String> problem(String hex) {
        return Der.problem(HexFormat.of().parseHex(hex));
    }

    @Test
    void well_formed_der_has_no_problem() {
        assertEquals(Optional.empty(), problem("3006020101020102"));
        assertEquals(Optional.empty(), problem("0400"));
        assertEquals(Optional.empty(), problem("1f2103616263"));
    }

    @Test
    void ber_forms_are_refused_with_the_offset() {
        assertTrue(problem("3080020101 0000".replace(" ", "")).orElseThrow().contains("indefinite"));
        assertTrue(problem("30810302 0101".replace(" ", "")).orElseThrow().contains("not DER"));
        assertTrue(problem("2406040161040162").orElseThrow().contains("constructed"));
        assertTrue(problem("3003020101ff").orElseThrow().contains("after the end"));
        assertTrue(problem("30050201").orElseThrow().contains("offset 0"));
    }

    @Test
    void nesting_is_bounded() {
        StringBuilder hex = new StringBuilder();
        int depth = Der.MAX_DEPTH + 2;
        for (int i = 0; i < depth; i++) {
            hex.append("30").append(String.format("%02x", 2 * (depth - i - 1)));
        }
        assertTrue(problem(hex.toString()).orElseThrow().contains("nested deeper"));
    }
}
