package certgate.eventstore.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import certgate.eventstore.RecordedEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A child JVM appends from two threads and prints each acknowledged sequence; it is killed with SIGKILL at a
 * random moment (sometimes while it is still opening and recovering the store). After every kill the store must
 * open, verify, and hold every acknowledged event with its content. {@code -Dcertgate.crash.kills=N} sets the
 * number of kills (default 50); a fresh store is started every 25 kills to keep each check short.
 */
class CrashSafetyTest {
    private static final int KILLS_PER_STORE = 25;

    @TempDir
    Path temp;

    @Test
    void every_acknowledged_event_survives_sigkill_at_random_moments() throws Exception {
        int kills = Integer.getInteger("certgate.crash.kills", 50);
        long seed = Long.getLong("certgate.seed", new SplittableRandom().nextLong());
        SplittableRandom random = new SplittableRandom(seed);
        long started = System.nanoTime();
        Path dir = null;
        Map<Long, String> acknowledged = new HashMap<>();
        long totalAcks = 0;
        int tornTails = 0;
        int earlyKills = 0;
        for (int kill = 0; kill < kills; kill++) {
            if (kill % KILLS_PER_STORE == 0) {
                dir = temp.resolve("store" + kill);
                acknowledged.clear();
            }
            String context = "kill " + kill + " of " + kills + " (seed " + seed + ", -Dcertgate.seed to replay the"
                    + " delays), store " + dir;
            try (ChildProcess child = ChildProcess.start(dir, "append", 16 * 1024)) {
                if (random.nextInt(10) == 0) {
                    earlyKills++;
                    Thread.sleep(random.nextInt(400));
                } else {
                    child.awaitReady();
                    Thread.sleep(random.nextInt(300));
                }
                if (!child.isAlive()) {
                    fail(context + ": the child died before it was killed; stderr:\n" + child.stderr());
                }
                child.kill();
                for (String line : child.lines()) {
                    if (line.startsWith("ack ")) {
                        String[] parts = line.split(" ");
                        long sequence = Long.parseLong(parts[1]);
                        String previous = acknowledged.put(sequence, parts[2]);
                        if (previous != null) {
                            fail(context + ": sequence " + sequence + " acknowledged twice, to " + previous
                                    + " and " + parts[2]);
                        }
                        totalAcks++;
                    }
                }
            }
            if (!Files.exists(dir)) {
                continue;
            }
            VerifyReport before = LogVerifier.verify(dir);
            assertTrue(before.passed(), context + ": verify after the kill: " + before.describe());
            if (before.tornTail().isPresent()) {
                tornTails++;
            }
            try (FileEventLog log = FileEventLog.openForAppend(dir, Clock.systemUTC(), 16 * 1024)) {
                assertEquals(before.tornTail(), log.recovered(), context);
            }
            VerifyReport after = LogVerifier.verify(dir);
            assertTrue(after.passed() && after.tornTail().isEmpty(), context + ": " + after.describe());
            List<RecordedEvent> events = FileEventLogTest.readAll(dir);
            assertEquals(after.events(), events.size(), context);
            for (Map.Entry<Long, String> ack : acknowledged.entrySet()) {
                long sequence = ack.getKey();
                if (sequence >= events.size()) {
                    fail(context + ": acknowledged sequence " + sequence + " (" + ack.getValue()
                            + ") is missing; the store holds " + events.size() + " events");
                }
                assertEquals(CrashEvents.event(ack.getValue()), events.get((int) sequence).event(),
                        context + ": content of acknowledged sequence " + sequence);
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("crash test: %d kills (%d during open), %d acknowledged events checked, %d torn tails"
                + " truncated, %.1f s, seed %d%n", kills, earlyKills, totalAcks, tornTails, seconds, seed);
    }
}
