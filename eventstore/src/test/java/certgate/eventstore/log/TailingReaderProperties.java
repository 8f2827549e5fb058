package certgate.eventstore.log;

import static org.junit.jupiter.api.Assertions.assertEquals;

import certgate.eventstore.Event;
import certgate.eventstore.RecordedEvent;
import certgate.testkit.Gens;
import certgate.testkit.Property;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reader tailing a store sees every event once, in order, whatever it finds when: in particular a reader that
 * reached the end of a segment, while the writer then completed that segment and started the next, must not take
 * the new segment for a gap. The writer here replays, as fast as the file system allows, the file operations of
 * a store written by {@link FileEventLog} with random batch and segment sizes (appends, then the next segment
 * created whole and renamed into place), so that a reader is often caught between the two.
 */
class TailingReaderProperties {
    /** Replays of one written store; each is a new race between the reader and the replaying writer. */
    private static final int REPLAYS = 25;

    @TempDir
    Path tmp;

    private final ExecutorService pool = Executors.newFixedThreadPool(2);

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    /** A store written by batches of the given sizes into segments of the given size. */
    record Shape(int segmentBytes, List<Integer> batches) {
    }

    @Test
    @Timeout(120)
    void a_reader_that_reached_a_segment_end_before_the_writer_rolled_sees_no_gap() {
        var shapes = Gens.ints(4096, 12_288).flatMap(segmentBytes -> Gens.listOf(Gens.ints(1, 8), 20, 40)
                .map(batches -> new Shape(segmentBytes, batches)));
        int[] store = {0};
        Property.forAll(shapes).tries(6).check(shape -> {
            Path source = tmp.resolve("source-" + store[0]++);
            List<Step> steps = write(source, shape);
            List<Event> written = read(source);
            for (int replay = 0; replay < REPLAYS; replay++) {
                Path target = source.resolveSibling(source.getFileName() + "-replay-" + replay);
                race(source, target, steps, written);
            }
        });
    }

    /** What the writer's file operations left after one append: the last segment and its size. */
    record Step(long segment, long size) {
    }

    private static List<Step> write(Path dir, Shape shape) {
        List<Step> steps = new ArrayList<>();
        int id = 0;
        try (FileEventLog log = FileEventLog.openForAppend(dir, Clock.systemUTC(), shape.segmentBytes())) {
            for (int size : shape.batches()) {
                List<Event> batch = new ArrayList<>();
                for (int k = 0; k < size; k++) {
                    batch.add(CrashEvents.event("e" + id++));
                }
                log.append(batch);
                List<Segments.SegmentFile> segments = Segments.list(dir);
                Segments.SegmentFile last = segments.get(segments.size() - 1);
                steps.add(new Step(last.base(), sizeOf(last.path())));
            }
        }
        return steps;
    }

    private static List<Event> read(Path dir) {
        List<Event> events = new ArrayList<>();
        try (LogReader reader = LogReader.open(dir)) {
            reader.poll(recorded -> events.add(recorded.event()));
        }
        return events;
    }

    private void race(Path source, Path target, List<Step> steps, List<Event> written) {
        try {
            Files.createDirectories(target);
            AtomicBoolean writerDone = new AtomicBoolean();
            Future<List<RecordedEvent>> tail = pool.submit(() -> {
                List<RecordedEvent> seen = new ArrayList<>();
                try (LogReader reader = LogReader.open(target)) {
                    while (seen.size() < written.size()) {
                        boolean finished = writerDone.get();
                        reader.poll(seen::add);
                        if (finished && seen.size() < written.size()) {
                            break;
                        }
                    }
                }
                return seen;
            });
            Future<?> writer = pool.submit(() -> {
                replay(source, target, steps);
                writerDone.set(true);
                return null;
            });
            writer.get(60, TimeUnit.SECONDS);
            List<RecordedEvent> seen = tail.get(60, TimeUnit.SECONDS);
            assertEquals(written.size(), seen.size(), "events seen by the tailing reader");
            for (int i = 0; i < seen.size(); i++) {
                assertEquals(i, seen.get(i).sequence());
                assertEquals(written.get(i), seen.get(i).event(), "event " + i);
            }
        } catch (Exception e) {
            throw new AssertionError("tailing " + target + ": " + e, e);
        }
    }

    /**
     * The file operations of the writer, in its order, without its forces: each append's bytes, and a new segment
     * renamed into place (its temporary file staged beforehand) right after the last append to the previous one.
     */
    private static void replay(Path source, Path target, List<Step> steps) throws IOException {
        FileChannel current = null;
        try {
            long written = 0;
            for (int i = 0; i < steps.size(); i++) {
                Step step = steps.get(i);
                if (current == null) {
                    current = FileChannel.open(publish(target, stage(source, target, step.segment())),
                            StandardOpenOption.WRITE);
                    written = Segments.HEADER_BYTES;
                }
                boolean rolls = i + 1 < steps.size() && steps.get(i + 1).segment() != step.segment();
                Path next = rolls ? stage(source, target, steps.get(i + 1).segment()) : null;
                copy(source, step.segment(), current, written, step.size());
                written = step.size();
                if (rolls) {
                    current.close();
                    current = FileChannel.open(publish(target, next), StandardOpenOption.WRITE);
                    written = Segments.HEADER_BYTES;
                }
                Thread.onSpinWait();
            }
        } finally {
            if (current != null) {
                current.close();
            }
        }
    }

    /** Writes segment {@code base}'s header under a temporary name. */
    private static Path stage(Path source, Path target, long base) throws IOException {
        Path temp = target.resolve(Segments.name(base) + ".tmp");
        try (FileChannel in = FileChannel.open(Segments.path(source, base), StandardOpenOption.READ);
             FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            in.transferTo(0, Segments.HEADER_BYTES, out);
        }
        return temp;
    }

    /** Renames a staged segment into place. */
    private static Path publish(Path target, Path temp) throws IOException {
        String name = temp.getFileName().toString();
        return Files.move(temp, target.resolve(name.substring(0, name.length() - ".tmp".length())),
                StandardCopyOption.ATOMIC_MOVE);
    }

    private static void copy(Path source, long base, FileChannel out, long from, long to) throws IOException {
        try (FileChannel in = FileChannel.open(Segments.path(source, base), StandardOpenOption.READ)) {
            ByteBuffer bytes = ByteBuffer.allocate((int) (to - from));
            while (bytes.hasRemaining() && in.read(bytes, from + bytes.position()) >= 0) {
                // read to the end of the range
            }
            bytes.flip();
            while (bytes.hasRemaining()) {
                out.write(bytes, from + bytes.position());
            }
        }
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
