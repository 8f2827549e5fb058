package certgate.eventstore.log;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * The writer checkpoint (as EventStoreDB's): how far the log is durable. The writer rewrites it and forces it
 * as the durable position moves (see {@link FileEventLog}), so it may lag the log but never lead it: every event
 * before {@code nextSequence} was forced, and so may have been acknowledged to some caller, and damage to it, or a
 * log that ends before it, is corruption, not a torn tail. Sequence numbers are never reused, so after a repair
 * the log continues at {@code nextSequence} (the highest ever acknowledged, plus one).
 *
 * <p>The file {@code CHECKPOINT} holds two 512-byte slots, written alternately in place, each with its own
 * CRC-32C, so a torn write damages at most the slot being written and the other, older one (which lags, which is
 * safe) is read instead. A slot (big-endian): magic {@code CGCKPT} (6), format version 1 (2), generation (8),
 * next sequence (8), segment base (8), position in that segment just past the last acknowledged record (8), chain
 * value there (32), CRC-32C of the 72 bytes before (4).
 *
 * <p>A store written before the checkpoint existed has no such file: it is taken as acknowledged up to its last
 * valid record, and the first writer that opens it writes the checkpoint there. A file in which neither slot
 * checks out is treated the same way.
 */
record Checkpoint(long generation, long nextSequence, long segmentBase, long position, byte[] head) {
    static final String FILE_NAME = "CHECKPOINT";
    private static final int SLOT_BYTES = 512;
    private static final int BODY_BYTES = 72;
    private static final byte[] MAGIC = {'C', 'G', 'C', 'K', 'P', 'T'};
    private static final int FORMAT_VERSION = 1;

    /** The newest valid checkpoint of {@code dir}; empty when there is none. */
    static Optional<Checkpoint> read(Path dir) {
        Path file = dir.resolve(FILE_NAME);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the checkpoint of event store " + dir + ": "
                    + e.getMessage(), e);
        }
        Optional<Checkpoint> best = Optional.empty();
        for (int slot = 0; slot < 2; slot++) {
            Optional<Checkpoint> candidate = parse(bytes, slot * SLOT_BYTES);
            if (candidate.isPresent()
                    && (best.isEmpty() || candidate.get().generation() > best.get().generation())) {
                best = candidate;
            }
        }
        return best;
    }

    /** The first sequence the checkpoint does not cover: 0 when there is none. */
    static long acknowledged(Path dir) {
        return read(dir).map(Checkpoint::nextSequence).orElse(0L);
    }

    private static Optional<Checkpoint> parse(byte[] bytes, int at) {
        if (bytes.length < at + BODY_BYTES + 4
                || !Arrays.equals(bytes, at, at + MAGIC.length, MAGIC, 0, MAGIC.length)) {
            return Optional.empty();
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes, at, BODY_BYTES);
        if ((int) crc.getValue() != Frame.getInt(bytes, at + BODY_BYTES)
                || Frame.getShort(bytes, at + 6) != FORMAT_VERSION) {
            return Optional.empty();
        }
        return Optional.of(new Checkpoint(Frame.getLong(bytes, at + 8), Frame.getLong(bytes, at + 16),
                Frame.getLong(bytes, at + 24), Frame.getLong(bytes, at + 32),
                Arrays.copyOfRange(bytes, at + 40, at + 72)));
    }

    private byte[] slot() {
        byte[] slot = new byte[BODY_BYTES + 4];
        System.arraycopy(MAGIC, 0, slot, 0, MAGIC.length);
        Frame.putShort(slot, 6, FORMAT_VERSION);
        Frame.putLong(slot, 8, generation);
        Frame.putLong(slot, 16, nextSequence);
        Frame.putLong(slot, 24, segmentBase);
        Frame.putLong(slot, 32, position);
        System.arraycopy(head, 0, slot, 40, Frame.CHAIN_BYTES);
        CRC32C crc = new CRC32C();
        crc.update(slot, 0, BODY_BYTES);
        Frame.putInt(slot, BODY_BYTES, (int) crc.getValue());
        return slot;
    }

    /** The writer's handle on the checkpoint file; used by one thread at a time (the log's checkpoint thread). */
    static final class Writer implements AutoCloseable {
        private final FileChannel channel;
        private long generation;

        private Writer(FileChannel channel, long generation) {
            this.channel = channel;
            this.generation = generation;
        }

        /** Opens (creating it, durably, when needed) the checkpoint of {@code dir}, continuing {@code last}. */
        static Writer open(Path dir, Optional<Checkpoint> last) throws IOException {
            Path file = dir.resolve(FILE_NAME);
            boolean created = !Files.exists(file);
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            if (created) {
                Segments.forceDirectory(dir);
            }
            return new Writer(channel, last.map(Checkpoint::generation).orElse(0L));
        }

        /**
         * Records that everything before {@code nextSequence} is durable, without forcing it: the caller forces it
         * ({@link #force}) before it writes the next one, which goes to the other slot, so the slot being forced is
         * never the one being written.
         */
        void write(long nextSequence, long segmentBase, long position, byte[] head) throws IOException {
            generation++;
            Checkpoint checkpoint = new Checkpoint(generation, nextSequence, segmentBase, position, head);
            ByteBuffer bytes = ByteBuffer.wrap(checkpoint.slot());
            long at = (generation % 2) * SLOT_BYTES;
            while (bytes.hasRemaining()) {
                channel.write(bytes, at + bytes.position());
            }
        }

        /** Makes the last checkpoint written durable. */
        void force() throws IOException {
            channel.force(false);
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
