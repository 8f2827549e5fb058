package certgate.adapters.store;

import certgate.engine.SnapshotFormatException;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;
import java.util.zip.CheckedOutputStream;

/**
 * The snapshot files of a store, in {@code DIR/snapshots/}: each the state of a {@link Replay} after the events
 * {@code 0..N-1}, named by N, tagged with the log's chain value at event N-1, and checksummed as a whole.
 *
 * <h2>A cache, never the truth</h2>
 * A snapshot is used only when the log still holds the history it was taken of: the log's chain value at the
 * snapshot's last event must be the one it names (a repaired, rewritten or replaced log fails that), and the
 * file must be whole (its CRC-32C), of this release's format, and read back without a fault. Anything else is
 * {@link Unusable}, and the opener replays the whole log. {@code log verify} and {@code audit} never read one.
 *
 * <h2>Written atomically</h2>
 * A temporary file in the same directory, forced, renamed over its final name, the directory forced: a crash
 * leaves the old snapshot or the new one, never half of one. The newest {@link #KEEP} are kept. The file is forced
 * in slices as it is written: one force of the whole file (61 MB for a 1,000,000-entry CRL) held the device for tens
 * of milliseconds, and every durable append of a service writing it waited behind it. A service also paces its
 * background snapshots ({@link WritePace#BACKGROUND}): each of its log forces flushes the device's cache, with
 * whatever part of the snapshot reached the device since the last, so the snapshot must trickle, not pour.
 *
 * <pre>
 * file     = header body crc32c(header body):int
 * header   = "CGSN":int fileVersion:int events:long chain:32 bytes writtenAt:long(ms)
 *            latestAppendedAt:long(s) int(ns)
 * body     = the Replay's state ({@link ReplaySnapshot}), engine states included ({@link certgate.engine.Snapshot})
 * </pre>
 */
public final class StoreSnapshots {
    /** Under the store directory. */
    public static final String DIRECTORY = "snapshots";
    /** How many snapshots are kept: the newest, and two to fall back on. */
    public static final int KEEP = 3;
    /** A writer writes one after this many events since the last (see {@link OpenedStore#snapshotEvery}). */
    public static final long DEFAULT_EVERY = 100_000;
    static final int FILE_VERSION = 1;
    /**
     * How a snapshot is written: forced each time another {@code sliceBytes} are written, and at most
     * {@code bytesPerSecond} on average (the writer waits after a slice that came early).
     */
    public record WritePace(long sliceBytes, long bytesPerSecond) {
        /** As fast as it goes, in 4 MB slices: for commands, and for a service shutting down. */
        public static final WritePace AT_ONCE = new WritePace(4L << 20, Long.MAX_VALUE);
        /**
         * For a service writing one while it answers: 256 KB slices, 16 MB/s (a 61 MB snapshot in about 4 s), so
         * that each of the log's forces carries at most a slice of it (about a millisecond of this disk's writing).
         */
        public static final WritePace BACKGROUND = new WritePace(256L << 10, 16L << 20);

        public WritePace {
            if (sliceBytes < 1 || bytesPerSecond < 1) {
                throw new IllegalArgumentException("a pace needs positive slices and rate: " + sliceBytes + ", "
                        + bytesPerSecond);
            }
        }
    }
    private static final int MAGIC = 0x43474e53; // "CGNS"
    private static final int HEADER_BYTES = 4 + 4 + 8 + 32 + 8 + 8 + 4;
    private static final Pattern NAME = Pattern.compile("snapshot-(\\d{20})\\.cgsnap");

    private StoreSnapshots() {
    }

    /**
     * What a snapshot covers: the events before sequence {@code nextSequence}, the last of them with chain value
     * {@code chain}; the latest append time among them.
     */
    public record Covered(long nextSequence, String chain, Instant writtenAt, Instant latestAppendedAt) {
    }

    /** A snapshot file and its header. */
    public record Candidate(Path file, Covered covered) {
    }

    /** A snapshot that was written: where, what it covers, its size and how long writing took. */
    public record Written(Path file, Covered covered, long bytes, Duration took) {
    }

    /** Why a snapshot cannot be used; said in one line. */
    public static final class Unusable extends Exception {
        private static final long serialVersionUID = 1L;

        Unusable(String message) {
            super(message);
        }

        Unusable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    static Path directory(Path store) {
        return store.resolve(DIRECTORY);
    }

