package certgate.eventstore.log;

import certgate.eventstore.Blob;
import certgate.eventstore.codec.BlobTable;
import certgate.eventstore.codec.CodecException;
import certgate.eventstore.codec.EventCodec;
import certgate.eventstore.codec.EventDecoder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The integrity check behind {@code certgate log verify}: every segment header, every record's length prefix,
 * CRC-32C, sequence number and chain value, every payload decoded and every blob reference resolved. It reports
 * the first bad record by segment, offset and sequence, or the head (the last chain value) and the counts.
 *
 * <p>With an earlier head it also proves that the log still holds, unaltered, everything up to that head: some
 * record's recomputed chain value must equal it. Since each chain value covers every record before it, a log
 * from which records were dropped, or in which any earlier byte changed, has no such record.
 *
 * <p>A torn tail (an incomplete final record, or zeroes, with nothing valid after) is a crash's normal trace: it
 * is reported and the log passes. A complete final record whose checksum fails is not what a crash leaves and
 * fails verification, although a writer opening the store would truncate it like a torn tail.
 */
public final class LogVerifier {
    private final Path dir;
    private final Optional<byte[]> wantedHead;
    private final EventDecoder decoder = EventCodec.decoder();
    private final BlobTable blobs = new BlobTable();
    private final MessageDigest sha256;
    private byte[] running = Segments.GENESIS.clone();
    private long records;
    private long events;
    private long blobCount;
    private long expected;
    /** The writer checkpoint's next sequence: everything before it was acknowledged. */
    private long acknowledged;
    /** The offset just past the last record of the last segment read. */
    private long lastEnd;
    private Optional<TornTail> torn = Optional.empty();
    private Optional<VerifyReport.HeadMatch> headMatch = Optional.empty();

