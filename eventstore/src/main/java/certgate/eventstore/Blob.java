package certgate.eventstore;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Immutable bytes addressed by their SHA-256: a DER certificate or CRL as it was received. Two blobs are equal
 * when their contents are, so the log can store each certificate once however many events refer to it.
 *
 * <p>No caller can change a blob's contents: {@link #of} copies the array it is given, {@link #bytes} hands out a
 * copy and {@link #view} a read-only buffer. A large CRL (tens of megabytes) is not copied on its way into the
 * engine: the fetcher or file reader that made the array hands it over with {@link #takingOwnershipOf} and never
 * touches it again, and the engine reads it through {@link #view}, so one array serves the event, the log's
 * append and the engine's CRL index.
 */
public final class Blob {
    private final byte[] bytes;
    private final byte[] sha256;

    private Blob(byte[] bytes, byte[] sha256) {
        this.bytes = bytes;
        this.sha256 = sha256;
    }

    /** Copies {@code bytes}; later changes to the array do not reach the blob. */
    public static Blob of(byte[] bytes) {
        byte[] copy = bytes.clone();
        return new Blob(copy, digest(copy));
    }

    /**
     * A blob of {@code array} itself, not a copy: the caller hands the array over and promises that neither it nor
     * anything it gave the array to will modify it again. Only for the code that made the array (a fetch, a
     * file read, a PEM decode, a log record's copy) and drops it at once; anything else uses {@link #of}.
     */
    public static Blob takingOwnershipOf(byte[] array) {
        return new Blob(array, digest(array));
    }

    /**
     * The contents without a copy: a read-only buffer over them, from position 0 to the limit {@link #length()}.
     * Each call gives a buffer of its own, so callers do not share a position.
     */
    public ByteBuffer view() {
        return ByteBuffer.wrap(bytes).asReadOnlyBuffer();
    }

    /** A copy of the contents. */
    public byte[] bytes() {
        return bytes.clone();
    }

    public int length() {
        return bytes.length;
    }

    /** A copy of the SHA-256 of the contents. */
    public byte[] sha256() {
        return sha256.clone();
    }

    public String sha256Hex() {
        return HexFormat.of().formatHex(sha256);
    }

    private static byte[] digest(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Blob blob && Arrays.equals(sha256, blob.sha256) && Arrays.equals(bytes, blob.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(sha256);
    }

    @Override
    public String toString() {
        return "Blob[sha256=" + sha256Hex() + ", " + bytes.length + " bytes]";
    }
}
