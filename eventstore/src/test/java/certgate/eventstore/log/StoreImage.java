package certgate.eventstore.log;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/** A store's segments in memory with an index of its records, for tests that damage or tamper with it. */
final class StoreImage {
    /** One record: its segment (index and name), offset, total length, kind, sequence and chain value. */
    record Rec(int segment, String segmentName, long offset, int length, int kind, long sequence, byte[] chain) {
        long end() {
            return offset + length;
        }

        int payloadStart() {
            return (int) offset + Frame.PAYLOAD_AT;
        }

        int payloadLength() {
            return length - Frame.PAYLOAD_AT - Frame.CHAIN_BYTES;
        }
    }

    final List<String> names = new ArrayList<>();
    final List<byte[]> segments = new ArrayList<>();
    final List<Rec> records = new ArrayList<>();

    static StoreImage read(Path dir) {
        StoreImage image = new StoreImage();
        for (Segments.SegmentFile segment : Segments.list(dir)) {
            int index = image.segments.size();
            try (FileChannel channel = FileChannel.open(segment.path(), StandardOpenOption.READ)) {
                image.names.add(segment.name());
                image.segments.add(Files.readAllBytes(segment.path()));
                FrameReader reader = new FrameReader(channel, Segments.HEADER_BYTES);
                while (reader.next() == FrameReader.Status.RECORD) {
                    image.records.add(new Rec(index, segment.name(), reader.offset(), reader.recordLength(),
                            reader.kind(), reader.sequence(), Arrays.copyOfRange(reader.buffer(), reader.chainStart(),
                            reader.chainStart() + 32)));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return image;
    }

    List<Rec> recordsOf(int segment) {
        return records.stream().filter(r -> r.segment() == segment).toList();
    }

    /** Writes the segments (as they are now in this image) into a fresh directory. */
    Path writeTo(Path dir) {
        try {
            Files.createDirectories(dir);
            for (int i = 0; i < segments.size(); i++) {
                Files.write(dir.resolve(names.get(i)), segments.get(i));
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    StoreImage copy() {
        StoreImage copy = new StoreImage();
        copy.names.addAll(names);
        segments.forEach(s -> copy.segments.add(s.clone()));
        copy.records.addAll(records);
        return copy;
    }

    /** Recomputes the CRC of a record after its bytes were edited, as a careful forger would. */
    void fixCrc(Rec rec) {
        byte[] segment = segments.get(rec.segment());
        CRC32C crc = new CRC32C();
        crc.update(segment, (int) rec.offset() + Frame.BODY_AT, rec.length() - Frame.BODY_AT);
        Frame.putInt(segment, (int) rec.offset() + Frame.CRC_AT, (int) crc.getValue());
    }
}
