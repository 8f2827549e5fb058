package certgate.der;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Optional;

/**
 * An independent answer to "is this one DER element?", written the other way round from the cursor: read the
 * bytes leniently (any definite length form, any tag number form, any content), write what was read back in its
 * one DER form, and compare. Bytes are DER exactly when they survive that round trip. Slow and allocating, which
 * is fine for a test.
 */
final class DerOracle {
    private final byte[] in;
    private final DerCursor.Walk walk;
    private int outermost;

    private DerOracle(byte[] in, DerCursor.Walk walk) {
        this.in = in;
        this.walk = walk;
    }

    /** Whether [from, to) is exactly one element that {@code walk} should accept. */
    static boolean isDer(byte[] bytes, int from, int to, DerCursor.Walk walk) {
        DerOracle oracle = new DerOracle(bytes, walk);
        return oracle.canonical(from, to, 0)
                .map(encoded -> oracle.outermost == 1 && Arrays.equals(encoded, 0, encoded.length, bytes, from, to))
                .orElse(false);
    }

    /** The DER re-encoding of the elements in [from, to) at {@code depth}, or empty when no DER form exists. */
    private Optional<byte[]> canonical(int from, int to, int depth) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int at = from;
        while (at < to) {
            int start = at;
            if (depth == 0) {
                outermost++;
            }
            int first = in[at++] & 0xff;
            BigInteger number = BigInteger.valueOf(first & 0x1f);
            boolean multiOctet = (first & 0x1f) == 0x1f;
            if (multiOctet) {
                number = BigInteger.ZERO;
                int octet;
                do {
                    if (at >= to) {
                        return Optional.empty();
                    }
                    octet = in[at++] & 0xff;
                    number = number.shiftLeft(7).or(BigInteger.valueOf(octet & 0x7f));
                } while ((octet & 0x80) != 0);
            }
            if (at >= to) {
                return Optional.empty();
            }
            int lengthOctet = in[at++] & 0xff;
            BigInteger length;
            if (lengthOctet < 0x80) {
                length = BigInteger.valueOf(lengthOctet);
            } else if (lengthOctet == 0x80) {
                return Optional.empty(); // indefinite: BER only
            } else {
                int count = lengthOctet & 0x7f;
                if (to - at < count) {
                    return Optional.empty();
                }
                length = new BigInteger(1, Arrays.copyOfRange(in, at, at + count));
                at += count;
            }
            if (length.compareTo(BigInteger.valueOf(to - at)) > 0) {
                return Optional.empty();
            }
            int contentEnd = at + length.intValueExact();
            boolean constructed = (first & 0x20) != 0;
            boolean universal = (first & 0xc0) == 0;
            boolean strict = walk == DerCursor.Walk.STRICT;
            // The tag, written back in its shortest form (X.690 8.1.2.4).
            if (multiOctet && (strict || number.bitLength() > 28 || number.intValue() < 31)) {
                return Optional.empty();
            }
            out.write(first);
            if (multiOctet) {
                writeBase128(out, number);
            }
            byte[] content;
            if (constructed) {
                int type = first & 0x1f;
                if (universal && (strict ? type != 0x10 && type != 0x11 : type == 0x03 || type == 0x04)) {
                    return Optional.empty();
                }
                if (depth + 1 > DerCursor.MAX_DEPTH) {
                    return Optional.empty();
                }
                Optional<byte[]> inner = canonical(at, contentEnd, depth + 1);
                if (inner.isEmpty()) {
                    return Optional.empty();
                }
                content = inner.get();
            } else if (strict && universal) {
                Optional<byte[]> normal = primitive(first, Arrays.copyOfRange(in, at, contentEnd));
                if (normal.isEmpty()) {
                    return Optional.empty();
                }
                content = normal.get();
            } else {
                content = Arrays.copyOfRange(in, at, contentEnd);
            }
            writeLength(out, content.length);
            out.writeBytes(content);
            at = contentEnd;
            if (at <= start) {
                throw new AssertionError("no progress");
            }
        }
        return Optional.of(out.toByteArray());
    }

    /** A universal primitive's content in its DER form, or empty when the type has none for it. */
    private static Optional<byte[]> primitive(int tag, byte[] content) {
        switch (tag) {
            case 0x00:
                return Optional.empty(); // end-of-contents: BER only
            case 0x01:
                return content.length == 1 ? Optional.of(new byte[] {(byte) (content[0] == 0 ? 0 : 0xff)})
                        : Optional.empty();
            case 0x02:
            case 0x0a:
                return content.length == 0 ? Optional.empty() : Optional.of(new BigInteger(content).toByteArray());
            case 0x03: {
                if (content.length == 0 || (content[0] & 0xff) > 7 || (content.length == 1 && content[0] != 0)) {
                    return Optional.empty();
                }
                byte[] normal = content.clone();
                normal[normal.length - 1] &= (byte) (0xff << normal[0]);
                return Optional.of(normal);
            }
            case 0x05:
                return Optional.of(new byte[0]);
            case 0x06: {
                if (content.length == 0 || content.length > DerCursor.MAX_OID_CONTENTS
                        || content[content.length - 1] < 0) {
                    return Optional.empty();
                }
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                BigInteger value = BigInteger.ZERO;
                for (byte octet : content) {
                    value = value.shiftLeft(7).or(BigInteger.valueOf(octet & 0x7f));
                    if (octet >= 0) {
                        writeBase128(out, value);
                        value = BigInteger.ZERO;
                    }
                }
                return Optional.of(out.toByteArray());
            }
            default:
                return Optional.of(content);
        }
    }

    private static void writeBase128(ByteArrayOutputStream out, BigInteger value) {
        int groups = Math.max(1, (value.bitLength() + 6) / 7);
        for (int i = groups - 1; i >= 0; i--) {
            int group = value.shiftRight(7 * i).intValue() & 0x7f;
            out.write(i > 0 ? group | 0x80 : group);
        }
    }

    private static void writeLength(ByteArrayOutputStream out, int length) {
        if (length < 0x80) {
            out.write(length);
            return;
        }
        byte[] octets = BigInteger.valueOf(length).toByteArray();
        int skip = octets[0] == 0 ? 1 : 0;
        out.write(0x80 | (octets.length - skip));
        out.write(octets, skip, octets.length - skip);
    }
}
