package certgate.eventstore.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * Reads the records of one segment in order, through a large buffer refilled by positional reads (a record
 * larger than the buffer grows it). {@link #next()} never consumes a record it cannot complete: at the end of the
 * file it reports {@link Status#END} or {@link Status#INCOMPLETE} and a later call reads whatever was appended
 * since, which is how a tailing reader follows a writer.
 *
 * <p>After {@link Status#RECORD} the accessors describe the record in {@link #buffer()}; they stay valid until
 * the next call.
 */
final class FrameReader {
    enum Status {
        /** A complete record whose length prefix and CRC check out. */
        RECORD,
        /** The file ends exactly at a record boundary. */
        END,
        /** The file ends inside a record whose length prefix is intact: the trace of a torn write. */
        INCOMPLETE,
        /** The bytes at {@link #offset()} are not a valid record: see {@link #damage()}. */
        DAMAGED
    }

    private static final int BUFFER_BYTES = 1 << 20;

    private final FileChannel channel;
    private final CRC32C crc = new CRC32C();
    private byte[] buf;
    /** File offset of buf[0]. */
    private long bufStart;
    private int pos;
    private int lim;

    private long recordOffset;
    private int recordLength;
    private String damage = "";
    private LogProblem.Kind damageKind = LogProblem.Kind.FRAME;

    FrameReader(FileChannel channel, long startOffset) {
        this.channel = channel;
        this.bufStart = startOffset;
        long size;
        try {
            size = channel.size();
        } catch (IOException e) {
            size = BUFFER_BYTES;
        }
        // Small segments (and tailing a young one) need no megabyte buffer; ensure() grows it when needed.
        this.buf = new byte[(int) Math.max(4096, Math.min(BUFFER_BYTES, size - startOffset))];
    }

    Status next() throws IOException {
        recordOffset = bufStart + pos;
        if (!ensure(Frame.PREFIX)) {
            damageKind = LogProblem.Kind.INCOMPLETE;
            damage = "only " + (lim - pos) + " bytes of a record's 8-byte length prefix";
            return lim == pos ? Status.END : Status.INCOMPLETE;
        }
        int length = Frame.getInt(buf, pos);
        int check = Frame.getInt(buf, pos + 4);
        if (check != ~length) {
            damageKind = LogProblem.Kind.FRAME;
            damage = "length prefix damaged (length " + Integer.toUnsignedString(length) + ", check "
                    + Integer.toHexString(check) + " is not its complement)";
            return Status.DAMAGED;
        }
        if (length < Frame.MIN_LENGTH || length > Frame.MAX_LENGTH) {
            damageKind = LogProblem.Kind.FRAME;
            damage = "record length " + length + " out of range " + Frame.MIN_LENGTH + ".." + Frame.MAX_LENGTH;
            return Status.DAMAGED;
        }
        if (!ensure(Frame.PREFIX + length)) {
            damageKind = LogProblem.Kind.INCOMPLETE;
            damage = "record of " + (Frame.PREFIX + length) + " bytes, only "
                    + Math.max(lim - pos, channel.size() - recordOffset) + " present before the end of the file";
            return Status.INCOMPLETE;
        }
        crc.reset();
        crc.update(buf, pos + Frame.BODY_AT, length - 4);
        int stored = Frame.getInt(buf, pos + Frame.CRC_AT);
        if ((int) crc.getValue() != stored) {
            damageKind = LogProblem.Kind.CHECKSUM;
            damage = "checksum mismatch (stored CRC-32C " + hex(stored) + ", computed " + hex((int) crc.getValue())
                    + ")";
            return Status.DAMAGED;
        }
        int nanos = Frame.getInt(buf, pos + Frame.NANOS_AT);
        int kind = buf[pos + Frame.KIND_AT];
        if (nanos < 0 || nanos > 999_999_999 || (kind != Frame.KIND_EVENT && kind != Frame.KIND_BLOB)) {
            damageKind = LogProblem.Kind.FRAME;
            damage = "malformed header fields (kind " + kind + ", nanos " + nanos + ") under a valid checksum";
            return Status.DAMAGED;
        }
        recordLength = Frame.PREFIX + length;
        pos += recordLength;
        return Status.RECORD;
    }

    /** The file offset of the current record, or of the bad or missing one after a non-RECORD status. */
    long offset() {
        return recordOffset;
    }

    /** The file offset just past the last complete record read. */
    long position() {
        return bufStart + pos;
    }

    /** What is wrong at {@link #offset()} after {@link Status#DAMAGED} or {@link Status#INCOMPLETE}. */
    String damage() {
        return damage;
    }

    LogProblem.Kind damageKind() {
        return damageKind;
    }

    byte[] buffer() {
        return buf;
    }

    /** Index in {@link #buffer()} where the current record starts. */
    int start() {
        return pos - recordLength;
    }

    int recordLength() {
        return recordLength;
    }

    long sequence() {
        return Frame.getLong(buf, start() + Frame.SEQUENCE_AT);
    }

    long seconds() {
        return Frame.getLong(buf, start() + Frame.SECONDS_AT);
    }

    int nanos() {
        return Frame.getInt(buf, start() + Frame.NANOS_AT);
    }

    int kind() {
        return buf[start() + Frame.KIND_AT];
    }

    int typeTag() {
        return Frame.getShort(buf, start() + Frame.TYPE_AT);
    }

    int version() {
        return Frame.getShort(buf, start() + Frame.VERSION_AT);
    }

    int payloadStart() {
        return start() + Frame.PAYLOAD_AT;
    }

    int payloadLength() {
        return recordLength - Frame.PAYLOAD_AT - Frame.CHAIN_BYTES;
    }

    int bodyStart() {
        return start() + Frame.BODY_AT;
    }

    int bodyLength() {
        return recordLength - Frame.BODY_AT - Frame.CHAIN_BYTES;
    }

    int chainStart() {
        return pos - Frame.CHAIN_BYTES;
    }

    /** True when everything from {@code from} to the end of the file is zero: space the data never reached. */
    boolean zeroesTo(long from, long fileSize) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocate(1 << 16);
        long at = from;
        while (at < fileSize) {
            chunk.clear();
            int read = channel.read(chunk, at);
            if (read <= 0) {
                break;
            }
            for (int i = 0; i < read; i++) {
                if (chunk.get(i) != 0) {
                    return false;
                }
            }
            at += read;
        }
        return true;
    }

    /**
     * Whether a complete record with a valid CRC starts anywhere after {@code from}. A torn tail is followed by
     * nothing; valid records after a bad one mean the bad one is damage in the middle of the log.
     */
    boolean validRecordAfter(long from) throws IOException {
        long size = channel.size();
        int window = 1 << 20;
        byte[] chunk = new byte[window + Frame.PREFIX];
        CRC32C probe = new CRC32C();
        for (long base = from + 1; base + Frame.OVERHEAD <= size; base += window) {
            int read = readFully(chunk, 0, (int) Math.min(chunk.length, size - base), base);
            for (int i = 0; i + Frame.PREFIX <= read && i < window; i++) {
                int length = Frame.getInt(chunk, i);
                if (Frame.getInt(chunk, i + 4) != ~length || length < Frame.MIN_LENGTH
                        || length > Frame.MAX_LENGTH || base + i + Frame.PREFIX + length > size) {
                    continue;
                }
                byte[] record = new byte[Frame.PREFIX + length];
                readFully(record, 0, record.length, base + i);
                probe.reset();
                probe.update(record, Frame.BODY_AT, length - 4);
                if ((int) probe.getValue() == Frame.getInt(record, Frame.CRC_AT)) {
                    return true;
                }
            }
        }
        return false;
    }

    private int readFully(byte[] into, int offset, int length, long at) throws IOException {
        ByteBuffer target = ByteBuffer.wrap(into, offset, length);
        while (target.hasRemaining()) {
            if (channel.read(target, at + target.position() - offset) < 0) {
                break;
            }
        }
        return target.position() - offset;
    }

    /** Makes {@code n} bytes from pos available; false when the file ends first. */
    private boolean ensure(int n) throws IOException {
        if (lim - pos >= n) {
            return true;
        }
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, lim - pos);
            bufStart += pos;
            lim -= pos;
            pos = 0;
        }
        if (n > buf.length) {
            if (bufStart + n > channel.size()) {
                return false;
            }
            buf = Arrays.copyOf(buf, Math.max(n, Math.min(buf.length * 2, Frame.PREFIX + Frame.MAX_LENGTH)));
        } else if (buf.length < BUFFER_BYTES && channel.size() - bufStart > buf.length) {
            buf = Arrays.copyOf(buf, (int) Math.min(BUFFER_BYTES, channel.size() - bufStart));
        }
        while (lim < n) {
            int read = channel.read(ByteBuffer.wrap(buf, lim, buf.length - lim), bufStart + lim);
            if (read <= 0) {
                return false;
            }
            lim += read;
        }
        return true;
    }

    private static String hex(int value) {
        return String.format("%08x", value);
    }
}
