package certgate.engine.revocation;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Function;
import org.bouncycastle.asn1.ASN1Primitive;

/**
 * A {@link StoredCrl} written to a snapshot and read back in its indexed form: the DER, the packed entry arrays and
 * the small parts, copied rather than parsed, so a CRL of a million entries comes back in the time it takes to
 * read its bytes. Also the bounded readers the engine's snapshot uses for its own parts: a damaged length never
 * allocates more than the bytes that are really there (plus one chunk), and never reads outside an array.
 */
public final class CrlSnapshots {
    /** Arrays are read in chunks of this size until the stream has proved it holds the rest. */
    private static final int CHUNK = 16 << 20;

    private CrlSnapshots() {
    }

    /** Writes {@code crl}: its source, then its index as it is. */
    public static void write(StoredCrl crl, DataOutputStream out) throws IOException {
        writeString(out, crl.source());
        crl.index().writeSnapshot(out);
    }

    /** The CRL {@link #write} wrote; an {@link IOException} names what does not check out. */
    public static StoredCrl read(DataInputStream in) throws IOException {
        String source = readString(in, 1 << 16, "CRL source");
        try {
            return StoredCrl.restored(CrlIndex.readSnapshot(in), source);
        } catch (RuntimeException e) {
            throw new IOException("CRL of source " + source + " does not read back: " + e.getMessage(), e);
        }
    }

    public static void writeBytes(DataOutputStream out, byte[] bytes) throws IOException {
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    /** As {@link #writeBytes(DataOutputStream, byte[])}, for the bytes from index 0 to the limit of {@code bytes}. */
    static void writeBytes(DataOutputStream out, ByteBuffer bytes) throws IOException {
        int length = bytes.limit();
        out.writeInt(length);
        byte[] chunk = new byte[Math.min(length, 64 << 10)];
        for (int at = 0; at < length; at += chunk.length) {
            int n = Math.min(chunk.length, length - at);
            bytes.get(at, chunk, 0, n);
            out.write(chunk, 0, n);
        }
    }

    /** A byte array of at most {@code max} bytes. */
    public static byte[] readBytes(DataInputStream in, int max, String what) throws IOException {
        int length = length(in, max, what);
        if (length <= CHUNK || length <= in.available()) {
            // Small, or known to be there (a stream that knows its end, such as a mapped file's).
            byte[] bytes = new byte[length];
            in.readFully(bytes);
            return bytes;
        }
        // A length not known to be there: a chunk first, so damage cannot allocate more than the bytes it has.
        byte[] bytes = new byte[CHUNK];
        in.readFully(bytes);
        bytes = Arrays.copyOf(bytes, length);
        in.readFully(bytes, CHUNK, length - CHUNK);
        return bytes;
    }

    public static void writeString(DataOutputStream out, String text) throws IOException {
        writeBytes(out, text.getBytes(StandardCharsets.UTF_8));
    }

    public static String readString(DataInputStream in, int maxBytes, String what) throws IOException {
        return new String(readBytes(in, maxBytes, what), StandardCharsets.UTF_8);
    }

    static void writeInts(DataOutputStream out, int[] values) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * 4);
        buffer.asIntBuffer().put(values);
        writeBytes(out, buffer.array());
    }

    static int[] readInts(DataInputStream in, int maxCount, String what) throws IOException {
        byte[] bytes = readBytes(in, (int) Math.min(Integer.MAX_VALUE, maxCount * 4L), what);
        if (bytes.length % 4 != 0) {
            throw new IOException(what + ": " + bytes.length + " bytes is not a whole number of ints");
        }
        int[] values = new int[bytes.length / 4];
        ByteBuffer.wrap(bytes).asIntBuffer().get(values);
        return values;
    }

    static void writeLongs(DataOutputStream out, long[] values) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * 8);
        buffer.asLongBuffer().put(values);
        writeBytes(out, buffer.array());
    }

    static long[] readLongs(DataInputStream in, int maxCount, String what) throws IOException {
        byte[] bytes = readBytes(in, (int) Math.min(Integer.MAX_VALUE, maxCount * 8L), what);
        if (bytes.length % 8 != 0) {
            throw new IOException(what + ": " + bytes.length + " bytes is not a whole number of longs");
        }
        long[] values = new long[bytes.length / 8];
        ByteBuffer.wrap(bytes).asLongBuffer().get(values);
        return values;
    }

    /** A small DER structure (a name, an algorithm, extensions), read by BouncyCastle as the CRL parser does. */
    static <T> T small(DataInputStream in, String what, Function<Object, T> reader) throws IOException {
        byte[] der = readBytes(in, 1 << 20, what);
        try {
            return reader.apply(ASN1Primitive.fromByteArray(der));
        } catch (IOException | RuntimeException e) {
            throw new IOException(what + " does not read back: " + e.getMessage(), e);
        }
    }

    private static int length(DataInputStream in, int max, String what) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > max) {
            throw new IOException(what + ": a length of " + length + " (at most " + max + ")");
        }
        return length;
    }
}
