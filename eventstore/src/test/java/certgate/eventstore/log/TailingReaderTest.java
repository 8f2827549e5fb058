package certgate.eventstore.log;

import static org.junit.jupiter.api.Assertions.assertEquals;

import certgate.eventstore.Event;
import certgate.eventstore.RecordedEvent;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A reader tailing a store while two threads append sees every event once, in order, as it was appended. */
class TailingReaderTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(120)
    void a_tailing_reader_sees_every_record_once_in_order() throws Exception {
        int perThread = 600;
        Map<Long, Event> appended = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try (FileEventLog log = FileEventLog.openForAppend(dir, Clock.systemUTC(), 8192)) {
            Future<List<RecordedEvent>> tail = pool.submit(() -> {
                List<RecordedEvent> seen = new ArrayList<>();
                try (LogReader reader = LogReader.open(dir)) {
                    while (seen.size() < 2 * perThread) {
                        reader.await(seen::add, Duration.ofMillis(200));
                    }
                    reader.await(seen::add, Duration.ofMillis(100));
                }
                return seen;
            });
            List<Future<?>> writers = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                int thread = t;
                writers.add(pool.submit(() -> {
                    int written = 0;
                    int batchNo = 0;
                    while (written < perThread) {
                        int size = Math.min(1 + batchNo % 5, perThread - written);
                        List<Event> batch = new ArrayList<>();
                        for (int k = 0; k < size; k++) {
                            batch.add(CrashEvents.event("w" + thread + "-" + batchNo + "-" + k));
                        }
                        List<Long> sequences = log.append(batch);
                        for (int k = 0; k < size; k++) {
                            appended.put(sequences.get(k), batch.get(k));
                        }
                        written += size;
                        batchNo++;
                    }
                    return null;
                }));
            }
            for (Future<?> writer : writers) {
                writer.get();
            }
            List<RecordedEvent> seen = tail.get();
            assertEquals(2 * perThread, seen.size());
            for (int i = 0; i < seen.size(); i++) {
                assertEquals(i, seen.get(i).sequence());
                assertEquals(appended.get((long) i), seen.get(i).event(), "event " + i);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
