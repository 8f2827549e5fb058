package certgate.eventstore.log;

import certgate.eventstore.Blob;
import certgate.eventstore.Event;
import certgate.eventstore.EventLog;
import certgate.eventstore.RecordedEvent;
import certgate.eventstore.codec.BlobTable;
import certgate.eventstore.codec.EventCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The durable event log: a directory of segment files, appended by one writer, read by any number of readers.
 *
 * <h2>Durability: group commit</h2>
 * {@link #append} returns only after its records are written and forced ({@code fdatasync}). Forcing is the
 * expensive part (milliseconds on many disks), so appends are coalesced: an appender encodes its events in its
 * own thread, queues them and parks; the log's writer thread takes everything queued, frames it, writes it with
 * one positional write, forces once, and unparks exactly the appenders it made durable. Appends that arrive
 * during a force are taken together in the next round, so one force acknowledges as many appends as arrived
 * while the previous one ran. Only the writer thread touches the file, so an appender being interrupted cannot
 * close the channel under the log (NIO closes a channel whose I/O thread is interrupted). If a write or force
 * fails the log refuses every later append: the file's state past the last force is unknown, and guessing would
 * risk the chain.
 *
 * <h2>Recovery: truncate a torn tail, nothing else</h2>
 * Segments are created whole (written under a temporary name, forced, renamed, directory forced), so only the
 * last segment's end can be torn. Opening scans the last segment record by record. At the first record that does
 * not check out (short, damaged length prefix, bad CRC) the rest of the file is searched for any valid record:
 * if there is none, the bad bytes are a torn tail (a write the crash cut short, never acknowledged, since the
 * acknowledgement waits for the force) and are truncated, and {@link #recovered()} says what was cut; if there
 * is one, the bad record is damage in the middle of the log and opening fails with a {@link CorruptLogException}
 * naming segment, offset and sequence. A record is never skipped.
 *
 * <h2>The writer checkpoint: acknowledged is never torn</h2>
 * "Nothing valid after it" does not prove that a bad final record is a crash's torn write: a byte flipped in the
 * last acknowledged decision looks the same. So after each round's force, and before waking its appenders, the
 * writer rewrites and forces a small checkpoint ({@link Checkpoint}: the acknowledged next sequence, segment and
 * position, each of its two slots with its own CRC). Damage before the checkpoint, or a log that ends before it,
 * is a {@link CorruptLogException} ({@link LogProblem.Kind#LOST_ACKNOWLEDGED}) for writers, readers and verify
 * alike, until {@link LogRepair} moves the damaged part aside and records a {@code LogRepaired} event; the log
 * then resumes after the highest sequence ever acknowledged, so a decision id never means two things. Past the
 * checkpoint, a torn tail is truncated as before. The second force per round is the cost of telling the two
 * apart.
 *
 * <h2>Blobs, once per segment</h2>
 * Certificates and CRLs are stored as blob records, addressed by SHA-256, before the first event that refers to
 * them in each segment. Keeping segments self-contained means opening needs only the last segment, a reader can
 * start at any segment, and old segments could one day be archived alone; the cost is one copy of each peer
 * certificate per 64 MiB segment instead of one per log.
 */
public final class FileEventLog implements EventLog {
    /** Segments roll once they reach this size, at the boundary of an append. */
    public static final long DEFAULT_SEGMENT_BYTES = 64L << 20;

    private final Path dir;
    private final Clock clock;
    private final long segmentBytes;
    private final WriterLock writerLock;
    private final Optional<TornTail> recovered;
    private final Checkpoint.Writer checkpoint;

    // Touched only by the writer thread (after the constructor).
    private Segments.SegmentFile segment;
    private FileChannel channel;
    private long segmentSize;
    private final BlobTable segmentBlobs;
    private long nextSequence;
    private final FrameWriter frames;

    private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
    private final Thread writer;
    /** Appends between their closed check and their completion; close() waits for them. */
    private final AtomicInteger active = new AtomicInteger();
    private volatile boolean closed;
    private volatile boolean stopping;
    private volatile Throwable failure;
    private volatile long durableNext;
    private volatile byte[] durableHead;

    private FileEventLog(Path dir, Clock clock, long segmentBytes, WriterLock writerLock, Recovery.Result tail,
                         Checkpoint.Writer checkpoint) {
        this.dir = dir;
        this.checkpoint = checkpoint;
        this.clock = clock;
        this.segmentBytes = segmentBytes;
        this.writerLock = writerLock;
        this.recovered = tail.torn();
        this.segment = tail.segment();
        this.channel = tail.channel();
        this.segmentSize = tail.size();
        this.segmentBlobs = tail.blobs();
        this.nextSequence = tail.nextSequence();
        this.frames = new FrameWriter(tail.head());
        this.durableNext = nextSequence;
        this.durableHead = tail.head();
        this.writer = new Thread(this::writeLoop, "certgate-log-writer " + dir);
        this.writer.setDaemon(true);
        this.writer.start();
    }

    /**
     * Opens (creating it when needed) the store in {@code dir} for appending: takes the writer lock, removes the
     * leftovers of an interrupted segment creation, and recovers the last segment (see the class comment).
     *
     * @throws StoreLockedException when another writer holds the store
     * @throws CorruptLogException when the last segment is damaged other than by a torn tail
     */
    public static FileEventLog openForAppend(Path dir, Clock clock) {
        return openForAppend(dir, clock, DEFAULT_SEGMENT_BYTES);
    }

    /**
     * As {@link #openForAppend(Path, Clock)}, but while another writer holds the store, retries (with a short
     * backoff) until {@code wait} has passed; {@code Duration.ZERO} does not wait.
     *
     * @throws StoreLockedException when another writer still holds the store at the deadline
     */
    public static FileEventLog openForAppend(Path dir, Clock clock, Duration wait) {
        return openForAppend(dir, clock, DEFAULT_SEGMENT_BYTES, wait, LockWait.SYSTEM);
    }

    /** As {@link #openForAppend(Path, Clock)}, rolling segments at {@code segmentBytes} (at least 4 KiB). */
    public static FileEventLog openForAppend(Path dir, Clock clock, long segmentBytes) {
        return openForAppend(dir, clock, segmentBytes, Duration.ZERO, LockWait.SYSTEM);
    }

    static FileEventLog openForAppend(Path dir, Clock clock, long segmentBytes, Duration wait, LockWait time) {
        if (segmentBytes < 4096) {
            throw new IllegalArgumentException("segmentBytes must be at least 4096, was " + segmentBytes);
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create event store directory " + dir + ": " + e.getMessage(), e);
        }
        return openLocked(dir, clock, segmentBytes, WriterLock.acquire(dir, wait, time));
    }

    /** Opens for append under a lock already taken; releases it when opening fails. */
    static FileEventLog openLocked(Path dir, Clock clock, long segmentBytes, WriterLock writerLock) {
        Checkpoint.Writer checkpoint = null;
        try {
            Segments.deleteTemporaries(dir);
            Optional<Checkpoint> acknowledged = Checkpoint.read(dir);
            Recovery.Result tail = Recovery.openLast(dir, acknowledged.map(Checkpoint::nextSequence).orElse(0L));
            try {
                checkpoint = Checkpoint.Writer.open(dir, acknowledged);
                // A store without a checkpoint is acknowledged up to its last valid record from here on.
                checkpoint.write(tail.nextSequence(), tail.segment().base(), tail.size(), tail.head());
            } catch (IOException | RuntimeException e) {
                tail.channel().close();
                throw e;
            }
            return new FileEventLog(dir, clock, segmentBytes, writerLock, tail, checkpoint);
        } catch (IOException e) {
            closeQuietly(checkpoint);
            writerLock.close();
            throw new UncheckedIOException("cannot open event store " + dir + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(checkpoint);
            writerLock.close();
            throw e;
        }
    }

    private static void closeQuietly(Checkpoint.Writer checkpoint) {
        if (checkpoint != null) {
            try {
                checkpoint.close();
            } catch (IOException ignored) {
                // Opening failed already; that failure is what the caller hears about.
            }
        }
    }

    public Path directory() {
        return dir;
    }

    /** The torn tail that opening truncated, if any: a crash's trace, reported so that nothing goes unsaid. */
    public Optional<TornTail> recovered() {
        return recovered;
    }

    /** The chain value of the last durable record, hex: what {@code log verify} prints as the head. */
    public String head() {
        return HexFormat.of().formatHex(durableHead);
    }

    @Override
    public long nextSequence() {
        return durableNext;
    }

    /**
     * Appends {@code events} as one batch, in order and contiguous, and returns once they are durable.
     *
     * @throws IllegalArgumentException when an event cannot be stored (nothing of the batch is written)
     * @throws IllegalStateException when the log is closed or an earlier write failed
     * @throws UncheckedIOException when writing or forcing fails (the events may or may not be in the file)
     */
    @Override
    public List<Long> append(List<? extends Event> events) {
        if (events.isEmpty()) {
            return List.of();
        }
        Pending pending = new Pending(prepare(events), Thread.currentThread());
        active.incrementAndGet();
        try {
            requireOpen();
            queue.add(pending);
            LockSupport.unpark(writer);
            boolean interrupted = false;
            while (!pending.done) {
                LockSupport.park(this);
                // An interrupt must not turn the wait into a spin; it is restored for the caller below.
                interrupted |= Thread.interrupted();
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            return pending.result();
        } finally {
            active.decrementAndGet();
        }
    }

    /** The writer thread: rounds of take everything queued, write, force, wake the appenders. */
    private void writeLoop() {
        List<Pending> batch = new ArrayList<>();
        while (true) {
            for (Pending next = queue.poll(); next != null; next = queue.poll()) {
                batch.add(next);
            }
            if (batch.isEmpty()) {
                if (stopping) {
                    return;
                }
                LockSupport.park(this);
                continue;
            }
            Throwable error = failure;
            if (error == null) {
                try {
                    write(batch);
                } catch (IOException e) {
                    error = new UncheckedIOException("writing to event store " + dir + " (segment "
                            + segment.name() + ") failed: " + e.getMessage(), e);
                } catch (RuntimeException | Error e) {
                    error = e;
                }
                if (error != null) {
                    failure = error;
                }
            }
            for (Pending done : batch) {
                done.error = error;
                done.done = true;
                LockSupport.unpark(done.thread);
            }
            batch.clear();
        }
    }

    /** Feeds the durable events from {@code fromSequence} on, as they were when the call began. */
    @Override
    public void read(long fromSequence, Consumer<RecordedEvent> reader) {
        long until = durableNext;
        if (fromSequence >= until) {
            return;
        }
        try (RecordCursor cursor = new RecordCursor(dir, Math.max(0, fromSequence))) {
            cursor.pollEvents(until, reader);
            if (cursor.nextSequence() < until) {
                throw new IllegalStateException("event store " + dir + " ends at sequence " + cursor.nextSequence()
                        + " but " + until + " events were acknowledged; was the store changed by hand?");
            }
        }
    }

    /** Waits for appends in progress, then releases the files and the writer lock. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        boolean interrupted = false;
        while (active.get() > 0) {
            LockSupport.parkNanos(100_000);
            interrupted |= Thread.interrupted();
        }
        stopping = true;
        LockSupport.unpark(writer);
        while (writer.isAlive()) {
            try {
                writer.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        try {
            channel.close();
            checkpoint.close();
        } catch (IOException e) {
            throw new UncheckedIOException("closing event store " + dir + ": " + e.getMessage(), e);
        } finally {
            writerLock.close();
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("event store " + dir + " is closed");
        }
        if (failure != null) {
            throw new IllegalStateException("event store " + dir + " refuses appends after a failed write: "
                    + failure.getMessage(), failure);
        }
    }

    /** Encodes in the caller's thread, so a bad event fails its own append before anything is queued. */
    private static EventCodec.Encoded[] prepare(List<? extends Event> events) {
        EventCodec.Encoded[] encoded = new EventCodec.Encoded[events.size()];
        for (int i = 0; i < encoded.length; i++) {
            encoded[i] = EventCodec.encode(events.get(i));
            if (encoded[i].payload().length > Frame.MAX_PAYLOAD) {
                throw new IllegalArgumentException("event " + i + " of the batch (" + encoded[i].type().displayName()
                        + ") encodes to " + encoded[i].payload().length + " bytes, more than the "
                        + Frame.MAX_PAYLOAD + " a record may hold");
            }
            for (Blob blob : encoded[i].blobs()) {
                if (blob.length() > Frame.MAX_PAYLOAD) {
                    throw new IllegalArgumentException("event " + i + " of the batch refers to a blob of "
                            + blob.length() + " bytes, more than the " + Frame.MAX_PAYLOAD + " a record may hold");
                }
            }
        }
        return encoded;
    }

    /** The writer thread's round: frames for every queued append, one write, one force (two around a roll). */
    private void write(List<Pending> batch) throws IOException {
        Instant now = clock.instant();
        frames.clear();
        for (Pending pending : batch) {
            if (segmentSize + frames.size() >= segmentBytes && segmentSize + frames.size() > Segments.HEADER_BYTES) {
                flush();
                roll();
            }
            long[] sequences = new long[pending.events.length];
            for (int i = 0; i < pending.events.length; i++) {
                EventCodec.Encoded event = pending.events[i];
                for (Blob blob : event.blobs()) {
                    byte[] sha = blob.sha256();
                    if (!segmentBlobs.contains(sha, 0)) {
                        frames.add(Frame.KIND_BLOB, nextSequence, now, Frame.BLOB_TYPE, Frame.BLOB_VERSION,
                                blob.view());
                        segmentBlobs.put(blob);
                    }
                }
                frames.add(Frame.KIND_EVENT, nextSequence, now, event.type().tag(), event.version(), event.payload());
                sequences[i] = nextSequence++;
            }
            pending.sequences = sequences;
        }
        flush();
        // The checkpoint is forced before any appender of this round is woken: it never leads the log, and
        // nothing is acknowledged that it does not cover.
        checkpoint.write(nextSequence, segment.base(), segmentSize, frames.head());
        durableHead = frames.head();
        durableNext = nextSequence;
    }

    private void flush() throws IOException {
        if (frames.size() == 0) {
            return;
        }
        ByteBuffer bytes = ByteBuffer.wrap(frames.buffer(), 0, frames.size());
        while (bytes.hasRemaining()) {
            segmentSize += channel.write(bytes, segmentSize);
        }
        channel.force(false);
        frames.clear();
    }

    private void roll() throws IOException {
        FileChannel next = Segments.create(dir, nextSequence, frames.head());
        channel.close();
        channel = next;
        segment = new Segments.SegmentFile(nextSequence, Segments.path(dir, nextSequence));
        segmentSize = Segments.HEADER_BYTES;
        segmentBlobs.clear();
    }

    /** One caller's append: its encoded events, then its sequence numbers or the failure. */
    private static final class Pending {
        final EventCodec.Encoded[] events;
        final Thread thread;
        long[] sequences;
        Throwable error;
        /** Written last by the writer thread, so its earlier writes are visible to the appender that reads it. */
        volatile boolean done;

        Pending(EventCodec.Encoded[] events, Thread thread) {
            this.events = events;
            this.thread = thread;
        }

        List<Long> result() {
            if (error instanceof UncheckedIOException io) {
                throw new UncheckedIOException(io.getMessage(), io.getCause());
            }
            if (error instanceof RuntimeException runtime) {
                throw new IllegalStateException("append failed: " + runtime.getMessage(), runtime);
            }
            if (error instanceof Error fatal) {
                throw fatal;
            }
            List<Long> result = new ArrayList<>(sequences.length);
            for (long sequence : sequences) {
                result.add(sequence);
            }
            return result;
        }
    }
}
