package certgate.eventstore.log;

import static org.junit.jupiter.api.Assertions.assertEquals;

import certgate.eventstore.Event;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A reader says the head its last record states: the writer's head, the one {@code log verify} recomputes. */
class StoredHeadTest {
    @TempDir
    Path dir;

    @Test
    void a_reader_at_the_end_states_the_writers_head_across_segments() {
        String head;
        try (FileEventLog log = FileEventLog.openForAppend(dir, Clock.systemUTC(), 4096)) {
            for (int batch = 0; batch < 40; batch++) {
                List<Event> events = new ArrayList<>();
                for (int k = 0; k < 3; k++) {
                    events.add(CrashEvents.event("e" + batch + "-" + k));
                }
                log.append(events);
            }
            head = log.head();
        }
        try (LogReader reader = LogReader.open(dir)) {
            reader.poll(event -> { });
            assertEquals(Optional.of(head), reader.storedHead());
        }
        assertEquals(head, LogVerifier.verify(dir).head());
    }

    @Test
    void an_empty_log_states_no_head() {
        try (FileEventLog log = FileEventLog.openForAppend(dir, Clock.systemUTC())) {
            log.nextSequence();
        }
        try (LogReader reader = LogReader.open(dir)) {
            reader.poll(event -> { });
            assertEquals(Optional.empty(), reader.storedHead());
        }
    }
}
