package certgate.eventstore.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import certgate.eventstore.Event;
import certgate.eventstore.EventGens;
import certgate.eventstore.RecordedEvent;
import certgate.testkit.Gens;
import certgate.testkit.Property;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The parsers of the log (segment header, record frames, payloads) fed damaged bytes: every outcome is a typed
 * answer (a verify report, a {@link CorruptLogException}, or events that are a true prefix of what was written),
 * never another exception, a hang, or changed content read back as if it were the original.
 */
@Timeout(120)
class DamagedStoreProperties {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-03-01T12:00:00Z"), ZoneOffset.UTC);
    private final AtomicInteger dirs = new AtomicInteger();

    @TempDir
    Path temp;

    private Path fresh() {
        return temp.resolve("d" + dirs.incrementAndGet());
    }

    @Test
    void a_damaged_segment_is_reported_or_refused_never_misread() {
        Property.forAll(EventGens.eventLists(12)).tries(25).check(events -> {
            Path original = fresh();
            try (FileEventLog log = FileEventLog.openForAppend(original, CLOCK)) {
                for (Event event : events) {
                    log.append(event);
                }
            }
            byte[] valid = read(Segments.path(original, 0));
            Property.forAll(Gens.damaged(valid)).tries(20).check(damaged -> check(events, valid, damaged));
        });
    }

    @Test
    void a_single_damaged_record_is_reported_or_refused_never_misread() {
        Property.forAll(EventGens.eventLists(1)).tries(40).check(events -> {
            if (events.isEmpty()) {
                return;
            }
            Path original = fresh();
            try (FileEventLog log = FileEventLog.openForAppend(original, CLOCK)) {
                log.append(events.get(0));
            }
            byte[] valid = read(Segments.path(original, 0));
            Property.forAll(Gens.damaged(valid)).tries(20).check(damaged -> check(events, valid, damaged));
        });
    }

    private void check(List<Event> written, byte[] valid, byte[] damaged) {
        Path dir = fresh();
        write(dir, damaged);
        VerifyReport report = LogVerifier.verify(dir);
        if (report.passed()) {
            // What verify vouches for, everything before a torn tail, must be exactly what was written.
            int vouched = report.tornTail().map(t -> (int) t.offset()).orElse(damaged.length);
            if (!isPrefix(Arrays.copyOf(damaged, vouched), valid)) {
                fail("verify passed a store whose bytes were changed: " + report.describe());
            }
        }

        List<RecordedEvent> read = new ArrayList<>();
        try (LogReader reader = LogReader.open(dir)) {
            reader.poll(read::add);
        } catch (CorruptLogException refused) {
            assertTrue(refused.getMessage().contains(dir.toString()), refused.getMessage());
        }
        assertPrefix(written, read);

        try (FileEventLog log = FileEventLog.openForAppend(dir, CLOCK)) {
            assertTrue(log.nextSequence() <= written.size());
            VerifyReport after = LogVerifier.verify(dir);
            assertTrue(after.tornTail().isEmpty(), after.describe());
            read.clear();
            log.read(0, read::add);
            assertPrefix(written, read);
        } catch (CorruptLogException refused) {
            assertTrue(refused.problem().segment().endsWith(".log"), refused.getMessage());
        }
    }

    private static void assertPrefix(List<Event> written, List<RecordedEvent> read) {
        assertTrue(read.size() <= written.size(), "read more events than were written");
        for (int i = 0; i < read.size(); i++) {
            assertEquals(i, read.get(i).sequence());
            assertEquals(written.get(i), read.get(i).event(), "event " + i + " read back changed");
        }
    }

    private static boolean isPrefix(byte[] candidate, byte[] of) {
        return candidate.length <= of.length && Arrays.equals(candidate, 0, candidate.length, of, 0, candidate.length);
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path dir, byte[] segment) {
        try {
            Files.createDirectories(dir);
            Files.write(Segments.path(dir, 0), segment);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
