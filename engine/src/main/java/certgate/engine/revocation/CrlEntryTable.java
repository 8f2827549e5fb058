package certgate.engine.revocation;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.x509.GeneralNames;

/**
 * The revoked entries of one CRL, packed into a few primitive arrays (see {@link CrlIndex} for the layout).
 * Entries are numbered in sorted order: first by the length of the serial's DER content, then by its unsigned
 * bytes; each length is one group, a contiguous range of entry numbers.
 */
final class CrlEntryTable {
    /** Longest serial content accepted: RFC 5280 allows 20 octets; non-conforming CAs go a little past that. */
    static final int MAX_SERIAL_LENGTH = 127;
    private static final int PACKED_LIMIT = 8;
    private static final long[] NO_LONGS = new long[0];
    private static final byte[] NO_BYTES = new byte[0];
    private static final int[] NO_INTS = new int[0];

    private final int[] groupStart;      // entries of serial length L are [groupStart[L], groupStart[L + 1])
    private final long[][] packed;       // L <= 8: serial content as an unsigned big-endian long, sorted
    private final byte[][] spelled;      // L > 8: count * L bytes, serials back to back, sorted
    private final long dateBase;         // epoch second of the earliest revocation date
    private final int[] dateOffsets;     // unsigned seconds after dateBase; empty when wideDates is used
    private final long[] wideDates;      // epoch seconds, only when the dates span more than 2^32 seconds
    private final byte[] reasons;        // reasonCode or -1; empty when no entry has one
    private final int[] issuerGroups;    // 0 = the CRL issuer, k = issuers.get(k - 1); empty when none
    private final List<GeneralNames> issuers;

    private CrlEntryTable(int[] groupStart, long[][] packed, byte[][] spelled, long dateBase, int[] dateOffsets,
                          long[] wideDates, byte[] reasons, int[] issuerGroups, List<GeneralNames> issuers) {
        this.groupStart = groupStart;
        this.packed = packed;
        this.spelled = spelled;
        this.dateBase = dateBase;
        this.dateOffsets = dateOffsets;
        this.wideDates = wideDates;
        this.reasons = reasons;
        this.issuerGroups = issuerGroups;
        this.issuers = issuers;
    }

    int size() {
        return groupStart[MAX_SERIAL_LENGTH + 1];
    }

    List<RevokedEntry> lookup(BigInteger serial) {
        byte[] content = serial.toByteArray();
        int length = content.length;
        if (length > MAX_SERIAL_LENGTH) {
            return List.of();
        }
        int from = groupStart[length];
        int count = groupStart[length + 1] - from;
        if (count == 0) {
            return List.of();
        }
        int low = 0;
        int high = count;
        int found;
        if (length <= PACKED_LIMIT) {
            long key = pack(content, 0, length);
            long[] keys = packed[length];
            while (low < high) {
                int middle = (low + high) >>> 1;
                if (Long.compareUnsigned(keys[middle], key) < 0) {
                    low = middle + 1;
                } else {
                    high = middle;
                }
            }
            found = low;
            while (found < count && keys[found] == key) {
                found++;
            }
        } else {
            byte[] bytes = spelled[length];
            while (low < high) {
                int middle = (low + high) >>> 1;
                int at = middle * length;
                if (Arrays.compareUnsigned(bytes, at, at + length, content, 0, length) < 0) {
                    low = middle + 1;
                } else {
                    high = middle;
                }
            }
            found = low;
            while (found < count
                    && Arrays.equals(bytes, found * length, found * length + length, content, 0, length)) {
                found++;
            }
        }
        if (found == low) {
            return List.of();
        }
        List<RevokedEntry> entries = new ArrayList<>(found - low);
        for (int i = low; i < found; i++) {
            entries.add(entry(serial, from + i));
        }
        return List.copyOf(entries);
    }

    private RevokedEntry entry(BigInteger serial, int number) {
        long date = wideDates.length > 0 ? wideDates[number] : dateBase + Integer.toUnsignedLong(dateOffsets[number]);
        Optional<Integer> reason = reasons.length > 0 && reasons[number] >= 0
                ? Optional.of((int) reasons[number]) : Optional.empty();
        Optional<GeneralNames> issuer = issuerGroups.length > 0 && issuerGroups[number] > 0
                ? Optional.of(issuers.get(issuerGroups[number] - 1)) : Optional.empty();
        return new RevokedEntry(serial, Instant.ofEpochSecond(date), reason, issuer);
    }

