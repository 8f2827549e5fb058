package certgate.dsl.dn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import certgate.testkit.Gens;
import certgate.testkit.Property;
import org.junit.jupiter.api.Test;

/** {@link StringPrep#prepare} takes a short cut for printable ASCII: it must give what the full preparation gives. */
class StringPrepProperties {

    @Test
    void printable_ascii_prepares_as_the_full_rfc_4518_steps_prepare_it() {
        Property.forAll(Gens.asciiStrings(0, 24)).tries(3_000).check(value ->
                assertEquals(StringPrep.prepareFully(value), StringPrep.prepare(value), value));
    }

    @Test
    void every_printable_ascii_character_prepares_as_the_full_steps_prepare_it() {
        for (char c = 0x20; c <= 0x7e; c++) {
            for (String value : new String[] {String.valueOf(c), " A" + c + c + "z  ", c + "\u00e9"}) {
                assertEquals(StringPrep.prepareFully(value), StringPrep.prepare(value), value);
            }
        }
    }

    @Test
    void values_beyond_printable_ascii_take_the_full_steps() {
        Property.forAll(DnGen.nastyValues()).tries(1_000).check(value ->
                assertEquals(StringPrep.prepareFully(value), StringPrep.prepare(value), value));
    }
}