    /** The snapshot files of the store, newest first; a file whose header cannot be read is listed as such. */
    static List<Path> files(Path store) throws IOException {
        Path dir = directory(store);
        List<Path> files = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return files;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, "snapshot-*.cgsnap")) {
            for (Path entry : entries) {
                if (NAME.matcher(entry.getFileName().toString()).matches()) {
                    files.add(entry);
                }
            }
        }
        files.sort((a, b) -> b.getFileName().toString().compareTo(a.getFileName().toString()));
        return files;
    }

    /**
     * What the newest snapshot whose header reads covers, for the operator (a metric); empty when the store has
     * none. Whether it matches the log is the opener's question, not answered here.
     */
    public static Optional<Covered> newest(Path store) {
        try {
            for (Path file : files(store)) {
                try {
                    return Optional.of(header(file).covered());
                } catch (Unusable unreadable) {
                    // the next older one, as opening would
                }
            }
        } catch (IOException e) {
            // no readable snapshot directory: none to report
        }
        return Optional.empty();
    }

    /** The header of {@code file}, checked against its name. */
    static Candidate header(Path file) throws Unusable {
        byte[] header = new byte[HEADER_BYTES];
        try (InputStream in = Files.newInputStream(file)) {
            new DataInputStream(in).readFully(header);
        } catch (EOFException e) {
            throw new Unusable("it is shorter than its header: truncated", e);
        } catch (NoSuchFileException e) {
            throw new Unusable("it was removed while being opened", e);
        } catch (IOException e) {
            throw new Unusable("it cannot be read: " + e.getMessage(), e);
        }
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(header));
        try {
            int magic = in.readInt();
            if (magic != MAGIC) {
                throw new Unusable(String.format("it is not a certgate snapshot (magic %08x)", magic));
            }
            int version = in.readInt();
            if (version != FILE_VERSION) {
                throw new Unusable("it is of snapshot format version " + version + " (another release); this release"
                        + " reads version " + FILE_VERSION);
            }
            long next = in.readLong();
            byte[] chain = new byte[32];
            in.readFully(chain);
            Instant writtenAt = Instant.ofEpochMilli(in.readLong());
            Instant latest = Instant.ofEpochSecond(in.readLong(), in.readInt());
            Matcher name = NAME.matcher(file.getFileName().toString());
            if (!name.matches() || Long.parseLong(name.group(1)) != next || next <= 0) {
                throw new Unusable("its header says it covers the events before sequence " + next
                        + ", its name says otherwise");
            }
            return new Candidate(file, new Covered(next, HexFormat.of().formatHex(chain), writtenAt, latest));
        } catch (IOException | java.time.DateTimeException e) {
            throw new Unusable("its header does not read: " + e.getMessage(), e);
        }
    }

    /**
     * The fold's state held by {@code candidate}: its checksum is checked over the whole file before anything in it
     * is believed, then it is read.
     */
    static Replay.State read(Candidate candidate) throws Unusable {
        Path file = candidate.file();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size < HEADER_BYTES + 4) {
                throw new Unusable("it is shorter than a snapshot can be: truncated");
            }
            if (size > Integer.MAX_VALUE) {
                throw new Unusable("it is " + size + " bytes, more than a snapshot can be");
            }
            // Mapped, not read: the checksum and the parse each pass over the bytes once, with no copy between.
            ByteBuffer mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, size);
            int content = (int) size - 4;
            CRC32C crc = new CRC32C();
            crc.update(mapped.duplicate().limit(content));
            int stored = mapped.getInt(content);
            if (stored != (int) crc.getValue()) {
                throw new Unusable(String.format("its checksum %08x does not match its content (%08x): damaged",
                        stored, (int) crc.getValue()));
            }
            DataInputStream in = new DataInputStream(new BufferInput(mapped.duplicate().position(HEADER_BYTES)
                    .limit(content)));
            Replay.State state = ReplaySnapshot.read(in);
            long next = candidate.covered().nextSequence();
            if (state.events() > next || state.last().map(last -> last.sequence() != next - 1).orElse(true)) {
                throw new Unusable("it holds a fold of " + state.events() + " events ending at sequence "
                        + state.last().map(last -> String.valueOf(last.sequence())).orElse("(none)")
                        + ", not the events before sequence " + next + " its header names");
            }
            if (in.available() != 0) {
                throw new Unusable(in.available() + " bytes follow the state it holds");
            }
            return state;
        } catch (SnapshotFormatException e) {
            throw new Unusable(e.getMessage(), e);
        } catch (NoSuchFileException e) {
            throw new Unusable("it was removed while being read", e);
        } catch (IOException e) {
            throw new Unusable("it cannot be read: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new Unusable("it does not read back: " + e, e);
        } catch (InternalError e) {
            // What a mapped file cut short under the reader raises; snapshots are replaced by rename, never cut.
            throw new Unusable("it changed while being read: " + e.getMessage(), e);
        }
    }

    /** A stream over a buffer, which knows what remains ({@link #available}), so no length is taken on trust. */
    private static final class BufferInput extends InputStream {
        private final ByteBuffer buffer;

        BufferInput(ByteBuffer buffer) {
            this.buffer = buffer;
        }

        @Override
        public int read() {
            return buffer.hasRemaining() ? buffer.get() & 0xff : -1;
        }

        @Override
        public int read(byte[] into, int offset, int length) {
            if (length == 0) {
                return 0;
            }
            if (!buffer.hasRemaining()) {
                return -1;
            }
            int n = Math.min(length, buffer.remaining());
            buffer.get(into, offset, n);
            return n;
        }

        @Override
        public int available() {
            return buffer.remaining();
        }
    }

    /**
     * Writes {@code state} (the fold of the events before sequence {@code next}, the last with chain value
     * {@code chain}) as the store's newest snapshot, atomically, and removes all but the newest {@link #KEEP}.
     */
    static Written write(Path store, Replay.State state, long next, String chain, Instant now, WritePace pace)
            throws IOException {
        long started = System.nanoTime();
        long events = next;
        if (state.last().map(last -> last.sequence() != next - 1).orElse(true)) {
            throw new IllegalArgumentException("a fold ending at " + state.last() + " does not cover the events before "
                    + next);
        }
        Path dir = directory(store);
        Files.createDirectories(dir);
        Path target = dir.resolve(String.format("snapshot-%020d.cgsnap", events));
        Path temporary = Files.createTempFile(dir, ".snapshot-", ".tmp");
        Covered covered = new Covered(events, chain, now, state.latestAppendedAt().orElse(Instant.EPOCH));
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                OutputStream raw = new ForcedInSlices(channel, pace);
                CheckedOutputStream checked = new CheckedOutputStream(new BufferedOutputStream(raw, 1 << 20),
                        new CRC32C());
                DataOutputStream out = new DataOutputStream(checked);
                out.writeInt(MAGIC);
                out.writeInt(FILE_VERSION);
                out.writeLong(events);
                out.write(HexFormat.of().parseHex(chain));
                out.writeLong(now.toEpochMilli());
                out.writeLong(covered.latestAppendedAt().getEpochSecond());
                out.writeInt(covered.latestAppendedAt().getNano());
                ReplaySnapshot.write(state, out);
                out.flush();
                int crc = (int) checked.getChecksum().getValue();
                DataOutputStream trailer = new DataOutputStream(raw);
                // The checked stream is flushed, so the trailer lands after everything it covers.
                trailer.writeInt(crc);
                trailer.flush();
                channel.force(true);
            }
            try {
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
            }
            forceDirectory(dir);
        } finally {
            Files.deleteIfExists(temporary);
        }
        long bytes = Files.size(target);
        prune(store);
        return new Written(target, covered, bytes, Duration.ofNanos(System.nanoTime() - started));
    }

    /** Writes to {@code channel} at {@code pace}: forced after each slice, waiting after one that came early. */
    static final class ForcedInSlices extends OutputStream {
        private final FileChannel channel;
        private final OutputStream out;
        private final WritePace pace;
        private final long started = System.nanoTime();
        private long unforced;
        private long written;
        private int forces;

        ForcedInSlices(FileChannel channel, WritePace pace) {
            this.channel = channel;
            this.out = Channels.newOutputStream(channel);
            this.pace = pace;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            out.write(bytes, offset, length);
            unforced += length;
            written += length;
            if (unforced >= pace.sliceBytes()) {
                channel.force(false);
                forces++;
                unforced = 0;
                waitForPace();
            }
        }

        private void waitForPace() {
            if (pace.bytesPerSecond() == Long.MAX_VALUE) {
                return;
            }
            long due = started + (long) (written * 1e9 / pace.bytesPerSecond());
            for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                LockSupport.parkNanos(wait);
            }
        }

        /** How many slices were forced so far. */
        int forces() {
            return forces;
        }
    }

    private static void prune(Path store) throws IOException {
        List<Path> files = files(store);
        for (Path old : files.subList(Math.min(KEEP, files.size()), files.size())) {
            Files.deleteIfExists(old);
        }
    }

    private static void forceDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Some file systems do not open directories; the rename is then as durable as they make it.
        }
    }

    /** Whether {@code chain} (hex) is the chain value {@code covered} names. */
    static boolean sameChain(Covered covered, Optional<String> chain) {
        return chain.isPresent() && chain.get().equalsIgnoreCase(covered.chain());
    }
}