    /** Bytes held by the arrays, with 16 bytes of header per array, rounded to 8 as the JVM lays them out. */
    long retainedBytes() {
        long total = 64 + array(groupStart.length * 4L) + array(packed.length * 4L) + array(spelled.length * 4L);
        for (long[] keys : packed) {
            total += keys.length == 0 ? 0 : array(keys.length * 8L);
        }
        for (byte[] bytes : spelled) {
            total += bytes.length == 0 ? 0 : array(bytes.length);
        }
        total += array(dateOffsets.length * 4L) + array(wideDates.length * 8L) + array(reasons.length)
                + array(issuerGroups.length * 4L);
        for (GeneralNames names : issuers) {
            total += 256; // a GeneralNames is a handful of small objects; indirect CRLs name a few issuers
        }
        return total;
    }

    /** The arrays as they are (see {@link CrlIndex#writeSnapshot}). */
    void writeSnapshot(DataOutputStream out) throws IOException {
        CrlSnapshots.writeInts(out, groupStart);
        for (int length = 1; length <= MAX_SERIAL_LENGTH; length++) {
            if (length <= PACKED_LIMIT) {
                CrlSnapshots.writeLongs(out, packed[length]);
            } else {
                CrlSnapshots.writeBytes(out, spelled[length]);
            }
        }
        out.writeLong(dateBase);
        CrlSnapshots.writeInts(out, dateOffsets);
        CrlSnapshots.writeLongs(out, wideDates);
        CrlSnapshots.writeBytes(out, reasons);
        CrlSnapshots.writeInts(out, issuerGroups);
        out.writeInt(issuers.size());
        for (GeneralNames names : issuers) {
            CrlSnapshots.writeBytes(out, names.getEncoded(ASN1Encoding.DER));
        }
    }

    /**
     * The table {@link #writeSnapshot} wrote. The shape is checked (group bounds, array lengths, issuer group
     * numbers), so that no damage can make a lookup read outside an array; the order of the serials is the
     * snapshot's checksum's to vouch for.
     */
    static CrlEntryTable readSnapshot(DataInputStream in, int derLength) throws IOException {
        int[] groupStart = CrlSnapshots.readInts(in, MAX_SERIAL_LENGTH + 2, "serial groups");
        if (groupStart.length != MAX_SERIAL_LENGTH + 2 || groupStart[0] != 0 || groupStart[1] != 0) {
            throw new IOException("serial group table of " + groupStart.length + " entries is malformed");
        }
        for (int i = 1; i < groupStart.length; i++) {
            if (groupStart[i] < groupStart[i - 1]) {
                throw new IOException("serial group " + i + " starts before the one before it");
            }
        }
        int size = groupStart[MAX_SERIAL_LENGTH + 1];
        if (size > derLength) {
            throw new IOException(size + " entries cannot come from a CRL of " + derLength + " bytes");
        }
        long[][] packed = new long[MAX_SERIAL_LENGTH + 1][];
        byte[][] spelled = new byte[MAX_SERIAL_LENGTH + 1][];
        Arrays.fill(packed, NO_LONGS);
        Arrays.fill(spelled, NO_BYTES);
        for (int length = 1; length <= MAX_SERIAL_LENGTH; length++) {
            int count = groupStart[length + 1] - groupStart[length];
            long expected = (long) count * (length <= PACKED_LIMIT ? 1 : length);
            if (length <= PACKED_LIMIT) {
                packed[length] = CrlSnapshots.readLongs(in, count, "serials of length " + length);
                if (packed[length].length != expected) {
                    throw new IOException("serials of length " + length + ": " + packed[length].length
                            + " keys for " + count + " entries");
                }
            } else {
                spelled[length] = CrlSnapshots.readBytes(in, derLength, "serials of length " + length);
                if (spelled[length].length != expected) {
                    throw new IOException("serials of length " + length + ": " + spelled[length].length
                            + " bytes for " + count + " entries");
                }
            }
        }
        long dateBase = in.readLong();
        int[] dateOffsets = CrlSnapshots.readInts(in, size, "revocation dates");
        long[] wideDates = CrlSnapshots.readLongs(in, size, "revocation dates");
        if (!(dateOffsets.length == size && wideDates.length == 0 || size > 0 && dateOffsets.length == 0
                && wideDates.length == size)) {
            throw new IOException("revocation dates do not match the " + size + " entries");
        }
        byte[] reasons = CrlSnapshots.readBytes(in, size, "reason codes");
        int[] issuerGroups = CrlSnapshots.readInts(in, size, "certificate issuers");
        int issuerCount = in.readInt();
        if (issuerCount < 0 || issuerCount > size) {
            throw new IOException(issuerCount + " certificate issuers for " + size + " entries");
        }
        List<GeneralNames> issuers = new ArrayList<>(issuerCount);
        for (int i = 0; i < issuerCount; i++) {
            issuers.add(CrlSnapshots.small(in, "certificateIssuer", GeneralNames::getInstance));
        }
        if (reasons.length != 0 && reasons.length != size || issuerGroups.length != 0 && issuerGroups.length != size) {
            throw new IOException("reason codes or certificate issuers do not match the " + size + " entries");
        }
        for (int group : issuerGroups) {
            if (group < 0 || group > issuerCount) {
                throw new IOException("certificate issuer " + group + " of " + issuerCount);
            }
        }
        return new CrlEntryTable(groupStart, packed, spelled, dateBase, dateOffsets, wideDates, reasons,
                issuerGroups, List.copyOf(issuers));
    }

