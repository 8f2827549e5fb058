package certgate.eventstore.log;

import certgate.eventstore.Event;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The process the crash test kills. {@code CrashChild DIR append SEGMENT_BYTES} opens the store, prints
 * {@code ready PID}, then appends batches of 1 to 4 events from four threads forever (one through the writer
 * thread, three writing and forcing their own rounds, so forces overlap), printing
 * {@code ack SEQUENCE ID} for each event once its append has returned (so only durable events are printed).
 * {@code CrashChild DIR hold SEGMENT_BYTES} opens the store and holds the writer lock until killed.
 */
public final class CrashChild {
    private CrashChild() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        String mode = args[1];
        long segmentBytes = Long.parseLong(args[2]);
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
        FileEventLog log = FileEventLog.openForAppend(dir, Clock.systemUTC(), segmentBytes);
        synchronized (out) {
            out.println("ready " + ProcessHandle.current().pid());
            out.flush();
        }
        if (mode.equals("hold")) {
            Thread.sleep(Long.MAX_VALUE);
            return;
        }
        String life = HexFormat.of().toHexDigits(new SplittableRandom().nextInt());
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int thread = t;
            Thread appender = new Thread(() -> append(log, out, life + "-" + thread, thread > 0), "appender-" + t);
            appender.start();
            threads.add(appender);
        }
        for (Thread thread : threads) {
            thread.join();
        }
    }

    private static void append(FileEventLog log, PrintStream out, String prefix, boolean onThisThread) {
        SplittableRandom random = new SplittableRandom();
        try {
            for (long batchNo = 0; ; batchNo++) {
                int size = 1 + random.nextInt(4);
                List<Event> batch = new ArrayList<>(size);
                List<String> ids = new ArrayList<>(size);
                for (int k = 0; k < size; k++) {
                    String id = prefix + "-" + batchNo + "-" + k;
                    ids.add(id);
                    batch.add(CrashEvents.event(id));
                }
                List<Long> sequences = onThisThread ? log.appendOnThisThread(batch) : log.append(batch);
                synchronized (out) {
                    for (int k = 0; k < size; k++) {
                        out.println("ack " + sequences.get(k) + " " + ids.get(k));
                    }
                    out.flush();
                }
            }
        } catch (RuntimeException e) {
            e.printStackTrace();
            System.exit(3);
        }
    }
}
