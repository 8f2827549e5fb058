package certgate.adapters.report;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * A real browser for the report's tests: headless Chromium ({@code /usr/bin/chromium}, Debian's package), started
 * once per call with a fresh profile and no network of its own, and stopped by its process id, with every process
 * it started, whatever happens. Where it is absent, tests that need it are skipped with one line on stderr saying
 * how to get it; with {@code CI=true} (as {@code .ci/run} sets, after installing it) its absence fails them.
 *
 * <p>What the page logs to its console (script errors, refused loads, Content-Security-Policy violations)
 * Chromium writes to stderr as {@code :CONSOLE} lines under {@code --enable-logging=stderr}; {@link Run#console()}
 * returns them.
 */
final class Chromium {
    static final Path BINARY = Path.of("/usr/bin/chromium");
    private static final boolean AVAILABLE = Files.isExecutable(BINARY);
    private static final AtomicBoolean WARNED = new AtomicBoolean();
    private static final long TIMEOUT_SECONDS = 90;

    private Chromium() {
    }

    /** What one run printed: the DOM (for --dump-dom) and its console messages. */
    record Run(String stdout, List<String> console, String stderr) {
    }

    static void assumeAvailable() {
        if (AVAILABLE) {
            return;
        }
        String why = "chromium not installed; apt-get install chromium";
        if ("true".equals(System.getenv("CI"))) {
            throw new AssertionError(why + " (CI=true requires it)");
        }
        if (!WARNED.getAndSet(true)) {
            System.err.println("certgate: skipped: " + why);
        }
        assumeTrue(false, why);
    }

    /** The page's DOM after it loaded, as Chromium serialises it, and its console. */
    static Run dumpDom(Path page) {
        return run(page, "--dump-dom");
    }

    /** A screenshot of the page's first {@code height} pixels at 1280 wide, into {@code png}, and its console. */
    static Run screenshot(Path page, Path png, int height) {
        return run(page, "--screenshot=" + png.toAbsolutePath(), "--window-size=1280," + height,
                "--hide-scrollbars");
    }

    private static Run run(Path page, String... what) {
        assumeAvailable();
        Path profile;
        try {
            profile = Files.createTempDirectory("certgate-chromium");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> command = new ArrayList<>(List.of(BINARY.toString(), "--headless", "--no-sandbox",
                "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--user-data-dir=" + profile,
                "--enable-logging=stderr", "--v=0"));
        command.addAll(List.of(what));
        command.add(page.toAbsolutePath().toUri().toString());
        Process process = null;
        Set<ProcessHandle> started = new LinkedHashSet<>();
        try {
            Path out = profile.resolve("stdout.txt");
            Path err = profile.resolve("stderr.txt");
            process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            process.getOutputStream().close();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
            // Its processes are noted while it runs: one that outlives it is no longer its descendant.
            while (!process.waitFor(200, TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(started::add);
                if (System.nanoTime() - deadline > 0) {
                    throw new AssertionError("chromium did not finish in " + TIMEOUT_SECONDS + " s: " + command);
                }
            }
            String stdout = Files.readString(out, StandardCharsets.UTF_8);
            String stderr = Files.readString(err, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new AssertionError("chromium exited " + process.exitValue() + ":\n" + stderr);
            }
            List<String> console = stderr.lines().filter(line -> line.contains(":CONSOLE")).toList();
            return new Run(stdout, console, stderr);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } finally {
            if (process != null) {
                stop(process, started);
            }
            delete(profile);
        }
    }

    /** Kills the process and every process it started (renderer, GPU, zygote) that is still alive, by their ids. */
    private static void stop(Process process, Set<ProcessHandle> started) {
        process.descendants().forEach(started::add);
        process.destroyForcibly();
        started.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            // a profile left in the temporary directory is not worth failing a test for
        }
    }
}
