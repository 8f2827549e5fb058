package certgate.eventstore.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import certgate.eventstore.Reason;
import certgate.eventstore.ValidationDecided;
import certgate.eventstore.Verdict;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opening a store after a crash truncates a torn tail and nothing else. A crash tears only what was never
 * acknowledged, so these tests put back the writer checkpoint as it was before the last append
 * ({@link #crash_before_the_last_append_was_acknowledged}); damage to acknowledged records is
 * {@link AcknowledgedDamageTest}'s.
 */
class RecoveryTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-03-01T12:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;
    private StoreImage image;
    private Path segment;
    private byte[] checkpointBeforeLastAppend;

    @BeforeEach
    void five_events_in_one_segment() throws IOException {
        try (FileEventLog log = FileEventLog.openForAppend(dir, CLOCK)) {
            for (int i = 0; i < 5; i++) {
                if (i == 4) {
                    checkpointBeforeLastAppend = Files.readAllBytes(dir.resolve(Checkpoint.FILE_NAME));
                }
                log.append(new ValidationDecided("r" + i, Verdict.ACCEPT, Reason.OK));
            }
        }
        image = StoreImage.read(dir);
        segment = Segments.path(dir, 0);
    }

    /** The crash came after the last append's write, before its checkpoint: it was never acknowledged. */
    private void crash_before_the_last_append_was_acknowledged() throws IOException {
        Files.write(dir.resolve(Checkpoint.FILE_NAME), checkpointBeforeLastAppend);
    }

    private void rewrite(byte[] bytes) throws IOException {
        Files.write(segment, bytes);
    }

    private byte[] bytes() throws IOException {
        return Files.readAllBytes(segment);
    }

    @Test
    void a_checksum_failure_with_valid_records_after_it_is_an_error_naming_segment_offset_and_sequence()
            throws IOException {
        StoreImage.Rec third = image.records.get(2);
        byte[] bytes = bytes();
        bytes[third.payloadStart() + 1] ^= 0x40;
        rewrite(bytes);
        CorruptLogException error = assertThrows(CorruptLogException.class,
                () -> FileEventLog.openForAppend(dir, CLOCK));
        assertEquals(new LogProblem(LogProblem.Kind.CHECKSUM, "00000000000000000000.log", third.offset(), 2,
                error.problem().detail()), error.problem());
        assertTrue(error.getMessage().contains("00000000000000000000.log offset " + third.offset()
                + " (sequence 2)"), error.getMessage());
        assertTrue(error.getMessage().contains("not a torn tail"), error.getMessage());
        assertEquals(bytes.length, Files.size(segment), "nothing may be truncated");
        CorruptLogException reading = assertThrows(CorruptLogException.class,
                () -> FileEventLogTest.readAll(dir));
        assertEquals(third.offset(), reading.problem().offset());
    }

    @Test
    void an_incomplete_final_record_is_truncated_and_reported() throws IOException {
        StoreImage.Rec last = image.records.get(4);
        rewrite(Arrays.copyOf(bytes(), (int) last.offset() + 20));
        crash_before_the_last_append_was_acknowledged();
        try (FileEventLog log = FileEventLog.openForAppend(dir, CLOCK)) {
            TornTail torn = log.recovered().orElseThrow();
            assertEquals(new TornTail("00000000000000000000.log", last.offset(), 20, torn.detail()), torn);
            assertEquals(4, log.nextSequence());
            assertEquals(List.of(4L), log.append(List.of(new ValidationDecided("again", Verdict.REJECT,
                    Reason.REVOKED))));
        }
        VerifyReport report = LogVerifier.verify(dir);
        assertTrue(report.passed() && report.tornTail().isEmpty(), report.describe());
        assertEquals(5, report.events());
    }

    @Test
    void a_few_bytes_of_a_length_prefix_are_a_torn_tail() throws IOException {
        byte[] bytes = bytes();
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 5);
        System.arraycopy(bytes, (int) image.records.get(0).offset(), longer, bytes.length, 5);
        rewrite(longer);
        VerifyReport report = LogVerifier.verify(dir);
        assertTrue(report.passed(), report.describe());
        assertEquals(5, report.tornTail().orElseThrow().bytes());
        try (FileEventLog log = FileEventLog.openForAppend(dir, CLOCK)) {
            assertEquals(5, log.recovered().orElseThrow().bytes());
        }
        assertEquals(bytes.length, Files.size(segment));
    }

    @Test
    void a_zero_filled_tail_is_a_torn_tail() throws IOException {
        byte[] bytes = bytes();
        rewrite(Arrays.copyOf(bytes, bytes.length + 4096));
        VerifyReport report = LogVerifier.verify(dir);
        assertTrue(report.passed(), report.describe());
        assertEquals(4096, report.tornTail().orElseThrow().bytes());
        try (FileEventLog log = FileEventLog.openForAppend(dir, CLOCK)) {
            assertEquals(5, log.nextSequence());
        }
        assertEquals(bytes.length, Files.size(segment));
    }

    @Test
    void an_unacknowledged_complete_final_record_failing_its_checksum_fails_verify_but_a_writer_truncates_it()
            throws IOException {
        StoreImage.Rec last = image.records.get(4);
        byte[] bytes = bytes();
        bytes[last.payloadStart()] ^= 1;
        rewrite(bytes);
        crash_before_the_last_append_was_acknowledged();
        VerifyReport report = LogVerifier.verify(dir);
        assertFalse(report.passed(), report.describe());
        assertEquals(last.offset(), report.problem().orElseThrow().offset());
        assertEquals(LogProblem.Kind.CHECKSUM, report.problem().orElseThrow().kind());
        try (FileEventLog log = FileEventLog.openForAppend(dir, CLOCK)) {
            assertEquals(last.offset(), log.recovered().orElseThrow().offset());
            assertEquals(4, log.nextSequence());
        }
        assertTrue(LogVerifier.verify(dir).passed());
    }

    @Test
    void a_record_with_the_wrong_sequence_is_never_truncated() throws IOException {
        StoreImage.Rec last = image.records.get(4);
        byte[] bytes = bytes();
        Frame.putLong(bytes, (int) last.offset() + Frame.SEQUENCE_AT, 9);
        rewrite(bytes);
        image.segments.set(0, bytes);
        image.fixCrc(last);
        rewrite(image.segments.get(0));
        CorruptLogException error = assertThrows(CorruptLogException.class,
                () -> FileEventLog.openForAppend(dir, CLOCK));
        assertEquals(LogProblem.Kind.SEQUENCE, error.problem().kind());
        assertEquals(4, error.problem().sequence());
    }

    @Test
    void a_damaged_sealed_segment_is_an_error_even_at_its_end() throws IOException {
        Path store = dir.resolve("rolled");
        try (FileEventLog log = FileEventLog.openForAppend(store, CLOCK, 4096)) {
            for (int i = 0; i < 100; i++) {
                log.append(new ValidationDecided("request-" + i, Verdict.ACCEPT, Reason.OK));
            }
        }
        StoreImage rolled = StoreImage.read(store);
        assertTrue(rolled.segments.size() > 1);
        StoreImage.Rec lastOfFirst = rolled.recordsOf(0).get(rolled.recordsOf(0).size() - 1);
        Path first = store.resolve(rolled.names.get(0));
        Files.write(first, Arrays.copyOf(rolled.segments.get(0), (int) lastOfFirst.offset() + 10));
        VerifyReport report = LogVerifier.verify(store);
        assertFalse(report.passed(), report.describe());
        assertEquals(LogProblem.Kind.INCOMPLETE, report.problem().orElseThrow().kind());
        assertTrue(report.problem().orElseThrow().detail().contains("sealed"), report.describe());
        assertThrows(CorruptLogException.class, () -> FileEventLogTest.readAll(store));
    }

    @Test
    void the_leftover_of_an_interrupted_segment_creation_is_removed() throws IOException {
        Path leftover = dir.resolve("00000000000000000005.log.tmp");
        Files.write(leftover, new byte[] {'C', 'G'});
        try (FileEventLog log = FileEventLog.openForAppend(dir, CLOCK)) {
            assertEquals(5, log.nextSequence());
        }
        assertFalse(Files.exists(leftover));
    }

    @Test
    void a_damaged_segment_header_is_an_error() throws IOException {
        byte[] bytes = bytes();
        bytes[20] ^= 1;
        rewrite(bytes);
        CorruptLogException error = assertThrows(CorruptLogException.class,
                () -> FileEventLog.openForAppend(dir, CLOCK));
        assertEquals(LogProblem.Kind.SEGMENT_HEADER, error.problem().kind());
        assertEquals(0, error.problem().offset());
    }
}
