package certgate.eventstore.log;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;

/**
 * The store's single-writer lock: an OS file lock on {@code LOCK} (released by the kernel when the holder dies,
 * so a crash never leaves a stale lock), with the holder's pid and start time written inside for the message
 * the next writer gets.
 */
final class WriterLock implements AutoCloseable {
    static final String FILE_NAME = "LOCK";

    private final FileChannel channel;
    private final FileLock lock;

    private WriterLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** The first retry comes after this; each later one after twice the previous, up to {@link #MAX_BACKOFF}. */
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(10);
    private static final Duration MAX_BACKOFF = Duration.ofMillis(250);

    /**
     * Takes the lock, retrying while another writer holds it until {@code wait} has passed, with a short
     * backoff between tries; {@code Duration.ZERO} tries once.
     *
     * @throws StoreLockedException when the lock is still held at the deadline (or the wait is interrupted)
     */
    static WriterLock acquire(Path dir, Duration wait, LockWait time) {
        if (wait.isNegative()) {
            throw new IllegalArgumentException("wait must not be negative, was " + wait);
        }
        long start = time.nanoTime();
        Duration backoff = FIRST_BACKOFF;
        while (true) {
            try {
                return acquire(dir);
            } catch (StoreLockedException busy) {
                Duration left = wait.minusNanos(time.nanoTime() - start);
                if (left.isNegative() || left.isZero()) {
                    throw wait.isZero() ? busy : new StoreLockedException(dir, busy.holder(), wait);
                }
                try {
                    time.sleep(backoff.compareTo(left) < 0 ? backoff : left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw busy;
                }
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) < 0 ? backoff.multipliedBy(2) : MAX_BACKOFF;
            }
        }
    }

    static WriterLock acquire(Path dir) {
        Path file = dir.resolve(FILE_NAME);
        FileChannel channel = null;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                String holder = holder(channel);
                channel.close();
                throw new StoreLockedException(dir, holder);
            }
            ProcessHandle self = ProcessHandle.current();
            String started = self.info().startInstant().map(Instant::toString).orElse("unknown");
            byte[] text = ("pid=" + self.pid() + "\nstarted=" + started + "\n").getBytes(StandardCharsets.UTF_8);
            channel.truncate(0);
            // Not forced: the text only names the holder for a message; the kernel's lock is what excludes.
            channel.write(ByteBuffer.wrap(text), 0);
            return new WriterLock(channel, lock);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new UncheckedIOException("cannot lock event store " + dir + " (" + file + "): " + e.getMessage(), e);
        }
    }

    private static String holder(FileChannel channel) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(512);
        channel.read(buffer, 0);
        String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
        String pid = field(text, "pid");
        String started = field(text, "started");
        if (pid.isEmpty()) {
            return "another process (its lock file does not name it yet)";
        }
        String who = "pid " + pid + (started.isEmpty() ? "" : " (started " + started + ")");
        return pid.equals(Long.toString(ProcessHandle.current().pid())) ? who + ", this process" : who;
    }

    private static String field(String text, String name) {
        for (String line : text.split("\n")) {
            if (line.startsWith(name + "=")) {
                return line.substring(name.length() + 1).trim();
            }
        }
        return "";
    }

    @Override
    public void close() {
        try {
            channel.truncate(0);
            lock.release();
        } catch (IOException e) {
            // The lock goes with the channel below either way.
        } finally {
            closeQuietly(channel);
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // Nothing more to release.
            }
        }
    }
}