    private static long array(long payload) {
        return (16 + payload + 7) & ~7L;
    }

    static long pack(byte[] bytes, int at, int length) {
        long key = 0;
        for (int i = 0; i < length; i++) {
            key = (key << 8) | (bytes[at + i] & 0xff);
        }
        return key;
    }

    static long pack(ByteBuffer bytes, int at, int length) {
        long key = 0;
        for (int i = 0; i < length; i++) {
            key = (key << 8) | (bytes.get(at + i) & 0xff);
        }
        return key;
    }

    /**
     * Collects entries in CRL order while the parser walks them (primitive arrays, grown by half), then sorts
     * and packs them into a table.
     */
    static final class Builder {
        private final ByteBuffer der;
        private int count;
        private int[] serialOffsets;
        private byte[] serialLengths;
        private long[] dates;
        private byte[] reasons = NO_BYTES;
        private int[] issuerGroups = NO_INTS;
        private final List<GeneralNames> issuers = new ArrayList<>();
        private int currentIssuer;

        Builder(ByteBuffer der, int expected) {
            this.der = der;
            int capacity = Math.max(16, expected);
            serialOffsets = new int[capacity];
            serialLengths = new byte[capacity];
            dates = new long[capacity];
        }

        /** A certificateIssuer extension: it applies to this entry and the ones after it (RFC 5280 5.3.3). */
        void certificateIssuer(GeneralNames names) {
            issuers.add(names);
            currentIssuer = issuers.size();
        }

        /** Adds an entry; call {@link #certificateIssuer} first when the entry carries that extension. */
        void add(int serialOffset, int serialLength, long date, int reason) {
            if (count == serialOffsets.length) {
                grow();
            }
            serialOffsets[count] = serialOffset;
            serialLengths[count] = (byte) serialLength;
            dates[count] = date;
            if (reason >= 0 && reasons.length == 0) {
                reasons = new byte[serialOffsets.length];
                Arrays.fill(reasons, 0, count, (byte) -1);
            }
            if (reasons.length > 0) {
                reasons[count] = (byte) reason;
            }
            if (currentIssuer > 0 && issuerGroups.length == 0) {
                issuerGroups = new int[serialOffsets.length];
            }
            if (issuerGroups.length > 0) {
                issuerGroups[count] = currentIssuer;
            }
            count++;
        }

        private void grow() {
            int capacity = serialOffsets.length + (serialOffsets.length >> 1);
            serialOffsets = Arrays.copyOf(serialOffsets, capacity);
            serialLengths = Arrays.copyOf(serialLengths, capacity);
            dates = Arrays.copyOf(dates, capacity);
            if (reasons.length > 0) {
                reasons = Arrays.copyOf(reasons, capacity);
            }
            if (issuerGroups.length > 0) {
                issuerGroups = Arrays.copyOf(issuerGroups, capacity);
            }
        }

