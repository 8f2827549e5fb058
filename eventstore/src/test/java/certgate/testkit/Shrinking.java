package certgate.testkit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/** Shrinkers for byte arrays and lists: halve, cut chunks of decreasing size, simplify elements. */
final class Shrinking {
    private Shrinking() {
    }

    static Stream<byte[]> bytes(byte[] value, int minLength) {
        Stream<byte[]> cuts = chunkSizes(value.length).boxed().flatMap(chunk ->
                IntStream.iterate(0, start -> start + chunk <= value.length, start -> start + chunk)
                        .mapToObj(start -> without(value, start, chunk)))
                .filter(candidate -> candidate.length >= minLength);
        Stream<byte[]> zeroed = IntStream.range(0, value.length)
                .filter(i -> value[i] != 0)
                .limit(64)
                .mapToObj(i -> {
                    byte[] copy = value.clone();
                    copy[i] = 0;
                    return copy;
                });
        return Stream.concat(cuts, zeroed);
    }

    static <T> Stream<List<T>> list(List<T> value, int minSize, Gen<T> element) {
        Stream<List<T>> cuts = chunkSizes(value.size()).boxed().flatMap(chunk ->
                IntStream.iterate(0, start -> start + chunk <= value.size(), start -> start + chunk)
                        .mapToObj(start -> {
                            List<T> copy = new ArrayList<>(value.subList(0, start));
                            copy.addAll(value.subList(start + chunk, value.size()));
                            return List.copyOf(copy);
                        }))
                .filter(candidate -> candidate.size() >= minSize);
        Stream<List<T>> smallerElements = IntStream.range(0, value.size()).boxed().flatMap(i ->
                element.shrink(value.get(i)).limit(8).map(smaller -> {
                    List<T> copy = new ArrayList<>(value);
                    copy.set(i, smaller);
                    return List.copyOf(copy);
                }));
        return Stream.concat(cuts, smallerElements);
    }

    /** n/2, n/4, ..., 1: big cuts first, so shrinking takes logarithmically many steps on big inputs. */
    private static IntStream chunkSizes(int length) {
        return IntStream.iterate(length / 2, size -> size > 0, size -> size / 2);
    }

    private static byte[] without(byte[] value, int start, int length) {
        byte[] out = Arrays.copyOf(value, value.length - length);
        System.arraycopy(value, start + length, out, start, value.length - start - length);
        return out;
    }
}
