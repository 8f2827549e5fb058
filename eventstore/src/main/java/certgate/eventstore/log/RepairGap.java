package certgate.eventstore.log;

import certgate.eventstore.Event;
import certgate.eventstore.LogRepaired;
import certgate.eventstore.codec.BlobTable;
import certgate.eventstore.codec.CodecException;
import certgate.eventstore.codec.EventCodec;
import certgate.eventstore.codec.EventType;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;

/**
 * The one gap a log may have: after {@code certgate log repair}, the log resumes at the sequence after the highest
 * ever acknowledged, in a new segment whose first record is the {@link LogRepaired} event that names the lost
 * sequences. Sequence numbers are never reused, so the sequences in between are absent for good.
 */
final class RepairGap {
    private RepairGap() {
    }

    /** True when {@code later} starts with the repair that explains a log ending before {@code expected}. */
    static boolean explains(Segments.SegmentFile later, long expected) throws IOException {
        if (later.base() <= expected) {
            return false;
        }
        try (FileChannel channel = FileChannel.open(later.path(), StandardOpenOption.READ)) {
            if (!Segments.readHeader(channel, later).ok()) {
                return false;
            }
            FrameReader reader = new FrameReader(channel, Segments.HEADER_BYTES);
            if (reader.next() != FrameReader.Status.RECORD || reader.kind() != Frame.KIND_EVENT
                    || reader.typeTag() != EventType.LOG_REPAIRED.tag() || reader.sequence() != later.base()) {
                return false;
            }
            Event event = EventCodec.decoder().decode(reader.sequence(), reader.typeTag(), reader.version(),
                    reader.buffer(), reader.payloadStart(), reader.payloadLength(), new BlobTable());
            return event instanceof LogRepaired repaired && repaired.firstLost() == expected
                    && repaired.resumedAt() == later.base();
        } catch (CodecException e) {
            return false;
        }
    }
}