        /** The table; once only, since it lets go of the builder's arrays as it goes. */
        CrlEntryTable build() {
            int[] groupStart = new int[MAX_SERIAL_LENGTH + 2];
            for (int i = 0; i < count; i++) {
                groupStart[serialLengths[i] + 1]++;
            }
            for (int length = 1; length < groupStart.length; length++) {
                groupStart[length] += groupStart[length - 1];
            }
            // Entry ids bucketed by serial length, in CRL order within a bucket; each bucket is sorted in place.
            int[] ids = new int[count];
            int[] next = Arrays.copyOf(groupStart, groupStart.length);
            for (int i = 0; i < count; i++) {
                ids[next[serialLengths[i]]++] = i;
            }
            long minDate = Long.MAX_VALUE;
            long maxDate = Long.MIN_VALUE;
            for (int i = 0; i < count; i++) {
                minDate = Math.min(minDate, dates[i]);
                maxDate = Math.max(maxDate, dates[i]);
            }
            long[][] packed = new long[MAX_SERIAL_LENGTH + 1][];
            byte[][] spelled = new byte[MAX_SERIAL_LENGTH + 1][];
            Arrays.fill(packed, NO_LONGS);
            Arrays.fill(spelled, NO_BYTES);
            // Sort each length group in place: ids[number] is then the entry that number has in the table.
            for (int length = 1; length <= MAX_SERIAL_LENGTH; length++) {
                int from = groupStart[length];
                int n = groupStart[length + 1] - from;
                if (n == 0) {
                    continue;
                }
                long[] keys = new long[n];
                int keyBytes = Math.min(length, PACKED_LIMIT);
                for (int i = 0; i < n; i++) {
                    keys[i] = pack(der, serialOffsets[ids[from + i]], keyBytes);
                }
                CrlSort.byKey(keys, ids, from, n);
                if (length <= PACKED_LIMIT) {
                    packed[length] = keys;
                } else {
                    sortTies(keys, ids, from, n, length);
                    spelled[length] = new byte[n * length];
                }
            }
            // Where each entry lands (its rank); the sorted ids are not needed after that.
            int[] rank = new int[count];
            for (int number = 0; number < count; number++) {
                rank[ids[number]] = number;
            }
            ids = null;
            // Then move each field to its rank, a pass per field in CRL order: the reads are sequential (the DER
            // included), only the writes jump, which costs far less than gathering by id in sorted order. Each
            // of the builder's arrays is let go once moved, so the peak holds a field twice, not the whole table.
            for (int id = 0; id < count; id++) {
                int length = serialLengths[id];
                if (length > PACKED_LIMIT) {
                    der.get(serialOffsets[id], spelled[length], (rank[id] - groupStart[length]) * length, length);
                }
            }
            serialOffsets = null;
            serialLengths = null;
            boolean narrow = count == 0 || maxDate - minDate <= 0xffff_ffffL;
            long dateBase = count == 0 ? 0 : minDate;
            int[] dateOffsets = narrow ? new int[count] : NO_INTS;
            long[] wideDates = narrow ? NO_LONGS : new long[count];
            for (int id = 0; id < count; id++) {
                if (narrow) {
                    dateOffsets[rank[id]] = (int) (dates[id] - dateBase);
                } else {
                    wideDates[rank[id]] = dates[id];
                }
            }
            dates = null;
            byte[] sortedReasons = reasons.length > 0 ? new byte[count] : NO_BYTES;
            for (int id = 0; id < sortedReasons.length; id++) {
                sortedReasons[rank[id]] = reasons[id];
            }
            reasons = null;
            int[] sortedIssuers = issuerGroups.length > 0 ? new int[count] : NO_INTS;
            for (int id = 0; id < sortedIssuers.length; id++) {
                sortedIssuers[rank[id]] = issuerGroups[id];
            }
            issuerGroups = null;
            return new CrlEntryTable(groupStart, packed, spelled, dateBase, dateOffsets, wideDates, sortedReasons,
                    sortedIssuers, List.copyOf(issuers));
        }

        /**
         * Serials longer than the 8-byte key: order each run of equal keys by the bytes after the key ({@code
         * keys[i]} is the key of {@code ids[from + i]}).
         */
        private void sortTies(long[] keys, int[] ids, int from, int n, int length) {
            int runStart = 0;
            for (int i = 1; i <= n; i++) {
                if (i == n || keys[i] != keys[runStart]) {
                    if (i - runStart > 1) {
                        CrlSort.bySerialTail(ids, from + runStart, from + i, der, serialOffsets, PACKED_LIMIT,
                                length);
                    }
                    runStart = i;
                }
            }
        }
    }
}
