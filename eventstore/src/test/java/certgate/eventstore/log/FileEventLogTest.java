package certgate.eventstore.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import certgate.eventstore.Blob;
import certgate.eventstore.CaCertificateLoaded;
import certgate.eventstore.CheckpointSigned;
import certgate.eventstore.Event;
import certgate.eventstore.EventLog;
import certgate.eventstore.EventLogContract;
import certgate.eventstore.IkeIdentity;
import certgate.eventstore.Reason;
import certgate.eventstore.RecordedEvent;
import certgate.eventstore.ValidationDecided;
import certgate.eventstore.ValidationRequested;
import certgate.eventstore.ValidationSettings;
import certgate.eventstore.Verdict;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileEventLogTest implements EventLogContract {
    private static final Clock CLOCK = Clock.fixed(T0, ZoneOffset.UTC);
    private final AtomicInteger stores = new AtomicInteger();

    @TempDir
    Path temp;

    @Override
    public EventLog newLog(Clock clock) {
        return FileEventLog.openForAppend(temp.resolve("store" + stores.incrementAndGet()), clock);
    }

    static Blob blob(String text) {
        return Blob.of(text.getBytes(StandardCharsets.UTF_8));
    }

    static ValidationRequested request(String id, Blob peer) {
        return new ValidationRequested(id, peer, List.of(), Optional.of(IkeIdentity.parse("fqdn:gw.example.net")),
                T0, ValidationSettings.DEFAULTS, Optional.of("branches"), Optional.empty());
    }

    static List<RecordedEvent> readAll(Path dir) {
        List<RecordedEvent> out = new ArrayList<>();
        try (LogReader reader = LogReader.open(dir)) {
            reader.poll(out::add);
        }
        return out;
    }

    static List<DumpedRecord> dump(Path dir) {
        List<DumpedRecord> out = new ArrayList<>();
        LogDump.dump(dir, 0, out::add);
        return out;
    }

    @Test
    void reopening_keeps_every_event_and_continues_the_sequence() {
        Path dir = temp.resolve("store");
        try (FileEventLog log = FileEventLog.openForAppend(dir, CLOCK)) {
            log.append(List.of(new CaCertificateLoaded("default", blob("ca")), request("r1", blob("peer"))));
        }
        try (FileEventLog log = FileEventLog.openForAppend(dir, CLOCK)) {
            assertEquals(2, log.nextSequence());
            assertEquals(Optional.empty(), log.recovered());
            assertEquals(List.of(2L), log.append(List.of(request("r2", blob("peer")))));
        }
        List<RecordedEvent> read = readAll(dir);
        assertEquals(List.of(0L, 1L, 2L), read.stream().map(RecordedEvent::sequence).toList());
        assertEquals(request("r2", blob("peer")), read.get(2).event());
        assertTrue(LogVerifier.verify(dir).passed());
    }

    @Test
    void reading_gives_one_blob_instance_per_content() {
        Path dir = temp.resolve("store");
        try (FileEventLog log = FileEventLog.openForAppend(dir, CLOCK)) {
            log.append(request("r1", blob("peer")));
            log.append(request("r2", blob("peer")));
            log.append(new CaCertificateLoaded("default", blob("peer")));
        }
        List<RecordedEvent> read = readAll(dir);
        Blob first = ((ValidationRequested) read.get(0).event()).peer();
        assertSame(first, ((ValidationRequested) read.get(1).event()).peer());
        assertSame(first, ((CaCertificateLoaded) read.get(2).event()).certificate());
    }

    @Test
    void a_blob_is_stored_once_per_segment_before_the_first_event_that_refers_to_it() {
        Path dir = temp.resolve("store");
        try (FileEventLog log = FileEventLog.openForAppend(dir, CLOCK)) {
            for (int i = 0; i < 50; i++) {
                log.append(List.of(request("r" + i, blob("peer" + (i % 3))),
                        new ValidationDecided("r" + i, Verdict.ACCEPT, Reason.OK)));
            }
        }
        List<DumpedRecord> records = dump(dir);
        assertEquals(3, records.stream().filter(r -> r.kind() == RecordKind.BLOB).count());
        assertEquals(RecordKind.BLOB, records.get(0).kind());
        assertEquals(0, records.get(0).sequence());
        assertEquals(RecordKind.EVENT, records.get(1).kind());
        assertEquals(100, records.stream().filter(r -> r.kind() == RecordKind.EVENT).count());
    }

    @Test
    void segments_roll_at_the_configured_size_and_each_holds_the_blobs_it_uses() throws IOException {
        Path dir = temp.resolve("store");
        Blob peer = Blob.of(new byte[700]);
        try (FileEventLog log = FileEventLog.openForAppend(dir, CLOCK, 4096)) {
            for (int i = 0; i < 60; i++) {
                log.append(List.of(request("r" + i, peer), new ValidationDecided("r" + i, Verdict.REJECT,
                        Reason.EXPIRED)));
            }
        }
        try (FileEventLog log = FileEventLog.openForAppend(dir, CLOCK, 4096)) {
            log.append(request("after-reopen", peer));
        }
        List<Path> segments;
        try (var files = Files.list(dir)) {
            segments = files.filter(f -> f.toString().endsWith(".log")).sorted().toList();
        }
        assertTrue(segments.size() > 3, "segments: " + segments);
        for (Path segment : segments) {
            assertTrue(Files.size(segment) < 4096 + 2_000, segment + " is " + Files.size(segment) + " bytes");
        }
        List<DumpedRecord> records = dump(dir);
        assertEquals(segments.size(), records.stream().filter(r -> r.kind() == RecordKind.BLOB).count());
        List<RecordedEvent> read = readAll(dir);
        assertEquals(121, read.size());
        assertEquals(request("after-reopen", peer), read.get(120).event());
        try (LogReader fromMiddle = LogReader.open(dir, 77)) {
            List<RecordedEvent> tail = new ArrayList<>();
            fromMiddle.poll(tail::add);
            assertEquals(read.subList(77, 121), tail);
        }
        assertTrue(LogVerifier.verify(dir).passed(), LogVerifier.verify(dir).describe());
    }

    @Test
    void appends_from_many_threads_get_distinct_contiguous_sequences_and_keep_their_content() throws Exception {
        appendFromManyThreads(false);
    }

    @Test
    void appends_written_on_the_appenders_own_thread_interleave_with_the_writer_threads_rounds() throws Exception {
        appendFromManyThreads(true);
    }

    /** Eight threads append 40 request-decision pairs each; with {@code mixed}, every other one writes itself. */
    private void appendFromManyThreads(boolean mixed) throws Exception {
        Path dir = temp.resolve("store");
        int threads = 8;
        int appendsPerThread = 40;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (FileEventLog log = FileEventLog.openForAppend(dir, CLOCK, 8192)) {
            List<Future<List<Long>>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    List<Long> acknowledged = new ArrayList<>();
                    for (int i = 0; i < appendsPerThread; i++) {
                        String id = thread + "-" + i;
                        List<Event> pair = List.of(request(id, blob("peer" + thread)),
                                new ValidationDecided(id, Verdict.ACCEPT, Reason.OK));
                        List<Long> sequences = mixed && thread % 2 == 0 ? log.appendOnThisThread(pair)
                                : log.append(pair);
                        assertEquals(sequences.get(0) + 1, sequences.get(1));
                        acknowledged.addAll(sequences);
                    }
                    return acknowledged;
                }));
            }
            List<Long> all = new ArrayList<>();
            for (Future<List<Long>> future : futures) {
                all.addAll(future.get());
            }
            assertEquals(threads * appendsPerThread * 2, all.stream().distinct().count());
            assertEquals(threads * appendsPerThread * 2L, log.nextSequence());
        } finally {
            pool.shutdownNow();
        }
        List<RecordedEvent> read = readAll(dir);
        for (int i = 0; i < read.size(); i += 2) {
            ValidationRequested request = (ValidationRequested) read.get(i).event();
            ValidationDecided decided = (ValidationDecided) read.get(i + 1).event();
            assertEquals(request.requestId(), decided.requestId());
            assertEquals(blob("peer" + request.requestId().split("-")[0]), request.peer());
        }
        assertTrue(LogVerifier.verify(dir).passed());
    }

    @Test
    void rounds_written_ahead_of_their_forces_become_durable_in_log_order_whatever_order_the_forces_end_in()
            throws Exception {
        Path dir = temp.resolve("store");
        int rounds = 300;
        List<FileEventLog.Round> written = new ArrayList<>();
        ExecutorService forcers = Executors.newFixedThreadPool(FileEventLog.FORCES_IN_FLIGHT + 2);
        try (FileEventLog log = FileEventLog.openForAppend(dir, CLOCK, 8192)) {
            AtomicInteger backwards = new AtomicInteger();
            Thread watcher = new Thread(() -> {
                long seen = 0;
                while (seen < rounds * 2L) {
                    long now = log.nextSequence();
                    backwards.addAndGet(now < seen ? 1 : 0);
                    seen = Math.max(seen, now);
                }
            });
            watcher.start();
            List<Future<?>> forced = new ArrayList<>();
            for (int i = 0; i < rounds; i++) {
                long next = log.nextSequenceToWrite();
                FileEventLog.Round round = log.write(List.of(request("r" + next, blob("peer" + i % 7)),
                        new ValidationDecided("r" + next, Verdict.ACCEPT, Reason.OK)));
                assertEquals(List.of(next, next + 1), round.sequences());
                assertTrue(log.nextSequence() <= next + 2);
                written.add(round);
                // Every third round is forced only after the later ones: its force may find it durable already.
                if (i % 3 != 0) {
                    forced.add(forcers.submit(() -> log.force(round)));
                }
            }
            for (int i = 0; i < rounds; i += 3) {
                FileEventLog.Round round = written.get(i);
                forced.add(forcers.submit(() -> log.force(round)));
            }
            for (Future<?> force : forced) {
                force.get();
            }
            assertEquals(rounds * 2L, log.nextSequence());
            watcher.join(10_000);
            assertEquals(0, backwards.get(), "the durable position went back");
        } finally {
            forcers.shutdownNow();
        }
        assertEquals(rounds * 2L, Checkpoint.read(dir).orElseThrow().nextSequence(),
                "closing lets the checkpoint catch up");
        List<RecordedEvent> read = readAll(dir);
        assertEquals(rounds * 2, read.size());
        for (int i = 0; i < read.size(); i += 2) {
            assertEquals("r" + i, ((ValidationRequested) read.get(i).event()).requestId());
        }
        assertTrue(LogVerifier.verify(dir).passed(), LogVerifier.verify(dir).describe());
    }

    @Test
    void a_round_is_not_readable_before_a_force_made_it_durable() {
        Path dir = temp.resolve("store");
        try (FileEventLog log = FileEventLog.openForAppend(dir, CLOCK)) {
            log.append(request("first", blob("peer")));
            FileEventLog.Round round = log.write(List.of(request("second", blob("peer"))));
            assertEquals(1, log.nextSequence());
            assertEquals(2, log.nextSequenceToWrite());
            List<RecordedEvent> seen = new ArrayList<>();
            log.read(0, seen::add);
            assertEquals(1, seen.size());
            log.force(round);
            assertEquals(2, log.nextSequence());
            seen.clear();
            log.read(0, seen::add);
            assertEquals(2, seen.size());
        }
    }

    @Test
    void an_event_that_cannot_be_stored_fails_its_own_append_and_leaves_the_log_as_it_was() {
        Path dir = temp.resolve("store");
        try (FileEventLog log = FileEventLog.openForAppend(dir, CLOCK)) {
            log.append(request("ok", blob("peer")));
            String head = log.head();
            Event bad = new ValidationDecided("lone \ud800 surrogate", Verdict.ACCEPT, Reason.OK);
            IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                    () -> log.append(List.of(request("fine", blob("peer")), bad)));
            assertTrue(error.getMessage().contains("ValidationDecided.requestId"), error.getMessage());
            assertEquals(1, log.nextSequence());
            assertEquals(head, log.head());
            assertEquals(List.of(1L), log.append(List.of(request("next", blob("peer")))));
        }
        assertEquals(2, readAll(dir).size());
    }

    @Test
    void a_closed_log_refuses_appends() {
        FileEventLog log = FileEventLog.openForAppend(temp.resolve("store"), CLOCK);
        log.close();
        IllegalStateException error = assertThrows(IllegalStateException.class,
                () -> log.append(request("late", blob("peer"))));
        assertTrue(error.getMessage().contains("closed"), error.getMessage());
    }

    @Test
    void the_head_is_what_verify_reports() {
        Path dir = temp.resolve("store");
        String head;
        try (FileEventLog log = FileEventLog.openForAppend(dir, CLOCK)) {
            assertEquals("0".repeat(64), log.head());
            log.append(request("r1", blob("peer")));
            head = log.head();
        }
        VerifyReport report = LogVerifier.verify(dir);
        assertEquals(head, report.head());
        assertEquals(2, report.records());
        assertEquals(1, report.events());
        assertEquals(1, report.blobs());
    }

    @Test
    void an_earlier_head_is_found_with_the_sequence_it_covers_up_to() {
        Path dir = temp.resolve("store");
        String afterTwo;
        try (FileEventLog log = FileEventLog.openForAppend(dir, CLOCK)) {
            log.append(List.of(request("r1", blob("peer")), request("r2", blob("peer"))));
            afterTwo = log.head();
            log.append(request("r3", blob("other")));
        }

        VerifyReport report = LogVerifier.verify(dir, Optional.of(afterTwo));

        assertTrue(report.passed(), report.describe());
        assertEquals(3, report.nextSequence());
        VerifyReport.HeadMatch match = report.earlierHead().orElseThrow();
        assertEquals(2, match.nextSequence(), "the head after r2 covers the records before sequence 2");
        assertEquals(3, match.records(), "a blob and two requests");
        assertEquals(0, LogVerifier.verify(dir, Optional.of("0".repeat(64))).earlierHead().orElseThrow()
                .nextSequence());
    }

    @Test
    void a_checkpoint_event_round_trips_through_the_log_and_its_dump() {
        Path dir = temp.resolve("store");
        CheckpointSigned checkpoint = new CheckpointSigned(1, "ab".repeat(32), "cd".repeat(32),
                Base64.getEncoder().encodeToString(new byte[64]));
        try (FileEventLog log = FileEventLog.openForAppend(dir, CLOCK)) {
            log.append(List.of(request("r1", blob("peer")), checkpoint));
        }

        assertEquals(checkpoint, readAll(dir).get(1).event());
        DumpedRecord dumped = dump(dir).get(2);
        assertEquals("CheckpointSigned", dumped.type());
        assertEquals("covers=0..0 head=abababababababab key=cdcdcdcdcdcdcdcd", dumped.description());
        assertTrue(LogVerifier.verify(dir).passed());
    }
}
