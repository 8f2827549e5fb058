package certgate.adapters.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import certgate.adapters.store.Audit;
import certgate.adapters.store.OpenedStore;
import certgate.adapters.store.Progress;
import certgate.adapters.store.Replay;
import certgate.adapters.store.StoreSnapshots;
import certgate.eventstore.log.FileEventLog;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service as a process of its own, killed under load: no decision a client received is ever missing from
 * the log, and the log audits. {@code -Dcertgate.serve.crashes=N} kills it N times (default 20).
 */
@Timeout(value = 20, unit = TimeUnit.MINUTES)
class ServiceCrashTest {
    private static final int CRASHES = Integer.getInteger("certgate.serve.crashes", 20);

    @TempDir
    Path dir;

    @Test
    void sigkill_under_load_loses_no_acknowledged_decision_and_the_log_audits() {
        Path store = dir.resolve("store");
        ServeFixture.loadExamplePki(store);
        Random random = new Random(Long.getLong("certgate.seed", System.nanoTime()));
        Set<String> everAcknowledged = new HashSet<>();
        for (int crash = 1; crash <= CRASHES; crash++) {
            Load load;
            try (ServiceProcess service = ServiceProcess.start(store)) {
                load = new Load(service.port(), 8);
                try {
                    load.awaitAcknowledged(1, 30);
                    sleep(random.nextInt(400));
                    service.kill();
                } finally {
                    load.close();
                }
            }
            everAcknowledged.addAll(load.acknowledged);
            Set<String> missing = new TreeSet<>(everAcknowledged);
            missing.removeAll(decidedIds(store));
            assertEquals(Set.of(), missing, "acknowledged but not in the log after crash " + crash);
            assertTrue(load.otherStatuses.isEmpty(), "statuses other than 200: " + load.otherStatuses);
        }
        assertTrue(everAcknowledged.size() >= CRASHES, "too little load to prove anything: "
                + everAcknowledged.size() + " decisions acknowledged");
        Audit.Result audit = Audit.run(store, Optional.empty(), Optional.empty(), mismatch -> { },
                Progress.silent());
        assertTrue(audit.passed(), "audit: " + audit.mismatched() + " mismatched of " + audit.audited());
        assertTrue(audit.audited() >= everAcknowledged.size());
    }

    @Test
    void sigterm_drains_requests_in_flight_makes_them_durable_and_releases_the_lock() {
        Path store = dir.resolve("store");
        ServeFixture.loadExamplePki(store);
        Load load;
        int status;
        List<String> notes;
        try (ServiceProcess service = ServiceProcess.start(store)) {
            load = new Load(service.port(), 8);
            try {
                sleep(700);
                status = service.terminate();
            } finally {
                load.close();
            }
            notes = new java.util.ArrayList<>(service.notes());
            notes.add("last lines:\n" + service.lastLines());
        }

        assertEquals(143, status, "SIGTERM's status: " + notes);
        assertTrue(load.acknowledged.size() >= 8, "acknowledged: " + load.acknowledged.size());
        assertTrue(notes.stream().anyMatch(line -> line.startsWith("certgate serve: stopped:")), notes.toString());
        Set<String> missing = new TreeSet<>(load.acknowledged);
        missing.removeAll(decidedIds(store));
        assertEquals(Set.of(), missing, "acknowledged but not in the log");
        assertTrue(load.otherStatuses.keySet().stream().allMatch(s -> s == 503), "requests during shutdown get"
                + " 503 or are not accepted: " + load.otherStatuses);
        try (FileEventLog log = FileEventLog.openForAppend(store, Clock.systemUTC())) {
            assertTrue(log.recovered().isEmpty(), "a clean stop leaves no torn tail");
        }
        assertTrue(notes.stream().anyMatch(line -> line.startsWith("certgate serve: snapshot of ")), notes.toString());
        try (var snapshots = java.nio.file.Files.list(store.resolve(StoreSnapshots.DIRECTORY))) {
            assertEquals(1, snapshots.count(), "the clean stop writes one snapshot");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        OpenedStore reopened = OpenedStore.reading(store, Replay.counting(), event -> true,
                OpenedStore.Opening.snapshots(Progress.silent(), warning -> fail("snapshot refused: " + warning)));
        assertTrue(reopened.openedFrom().isPresent(), "the next start opens from the shutdown's snapshot");
    }

    private static Set<String> decidedIds(Path store) {
        Set<String> ids = new HashSet<>();
        OpenedStore.reading(store, Replay.listening(answer -> {
            if (answer.request().isPresent()) {
                ids.add(answer.decision().requestId());
            }
        }), Progress.silent());
        return ids;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
