package certgate.testkit;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/** The ways {@link Gens#damaged} breaks a valid input, and how a damaged input shrinks back toward it. */
final class Damage {
    private Damage() {
    }

    static byte[] apply(byte[] valid, SplittableRandom random) {
        for (int attempt = 0; attempt < 16; attempt++) {
            byte[] damaged = once(valid, random);
            if (random.nextInt(4) == 0) {
                damaged = once(damaged, random);
            }
            if (!Arrays.equals(damaged, valid)) {
                return damaged;
            }
        }
        return Gens.concat(valid, new byte[] {0});
    }

    private static byte[] once(byte[] input, SplittableRandom random) {
        if (input.length == 0) {
            return new byte[] {(byte) random.nextInt(256)};
        }
        int at = random.nextInt(input.length);
        switch (random.nextInt(7)) {
            case 0 -> {
                byte[] out = input.clone();
                out[at] ^= (byte) (1 << random.nextInt(8));
                return out;
            }
            case 1 -> {
                byte[] out = input.clone();
                out[at] = (byte) random.nextInt(256);
                return out;
            }
            case 2 -> {
                return Arrays.copyOf(input, at);
            }
            case 3 -> {
                byte[] run = new byte[1 + random.nextInt(16)];
                random.nextBytes(run);
                byte[] out = new byte[input.length + run.length];
                System.arraycopy(input, 0, out, 0, at);
                System.arraycopy(run, 0, out, at, run.length);
                System.arraycopy(input, at, out, at + run.length, input.length - at);
                return out;
            }
            case 4 -> {
                int length = 1 + random.nextInt(Math.min(32, input.length - at));
                byte[] out = new byte[input.length - length];
                System.arraycopy(input, 0, out, 0, at);
                System.arraycopy(input, at + length, out, at, input.length - at - length);
                return out;
            }
            case 5 -> {
                int length = 1 + random.nextInt(Math.min(32, input.length - at));
                byte[] out = new byte[input.length + length];
                System.arraycopy(input, 0, out, 0, at + length);
                System.arraycopy(input, at, out, at + length, input.length - at);
                return out;
            }
            default -> {
                // Length bytes are where parsers go wrong: set a byte to a large or boundary value.
                byte[] out = input.clone();
                int[] boundary = {0x00, 0x7f, 0x80, 0x81, 0x82, 0x84, 0xff};
                out[at] = (byte) boundary[random.nextInt(boundary.length)];
                return out;
            }
        }
    }

    /** Candidates between the damaged value and the original: keep the damage, restore unrelated bytes. */
    static Stream<byte[]> shrinkToward(byte[] valid, byte[] damaged) {
        if (damaged.length != valid.length) {
            return Stream.empty();
        }
        return Stream.iterate(0, i -> i < damaged.length, i -> i + 1)
                .filter(i -> damaged[i] != valid[i])
                .limit(64)
                .map(i -> {
                    byte[] copy = damaged.clone();
                    copy[i] = valid[i];
                    return copy;
                })
                .filter(candidate -> !Arrays.equals(candidate, valid));
    }
}
