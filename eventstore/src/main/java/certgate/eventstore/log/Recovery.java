package certgate.eventstore.log;

import certgate.eventstore.Blob;
import certgate.eventstore.codec.BlobTable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Opening a store for append: find the last segment, check it, truncate a torn tail (see FileEventLog). */
final class Recovery {
    private Recovery() {
    }

    /** Where the writer continues: the last segment open for writing, its size, blobs, next sequence and head. */
    record Result(Segments.SegmentFile segment, FileChannel channel, long size, BlobTable blobs, long nextSequence,
                  byte[] head, Optional<TornTail> torn) {
    }

    /**
     * @param acknowledged the writer checkpoint's next sequence (0 without one): damage before it, or a log that
     *                     ends before it, is a {@link CorruptLogException}, never a torn tail
     */
    static Result openLast(Path dir, long acknowledged) throws IOException {
        List<Segments.SegmentFile> segments = Segments.list(dir);
        if (segments.isEmpty() && acknowledged > 0) {
            throw new CorruptLogException(dir, new LogProblem(LogProblem.Kind.LOST_ACKNOWLEDGED, "", 0, 0,
                    "the store holds no segment, but its writer checkpoint records sequences 0.."
                            + (acknowledged - 1) + " as acknowledged"));
        }
        if (segments.isEmpty()) {
            FileChannel channel = Segments.create(dir, 0, Segments.GENESIS);
            return new Result(new Segments.SegmentFile(0, Segments.path(dir, 0)), channel, Segments.HEADER_BYTES,
                    new BlobTable(), 0, Segments.GENESIS.clone(), Optional.empty());
        }
        Segments.SegmentFile last = segments.get(segments.size() - 1);
        FileChannel channel = FileChannel.open(last.path(), StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            return scan(dir, last, channel, acknowledged);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** Damage at, or the end of the log before, a sequence that the writer checkpoint says was acknowledged. */
    static LogProblem lostAcknowledged(String segment, long offset, long sequence, long acknowledged,
                                       String what) {
        return new LogProblem(LogProblem.Kind.LOST_ACKNOWLEDGED, segment, offset, sequence, what
                + "; the writer checkpoint records sequences up to " + (acknowledged - 1) + " as acknowledged, so"
                + " sequences " + sequence + ".." + (acknowledged - 1) + " were lost, not torn by a crash;"
                + " 'certgate log repair' moves the damaged part aside");
    }

    private static Result scan(Path dir, Segments.SegmentFile segment, FileChannel channel, long acknowledged)
            throws IOException {
        Segments.HeaderResult header = Segments.readHeader(channel, segment);
        if (!header.ok()) {
            throw new CorruptLogException(dir, new LogProblem(LogProblem.Kind.SEGMENT_HEADER, segment.name(), 0,
                    segment.base(), header.problem()));
        }
        byte[] head = header.header().previousChain();
        long expected = segment.base();
        BlobTable blobs = new BlobTable();
        FrameReader reader = new FrameReader(channel, Segments.HEADER_BYTES);
        while (true) {
            FrameReader.Status status = reader.next();
            if (status == FrameReader.Status.RECORD) {
                long sequence = reader.sequence();
                if (sequence != expected) {
                    throw new CorruptLogException(dir, new LogProblem(LogProblem.Kind.SEQUENCE, segment.name(),
                            reader.offset(), expected, "record carries sequence " + sequence + ", expected "
                            + expected));
                }
                byte[] buf = reader.buffer();
                if (reader.kind() == Frame.KIND_BLOB) {
                    blobs.put(Blob.takingOwnershipOf(Arrays.copyOfRange(buf, reader.payloadStart(),
                            reader.payloadStart() + reader.payloadLength())));
                } else {
                    expected++;
                }
                head = Arrays.copyOfRange(buf, reader.chainStart(), reader.chainStart() + Frame.CHAIN_BYTES);
                continue;
            }
            Optional<TornTail> torn = Optional.empty();
            if (status != FrameReader.Status.END) {
                long at = reader.offset();
                if (reader.validRecordAfter(at)) {
                    throw new CorruptLogException(dir, new LogProblem(reader.damageKind(), segment.name(), at,
                            expected, reader.damage() + "; valid records follow it, so it is not a torn tail"));
                }
                if (expected < acknowledged) {
                    throw new CorruptLogException(dir, Recovery.lostAcknowledged(segment.name(), at, expected,
                            acknowledged, reader.damage()));
                }
                long size = channel.size();
                torn = Optional.of(new TornTail(segment.name(), at, size - at, reader.damage()));
                channel.truncate(at);
                channel.force(true);
            }
            if (status == FrameReader.Status.END && expected < acknowledged) {
                throw new CorruptLogException(dir, lostAcknowledged(segment.name(), reader.offset(), expected,
                        acknowledged, "the log ends here"));
            }
            return new Result(segment, channel, reader.position(), blobs, expected, head, torn);
        }
    }
}
