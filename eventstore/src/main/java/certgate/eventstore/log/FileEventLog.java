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
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
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
 * close the channel under the log (NIO closes a channel whose I/O thread is interrupted); the exceptions are
 * {@link #appendOnThisThread}, {@link #write} and {@link #force}, for a group committer of its own that promises
 * not to be interrupted. If a write or
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
 * <h2>Overlapping rounds</h2>
 * A round need not wait for the one before it to be forced: {@link #write} puts a round in the file (the page cache)
 * and {@link #force} makes it durable, and several forces may be in flight at once, each started as soon as its
 * round is written. A decision then waits for one force after it arrives, not for the rest of the force in progress
 * plus its own, and a disk that takes concurrent flushes serves more rounds a second. Forces may finish in any
 * order; what makes this sound is what a force promises: everything written to the file before it began is durable
 * when it returns. So a round is durable once any force that began after it was written has returned, which is how
 * the durable position ({@link #nextSequence}, {@link #head}) advances, always in log order.
 *
 * <p>Each force in flight goes through a file descriptor of its own (a few are opened per segment). Linux reports a
 * failed write-back once per open file description; with one descriptor, two overlapping forces could see the error
 * once between them, and the one that did not would acknowledge a round the error lost. With their own descriptors,
 * every force in flight hears of it. A failed force fails the log as a failed write does: no round not yet durable
 * is acknowledged after it, and every later append is refused.
 *
 * <h2>The writer checkpoint: acknowledged is never torn</h2>
 * "Nothing valid after it" does not prove that a bad final record is a crash's torn write: a byte flipped in the
 * last acknowledged decision looks the same. So the log keeps a small checkpoint ({@link Checkpoint}: the durable
 * next sequence, segment and position, each of its two slots with its own CRC). Damage before the durable
 * checkpoint, or a log that ends before it, is a {@link CorruptLogException}
 * ({@link LogProblem.Kind#LOST_ACKNOWLEDGED}) for writers, readers and verify alike, until {@link LogRepair} moves
 * the damaged part aside and records a {@code LogRepaired} event; the log then resumes after the highest sequence
 * ever acknowledged, so a decision id never means two things. Past it, a torn tail is truncated as before.
 *
 * <p>A checkpoint must never lead the log, so it only ever records a durable position; and it must not add a
 * force to every round. So a thread of its own follows the durable position: it writes the newest one to the slot
 * not written last, forces it, and starts again once the position has moved, at most every
 * {@link #CHECKPOINT_INTERVAL}; its forces run beside the rounds' and nobody waits for them. (Forcing it after every
 * round doubled the flushes the disk was asked for, and each log force waited behind them.) Closing the log waits
 * until it has caught up. The price: while appends keep coming, the durable checkpoint trails the acknowledged
 * position by what was acknowledged in the last interval and one checkpoint force, and damage there (not a crash's
 * torn write: those only cut what was never acknowledged) reads as a torn tail.
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
    /** Forces that may be in flight at once: one file descriptor each per segment. */
    public static final int FORCES_IN_FLIGHT = 4;
    /** The checkpoint is forced at most this often while appends keep coming; see the class comment. */
    static final Duration CHECKPOINT_INTERVAL = Duration.ofMillis(10);

    private final Path dir;
    private final Clock clock;
    private final long segmentBytes;
    private final WriterLock writerLock;
    private final Optional<TornTail> recovered;
    private final Checkpoint.Writer checkpoint;

    // Touched only under the rounds lock (after the constructor); segment is also read by forces, under the read
    // side of the forcing lock, and replaced only under its write side.
    private OpenSegment segment;
    private long segmentSize;
    private final BlobTable segmentBlobs;
    private long nextSequence;
    private final FrameWriter frames;

    private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
    private final Thread writer;
    private final Thread checkpointer;
    /** Appends between their closed check and their completion; close() waits for them. */
    private final AtomicInteger active = new AtomicInteger();
    private volatile boolean closed;
    private volatile boolean stopping;
    /** Held while a round is written, by the writer thread or a caller of {@link #write}. */
    private final ReentrantLock rounds = new ReentrantLock();
    /** Forces hold its read side; a roll takes the write side before it closes the segment they force. */
    private final ReentrantReadWriteLock forcing = new ReentrantReadWriteLock();
    /** Guards {@link #durable} and {@link #failure} and wakes the checkpointer; see {@link #publish}. */
    private final Object durability = new Object();
    /** Everything before this position is durable; advanced only in log order. */
    private volatile Position durable;
    /** Set once by the first write or force that fails; the log refuses every append and acknowledgement after it. */
    private volatile Throwable failure;
    /** Whether the checkpoint thread waits for the durable position to move (guarded by {@link #durability}). */
    private boolean checkpointerIdle;
    /** The next sequence {@link #write} gives, for a group committer that names events by their sequence. */
    private volatile long writtenNext;

    /** A place in the log: its next sequence, the segment and offset just past the record before, its chain value. */
    private record Position(long nextSequence, long segmentBase, long offset, byte[] head) {
    }

    /**
     * The segment being appended: the channel writes go through and {@link #FORCES_IN_FLIGHT} more, each forcing one
     * round at a time (see the class comment on why a force needs a descriptor of its own).
     */
    private record OpenSegment(Segments.SegmentFile file, FileChannel channel, BlockingQueue<FileChannel> forcers) {
        static OpenSegment of(Segments.SegmentFile file, FileChannel channel) throws IOException {
            BlockingQueue<FileChannel> forcers = new ArrayBlockingQueue<>(FORCES_IN_FLIGHT);
            try {
                for (int i = 0; i < FORCES_IN_FLIGHT; i++) {
                    forcers.add(FileChannel.open(file.path(), StandardOpenOption.WRITE));
                }
            } catch (IOException e) {
                for (FileChannel opened : forcers) {
                    opened.close();
                }
                throw e;
            }
            return new OpenSegment(file, channel, forcers);
        }

        /** Closes its channels; no force may be in flight on them. */
        void close() throws IOException {
            IOException first = null;
            for (FileChannel c : forcers) {
                try {
                    c.close();
                } catch (IOException e) {
                    first = first == null ? e : first;
                }
            }
            channel.close();
            if (first != null) {
                throw first;
            }
        }
    }

    /**
     * A round written to the log's file by {@link #write} and not yet known durable: its events' sequences, and the
     * position {@link #force} must make durable before it may be acknowledged.
     */
    public static final class Round {
        private final long[] sequences;
        private final Position end;

        private Round(long[] sequences, Position end) {
            this.sequences = sequences;
            this.end = end;
        }

        /** The sequences of its events, in the order given. */
        public List<Long> sequences() {
            List<Long> result = new ArrayList<>(sequences.length);
            for (long sequence : sequences) {
                result.add(sequence);
            }
            return result;
        }

        /** The sequence after its last event: the round is durable once the log's {@link #nextSequence} reaches it. */
        public long nextSequence() {
            return end.nextSequence();
        }
    }

    private FileEventLog(Path dir, Clock clock, long segmentBytes, WriterLock writerLock, Recovery.Result tail,
                         OpenSegment segment, Checkpoint.Writer checkpoint) {
        this.dir = dir;
        this.checkpoint = checkpoint;
        this.clock = clock;
        this.segmentBytes = segmentBytes;
        this.writerLock = writerLock;
        this.recovered = tail.torn();
        this.segment = segment;
        this.segmentSize = tail.size();
        this.segmentBlobs = tail.blobs();
        this.nextSequence = tail.nextSequence();
        this.frames = new FrameWriter(tail.head());
        this.durable = new Position(nextSequence, tail.segment().base(), tail.size(), tail.head());
        this.writtenNext = nextSequence;
        this.writer = new Thread(this::writeLoop, "certgate-log-writer " + dir);
        this.writer.setDaemon(true);
        this.checkpointer = new Thread(this::checkpointLoop, "certgate-log-checkpoint " + dir);
        this.checkpointer.setDaemon(true);
        this.writer.start();
        this.checkpointer.start();
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
            OpenSegment segment;
            try {
                segment = OpenSegment.of(tail.segment(), tail.channel());
                checkpoint = Checkpoint.Writer.open(dir, acknowledged);
                // A store without a checkpoint is acknowledged up to its last valid record from here on.
                checkpoint.write(tail.nextSequence(), tail.segment().base(), tail.size(), tail.head());
                checkpoint.force();
            } catch (IOException | RuntimeException e) {
                tail.channel().close();
                throw e;
            }
            return new FileEventLog(dir, clock, segmentBytes, writerLock, tail, segment, checkpoint);
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
        return HexFormat.of().formatHex(durable.head());
    }

    /** The next sequence after the durable records. */
    @Override
    public long nextSequence() {
        return durable.nextSequence();
    }

    /**
     * The sequence the next event written gets: ahead of {@link #nextSequence} while rounds are written and not yet
     * durable. Meaningful to a caller that is the log's only appender and does not write meanwhile.
     */
    public long nextSequenceToWrite() {
        return writtenNext;
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
     * turn, twice per round. Its force overlaps with other rounds' (see the class comment).
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
            if (pending.error == null) {
                pending.error = forceRound(pending.end);
            }
            pending.done = true;
        });
    }

    /**
     * Writes {@code events} as one round, in order and contiguous, on the calling thread, without forcing it: the
     * round is acknowledged only once {@link #force} (on any thread, for it or a later round) has returned. For a
     * group committer that writes the next round while earlier ones are being forced. The same conditions as
     * {@link #appendOnThisThread} hold for the caller.
     *
     * @throws IllegalArgumentException when an event cannot be stored (nothing of the round is written)
     * @throws IllegalStateException when the log is closed or an earlier write or force failed
     * @throws UncheckedIOException when writing fails (the events may or may not be in the file)
     */
    public Round write(List<? extends Event> events) {
        if (events.isEmpty()) {
            throw new IllegalArgumentException("a round holds at least one event");
        }
        Pending pending = new Pending(prepare(events), Thread.currentThread());
        active.incrementAndGet();
        try {
            requireOpen();
            Throwable error = writeRound(List.of(pending));
            if (error != null) {
                throw Pending.rethrown(error);
            }
            return new Round(pending.sequences, pending.end);
        } finally {
            active.decrementAndGet();
        }
    }

    /**
     * Returns once {@code round}, and every round written before it, is durable: at once when a force has made it so
     * already, else after forcing the file. Forces of different rounds may run at the same time, on different
     * threads, and finish in any order.
     *
     * @throws IllegalStateException when the log is closed or an earlier write or force failed
     * @throws UncheckedIOException when forcing fails (the round may or may not be in the file)
     */
    public void force(Round round) {
        active.incrementAndGet();
        try {
            requireOpen();
            Throwable error = forceRound(round.end);
            if (error != null) {
                throw Pending.rethrown(error);
            }
        } finally {
            active.decrementAndGet();
        }
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
            if (error == null) {
                error = forceRound(batch.get(batch.size() - 1).end);
            }
            for (Pending done : batch) {
                done.error = error;
                done.done = true;
                LockSupport.unpark(done.thread);
            }
            batch.clear();
        }
    }

    /**
     * One round: {@code batch} written (not forced), under the lock that keeps writes from overlapping; the error
     * that failed it (and every later round), or null.
     */
    private Throwable writeRound(List<Pending> batch) {
        rounds.lock();
        try {
            Throwable error = failure;
            if (error == null) {
                try {
                    frameAndWrite(batch);
                } catch (IOException e) {
                    error = new UncheckedIOException("writing to event store " + dir + " (segment "
                            + segment.file().name() + ") failed: " + e.getMessage(), e);
                } catch (RuntimeException | Error e) {
                    error = e;
                }
                if (error != null) {
                    fail(error);
                }
            }
            return error;
        } finally {
            rounds.unlock();
        }
    }

    /**
     * Makes {@code end} durable: nothing to do when a force that began after it was written has returned already;
     * else forces the segment through a descriptor of its own and publishes {@code end}. The error that failed it
     * (and every later round), or null.
     */
    private Throwable forceRound(Position end) {
        Lock shared = forcing.readLock();
        shared.lock();
        try {
            if (durable.nextSequence() >= end.nextSequence()) {
                return failure;
            }
            // A round not yet durable is in the segment being appended: a roll makes the old one durable first.
            FileChannel forcer = segment.forcers().take();
            try {
                forcer.force(false);
            } finally {
                segment.forcers().add(forcer);
            }
        } catch (IOException e) {
            return fail(new UncheckedIOException("forcing event store " + dir + " failed: " + e.getMessage(), e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail(new IllegalStateException("interrupted while forcing event store " + dir, e));
        } finally {
            shared.unlock();
        }
        return publish(end);
    }

    /**
     * Records that everything before {@code end} is durable, unless the log has failed meanwhile (a round whose
     * force returned after another's failed is not acknowledged: the failure may have lost part of it); the failure,
     * or null.
     */
    private Throwable publish(Position end) {
        synchronized (durability) {
            if (failure != null) {
                return failure;
            }
            if (end.nextSequence() > durable.nextSequence()) {
                durable = end;
                if (checkpointerIdle) { // while it waits out its interval, it looks again by itself
                    durability.notifyAll();
                }
            }
            return null;
        }
    }

    private Throwable fail(Throwable error) {
        synchronized (durability) {
            if (failure == null) {
                failure = error;
            }
            durability.notifyAll();
            return error;
        }
    }

    /**
     * The checkpoint thread: writes the newest durable position to the checkpoint and forces it, again and again while
     * it moves (see the class comment); returns once the log stops and the checkpoint has caught up, or on a failure.
     */
    private void checkpointLoop() {
        Position written = durable;
        long nextAllowed = System.nanoTime();
        while (true) {
            Position target;
            synchronized (durability) {
                try {
                    while (!stopping && failure == null
                            && (durable == written || System.nanoTime() - nextAllowed < 0)) {
                        long wait = durable == written ? 0 : nextAllowed - System.nanoTime();
                        if (durable == written) {
                            checkpointerIdle = true;
                            durability.wait();
                            checkpointerIdle = false;
                        } else if (wait > 0) {
                            durability.wait(Math.max(1, wait / 1_000_000), 0);
                        }
                    }
                } catch (InterruptedException e) {
                    return; // only close() could, and it waits for this thread instead
                }
                target = durable;
                if (failure != null || target == written) {
                    return;
                }
            }
            nextAllowed = System.nanoTime() + CHECKPOINT_INTERVAL.toNanos();
            try {
                checkpoint.write(target.nextSequence(), target.segmentBase(), target.offset(), target.head());
                checkpoint.force();
            } catch (IOException e) {
                fail(new UncheckedIOException("forcing the checkpoint of event store " + dir + " failed: "
                        + e.getMessage(), e));
                return;
            }
            written = target;
        }
    }

    /** Feeds the durable events from {@code fromSequence} on, as they were when the call began. */
    @Override
    public void read(long fromSequence, Consumer<RecordedEvent> reader) {
        long until = nextSequence();
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

    /** Waits for appends in progress and for the checkpoint to catch up, then releases the files and the lock. */
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
        synchronized (durability) {
            stopping = true;
            durability.notifyAll();
        }
        LockSupport.unpark(writer);
        for (Thread thread : List.of(writer, checkpointer)) {
            while (thread.isAlive()) {
                try {
                    thread.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        try {
            segment.close();
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

    /** A round's frames for every pending append, in one write (two around a roll); not forced. */
    private void frameAndWrite(List<Pending> batch) throws IOException {
        Instant now = clock.instant();
        frames.clear();
        for (Pending pending : batch) {
            if (segmentSize + frames.size() >= segmentBytes && segmentSize + frames.size() > Segments.HEADER_BYTES) {
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
        Position end = new Position(nextSequence, segment.file().base(), segmentSize, head);
        for (Pending pending : batch) {
            pending.end = end;
        }
        writtenNext = nextSequence;
    }

    private void writeFrames() throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(frames.buffer(), 0, frames.size());
        while (bytes.hasRemaining()) {
            segmentSize += segment.channel().write(bytes, segmentSize);
        }
        frames.clear();
    }

    /**
     * Starts the next segment: the frames so far written and the old segment forced and published as durable, so no
     * round left in it needs a force; then, once no force is in flight on it, its channels closed.
     */
    private void roll() throws IOException {
        byte[] head = frames.head();
        writeFrames();
        segment.channel().force(false);
        Throwable failed = publish(new Position(nextSequence, segment.file().base(), segmentSize, head));
        if (failed != null) {
            throw new IllegalStateException("event store " + dir + " failed: " + failed.getMessage(), failed);
        }
        FileChannel next = Segments.create(dir, nextSequence, head);
        Segments.SegmentFile file = new Segments.SegmentFile(nextSequence, Segments.path(dir, nextSequence));
        OpenSegment opened;
        try {
            opened = OpenSegment.of(file, next);
        } catch (IOException e) {
            next.close();
            throw e;
        }
        Lock exclusive = forcing.writeLock();
        exclusive.lock();
        try {
            segment.close();
            segment = opened;
        } finally {
            exclusive.unlock();
        }
        segmentSize = Segments.HEADER_BYTES;
        segmentBlobs.clear();
    }

    /** One caller's append: its encoded events, then its sequence numbers or the failure. */
    private static final class Pending {
        final EventCodec.Encoded[] events;
        final Thread thread;
        long[] sequences;
        /** Where the round that wrote it ends. */
        Position end;
        Throwable error;
        /** Written last by the writer thread, so its earlier writes are visible to the appender that reads it. */
        volatile boolean done;

        Pending(EventCodec.Encoded[] events, Thread thread) {
            this.events = events;
            this.thread = thread;
        }

        List<Long> result() {
            if (error != null) {
                throw rethrown(error);
            }
            List<Long> result = new ArrayList<>(sequences.length);
            for (long sequence : sequences) {
                result.add(sequence);
            }
            return result;
        }

        /** {@code error}, as thrown to an appender: an I/O failure as such, anything else as the log's failure. */
        static RuntimeException rethrown(Throwable error) {
            if (error instanceof UncheckedIOException io) {
                return new UncheckedIOException(io.getMessage(), io.getCause());
            }
            if (error instanceof RuntimeException runtime) {
                return new IllegalStateException("append failed: " + runtime.getMessage(), runtime);
            }
            if (error instanceof Error fatal) {
                throw fatal;
            }
            return new IllegalStateException("append failed: " + error, error);
        }
    }
}