    private LogVerifier(Path dir, Optional<byte[]> wantedHead) {
        this.dir = dir;
        this.wantedHead = wantedHead;
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** Verifies the store in {@code dir}; needs no lock and can run beside a writer. */
    public static VerifyReport verify(Path dir) {
        return verify(dir, Optional.empty());
    }

    /**
     * Verifies the store and, when {@code earlierHead} is given (64 hex digits, as a previous verify printed it),
     * that some record's chain value equals it.
     *
     * @throws IllegalArgumentException when the head is not 64 hex digits
     * @throws UncheckedIOException when the directory does not exist or cannot be read
     */
    public static VerifyReport verify(Path dir, Optional<String> earlierHead) {
        Optional<byte[]> wanted = earlierHead.map(LogVerifier::parseHead);
        if (!Files.isDirectory(dir)) {
            throw new UncheckedIOException(new NoSuchFileException(dir.toString(), null, "no event store there"));
        }
        LogVerifier verifier = new LogVerifier(dir, wanted);
        try {
            Optional<LogProblem> problem = verifier.run();
            return verifier.report(problem);
        } catch (IOException e) {
            throw new UncheckedIOException("reading event store " + dir + ": " + e.getMessage(), e);
        }
    }

    private static byte[] parseHead(String head) {
        String trimmed = head.trim().toLowerCase(Locale.ROOT);
        if (trimmed.length() != 64 || !trimmed.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw new IllegalArgumentException("head '" + head + "' is not a SHA-256 in hex (64 hex digits)");
        }
        return HexFormat.of().parseHex(trimmed);
    }

    private VerifyReport report(Optional<LogProblem> problem) {
        if (problem.isEmpty() && wantedHead.isPresent() && headMatch.isEmpty()) {
            List<Segments.SegmentFile> segments = Segments.list(dir);
            String last = segments.isEmpty() ? "" : segments.get(segments.size() - 1).name();
            problem = Optional.of(new LogProblem(LogProblem.Kind.HEAD_NOT_FOUND, last, 0, expected, "head "
                    + HexFormat.of().formatHex(wantedHead.get()) + " is the chain value of none of the " + records
                    + " records: records up to it were dropped from the log, or a record before it was altered"));
        }
        return new VerifyReport(records, events, blobCount, HexFormat.of().formatHex(running), expected, torn,
                headMatch, problem);
    }

    private Optional<LogProblem> run() throws IOException {
        noteHead();
        // Read before the segments: the writer forces records before the checkpoint that covers them.
        acknowledged = Checkpoint.acknowledged(dir);
        List<Segments.SegmentFile> segments = Segments.list(dir);
        if (segments.isEmpty() && acknowledged > 0) {
            return Optional.of(new LogProblem(LogProblem.Kind.LOST_ACKNOWLEDGED, "", 0, 0, "the store holds no"
                    + " segment, but its writer checkpoint records sequences 0.." + (acknowledged - 1)
                    + " as acknowledged"));
        }
        for (int i = 0; i < segments.size(); i++) {
            Segments.SegmentFile segment = segments.get(i);
            try (FileChannel channel = FileChannel.open(segment.path(), StandardOpenOption.READ)) {
                Optional<LogProblem> problem = segment(segment, channel, i == segments.size() - 1);
                if (problem.isPresent()) {
                    return problem;
                }
            }
        }
        if (expected < acknowledged && torn.isEmpty()) {
            Segments.SegmentFile last = segments.get(segments.size() - 1);
            return Optional.of(Recovery.lostAcknowledged(last.name(), lastEnd, expected, acknowledged,
                    "the log ends here"));
        }
        return Optional.empty();
    }

    private Optional<LogProblem> segment(Segments.SegmentFile segment, FileChannel channel, boolean last)
            throws IOException {
        if (RepairGap.explains(segment, expected)) {
            expected = segment.base();
        }
        if (segment.base() != expected) {
            return problem(LogProblem.Kind.SEGMENT_GAP, segment, 0, "segment starts at sequence " + segment.base()
                    + " but the log before it ends with "
                    + (expected == 0 ? "no event" : "sequence " + (expected - 1)));
        }
        Segments.HeaderResult header = Segments.readHeader(channel, segment);
        if (!header.ok()) {
            return problem(LogProblem.Kind.SEGMENT_HEADER, segment, 0, header.problem());
        }
        if (!Arrays.equals(header.header().previousChain(), running)) {
            return problem(LogProblem.Kind.SEGMENT_HEADER, segment, 0, "header's previous chain value "
                    + HexFormat.of().formatHex(header.header().previousChain())
                    + " is not the chain value of the record before it, " + HexFormat.of().formatHex(running));
        }
        blobs.clear();
        FrameReader reader = new FrameReader(channel, Segments.HEADER_BYTES);
        while (true) {
            FrameReader.Status status = reader.next();
            if (status == FrameReader.Status.END) {
                lastEnd = reader.position();
                return Optional.empty();
            }
            if (status == FrameReader.Status.RECORD) {
                Optional<LogProblem> problem = record(segment, reader);
                if (problem.isPresent()) {
                    return problem;
                }
                continue;
            }
            long at = reader.offset();
            if (!last) {
                return problem(reader.damageKind(), segment, at, reader.damage()
                        + "; in a sealed segment (a later segment exists)");
            }
            if (reader.validRecordAfter(at)) {
                return problem(reader.damageKind(), segment, at, reader.damage()
                        + "; valid records follow it, so it is not a torn tail");
            }
            long size = channel.size();
            if (expected < acknowledged) {
                return Optional.of(Recovery.lostAcknowledged(segment.name(), at, expected, acknowledged,
                        reader.damage()));
            }
            if (status == FrameReader.Status.INCOMPLETE || reader.zeroesTo(at, size)) {
                String detail = status == FrameReader.Status.INCOMPLETE ? reader.damage() : "zero bytes";
                torn = Optional.of(new TornTail(segment.name(), at, size - at, detail));
                return Optional.empty();
            }
            return problem(reader.damageKind(), segment, at, reader.damage() + "; it is the final record, but a"
                    + " crash leaves an incomplete record, not a complete one that fails its check, so it was"
                    + " damaged after it was written (a writer opening the store would truncate it)");
        }
    }

    private Optional<LogProblem> record(Segments.SegmentFile segment, FrameReader reader) {
        long at = reader.offset();
        long sequence = reader.sequence();
        if (sequence != expected) {
            return problem(LogProblem.Kind.SEQUENCE, segment, at, "record carries sequence " + sequence
                    + ", expected " + expected + ": records were removed, inserted or reordered");
        }
        byte[] buf = reader.buffer();
        sha256.update(running);
        sha256.update(buf, reader.bodyStart(), reader.bodyLength());
        byte[] computed = sha256.digest();
        if (!Arrays.equals(computed, 0, 32, buf, reader.chainStart(), reader.chainStart() + 32)) {
            return problem(LogProblem.Kind.CHAIN, segment, at, "stored chain value "
                    + HexFormat.of().formatHex(buf, reader.chainStart(), reader.chainStart() + 32)
                    + " is not SHA-256(previous chain value || record) = " + HexFormat.of().formatHex(computed)
                    + ": the record, or the order of records, was changed");
        }
        if (reader.kind() == Frame.KIND_BLOB) {
            if (reader.typeTag() != Frame.BLOB_TYPE || reader.version() != Frame.BLOB_VERSION) {
                return problem(LogProblem.Kind.PAYLOAD, segment, at, "blob record of type " + reader.typeTag()
                        + " version " + reader.version() + " (this release reads type 0 version 1)");
            }
            Blob blob = Blob.takingOwnershipOf(Arrays.copyOfRange(buf, reader.payloadStart(),
                    reader.payloadStart() + reader.payloadLength()));
            if (blobs.contains(blob.sha256(), 0)) {
                return problem(LogProblem.Kind.PAYLOAD, segment, at, "blob sha256=" + blob.sha256Hex()
                        + " is stored twice in the segment");
            }
            blobs.put(blob);
            blobCount++;
        } else {
            try {
                decoder.decode(sequence, reader.typeTag(), reader.version(), buf, reader.payloadStart(),
                        reader.payloadLength(), blobs);
            } catch (CodecException e) {
                return problem(LogProblem.Kind.PAYLOAD, segment, at, e.getMessage());
            }
            events++;
            expected++;
        }
        running = computed;
        records++;
        noteHead();
        return Optional.empty();
    }

    private void noteHead() {
        if (headMatch.isEmpty() && wantedHead.isPresent() && Arrays.equals(wantedHead.get(), running)) {
            headMatch = Optional.of(new VerifyReport.HeadMatch(HexFormat.of().formatHex(running), records, events,
                    expected));
        }
    }

    private Optional<LogProblem> problem(LogProblem.Kind kind, Segments.SegmentFile segment, long offset,
                                         String detail) {
        return Optional.of(new LogProblem(kind, segment.name(), offset, expected, detail));
    }
}
