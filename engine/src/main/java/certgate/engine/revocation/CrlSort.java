package certgate.engine.revocation;

import java.nio.ByteBuffer;

/**
 * Sorting of revoked serials without an object per entry: a stable MSD radix sort of (64-bit key, entry id)
 * pairs, and a stable merge sort of entry ids by the serial bytes after the key, for the rare runs of equal keys.
 * Both are O(n log n) or better on any input, so a hostile CRL cannot make loading quadratic.
 */
final class CrlSort {
    private static final int INSERTION_LIMIT = 32;

    private CrlSort() {
    }

    /**
     * Sorts {@code keys[0, n)} as unsigned values, permuting {@code ids} alike; equal keys keep their order. An
     * MSD radix sort that starts at the highest bit where the keys of a range differ (serials often share leading
     * bytes), 8 or 16 bits a pass, and finishes small ranges by insertion; at most 8 passes on any input.
     */
    static void byKey(long[] keys, int[] ids, int n) {
        byKey(keys, ids, 0, n);
    }

    /**
     * As {@link #byKey(long[], int[], int)}, permuting {@code ids[idBase, idBase + n)}: the key of {@code
     * ids[idBase + i]} is {@code keys[i]}, so one array of ids can be sorted group by group, in place.
     */
    static void byKey(long[] keys, int[] ids, int idBase, int n) {
        if (n < INSERTION_LIMIT) {
            insertionByKey(keys, ids, idBase, 0, n);
            return;
        }
        radix(keys, ids, idBase, new long[n], new int[n], 0, n);
    }

    private static void radix(long[] keys, int[] ids, int idBase, long[] keyScratch, int[] idScratch, int from,
                              int to) {
        int n = to - from;
        if (n < INSERTION_LIMIT) {
            insertionByKey(keys, ids, idBase, from, to);
            return;
        }
        long first = keys[from];
        long differing = 0;
        for (int i = from + 1; i < to; i++) {
            differing |= keys[i] ^ first;
        }
        if (differing == 0) {
            return; // all keys equal: already in order
        }
        int top = 63 - Long.numberOfLeadingZeros(differing);
        int bits = Math.min(top + 1, n >= 1 << 14 ? 16 : 8);
        int shift = top + 1 - bits;
        int mask = (1 << bits) - 1;
        int[] next = new int[(1 << bits) + 1];
        for (int i = from; i < to; i++) {
            next[(int) ((keys[i] >>> shift) & mask) + 1]++;
        }
        for (int d = 1; d < next.length; d++) {
            next[d] += next[d - 1];
        }
        int[] bounds = next.clone();
        for (int i = from; i < to; i++) {
            int at = from + next[(int) ((keys[i] >>> shift) & mask)]++;
            keyScratch[at] = keys[i];
            idScratch[at] = ids[idBase + i];
        }
        System.arraycopy(keyScratch, from, keys, from, n);
        System.arraycopy(idScratch, from, ids, idBase + from, n);
        if (shift == 0) {
            return; // every bit has been a digit: each bucket holds equal keys
        }
        for (int d = 0; d < bounds.length - 1; d++) {
            if (bounds[d + 1] - bounds[d] > 1) {
                radix(keys, ids, idBase, keyScratch, idScratch, from + bounds[d], from + bounds[d + 1]);
            }
        }
    }

    private static void insertionByKey(long[] keys, int[] ids, int idBase, int from, int to) {
        for (int i = from + 1; i < to; i++) {
            long key = keys[i];
            int id = ids[idBase + i];
            int j = i - 1;
            while (j >= from && Long.compareUnsigned(keys[j], key) > 0) {
                keys[j + 1] = keys[j];
                ids[idBase + j + 1] = ids[idBase + j];
                j--;
            }
            keys[j + 1] = key;
            ids[idBase + j + 1] = id;
        }
    }

    /**
     * Sorts {@code ids[from, to)} (stable) by the unsigned bytes {@code [skip, length)} of each entry's serial,
     * which starts at {@code serialOffsets[id]} in {@code der}.
     */
    static void bySerialTail(int[] ids, int from, int to, ByteBuffer der, int[] serialOffsets, int skip, int length) {
        int[] scratch = new int[to - from];
        mergeSort(ids, from, to, scratch, der, serialOffsets, skip, length);
    }

    private static void mergeSort(int[] ids, int from, int to, int[] scratch, ByteBuffer der, int[] offsets, int skip,
                                  int length) {
        if (to - from < INSERTION_LIMIT) {
            for (int i = from + 1; i < to; i++) {
                int id = ids[i];
                int j = i - 1;
                while (j >= from && compareTails(der, offsets[ids[j]], offsets[id], skip, length) > 0) {
                    ids[j + 1] = ids[j];
                    j--;
                }
                ids[j + 1] = id;
            }
            return;
        }
        int middle = (from + to) >>> 1;
        mergeSort(ids, from, middle, scratch, der, offsets, skip, length);
        mergeSort(ids, middle, to, scratch, der, offsets, skip, length);
        System.arraycopy(ids, from, scratch, 0, middle - from);
        int left = 0;
        int leftEnd = middle - from;
        int right = middle;
        int out = from;
        while (left < leftEnd && right < to) {
            if (compareTails(der, offsets[ids[right]], offsets[scratch[left]], skip, length) < 0) {
                ids[out++] = ids[right++];
            } else {
                ids[out++] = scratch[left++];
            }
        }
        while (left < leftEnd) {
            ids[out++] = scratch[left++];
        }
    }

    private static int compareTails(ByteBuffer der, int a, int b, int skip, int length) {
        for (int i = skip; i < length; i++) {
            int order = Byte.compareUnsigned(der.get(a + i), der.get(b + i));
            if (order != 0) {
                return order;
            }
        }
        return 0;
    }
}
