package certgate.eventstore.codec;

import certgate.eventstore.Blob;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Writes the fields of one payload, big-endian, into a growing array, and notes the blobs it refers to. */
final class PayloadWriter {
    private final String eventName;
    private byte[] buf = new byte[256];
    private int size;
    private final List<Blob> blobs = new ArrayList<>(2);

    PayloadWriter(String eventName) {
        this.eventName = eventName;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }

    List<Blob> blobs() {
        return List.copyOf(blobs);
    }

    /** Appends bytes encoded earlier (a block whose encoding is known), without a length prefix. */
    void raw(byte[] bytes) {
        raw(bytes, 0, bytes.length);
    }

    void u8(int value) {
        ensure(1);
        buf[size++] = (byte) value;
    }

    void bool(boolean value) {
        u8(value ? 1 : 0);
    }

    void i32(int value) {
        ensure(4);
        buf[size++] = (byte) (value >>> 24);
        buf[size++] = (byte) (value >>> 16);
        buf[size++] = (byte) (value >>> 8);
        buf[size++] = (byte) value;
    }

    void i64(long value) {
        i32((int) (value >>> 32));
        i32((int) value);
    }

    /** Unsigned LEB128: lengths and counts are small, so most take one byte. */
    void varint(int value) {
        ensure(5);
        int v = value;
        while ((v & ~0x7f) != 0) {
            buf[size++] = (byte) ((v & 0x7f) | 0x80);
            v >>>= 7;
        }
        buf[size++] = (byte) v;
    }

    void string(String field, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        if (bytes.length != value.length() || contains(bytes, (byte) '?')) {
            // Not plain ASCII: a lone surrogate may hide here (UTF-8 encoding turns it into '?').
            requireWellFormed(field, value);
        }
        varint(bytes.length);
        raw(bytes, 0, bytes.length);
    }

    void enumName(Enum<?> value) {
        String name = value.name();
        varint(name.length());
        ensure(name.length());
        for (int i = 0; i < name.length(); i++) {
            buf[size++] = (byte) name.charAt(i);
        }
    }

    void instant(Instant value) {
        i64(value.getEpochSecond());
        i32(value.getNano());
    }

    void duration(Duration value) {
        i64(value.getSeconds());
        i32(value.getNano());
    }

    void blobRef(Blob blob) {
        byte[] sha = blob.sha256();
        raw(sha, 0, sha.length);
        blobs.add(blob);
    }

    /** A nested block, length-prefixed, so a decoder can recognise a block it has seen before by its bytes. */
    void block(PayloadWriter inner) {
        varint(inner.size);
        raw(inner.buf, 0, inner.size);
        blobs.addAll(inner.blobs);
    }

    private void raw(byte[] bytes, int offset, int length) {
        ensure(length);
        System.arraycopy(bytes, offset, buf, size, length);
        size += length;
    }

    private void ensure(int extra) {
        if (size + extra > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + extra));
        }
    }

    private static boolean contains(byte[] bytes, byte b) {
        for (byte x : bytes) {
            if (x == b) {
                return true;
            }
        }
        return false;
    }

    /** UTF-8 cannot carry a lone surrogate: refuse it here rather than store a '?' that replays differently. */
    private void requireWellFormed(String field, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean pair = Character.isHighSurrogate(c) && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(i + 1));
            if (pair) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException(eventName + "." + field + " holds an unpaired surrogate (U+"
                        + Integer.toHexString(c).toUpperCase(java.util.Locale.ROOT) + " at index " + i
                        + "); it cannot be stored as UTF-8");
            }
        }
    }
}
