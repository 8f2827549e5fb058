package certgate.der;

import certgate.testkit.Gen;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.SplittableRandom;

/** Generators of DER elements: well-formed trees of the types certificates use, and deep nestings. */
final class DerGens {
    private DerGens() {
    }

    /** One well-formed element, up to four levels deep; {@code highTags}: also multi-octet tag numbers. */
    static Gen<byte[]> elements(boolean highTags) {
        return random -> element(random, 4, highTags);
    }

    /** {@code levels} constructed elements (SEQUENCE, SET, [n]) around one primitive, for {@code levels} 0-80. */
    static Gen<byte[]> nestings() {
        return random -> {
            byte[] inner = element(random, 0, false);
            int levels = random.nextInt(81);
            for (int i = 0; i < levels; i++) {
                int[] tags = {DerTag.SEQUENCE, DerTag.SET, 0xa0, 0xa3};
                inner = encode(tags[random.nextInt(tags.length)], inner);
            }
            return inner;
        };
    }

    static byte[] element(SplittableRandom random, int depth, boolean highTags) {
        int choice = random.nextInt(depth > 0 ? 14 : 10);
        return switch (choice) {
            case 0 -> encode(DerTag.BOOLEAN, new byte[] {(byte) (random.nextBoolean() ? 0xff : 0)});
            case 1 -> encode(DerTag.INTEGER, integer(random).toByteArray());
            case 2 -> encode(DerTag.ENUMERATED, BigInteger.valueOf(random.nextInt(11)).toByteArray());
            case 3 -> bitString(random);
            case 4 -> encode(DerTag.OCTET_STRING, bytes(random, random.nextInt(4) == 0 ? 300 : 20));
            case 5 -> encode(DerTag.NULL, new byte[0]);
            case 6 -> encode(DerTag.OID, oid(random));
            case 7 -> encode(DerTag.UTF8_STRING, "gw".repeat(random.nextInt(5)).getBytes(StandardCharsets.UTF_8));
            case 8 -> encode(0x80 | random.nextInt(9), bytes(random, 16));
            case 9 -> highTags ? encode(new byte[] {(byte) 0x9f, (byte) (0x1f + random.nextInt(0x60))},
                    bytes(random, 8)) : encode(DerTag.UTC_TIME, "491231235959Z".getBytes(StandardCharsets.US_ASCII));
            default -> {
                ByteArrayOutputStream children = new ByteArrayOutputStream();
                int count = random.nextInt(5);
                for (int i = 0; i < count; i++) {
                    children.writeBytes(element(random, depth - 1, highTags));
                }
                int[] tags = {DerTag.SEQUENCE, DerTag.SET, 0xa0, 0xa3};
                yield encode(tags[choice - 10], children.toByteArray());
            }
        };
    }

    /** Any size up to 160 bits, either sign. */
    private static BigInteger integer(SplittableRandom random) {
        BigInteger magnitude = new BigInteger(random.nextInt(161), new Random(random.nextLong()));
        return random.nextBoolean() ? magnitude : magnitude.negate().subtract(BigInteger.ONE);
    }

    private static byte[] bitString(SplittableRandom random) {
        byte[] octets = bytes(random, 6);
        byte[] content = new byte[octets.length + 1];
        System.arraycopy(octets, 0, content, 1, octets.length);
        if (octets.length > 0) {
            int unused = random.nextInt(8);
            content[0] = (byte) unused;
            content[content.length - 1] &= (byte) (0xff << unused);
        }
        return encode(DerTag.BIT_STRING, content);
    }

    private static byte[] oid(SplittableRandom random) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int first = random.nextInt(3);
        base128(out, first * 40L + (first < 2 ? random.nextInt(40) : random.nextInt(1000)));
        int arcs = random.nextInt(6);
        for (int i = 0; i < arcs; i++) {
            base128(out, random.nextInt(3) == 0 ? random.nextLong(1L << 40) : random.nextInt(200));
        }
        return out.toByteArray();
    }

    private static void base128(ByteArrayOutputStream out, long value) {
        int groups = Math.max(1, (64 - Long.numberOfLeadingZeros(value) + 6) / 7);
        for (int i = groups - 1; i >= 0; i--) {
            int group = (int) (value >>> (7 * i)) & 0x7f;
            out.write(i > 0 ? group | 0x80 : group);
        }
    }

    private static byte[] bytes(SplittableRandom random, int maxLength) {
        byte[] out = new byte[random.nextInt(maxLength + 1)];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) random.nextInt(256);
        }
        return out;
    }

    static byte[] encode(int tag, byte[] content) {
        return encode(new byte[] {(byte) tag}, content);
    }

    /** {@code tag}, then the shortest definite length of {@code content}, then {@code content}. */
    static byte[] encode(byte[] tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(tag);
        int length = content.length;
        if (length < 0x80) {
            out.write(length);
        } else {
            int octets = (32 - Integer.numberOfLeadingZeros(length) + 7) / 8;
            out.write(0x80 | octets);
            for (int i = octets - 1; i >= 0; i--) {
                out.write(length >>> (8 * i));
            }
        }
        out.writeBytes(content);
        return out.toByteArray();
    }
}
