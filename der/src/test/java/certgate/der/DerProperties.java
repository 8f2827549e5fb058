package certgate.der;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import certgate.testkit.Gen;
import certgate.testkit.Gens;
import certgate.testkit.Property;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The readers that use the cursor face the network, so on damaged input (random bytes, truncations, flipped bits,
 * inserted and deleted runs, deep nesting) the cursor must answer with the caller's exception and a message, never
 * another exception, a hang or an overflowing stack, and must accept exactly what has a DER form ({@link DerOracle}).
 */
class DerProperties {
    /** The caller's exception type: any other type escaping the cursor fails a property. */
    private static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused(String message, int offset) {
            super(message + " (at byte offset " + offset + ")");
        }
    }

    private static final Gen<byte[]> STRICT_ELEMENTS = DerGens.elements(false);
    private static final Gen<byte[]> FRAMED_ELEMENTS = DerGens.elements(true);

    private static final Gen<byte[]> DAMAGED = random -> {
        byte[] valid = (random.nextBoolean() ? STRICT_ELEMENTS : DerGens.nestings()).generate(random);
        return Gens.damaged(valid).generate(random);
    };

    @Test
    void well_formed_elements_pass_both_walks() {
        Property.forAll(STRICT_ELEMENTS).tries(1000).check(der -> {
            assertTrue(strictWalkAccepts(der), "strict walk refuses valid DER");
            assertEquals(Optional.empty(), Der.problem(der));
        });
        Property.forAll(FRAMED_ELEMENTS).tries(1000).check(der -> assertEquals(Optional.empty(), Der.problem(der)));
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void damaged_input_is_refused_with_the_callers_exception_or_accepted_only_when_it_is_der() {
        Property.forAll(DAMAGED).tries(3000).check(DerProperties::walksAgreeWithTheOracle);
        Property.forAll(Gens.bytes(0, 64)).tries(3000).check(DerProperties::walksAgreeWithTheOracle);
        Property.forAll(DerGens.nestings()).tries(300).check(DerProperties::walksAgreeWithTheOracle);
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void every_cursor_read_on_damaged_input_answers_with_the_callers_exception() {
        Property.forAll(DAMAGED).tries(3000).check(DerProperties::readEverything);
    }

    private static void walksAgreeWithTheOracle(byte[] der) {
        assertEquals(DerOracle.isDer(der, 0, der.length, DerCursor.Walk.STRICT), strictWalkAccepts(der),
                "strict walk and oracle disagree");
        Optional<String> problem = Der.problem(der);
        assertEquals(DerOracle.isDer(der, 0, der.length, DerCursor.Walk.FRAMING), problem.isEmpty(),
                () -> "framing walk and oracle disagree: " + problem);
        problem.ifPresent(message -> assertTrue(message.contains("at byte offset"), message));
    }

    /** One element, nothing after it, through the strict walk; false when refused with the caller's exception. */
    private static boolean strictWalkAccepts(byte[] der) {
        DerCursor<Refused> in = new DerCursor<>(der, 0, Refused::new);
        try {
            in.header(der.length, "element");
            int end = in.end();
            in.checkStructure(0, end, 0, DerCursor.Walk.STRICT, "element");
            assertEquals(end, in.pos());
            return end == der.length;
        } catch (Refused e) {
            assertFalse(e.getMessage().isBlank());
            return false;
        }
    }

    /**
     * Reads every element of the input, any depth, with each content rule that fits its tag, and each time form;
     * only {@link Refused} may come out.
     */
    private static void readEverything(byte[] der) {
        DerCursor<Refused> in = new DerCursor<>(der, 0, Refused::new);
        try {
            readAll(in, der, 0, der.length, 0);
        } catch (Refused e) {
            assertTrue(e.getMessage().contains("at byte offset"), e.getMessage());
        }
    }

    private static void readAll(DerCursor<Refused> in, byte[] der, int from, int to, int depth) throws Refused {
        in.seek(from);
        while (in.pos() < to) {
            int start = in.pos();
            in.header(to, "element");
            int end = in.end();
            int content = in.content();
            switch (in.tag()) {
                case DerTag.BOOLEAN -> in.checkBoolean("element");
                case DerTag.INTEGER -> {
                    in.checkInteger("element");
                    in.integerValue();
                    in.seek(start);
                    in.smallInteger(DerTag.INTEGER, to, "element");
                }
                case DerTag.BIT_STRING -> in.checkBitString("element");
                case DerTag.NULL -> in.checkNull("element");
                case DerTag.OID -> {
                    in.checkOid("element");
                    DerCursor.oidText(der, content, end);
                }
                case DerTag.UTC_TIME, DerTag.GENERALIZED_TIME -> {
                    in.seek(start);
                    in.time(to, "element");
                    in.timeYear();
                }
                default -> {
                    if (DerTag.constructed(in.tag()) && depth < DerCursor.MAX_DEPTH) {
                        readAll(in, der, content, end, depth + 1);
                    }
                }
            }
            in.seek(end);
        }
        in.expectEnd(to, "elements");
    }
}
