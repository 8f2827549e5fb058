package certgate.eventstore.log;

/**
 * The layout of one record on disk (all integers big-endian). See eventstore/README.md for the rules.
 *
 * <pre>
 * offset  size  field
 *  0      4     length L: the bytes after the 8-byte prefix (CRC to the end of the chain value)
 *  4      4     ~L, the bitwise complement: a torn write leaves a true prefix, a damaged length does not match
 *  8      4     CRC-32C (Castagnoli) of bytes [12, 8 + L)
 * 12      8     sequence: the event's; a blob record carries the sequence of the event it precedes
 * 20      8     append time, epoch seconds
 * 28      4     append time, nanoseconds
 * 32      1     kind: 1 event, 2 blob
 * 33      2     type tag (0 for a blob)
 * 35      2     version of the payload format
 * 37      n     payload, n = L - 4 - 25 - 32
 * 37+n   32     chain value h = SHA-256(h of the previous record || bytes [12, 37 + n))
 * </pre>
 */
final class Frame {
    static final int PREFIX = 8;
    static final int CRC_AT = 8;
    static final int BODY_AT = 12;
    static final int SEQUENCE_AT = 12;
    static final int SECONDS_AT = 20;
    static final int NANOS_AT = 28;
    static final int KIND_AT = 32;
    static final int TYPE_AT = 33;
    static final int VERSION_AT = 35;
    static final int PAYLOAD_AT = 37;
    static final int CHAIN_BYTES = 32;
    /** The smallest L: CRC, the fixed fields, an empty payload and the chain value. */
    static final int MIN_LENGTH = 4 + 25 + CHAIN_BYTES;
    /** The largest payload: a CRL of a few hundred thousand entries fits; nothing legitimate comes near it. */
    static final int MAX_PAYLOAD = 64 << 20;
    static final int MAX_LENGTH = MIN_LENGTH + MAX_PAYLOAD;
    static final int OVERHEAD = PREFIX + MIN_LENGTH;

    static final int KIND_EVENT = 1;
    static final int KIND_BLOB = 2;
    static final int BLOB_TYPE = 0;
    static final int BLOB_VERSION = 1;

    private Frame() {
    }

    static int getInt(byte[] b, int at) {
        return (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | (b[at + 3] & 0xff);
    }

    static long getLong(byte[] b, int at) {
        return (getInt(b, at) & 0xffffffffL) << 32 | (getInt(b, at + 4) & 0xffffffffL);
    }

    static int getShort(byte[] b, int at) {
        return (b[at] & 0xff) << 8 | (b[at + 1] & 0xff);
    }

    static void putInt(byte[] b, int at, int value) {
        b[at] = (byte) (value >>> 24);
        b[at + 1] = (byte) (value >>> 16);
        b[at + 2] = (byte) (value >>> 8);
        b[at + 3] = (byte) value;
    }

    static void putLong(byte[] b, int at, long value) {
        putInt(b, at, (int) (value >>> 32));
        putInt(b, at + 4, (int) value);
    }

    static void putShort(byte[] b, int at, int value) {
        b[at] = (byte) (value >>> 8);
        b[at + 1] = (byte) value;
    }
}
