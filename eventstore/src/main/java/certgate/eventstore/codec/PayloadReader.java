package certgate.eventstore.codec;

import certgate.eventstore.Blob;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Reads the fields of one payload from a window of a larger buffer (the reader's segment buffer), checking
 * every length against what is left, so a damaged payload fails with the field's name instead of an index error.
 */
final class PayloadReader {
    private byte[] buf;
    private int pos;
    private int limit;
    private long sequence;
    private String eventName;

    void reset(byte[] buf, int offset, int length, long sequence, String eventName) {
        this.buf = buf;
        this.pos = offset;
        this.limit = offset + length;
        this.sequence = sequence;
        this.eventName = eventName;
    }

    void requireEnd() {
        if (pos != limit) {
            throw fail("payload", (limit - pos) + " bytes left over after the last field");
        }
    }

    int u8(String field) {
        need(field, 1);
        return buf[pos++] & 0xff;
    }

    boolean bool(String field) {
        int value = u8(field);
        if (value > 1) {
            throw fail(field, "boolean byte is " + value + ", not 0 or 1");
        }
        return value == 1;
    }

    boolean present(String field) {
        int value = u8(field);
        if (value > 1) {
            throw fail(field, "presence byte is " + value + ", not 0 or 1");
        }
        return value == 1;
    }

    int i32(String field) {
        need(field, 4);
        int value = (buf[pos] & 0xff) << 24 | (buf[pos + 1] & 0xff) << 16 | (buf[pos + 2] & 0xff) << 8
                | (buf[pos + 3] & 0xff);
        pos += 4;
        return value;
    }

    long i64(String field) {
        long high = i32(field) & 0xffffffffL;
        long low = i32(field) & 0xffffffffL;
        return high << 32 | low;
    }

    int varint(String field) {
        int value = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            int b = u8(field);
            value |= (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                if (value < 0 || (shift == 28 && (b & 0x70) != 0)) {
                    throw fail(field, "length does not fit in 31 bits");
                }
                return value;
            }
        }
        throw fail(field, "length is longer than 5 bytes");
    }

    String string(String field) {
        int length = varint(field);
        need(field, length);
        String value = new String(buf, pos, length, StandardCharsets.UTF_8);
        pos += length;
        return value;
    }

    /** True when the next {@code length} bytes equal {@code cached}. */
    boolean nextBytesEqual(byte[] cached, int length) {
        return cached != null && cached.length == length && length <= limit - pos
                && Arrays.equals(cached, 0, length, buf, pos, pos + length);
    }

    /** The next {@code length} bytes, consumed. */
    byte[] bytes(String field, int length) {
        byte[] copy = peekCopy(field, length);
        pos += length;
        return copy;
    }

    /** A copy of the next {@code length} bytes, without consuming them. */
    byte[] peekCopy(String field, int length) {
        need(field, length);
        return Arrays.copyOfRange(buf, pos, pos + length);
    }

    /** Narrows the readable window to the next {@code length} bytes; returns the old limit for {@link #endBlock}. */
    int beginBlock(String field, int length) {
        need(field, length);
        int outer = limit;
        limit = pos + length;
        return outer;
    }

    void endBlock(String field, int outerLimit) {
        if (pos != limit) {
            throw fail(field, (limit - pos) + " bytes left over at the end of the block");
        }
        limit = outerLimit;
    }

    /** Skips {@code length} bytes of field {@code field}, checking they are there. */
    void skip(String field, int length) {
        need(field, length);
        pos += length;
    }

    <E extends Enum<E>> E enumName(String field, EnumNames<E> names) {
        int length = varint(field);
        need(field, length);
        E value = names.find(buf, pos, length);
        if (value == null) {
            throw fail(field, "'" + new String(buf, pos, length, StandardCharsets.ISO_8859_1) + "' is not one of "
                    + names.allNames());
        }
        pos += length;
        return value;
    }

    Instant instant(String field) {
        long seconds = i64(field);
        int nanos = i32(field);
        if (nanos < 0 || nanos > 999_999_999) {
            throw fail(field, "nanoseconds " + nanos + " out of range 0..999999999");
        }
        try {
            return Instant.ofEpochSecond(seconds, nanos);
        } catch (DateTimeException e) {
            throw fail(field, "epoch second " + seconds + " is outside the range of an Instant");
        }
    }

    Duration duration(String field) {
        long seconds = i64(field);
        int nanos = i32(field);
        if (nanos < 0 || nanos > 999_999_999) {
            throw fail(field, "nanoseconds " + nanos + " out of range 0..999999999");
        }
        return Duration.ofSeconds(seconds, nanos);
    }

    Blob blobRef(String field, BlobTable blobs) {
        need(field, BlobTable.REF_BYTES);
        Blob blob = blobs.find(buf, pos);
        if (blob == null) {
            throw fail(field, "refers to blob sha256=" + HexFormat.of().formatHex(buf, pos, pos + BlobTable.REF_BYTES)
                    + ", which is not stored before it in its segment");
        }
        pos += BlobTable.REF_BYTES;
        return blob;
    }

    CodecException fail(String field, String problem) {
        return new CodecException(sequence, "event at sequence " + sequence + " (" + eventName + "): field "
                + field + ": " + problem);
    }

    private void need(String field, int length) {
        if (length < 0 || length > limit - pos) {
            throw fail(field, "needs " + length + " bytes but only " + (limit - pos) + " are left in the payload");
        }
    }
}
