package certgate.eventstore.log;

import certgate.eventstore.Blob;
import certgate.eventstore.Event;
import certgate.eventstore.RecordedEvent;
import certgate.eventstore.codec.BlobTable;
import certgate.eventstore.codec.CodecException;
import certgate.eventstore.codec.EventDecoder;
import certgate.eventstore.codec.EventCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Reads records in order across segments from a starting sequence, checking each record's CRC and sequence
 * number, resolving blob references, and decoding events. It stops, without consuming anything, at the end of
 * what is complete, so calling {@link #poll} again later continues where it stopped: this is how readers tail.
 *
 * <p>At the end of the last segment an incomplete or damaged record with nothing valid after it is treated as
 * not yet there (a write in progress, or a torn tail the next writer truncates); a damaged record followed by a
 * valid one, or at the end of a segment that has a successor, is a {@link CorruptLogException}.
 */
final class RecordCursor implements AutoCloseable {
    /** Sees every record the cursor passes: {@code event} is set for event records, {@code blob} for blobs. */
    interface Visitor {
        void visit(RecordCursor at, Event event, Blob blob);
    }

    private final Path dir;
    private final long fromSequence;
    private final EventDecoder decoder = EventCodec.decoder();
    private final BlobTable segmentBlobs = new BlobTable();
    /** Across segments, so that one content is one Blob instance for the whole read. */
    private final BlobTable interned = new BlobTable();

    private Segments.SegmentFile segment;
    private FileChannel channel;
    private FrameReader reader;
    private long expected;
    /** The chain value of the last event passed (or of the record before the current segment), and its sequence. */
    private final byte[] lastChain = new byte[Frame.CHAIN_BYTES];
    private long lastChainSequence = -1;
    /** The chain value stored on the last record passed (event or blob), valid once {@link #passedAny} is set. */
    private final byte[] lastRecordChain = new byte[Frame.CHAIN_BYTES];
    private boolean passedAny;

    RecordCursor(Path dir, long fromSequence) {
        if (fromSequence < 0) {
            throw new IllegalArgumentException("fromSequence must not be negative, was " + fromSequence);
        }
        if (!Files.isDirectory(dir)) {
            throw new UncheckedIOException(new NoSuchFileException(dir.toString(), null, "no event store there"));
        }
        this.dir = dir;
        this.fromSequence = fromSequence;
        this.expected = fromSequence;
    }

    /** The sequence of the next event this cursor will reach. */
    long nextSequence() {
        return expected;
    }

    /**
     * The chain value of the event {@code sequence} when it is the last event this cursor passed (delivered or
     * not), or the record just before the segment it stands in; empty otherwise.
     */
    Optional<byte[]> chainOf(long sequence) {
        return sequence == lastChainSequence ? Optional.of(lastChain.clone()) : Optional.empty();
    }

    /** Delivers the events with sequence >= fromSequence and < until; returns how many. */
    int pollEvents(long until, Consumer<RecordedEvent> consumer) {
        return poll(until, (at, event, blob) -> {
            if (event != null && at.sequence() >= fromSequence) {
                consumer.accept(new RecordedEvent(at.sequence(), at.appendedAt(), event));
            }
        });
    }

    /** Visits every complete record up to (not including) the event with sequence {@code until}. */
    int poll(long until, Visitor visitor) {
        try {
            return pollOrThrow(until, visitor);
        } catch (IOException e) {
            String where = segment == null ? "" : " (segment " + segment.name() + ")";
            throw new UncheckedIOException("reading event store " + dir + where + ": " + e.getMessage(), e);
        }
    }

    private int pollOrThrow(long until, Visitor visitor) throws IOException {
        int delivered = 0;
        long acknowledged = -1;
        if (reader == null && !openFirst()) {
            return 0;
        }
        while (expected < until) {
            FrameReader.Status status = reader.next();
            if (status == FrameReader.Status.RECORD) {
                if (accept(visitor)) {
                    delivered++;
                }
                continue;
            }
            Segments.SegmentFile later = laterSegment();
            if (later != null) {
                // The writer completes a segment before it creates the next, but this reader may have reached the
                // end before the segment's last appends: read it again to its end before judging, whether it
                // looked damaged or merely ended (records appended since are no gap).
                status = reader.next();
                if (status == FrameReader.Status.RECORD) {
                    if (accept(visitor)) {
                        delivered++;
                    }
                    continue;
                }
            }
            if (later != null && status == FrameReader.Status.END) {
                if (RepairGap.explains(later, expected)) {
                    expected = later.base();
                } else if (later.base() != expected) {
                    throw corrupt(LogProblem.Kind.SEGMENT_GAP, reader.offset(), "the segment ends before sequence "
                            + expected + " but the next segment, " + later.name() + ", starts at " + later.base());
                }
                open(later);
                continue;
            }
            if (later != null) {
                throw corrupt(reader.damageKind(), reader.offset(), reader.damage()
                        + "; in a sealed segment (segment " + later.name() + " follows it)");
            }
            if (status == FrameReader.Status.DAMAGED && reader.validRecordAfter(reader.offset())) {
                throw corrupt(reader.damageKind(), reader.offset(), reader.damage()
                        + "; valid records follow it, so it is not a torn tail");
            }
            // Not yet there, or a torn tail: unless the writer checkpoint says it was acknowledged. The checkpoint
            // is read first and the segment again after it, since the writer forces records before the checkpoint.
            if (acknowledged < 0) {
                acknowledged = Checkpoint.acknowledged(dir);
                if (expected < acknowledged) {
                    continue;
                }
            } else if (expected < acknowledged) {
                throw new CorruptLogException(dir, Recovery.lostAcknowledged(segment.name(), reader.offset(),
                        expected, acknowledged, status == FrameReader.Status.END ? "the log ends here"
                                : reader.damage()));
            }
            break;
        }
        return delivered;
    }

    /** Checks and interprets the record the reader stands on; true when it is an event at or after from. */
    private boolean accept(Visitor visitor) {
        long sequence = reader.sequence();
        if (sequence != expected) {
            throw corrupt(LogProblem.Kind.SEQUENCE, reader.offset(), "record carries sequence " + sequence
                    + ", expected " + expected);
        }
        byte[] buf = reader.buffer();
        System.arraycopy(buf, reader.chainStart(), lastRecordChain, 0, Frame.CHAIN_BYTES);
        passedAny = true;
        if (reader.kind() == Frame.KIND_BLOB) {
            if (reader.typeTag() != Frame.BLOB_TYPE || reader.version() != Frame.BLOB_VERSION) {
                throw corrupt(LogProblem.Kind.PAYLOAD, reader.offset(), "blob record of type " + reader.typeTag()
                        + " version " + reader.version() + " (this release reads type 0 version 1)");
            }
            Blob blob = Blob.takingOwnershipOf(Arrays.copyOfRange(buf, reader.payloadStart(),
                    reader.payloadStart() + reader.payloadLength()));
            segmentBlobs.put(interned.put(blob));
            visitor.visit(this, null, segmentBlobs.find(blob.sha256(), 0));
            return false;
        }
        System.arraycopy(buf, reader.chainStart(), lastChain, 0, Frame.CHAIN_BYTES);
        lastChainSequence = sequence;
        boolean wanted = sequence >= fromSequence;
        Event event = null;
        if (wanted) {
            try {
                event = decoder.decode(sequence, reader.typeTag(), reader.version(), buf, reader.payloadStart(),
                        reader.payloadLength(), segmentBlobs);
            } catch (CodecException e) {
                throw new CorruptLogException(dir, new LogProblem(LogProblem.Kind.PAYLOAD, segment.name(),
                        reader.offset(), sequence, e.getMessage()), e);
            }
            visitor.visit(this, event, null);
        }
        expected++;
        return wanted;
    }

    /** The segment after the current one, or null: normally the one named by the next sequence. */
    private Segments.SegmentFile laterSegment() {
        Path next = Segments.path(dir, expected);
        if (expected > segment.base() && Files.exists(next)) {
            return new Segments.SegmentFile(expected, next);
        }
        for (Segments.SegmentFile candidate : Segments.list(dir)) {
            if (candidate.base() > segment.base()) {
                return candidate;
            }
        }
        return null;
    }

    private boolean openFirst() throws IOException {
        List<Segments.SegmentFile> segments = Segments.list(dir);
        Segments.SegmentFile first = null;
        for (Segments.SegmentFile candidate : segments) {
            if (candidate.base() <= fromSequence) {
                first = candidate;
            }
        }
        if (first == null) {
            if (!segments.isEmpty() && RepairGap.explains(segments.get(0), 0)) {
                first = segments.get(0);
            } else if (!segments.isEmpty()) {
                throw new CorruptLogException(dir, new LogProblem(LogProblem.Kind.SEGMENT_GAP,
                        segments.get(0).name(), 0, 0, "the first segment starts at sequence "
                        + segments.get(0).base() + ", not 0"));
            } else {
                requireNothingAcknowledged();
                return false;
            }
        }
        expected = first.base();
        open(first);
        return true;
    }

    /** A store without segments is an empty log, unless the writer checkpoint says events were acknowledged. */
    private void requireNothingAcknowledged() {
        long acknowledged = Checkpoint.acknowledged(dir);
        if (acknowledged > 0) {
            throw new CorruptLogException(dir, new LogProblem(LogProblem.Kind.LOST_ACKNOWLEDGED, "", 0, 0,
                    "the store holds no segment, but its writer checkpoint records sequences 0.."
                            + (acknowledged - 1) + " as acknowledged"));
        }
    }

    private void open(Segments.SegmentFile next) throws IOException {
        closeChannel();
        segment = next;
        channel = FileChannel.open(next.path(), StandardOpenOption.READ);
        Segments.HeaderResult header = Segments.readHeader(channel, next);
        if (!header.ok()) {
            throw corrupt(LogProblem.Kind.SEGMENT_HEADER, 0, header.problem());
        }
        segmentBlobs.clear();
        if (next.base() > 0) {
            System.arraycopy(header.header().previousChain(), 0, lastChain, 0, Frame.CHAIN_BYTES);
            lastChainSequence = next.base() - 1;
        }
        reader = new FrameReader(channel, Segments.HEADER_BYTES);
    }

    private CorruptLogException corrupt(LogProblem.Kind kind, long offset, String detail) {
        return new CorruptLogException(dir, new LogProblem(kind, segment.name(), offset, expected, detail));
    }

    // The record the reader stands on, for visitors.

    String segmentName() {
        return segment.name();
    }

    long offset() {
        return reader.offset();
    }

    long sequence() {
        return reader.sequence();
    }

    Instant appendedAt() {
        return Instant.ofEpochSecond(reader.seconds(), reader.nanos());
    }

    int typeTag() {
        return reader.typeTag();
    }

    int version() {
        return reader.version();
    }

    int recordLength() {
        return reader.recordLength();
    }

    /** The chain value stored on the last record passed (not recomputed), if any was passed. */
    Optional<byte[]> lastRecordChain() {
        return passedAny ? Optional.of(lastRecordChain.clone()) : Optional.empty();
    }

    byte[] chain() {
        return Arrays.copyOfRange(reader.buffer(), reader.chainStart(), reader.chainStart() + Frame.CHAIN_BYTES);
    }

    private void closeChannel() throws IOException {
        if (channel != null) {
            channel.close();
            channel = null;
        }
    }

    @Override
    public void close() {
        try {
            closeChannel();
        } catch (IOException e) {
            throw new UncheckedIOException("closing event store " + dir + ": " + e.getMessage(), e);
        }
    }
}
