package certgate.engine.revocation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import certgate.testkit.Gen;
import certgate.testkit.Property;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class CrlSortProperties {

    /** Keys as serial prefixes come: random, sharing leading bits, few distinct values, or with signs mixed. */
    private static final Gen<long[]> KEYS = random -> {
        // large enough sometimes for the 16-bit passes (from 2^14 keys), mostly small for many tries
        int n = random.nextInt(6) == 0 ? random.nextInt(1 << 14, 40_000) : random.nextInt(0, 300);
        long[] keys = new long[n];
        int kind = random.nextInt(4);
        long prefix = random.nextLong();
        int sharedBits = random.nextInt(1, 64);
        for (int i = 0; i < n; i++) {
            long value = random.nextLong();
            keys[i] = switch (kind) {
                case 0 -> value;
                case 1 -> (prefix & (-1L << sharedBits)) | (value & ~(-1L << sharedBits));
                case 2 -> random.nextInt(5);
                default -> random.nextBoolean() ? value | Long.MIN_VALUE : value >>> random.nextInt(64);
            };
        }
        return keys;
    };

    @Test
    void sorting_by_key_is_an_unsigned_stable_sort() {
        Property.forAll(KEYS).check(original -> {
            int n = original.length;
            long[] keys = original.clone();
            int[] ids = IntStream.range(0, n).toArray();

            CrlSort.byKey(keys, ids, n);

            Integer[] expected = IntStream.range(0, n).boxed().toArray(Integer[]::new);
            Arrays.sort(expected, Comparator.<Integer>comparingLong(i -> original[i] ^ Long.MIN_VALUE)); // stable
            assertArrayEquals(Arrays.stream(expected).mapToInt(Integer::intValue).toArray(), ids);
            for (int i = 0; i < n; i++) {
                if (keys[i] != original[ids[i]]) {
                    throw new AssertionError("key at " + i + " does not belong to id " + ids[i]);
                }
            }
        });
    }

    @Test
    void sorting_serial_tails_is_a_stable_sort_by_unsigned_bytes() {
        Gen<byte[][]> serials = random -> {
            byte[][] out = new byte[random.nextInt(1, 400)][];
            for (int i = 0; i < out.length; i++) {
                out[i] = new byte[12];
                for (int b = 8; b < 12; b++) {
                    out[i][b] = (byte) (random.nextBoolean() ? random.nextInt(3) : random.nextInt(256));
                }
            }
            return out;
        };
        Property.forAll(serials).check(list -> {
            byte[] der = new byte[list.length * 12];
            int[] offsets = new int[list.length];
            for (int i = 0; i < list.length; i++) {
                System.arraycopy(list[i], 0, der, i * 12, 12);
                offsets[i] = i * 12;
            }
            int[] ids = IntStream.range(0, list.length).toArray();

            CrlSort.bySerialTail(ids, 0, list.length, ByteBuffer.wrap(der), offsets, 8, 12);

            Integer[] expected = IntStream.range(0, list.length).boxed().toArray(Integer[]::new);
            Arrays.sort(expected, (a, b) -> Arrays.compareUnsigned(list[a], 8, 12, list[b], 8, 12));
            assertArrayEquals(Arrays.stream(expected).mapToInt(Integer::intValue).toArray(), ids);
        });
    }
}
