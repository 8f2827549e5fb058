package certgate.eventstore.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import certgate.eventstore.Reason;
import certgate.eventstore.ValidationDecided;
import certgate.eventstore.Verdict;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** One writer at a time; the second is told who holds the store. Readers take no lock. */
class WriterLockTest {
    @TempDir
    Path dir;

    @Test
    void a_second_writer_in_the_same_process_is_refused_naming_this_process() {
        try (FileEventLog first = FileEventLog.openForAppend(dir, Clock.systemUTC())) {
            first.append(new ValidationDecided("r", Verdict.ACCEPT, Reason.OK));
            StoreLockedException error = assertThrows(StoreLockedException.class,
                    () -> FileEventLog.openForAppend(dir, Clock.systemUTC()));
            String pid = Long.toString(ProcessHandle.current().pid());
            assertTrue(error.getMessage().contains("pid " + pid) && error.getMessage().contains("this process"),
                    error.getMessage());
            assertTrue(error.getMessage().contains(dir.toString()), error.getMessage());
            assertEquals(1, FileEventLogTest.readAll(dir).size(), "a reader needs no lock");
        }
        try (FileEventLog again = FileEventLog.openForAppend(dir, Clock.systemUTC())) {
            assertEquals(1, again.nextSequence());
        }
    }

    @Test
    @Timeout(60)
    void a_second_writer_is_refused_naming_the_holding_process_and_the_lock_dies_with_it() throws Exception {
        try (ChildProcess child = ChildProcess.start(dir, "hold", 1 << 20)) {
            child.awaitReady();
            StoreLockedException error = assertThrows(StoreLockedException.class,
                    () -> FileEventLog.openForAppend(dir, Clock.systemUTC()));
            assertEquals(dir, error.directory());
            assertTrue(error.holder().startsWith("pid " + child.pid() + " (started "), error.holder());
            assertTrue(error.getMessage().contains("pid " + child.pid()), error.getMessage());
            child.kill();
        }
        try (FileEventLog log = FileEventLog.openForAppend(dir, Clock.systemUTC())) {
            assertEquals(List.of(0L), log.append(List.of(new ValidationDecided("r", Verdict.ACCEPT, Reason.OK))));
        }
    }

    /** Time that passes only when the waiter sleeps, and that can release a holder after some sleeps. */
    private static final class FakeTime implements LockWait {
        long now;
        final List<Duration> sleeps = new ArrayList<>();
        Runnable onSleep = () -> { };

        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public void sleep(Duration duration) {
            sleeps.add(duration);
            now += duration.toNanos();
            onSleep.run();
        }
    }

    @Test
    void a_writer_that_waits_gets_the_store_once_the_holder_closes_it() {
        FakeTime time = new FakeTime();
        FileEventLog holder = FileEventLog.openForAppend(dir, Clock.systemUTC());
        time.onSleep = () -> {
            if (time.sleeps.size() == 3) {
                holder.close();
            }
        };
        try (FileEventLog waiter = FileEventLog.openForAppend(dir, Clock.systemUTC(),
                FileEventLog.DEFAULT_SEGMENT_BYTES, Duration.ofSeconds(30), time)) {
            assertEquals(0, waiter.nextSequence());
        }
        assertEquals(List.of(Duration.ofMillis(10), Duration.ofMillis(20), Duration.ofMillis(40)), time.sleeps,
                "a short backoff, doubling");
    }

    @Test
    @SuppressWarnings("try") // the holder is there only to keep the writer lock taken
    void a_writer_that_waits_in_vain_is_refused_at_the_deadline_saying_how_long_it_waited() {
        FakeTime time = new FakeTime();
        try (FileEventLog holder = FileEventLog.openForAppend(dir, Clock.systemUTC())) {
            StoreLockedException error = assertThrows(StoreLockedException.class,
                    () -> FileEventLog.openForAppend(dir, Clock.systemUTC(), FileEventLog.DEFAULT_SEGMENT_BYTES,
                            Duration.ofSeconds(2), time));
            assertEquals(Duration.ofSeconds(2).toNanos(), time.now, "it sleeps up to the deadline, not past it");
            assertTrue(time.sleeps.stream().allMatch(d -> d.compareTo(Duration.ofMillis(250)) <= 0),
                    time.sleeps::toString);
            assertTrue(error.getMessage().contains("after waiting 2s"), error.getMessage());
        }
    }

    @Test
    @SuppressWarnings("try") // the holder is there only to keep the writer lock taken
    void without_a_wait_a_busy_store_is_refused_at_once() {
        FakeTime time = new FakeTime();
        try (FileEventLog holder = FileEventLog.openForAppend(dir, Clock.systemUTC())) {
            assertThrows(StoreLockedException.class, () -> FileEventLog.openForAppend(dir, Clock.systemUTC(),
                    FileEventLog.DEFAULT_SEGMENT_BYTES, Duration.ZERO, time));
            assertTrue(time.sleeps.isEmpty());
        }
    }
}
