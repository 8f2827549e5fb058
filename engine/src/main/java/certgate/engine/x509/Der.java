package certgate.engine.x509;

import java.util.Optional;

/**
 * A strict DER structure check run before any ASN.1 library sees the bytes: definite lengths in their shortest
 * form, no constructed strings, bounded nesting, nothing after the outer element. BouncyCastle parses BER
 * leniently and recurses on nesting; this walk bounds both, so a hostile input costs at most one linear pass.
 */
public final class Der {
    /** Deeper than any certificate, CRL or extension value needs; deep enough to reject nesting bombs early. */
    public static final int MAX_DEPTH = 32;

    private Der() {
    }

    /** The first problem found in {@code der} as exactly one DER element, or empty when it is well-formed. */
    public static Optional<String> problem(byte[] der) {
        return problem(der, 0, der.length);
    }

    public static Optional<String> problem(byte[] der, int offset, int length) {
        return problem(der, offset, length, 0);
    }

    /**
     * As {@link #problem(byte[], int, int)} for an element nested {@code depth} levels deep in a larger one, so
     * that a part checked on its own is held to the same depth bound as when its container was checked whole.
     */
    static Optional<String> problem(byte[] der, int offset, int length, int depth) {
        int end = offset + length;
        try {
            int next = element(der, offset, end, depth);
            if (next != end) {
                return Optional.of((end - next) + " bytes after the end of the DER element (at byte offset "
                        + (next - offset) + ")");
            }
            return Optional.empty();
        } catch (Malformed e) {
            return Optional.of(e.getMessage() + " (at byte offset " + (e.at - offset) + ")");
        }
    }

    /**
     * The end offset of the element at {@code offset} and the offset of its content, of bytes already known to
     * be well-formed DER (see {@link #problem}): {@code [contentStart, end]}.
     */
    public static int[] bounds(byte[] der, int offset) {
        int pos = offset + 1;
        if ((der[offset] & 0x1f) == 0x1f) {
            while ((der[pos] & 0x80) != 0) {
                pos++;
            }
            pos++;
        }
        int first = der[pos++] & 0xff;
        int length = first;
        if (first >= 0x80) {
            length = 0;
            for (int i = 0; i < (first & 0x7f); i++) {
                length = (length << 8) | (der[pos++] & 0xff);
            }
        }
        return new int[] {pos, pos + length};
    }

    private static int element(byte[] b, int pos, int end, int depth) throws Malformed {
        if (pos >= end) {
            throw new Malformed("truncated: a tag was expected", pos);
        }
        int start = pos;
        int tag = b[pos++] & 0xff;
        if ((tag & 0x1f) == 0x1f) {
            pos = highTagNumber(b, pos, end);
        }
        if (pos >= end) {
            throw new Malformed("truncated: a length was expected", pos);
        }
        int first = b[pos++] & 0xff;
        long length;
        if (first < 0x80) {
            length = first;
        } else if (first == 0x80) {
            throw new Malformed("indefinite length is BER, not DER", pos - 1);
        } else {
            int count = first & 0x7f;
            if (count > 4) {
                throw new Malformed("a length of " + count + " octets", pos - 1);
            }
            if (end - pos < count) {
                throw new Malformed("truncated length", pos);
            }
            if (b[pos] == 0) {
                throw new Malformed("length with a leading zero octet is not DER", pos);
            }
            length = 0;
            for (int i = 0; i < count; i++) {
                length = (length << 8) | (b[pos++] & 0xff);
            }
            if (length < 0x80) {
                throw new Malformed("long-form length " + length + " is not DER", pos - count);
            }
        }
        if (length > end - pos) {
            throw new Malformed("length " + length + " runs past the end of its container", start);
        }
        int contentEnd = pos + (int) length;
        if ((tag & 0x20) != 0) {
            if (tag == 0x23 || tag == 0x24) {
                throw new Malformed("constructed BIT/OCTET STRING is BER, not DER", start);
            }
            if (depth >= MAX_DEPTH) {
                throw new Malformed("nested deeper than " + MAX_DEPTH + " levels", start);
            }
            int inner = pos;
            while (inner < contentEnd) {
                inner = element(b, inner, contentEnd, depth + 1);
            }
        }
        return contentEnd;
    }

    private static int highTagNumber(byte[] b, int pos, int end) throws Malformed {
        int value = 0;
        for (int count = 0; ; count++) {
            if (pos >= end) {
                throw new Malformed("truncated tag number", pos);
            }
            int octet = b[pos++] & 0xff;
            if (count == 0 && octet == 0x80) {
                throw new Malformed("tag number with a leading zero group is not DER", pos - 1);
            }
            if (count >= 4) {
                throw new Malformed("tag number too large", pos - 1);
            }
            value = (value << 7) | (octet & 0x7f);
            if ((octet & 0x80) == 0) {
                break;
            }
        }
        if (value < 0x1f) {
            throw new Malformed("tag number " + value + " must use the short form in DER", pos - 1);
        }
        return pos;
    }

    private static final class Malformed extends Exception {
        private static final long serialVersionUID = 1L;

        private final int at;

        Malformed(String message, int at) {
            super(message, null, false, false);
            this.at = at;
        }
    }
}
