package certgate.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PropertyKitProperties {

    @Test
    void the_same_seed_generates_the_same_value() {
        Property.forAll(Gens.ints(Integer.MIN_VALUE / 2, Integer.MAX_VALUE / 2)).tries(50).check(seed -> {
            Gen<List<byte[]>> gen = Gens.listOf(Gens.bytes(0, 40), 0, 10);
            List<byte[]> first = gen.generate(new SplittableRandom(seed));
            List<byte[]> second = gen.generate(new SplittableRandom(seed));
            assertEquals(first.size(), second.size());
            for (int i = 0; i < first.size(); i++) {
                assertArrayEquals(first.get(i), second.get(i));
            }
        });
    }

    @Test
    void damaged_bytes_always_differ_from_the_original() {
        byte[] valid = {0x30, 0x03, 0x02, 0x01, 0x05};
        Property.forAll(Gens.damaged(valid)).check(damaged -> assertFalse(Arrays.equals(valid, damaged)));
    }

    @Test
    void a_failing_byte_array_shrinks_to_a_minimal_counterexample() {
        AssertionError error = assertThrows(AssertionError.class, () ->
                Property.forAll(Gens.bytes(0, 200)).check(bytes -> assertTrue(bytes.length < 5, "too long")));
        assertTrue(error.getMessage().contains("counterexample"), error.getMessage());
        assertTrue(error.getMessage().contains("5 bytes: 0000000000"), error.getMessage());
        assertTrue(error.getMessage().contains("-Dcertgate.seed="), error.getMessage());
    }

    @Test
    void a_failing_list_shrinks_to_the_one_element_that_fails() {
        AssertionError error = assertThrows(AssertionError.class, () ->
                Property.forAll(Gens.listOf(Gens.ints(0, 1000), 0, 50))
                        .check(list -> assertTrue(list.stream().allMatch(v -> v < 900), "big element")));
        assertTrue(error.getMessage().contains("counterexample") && error.getMessage().contains("[900]"),
                error.getMessage());
    }

    @Test
    void the_printed_seed_reproduces_the_failing_value() {
        Gen<Integer> gen = Gens.ints(0, 1_000_000);
        AssertionError error = assertThrows(AssertionError.class, () ->
                Property.forAll(gen).check(v -> assertTrue(v % 7 != 3)));
        String message = error.getMessage();
        long seed = Long.parseLong(message.substring(message.indexOf("seed=") + 5, message.indexOf('\n')));
        assertEquals(3, gen.generate(new SplittableRandom(seed)) % 7);
    }
}
