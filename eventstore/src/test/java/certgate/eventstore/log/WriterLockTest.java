package certgate.eventstore.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import certgate.eventstore.Reason;
import certgate.eventstore.ValidationDecided;
import certgate.eventstore.Verdict;
import java.nio.file.Path;
import java.time.Clock;
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
}
