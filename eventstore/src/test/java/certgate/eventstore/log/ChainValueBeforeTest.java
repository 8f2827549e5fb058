package certgate.eventstore.log;

import static org.junit.jupiter.api.Assertions.assertEquals;

import certgate.eventstore.RecordedEvent;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reader names the log's chain value at the event before its start: the head the writer had when that event
 * was its last, across segment boundaries too; and the reader then goes on from its start as ever.
 */
class ChainValueBeforeTest {
    @TempDir
    Path dir;

    @Test
    void the_chain_value_before_a_start_is_the_head_the_log_had_after_that_event() {
        List<String> heads = new ArrayList<>();
        try (FileEventLog log = FileEventLog.openForAppend(dir, Clock.systemUTC(), 4096)) {
            for (int i = 0; i < 60; i++) {
                log.append(CrashEvents.event("e" + i));
                heads.add(log.head());
            }
        }
        assertEquals(true, Segments.list(dir).size() > 3, "the events span several segments");
        for (int start = 1; start <= heads.size(); start++) {
            try (LogReader reader = LogReader.open(dir, start)) {
                assertEquals(Optional.of(heads.get(start - 1)), reader.chainValueBefore(), "before " + start);
                List<RecordedEvent> rest = new ArrayList<>();
                reader.poll(rest::add);
                assertEquals(heads.size() - start, rest.size());
                if (!rest.isEmpty()) {
                    assertEquals(start, rest.get(0).sequence());
                }
            }
        }
        for (Segments.SegmentFile segment : Segments.list(dir)) {
            if (segment.base() > 0) {
                try (LogReader reader = LogReader.open(dir, segment.base())) {
                    assertEquals(Optional.of(heads.get((int) segment.base() - 1)), reader.chainValueBefore(),
                            "at the start of segment " + segment.name());
                }
            }
        }
    }

    @Test
    void the_acknowledged_head_is_the_writers_head_while_nothing_lies_past_it() throws Exception {
        String head;
        long next;
        try (FileEventLog log = FileEventLog.openForAppend(dir, Clock.systemUTC(), 4096)) {
            for (int i = 0; i < 40; i++) {
                log.append(CrashEvents.event("e" + i));
            }
            head = log.head();
            next = log.nextSequence();
        }
        assertEquals(Optional.of(new LogReader.Head(next, head)), LogReader.acknowledgedHead(dir));
        // Bytes past the acknowledged end (a write in progress, or torn): the head is not known without reading.
        Segments.SegmentFile last = Segments.list(dir).get(Segments.list(dir).size() - 1);
        java.nio.file.Files.write(last.path(), new byte[] {1, 2, 3}, java.nio.file.StandardOpenOption.APPEND);
        assertEquals(Optional.empty(), LogReader.acknowledgedHead(dir));
    }

    @Test
    void there_is_none_before_the_first_event_nor_past_the_end() {
        try (FileEventLog log = FileEventLog.openForAppend(dir, Clock.systemUTC())) {
            log.append(CrashEvents.event("only"));
        }
        try (LogReader reader = LogReader.open(dir, 0)) {
            assertEquals(Optional.empty(), reader.chainValueBefore());
        }
        try (LogReader reader = LogReader.open(dir, 5)) {
            assertEquals(Optional.empty(), reader.chainValueBefore());
        }
    }
}
