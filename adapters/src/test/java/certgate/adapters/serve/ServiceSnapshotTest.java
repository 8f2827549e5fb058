package certgate.adapters.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import certgate.adapters.store.OpenedStore;
import certgate.adapters.store.Progress;
import certgate.adapters.store.Replay;
import certgate.adapters.store.StoreSnapshots;
import certgate.eventstore.PolicyRecorded;
import certgate.eventstore.log.FileEventLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A long-running service writes snapshots as it goes, in the background, not only when it stops. */
class ServiceSnapshotTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void every_n_events_a_snapshot_is_written_that_the_next_start_opens_from() throws Exception {
        Path store = dir.resolve("store");
        ServeFixture.loadExamplePki(store);
        try (FileEventLog log = FileEventLog.openForAppend(store, Clock.systemUTC())) {
            OpenedStore opened = OpenedStore.appending(log, Progress.silent());
            DurableState state = new DurableState(log, opened.replay(), Clock.systemUTC(), new Metrics(), 50);
            try {
                for (int i = 0; i < 120; i++) {
                    state.appendDurably(List.of(new PolicyRecorded("r" + i, "not a policy " + i)));
                }
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (snapshots(store) < 2 && System.nanoTime() - deadline < 0) {
                    Thread.sleep(20);
                }
            } finally {
                state.close();
            }
        }
        assertTrue(snapshots(store) >= 2, "a snapshot after 50 and after 100 events: " + snapshots(store));

        Replay whole = Replay.counting();
        OpenedStore.reading(store, whole, event -> true, OpenedStore.Opening.wholeLog(Progress.silent()));
        Replay fromSnapshot = Replay.counting();
        OpenedStore reopened = OpenedStore.reading(store, fromSnapshot, event -> true,
                OpenedStore.Opening.snapshots(Progress.silent(), warning -> fail("snapshot refused: " + warning)));
        assertTrue(reopened.openedFrom().isPresent(), "opened from the service's snapshot");
        assertEquals(whole.events(), fromSnapshot.events());
        assertEquals(whole.engine().trustedCertificates(), fromSnapshot.engine().trustedCertificates());
    }

    private static long snapshots(Path store) throws Exception {
        Path directory = store.resolve(StoreSnapshots.DIRECTORY);
        if (!Files.isDirectory(directory)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".cgsnap")).count();
        }
    }
}
