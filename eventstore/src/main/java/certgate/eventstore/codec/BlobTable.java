package certgate.eventstore.codec;

import certgate.eventstore.Blob;
import java.util.Arrays;

/**
 * Blobs by SHA-256, looked up straight from the 32 bytes of a reference inside a payload buffer, so resolving a
 * reference allocates nothing. Open addressing; the first 8 bytes of a SHA-256 are already a uniform hash.
 */
public final class BlobTable {
    /** The length of a blob reference: a SHA-256. */
    public static final int REF_BYTES = 32;

    private byte[][] keys = new byte[64][];
    private Blob[] values = new Blob[64];
    private int size;

    /** Adds {@code blob} unless a blob with the same SHA-256 is present; returns the instance the table holds. */
    public Blob put(Blob blob) {
        byte[] key = blob.sha256();
        Blob present = find(key, 0);
        if (present != null) {
            return present;
        }
        if ((size + 1) * 2 > keys.length) {
            grow();
        }
        insert(key, blob);
        size++;
        return blob;
    }

    /** The blob whose SHA-256 is {@code buf[offset, offset + 32)}, or null when there is none. */
    public Blob find(byte[] buf, int offset) {
        int mask = keys.length - 1;
        for (int i = slot(buf, offset, mask); ; i = (i + 1) & mask) {
            byte[] key = keys[i];
            if (key == null) {
                return null;
            }
            if (Arrays.equals(key, 0, REF_BYTES, buf, offset, offset + REF_BYTES)) {
                return values[i];
            }
        }
    }

    public boolean contains(byte[] buf, int offset) {
        return find(buf, offset) != null;
    }

    public int size() {
        return size;
    }

    public void clear() {
        Arrays.fill(keys, null);
        Arrays.fill(values, null);
        size = 0;
    }

    private void insert(byte[] key, Blob blob) {
        int mask = keys.length - 1;
        int i = slot(key, 0, mask);
        while (keys[i] != null) {
            i = (i + 1) & mask;
        }
        keys[i] = key;
        values[i] = blob;
    }

    private void grow() {
        byte[][] oldKeys = keys;
        Blob[] oldValues = values;
        keys = new byte[oldKeys.length * 2][];
        values = new Blob[oldKeys.length * 2];
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != null) {
                insert(oldKeys[i], oldValues[i]);
            }
        }
    }

    private static int slot(byte[] buf, int offset, int mask) {
        int h = (buf[offset] & 0xff) << 24 | (buf[offset + 1] & 0xff) << 16 | (buf[offset + 2] & 0xff) << 8
                | (buf[offset + 3] & 0xff);
        return h & mask;
    }
}
