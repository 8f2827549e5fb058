package certgate.dsl.dn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

class StringPrepTest {

    @Test
    void case_is_folded() {
        assertEquals(StringPrep.prepare("corp"), StringPrep.prepare("CoRP"));
        assertEquals(StringPrep.prepare("strasse"), StringPrep.prepare("Stra\u00dfe"));
    }

    @Test
    void leading_trailing_and_repeated_inner_spaces_are_insignificant() {
        assertEquals("john doe", StringPrep.prepare("  John   Doe "));
        assertEquals("", StringPrep.prepare("   "));
        assertNotEquals(StringPrep.prepare("johndoe"), StringPrep.prepare("john doe"));
    }

    @Test
    void other_whitespace_counts_as_a_space_and_soft_hyphens_vanish() {
        assertEquals("a b", StringPrep.prepare("a\u00a0\tb"));
        assertEquals("ab", StringPrep.prepare("a\u00adb"));
        assertEquals("ab", StringPrep.prepare("a\u200bb"));
    }

    @Test
    void compatibility_forms_are_normalized() {
        assertEquals(StringPrep.prepare("fi"), StringPrep.prepare("\ufb01"));
        assertEquals(StringPrep.prepare("caf\u00e9"), StringPrep.prepare("cafe\u0301"));
        assertEquals(StringPrep.prepare("ABC"), StringPrep.prepare("\uff21\uff22\uff23"));
    }
}
