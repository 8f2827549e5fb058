package certgate.eventstore.log;

import java.nio.ByteBuffer;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;
import java.util.zip.CRC32C;

/** Builds records into one growing buffer, advancing the hash chain as it goes; the writer flushes the buffer. */
final class FrameWriter {
    private final CRC32C crc = new CRC32C();
    private final MessageDigest sha256;
    private final byte[] head = new byte[Frame.CHAIN_BYTES];
    private byte[] buf = new byte[1 << 16];
    private int size;

    FrameWriter(byte[] head) {
        System.arraycopy(head, 0, this.head, 0, Frame.CHAIN_BYTES);
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** Appends one record and makes its chain value the new head. */
    void add(int kind, long sequence, Instant at, int typeTag, int version, byte[] payload) {
        add(kind, sequence, at, typeTag, version, ByteBuffer.wrap(payload));
    }

    /** As above, for the payload from index 0 to the limit of {@code payload} (a blob's view: no extra copy). */
    void add(int kind, long sequence, Instant at, int typeTag, int version, ByteBuffer payload) {
        int payloadLength = payload.limit();
        int length = Frame.MIN_LENGTH + payloadLength;
        ensure(Frame.PREFIX + length);
        int start = size;
        Frame.putInt(buf, start, length);
        Frame.putInt(buf, start + 4, ~length);
        Frame.putLong(buf, start + Frame.SEQUENCE_AT, sequence);
        Frame.putLong(buf, start + Frame.SECONDS_AT, at.getEpochSecond());
        Frame.putInt(buf, start + Frame.NANOS_AT, at.getNano());
        buf[start + Frame.KIND_AT] = (byte) kind;
        Frame.putShort(buf, start + Frame.TYPE_AT, typeTag);
        Frame.putShort(buf, start + Frame.VERSION_AT, version);
        payload.get(0, buf, start + Frame.PAYLOAD_AT, payloadLength);
        int chainAt = start + Frame.PAYLOAD_AT + payloadLength;
        sha256.update(head);
        sha256.update(buf, start + Frame.BODY_AT, chainAt - start - Frame.BODY_AT);
        try {
            sha256.digest(buf, chainAt, Frame.CHAIN_BYTES);
        } catch (DigestException e) {
            throw new IllegalStateException("SHA-256 digest of 32 bytes did not fit 32 bytes", e);
        }
        System.arraycopy(buf, chainAt, head, 0, Frame.CHAIN_BYTES);
        crc.reset();
        crc.update(buf, start + Frame.BODY_AT, length - 4);
        Frame.putInt(buf, start + Frame.CRC_AT, (int) crc.getValue());
        size = start + Frame.PREFIX + length;
    }

    byte[] buffer() {
        return buf;
    }

    int size() {
        return size;
    }

    void clear() {
        size = 0;
        if (buf.length > 1 << 24) {
            buf = new byte[1 << 16];
        }
    }

    /** The chain value of the last record added (or the one the writer started from). */
    byte[] head() {
        return head.clone();
    }

    private void ensure(int extra) {
        if (size + extra > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + extra));
        }
    }
}
