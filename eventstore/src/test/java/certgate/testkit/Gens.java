package certgate.testkit;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/** The basic generators: numbers, bytes, strings, lists, choices, and damage done to valid bytes. */
public final class Gens {
    private Gens() {
    }

    /** Integers in [min, max], shrinking toward min. */
    public static Gen<Integer> ints(int min, int max) {
        if (min > max) {
            throw new IllegalArgumentException("min " + min + " > max " + max);
        }
        Gen<Integer> gen = random -> (int) random.nextLong(min, (long) max + 1);
        return gen.withShrinker(value -> value == min
                ? Stream.empty()
                : Stream.of(min, min + (value - min) / 2, value - 1).filter(v -> v < value).distinct());
    }

    /** One of the given values, uniformly; shrinks toward the first. */
    @SafeVarargs
    public static <T> Gen<T> oneOf(T... values) {
        List<T> choices = new ArrayList<>(values.length);
        for (T value : values) {
            choices.add(value);
        }
        return pick(List.copyOf(choices));
    }

    public static <T> Gen<T> pick(List<T> choices) {
        if (choices.isEmpty()) {
            throw new IllegalArgumentException("nothing to pick from");
        }
        Gen<T> gen = random -> choices.get(random.nextInt(choices.size()));
        return gen.withShrinker(value -> {
            int index = choices.indexOf(value);
            return index > 0 ? Stream.of(choices.get(0)) : Stream.empty();
        });
    }

    /** One of the given generators, uniformly. */
    @SafeVarargs
    public static <T> Gen<T> frequency(Gen<? extends T>... gens) {
        return random -> gens[random.nextInt(gens.length)].generate(random);
    }

    /** Byte arrays of a length in [minLength, maxLength], shrinking by cutting and zeroing. */
    public static Gen<byte[]> bytes(int minLength, int maxLength) {
        Gen<byte[]> gen = random -> {
            byte[] bytes = new byte[minLength + random.nextInt(maxLength - minLength + 1)];
            random.nextBytes(bytes);
            return bytes;
        };
        return gen.withShrinker(value -> Shrinking.bytes(value, minLength));
    }

    /** Lists of [minSize, maxSize] elements, shrinking by dropping elements, then shrinking each element. */
    public static <T> Gen<List<T>> listOf(Gen<T> element, int minSize, int maxSize) {
        Gen<List<T>> gen = random -> {
            int size = minSize + random.nextInt(maxSize - minSize + 1);
            List<T> list = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                list.add(element.generate(random));
            }
            return List.copyOf(list);
        };
        return gen.withShrinker(value -> Shrinking.list(value, minSize, element));
    }

    /** Strings of printable ASCII, [minLength, maxLength] characters. */
    public static Gen<String> asciiStrings(int minLength, int maxLength) {
        Gen<String> gen = random -> {
            int length = minLength + random.nextInt(maxLength - minLength + 1);
            char[] chars = new char[length];
            for (int i = 0; i < length; i++) {
                chars[i] = (char) (0x20 + random.nextInt(0x7f - 0x20));
            }
            return new String(chars);
        };
        return gen.withShrinker(value -> Shrinking.bytes(value.getBytes(StandardCharsets.US_ASCII), minLength)
                .map(b -> new String(b, StandardCharsets.US_ASCII)));
    }

    /** Strings over the given alphabet. */
    public static Gen<String> strings(String alphabet, int minLength, int maxLength) {
        return random -> {
            int length = minLength + random.nextInt(maxLength - minLength + 1);
            StringBuilder out = new StringBuilder(length);
            for (int i = 0; i < length; i++) {
                out.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            return out.toString();
        };
    }

    /**
     * Damaged copies of a valid input: a flipped bit, a changed byte, a cut, an inserted run, a duplicated or
     * deleted span. Every result differs from {@code valid}. Shrinks toward fewer differences.
     */
    public static Gen<byte[]> damaged(byte[] valid) {
        byte[] original = valid.clone();
        Gen<byte[]> gen = random -> Damage.apply(original, random);
        return gen.withShrinker(value -> Damage.shrinkToward(original, value));
    }

    /** A new random source for a nested generator, independent of the parent's later draws. */
    public static SplittableRandom split(SplittableRandom random) {
        return random.split();
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    static IntStream indices(int length) {
        return IntStream.range(0, length);
    }
}
