package certgate.eventstore.log;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import certgate.eventstore.LogRepaired;
import certgate.eventstore.Reason;
import certgate.eventstore.RecordedEvent;
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
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damage to records the writer checkpoint records as acknowledged is corruption, never a torn tail: verify,
 * readers and writers refuse the store, naming the first lost sequence, until {@link LogRepair} moves the damaged
 * part aside and records it; sequence numbers are never reused.
 */
class AcknowledgedDamageTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-03-01T12:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;
    private StoreImage image;
    private Path segment;

    @BeforeEach
    void twenty_acknowledged_decisions() {
        try (FileEventLog log = FileEventLog.openForAppend(dir, CLOCK)) {
            for (int i = 0; i < 20; i++) {
                log.append(new ValidationDecided("r" + i, Verdict.ACCEPT, Reason.OK));
            }
        }
        image = StoreImage.read(dir);
        segment = Segments.path(dir, 0);
    }

    @Test
    void a_flipped_byte_in_the_last_acknowledged_record_is_corruption_that_no_writer_truncates() throws IOException {
        StoreImage.Rec last = image.records.get(19);
        byte[] bytes = Files.readAllBytes(segment);
        bytes[last.payloadStart()] ^= 1;
        Files.write(segment, bytes);

        LogProblem verified = LogVerifier.verify(dir).problem().orElseThrow();
        assertEquals(LogProblem.Kind.LOST_ACKNOWLEDGED, verified.kind());
        assertEquals(19, verified.sequence());
        assertEquals(last.offset(), verified.offset());
        CorruptLogException reading = assertThrows(CorruptLogException.class, () -> FileEventLogTest.readAll(dir));
        assertEquals(19, reading.problem().sequence());
        CorruptLogException writing = assertThrows(CorruptLogException.class,
                () -> FileEventLog.openForAppend(dir, CLOCK));
        assertEquals(LogProblem.Kind.LOST_ACKNOWLEDGED, writing.problem().kind());
        assertTrue(writing.getMessage().contains("certgate log repair"), writing.getMessage());
        assertArrayEquals(bytes, Files.readAllBytes(segment), "nothing may be truncated");
    }

    @Test
    void a_log_cut_short_before_what_was_acknowledged_fails_naming_the_first_lost_sequence() throws IOException {
        StoreImage.Rec sixth = image.records.get(5);
        Files.write(segment, Arrays.copyOf(Files.readAllBytes(segment), (int) sixth.offset()));

        VerifyReport report = LogVerifier.verify(dir);
        assertFalse(report.passed(), report.describe());
        assertEquals(LogProblem.Kind.LOST_ACKNOWLEDGED, report.problem().orElseThrow().kind());
        assertEquals(5, report.problem().orElseThrow().sequence());
        assertTrue(report.problem().orElseThrow().detail().contains("5..19"), report.describe());
        assertEquals(5, assertThrows(CorruptLogException.class, () -> FileEventLogTest.readAll(dir))
                .problem().sequence());
        assertThrows(CorruptLogException.class, () -> FileEventLog.openForAppend(dir, CLOCK));
    }

    @Test
    void repair_moves_the_damaged_part_aside_records_it_and_never_reuses_a_sequence() throws IOException {
        StoreImage.Rec sixth = image.records.get(5);
        byte[] original = Files.readAllBytes(segment);
        Files.write(segment, Arrays.copyOf(original, (int) sixth.offset() + 30));
        byte[] damaged = Files.readAllBytes(segment);

        LogRepair.Plan plan = LogRepair.plan(dir).orElseThrow();
        assertEquals(5, plan.firstLost());
        assertEquals(20, plan.resumedAt());
        assertEquals(List.of(new LogRepair.Move(segment.getFileName().toString(), sixth.offset(), damaged.length)),
                plan.moves());

        LogRepair.Repaired repaired = LogRepair.repair(dir, CLOCK);
        assertEquals(20, repaired.sequence());
        assertEquals("damaged-20250301T120000Z", repaired.movedTo().getFileName().toString());
        assertArrayEquals(damaged, Files.readAllBytes(repaired.movedTo().resolve(segment.getFileName())),
                "the damaged segment is kept, whole, aside");
        assertEquals(sixth.offset(), Files.size(segment));

        VerifyReport report = LogVerifier.verify(dir);
        assertTrue(report.passed(), report.describe());
        List<RecordedEvent> events = FileEventLogTest.readAll(dir);
        assertEquals(6, events.size());
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 20L), events.stream().map(RecordedEvent::sequence).toList());
        LogRepaired event = (LogRepaired) events.get(5).event();
        assertEquals(5, event.firstLost());
        assertEquals(20, event.resumedAt());
        assertEquals(repaired.movedTo().getFileName().toString(), event.movedTo());
        assertTrue(event.reason().contains("sequence 5"), event.reason());
        try (FileEventLog log = FileEventLog.openForAppend(dir, CLOCK)) {
            assertEquals(21, log.append(new ValidationDecided("after", Verdict.REJECT, Reason.REVOKED)));
        }
        assertTrue(LogVerifier.verify(dir).passed());
        assertEquals(7, FileEventLogTest.readAll(dir).size());
        assertThrows(IllegalStateException.class, () -> LogRepair.repair(dir, CLOCK), "a clean store");
    }

    @Test
    void repair_of_a_missing_last_segment_resumes_after_the_checkpoint() throws IOException {
        Path store = dir.resolve("rolled");
        try (FileEventLog log = FileEventLog.openForAppend(store, CLOCK, 4096)) {
            for (int i = 0; i < 100; i++) {
                log.append(new ValidationDecided("request-" + i, Verdict.ACCEPT, Reason.OK));
            }
        }
        List<Segments.SegmentFile> segments = Segments.list(store);
        Segments.SegmentFile last = segments.get(segments.size() - 1);
        Files.delete(last.path());
        LogProblem problem = LogVerifier.verify(store).problem().orElseThrow();
        assertEquals(LogProblem.Kind.LOST_ACKNOWLEDGED, problem.kind());
        assertEquals(last.base(), problem.sequence());

        LogRepair.Repaired repaired = LogRepair.repair(store, CLOCK);
        assertEquals(100, repaired.sequence());
        assertTrue(repaired.plan().moves().isEmpty());
        assertTrue(LogVerifier.verify(store).passed(), LogVerifier.verify(store).describe());
        assertEquals(last.base() + 1, FileEventLogTest.readAll(store).size());
    }

    @Test
    void damage_in_a_sealed_segment_moves_it_and_every_later_one_aside() throws IOException {
        Path store = dir.resolve("rolled");
        try (FileEventLog log = FileEventLog.openForAppend(store, CLOCK, 4096)) {
            for (int i = 0; i < 100; i++) {
                log.append(new ValidationDecided("request-" + i, Verdict.ACCEPT, Reason.OK));
            }
        }
        StoreImage rolled = StoreImage.read(store);
        StoreImage.Rec victim = rolled.recordsOf(1).get(3);
        byte[] bytes = rolled.segments.get(1).clone();
        bytes[victim.payloadStart()] ^= 4;
        Files.write(store.resolve(rolled.names.get(1)), bytes);

        LogRepair.Repaired repaired = LogRepair.repair(store, CLOCK);
        assertEquals(rolled.segments.size() - 1, repaired.plan().moves().size());
        assertEquals(victim.sequence(), repaired.plan().firstLost());
        assertEquals(100, repaired.sequence());
        try (Stream<Path> aside = Files.list(repaired.movedTo())) {
            assertEquals(rolled.segments.size() - 1, aside.count());
        }
        assertTrue(LogVerifier.verify(store).passed(), LogVerifier.verify(store).describe());
        assertEquals(victim.sequence() + 1, FileEventLogTest.readAll(store).size());
    }

    @Test
    void a_torn_checkpoint_write_falls_back_to_the_older_slot() throws IOException {
        Path file = dir.resolve(Checkpoint.FILE_NAME);
        Checkpoint newest = Checkpoint.read(dir).orElseThrow();
        byte[] bytes = Files.readAllBytes(file);
        int slot = (int) (newest.generation() % 2) * 512;
        Arrays.fill(bytes, slot + 20, slot + 76, (byte) 0);
        Files.write(file, bytes);
        Checkpoint fallback = Checkpoint.read(dir).orElseThrow();
        assertEquals(newest.generation() - 1, fallback.generation());
        assertTrue(fallback.nextSequence() <= newest.nextSequence());
        try (FileEventLog log = FileEventLog.openForAppend(dir, CLOCK)) {
            assertEquals(20, log.nextSequence());
        }
    }

    @Test
    void a_store_without_a_checkpoint_is_acknowledged_to_its_last_valid_record() throws IOException {
        Files.delete(dir.resolve(Checkpoint.FILE_NAME));
        StoreImage.Rec last = image.records.get(19);
        Files.write(segment, Arrays.copyOf(Files.readAllBytes(segment), (int) last.offset() + 10));
        assertTrue(LogVerifier.verify(dir).passed());
        try (FileEventLog log = FileEventLog.openForAppend(dir, CLOCK)) {
            assertEquals(19, log.nextSequence());
        }
        assertEquals(19, Checkpoint.read(dir).orElseThrow().nextSequence());
    }
}
