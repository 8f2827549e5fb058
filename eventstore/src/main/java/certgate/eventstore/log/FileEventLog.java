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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
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
 * close the channel under the log (NIO closes a channel whose I/O thread is interrupted); the one exception is
 * {@link #appendOnThisThread}, for a group committer of its own that promises not to be interrupted. If a write or
 * force fails the log refuses every later append: the file's state past the last force is unknown, and guessing
 * would risk the chain.
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
 * writer rewrites a small checkpoint ({@link Checkpoint}: the acknowledged next sequence, segment and position,
 * each of its two slots with its own CRC). Damage before the durable checkpoint, or a log that ends before it, is a
 * {@link CorruptLogException} ({@link LogProblem.Kind#LOST_ACKNOWLEDGED}) for writers, readers and verify alike,
 * until {@link LogRepair} moves the damaged part aside and records a {@code LogRepaired} event; the log then resumes
 * after the highest sequence ever acknowledged, so a decision id never means two things. Past it, a torn tail is
 * truncated as before.
 *
 * <p>A checkpoint must never lead the log, so it cannot be forced together with its own round's records; forcing
 * it after them made every round two forces long. Instead a round's checkpoint is forced during the next round,
 * in parallel with that round's records (on a thread of its own; the next checkpoint goes to the other slot), and
 * once the log has been idle for {@link #IDLE_CHECKPOINT} or is closed. A round then waits for one force, not two;
 * the price is that while appends keep coming, the durable checkpoint covers everything acknowledged but the last
 * round, whose damage (not a crash's torn write: those only cut what was never acknowledged) would read as a torn
 * tail for that long.
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
    /** How long the log must be idle before the last round's checkpoint is forced on its own. */
    static final Duration IDLE_CHECKPOINT = Duration.ofMillis(5);

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
    /** Held for each round of write and force, by the writer thread or an {@link #appendOnThisThread} caller. */
    private final ReentrantLock rounds = new ReentrantLock();
    /** Forces the last round's checkpoint while a round forces its records, and once the log is idle. */
    private final ScheduledThreadPoolExecutor checkpointForcer;
    // Guarded by rounds.
    private boolean checkpointUnforced;
    private long roundsWritten;
    private boolean idleCheckScheduled;
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
        this.checkpointForcer = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "certgate-log-checkpoint " + dir);
            thread.setDaemon(true);
            return thread;
        });
        this.checkpointForcer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
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
                checkpoint.force();
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
        return append(events, this::handToTheWriter);
    }

    private void handToTheWriter(Pending pending) {
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
    }

    /**
     * Appends as {@link #append} does, but writes and forces on the calling thread instead of handing the batch to
     * the writer thread and parking: for a caller that is itself a group committer (one thread that batches other
     * threads' events and appends them), which would otherwise wait for a second thread to wake and then be woken in
     * turn, twice per round. Rounds of the two kinds never overlap.
     *
     * <p>The caller must not be interrupted while it runs: NIO closes a channel whose I/O thread is interrupted,
     * which would fail the log for every appender.
     *
     * @throws IllegalArgumentException when an event cannot be stored (nothing of the batch is written)
     * @throws IllegalStateException when the log is closed or an earlier write failed
     * @throws UncheckedIOException when writing or forcing fails (the events may or may not be in the file)
     */
    public List<Long> appendOnThisThread(List<? extends Event> events) {
        return append(events, pending -> {
            pending.error = writeRound(List.of(pending));
            pending.done = true;
        });
    }

    /** {@code events} encoded, then made durable by {@code round}; their sequences. */
    private List<Long> append(List<? extends Event> events, Consumer<Pending> round) {
        if (events.isEmpty()) {
            return List.of();
        }
        Pending pending = new Pending(prepare(events), Thread.currentThread());
        active.incrementAndGet();
        try {
            requireOpen();
            round.accept(pending);
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
            Throwable error = writeRound(batch);
            for (Pending done : batch) {
                done.error = error;
                done.done = true;
                LockSupport.unpark(done.thread);
            }
            batch.clear();
        }
    }

    /**
     * One round: {@code batch} written and forced, under the lock that keeps rounds from overlapping; the error that
     * failed it (and every later round), or null.
     */
    private Throwable writeRound(List<Pending> batch) {
        rounds.lock();
        try {
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
            return error;
        } finally {
            rounds.unlock();
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
        checkpointForcer.shutdown();
        while (!checkpointForcer.isTerminated()) {
            try {
                checkpointForcer.awaitTermination(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        try {
            if (checkpointUnforced && failure == null) {
                checkpoint.force();
            }
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
        byte[] head = frames.head();
        writeFrames();
        // The last round's checkpoint is forced while this round's records are: it covers only records already
        // durable, so it never leads the log; this round's is written now and forced during the next round.
        Future<?> previous = checkpointUnforced ? checkpointForcer.submit(this::forceCheckpoint) : null;
        channel.force(false);
        if (previous != null) {
            awaitCheckpoint(previous);
        }
        checkpoint.write(nextSequence, segment.base(), segmentSize, head);
        checkpointUnforced = true;
        roundsWritten++;
        if (!idleCheckScheduled) {
            idleCheckScheduled = true;
            idleCheck(roundsWritten);
        }
        durableHead = head;
        durableNext = nextSequence;
    }

    /** Looks again {@link #IDLE_CHECKPOINT} from now; close() forces what is left once it stopped looking. */
    private void idleCheck(long seen) {
        try {
            checkpointForcer.schedule(() -> forceWhenIdle(seen), IDLE_CHECKPOINT.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException closing) {
            // close() forces the last checkpoint itself
        }
    }

    private Void forceCheckpoint() throws IOException {
        checkpoint.force();
        return null;
    }

    private static void awaitCheckpoint(Future<?> forced) throws IOException {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    forced.get();
                    return;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof IOException io) {
                        throw io;
                    }
                    throw new IllegalStateException("forcing the checkpoint failed: " + e.getCause(), e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * On the checkpoint thread, {@link #IDLE_CHECKPOINT} after a round: forces the last checkpoint when no round
     * came since {@code seen}, else looks again later. Never waits for the round lock: a round in progress forces
     * the checkpoint itself, and may be waiting for this very thread to do it.
     */
    private void forceWhenIdle(long seen) {
        if (!rounds.tryLock()) {
            idleCheck(seen);
            return;
        }
        try {
            if (roundsWritten != seen) {
                idleCheck(roundsWritten);
                return;
            }
            idleCheckScheduled = false;
            if (checkpointUnforced && failure == null) {
                checkpoint.force();
                checkpointUnforced = false;
            }
        } catch (IOException e) {
            failure = new UncheckedIOException("forcing the checkpoint of event store " + dir + " failed: "
                    + e.getMessage(), e);
        } finally {
            rounds.unlock();
        }
    }

    /** Writes and forces the frames so far (before a segment rolls). */
    private void flush() throws IOException {
        if (frames.size() == 0) {
            return;
        }
        writeFrames();
        channel.force(false);
    }

    private void writeFrames() throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(frames.buffer(), 0, frames.size());
        while (bytes.hasRemaining()) {
            segmentSize += channel.write(bytes, segmentSize);
        }
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
