package certgate.eventstore.log;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A {@link CrashChild} in its own JVM, with its standard output collected line by line. Only lines that end in a
 * newline count: a line cut short by a kill was never fully printed, so it acknowledges nothing.
 */
final class ChildProcess implements AutoCloseable {
    private final Process process;
    private final Path stderr;
    private final List<String> lines = new ArrayList<>();
    private final CountDownLatch ready = new CountDownLatch(1);
    private final Thread pump;

    private ChildProcess(Process process, Path stderr) {
        this.process = process;
        this.stderr = stderr;
        this.pump = new Thread(this::pump, "child-stdout-" + process.pid());
        this.pump.setDaemon(true);
        this.pump.start();
    }

    static ChildProcess start(Path dir, String mode, long segmentBytes) {
        try {
            Path parent = dir.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path stderr = Files.createTempFile(parent, "child", ".stderr");
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            ProcessBuilder builder = new ProcessBuilder(java, "-Xmx64m", "-XX:+UseSerialGC",
                    "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData", "-cp", System.getProperty("java.class.path"),
                    CrashChild.class.getName(), dir.toString(), mode, Long.toString(segmentBytes));
            builder.redirectError(stderr.toFile());
            builder.redirectInput(ProcessBuilder.Redirect.PIPE);
            return new ChildProcess(builder.start(), stderr);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the child JVM: " + e.getMessage(), e);
        }
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    void awaitReady() throws InterruptedException {
        if (!ready.await(60, TimeUnit.SECONDS)) {
            throw new AssertionError("child " + pid() + " did not open the store within 60 s; stderr: " + stderr());
        }
    }

    /** SIGKILL, then wait for the process and for the last of its output. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
        pump.join(30_000);
    }

    synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    String stderr() {
        try {
            return Files.readString(stderr);
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    private void pump() {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        try (InputStream in = process.getInputStream()) {
            byte[] buffer = new byte[8192];
            int read;
            while ((read = in.read(buffer)) > 0) {
                for (int i = 0; i < read; i++) {
                    if (buffer[i] == '\n') {
                        String text = line.toString(StandardCharsets.UTF_8);
                        line.reset();
                        synchronized (this) {
                            lines.add(text);
                        }
                        if (text.startsWith("ready")) {
                            ready.countDown();
                        }
                    } else {
                        line.write(buffer[i]);
                    }
                }
            }
        } catch (IOException e) {
            // The child died: what was read is all there is.
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            try {
                kill();
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        try {
            Files.deleteIfExists(stderr);
        } catch (IOException ignored) {
            // A temporary file in a temporary directory.
        }
    }
}
