package certgate.adapters.serve;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code certgate serve} as a process of its own (this test's JVM and class path), so that it can be killed
 * like a real one: {@link #kill()} is SIGKILL, {@link #terminate()} SIGTERM, both by its PID. {@link #close()}
 * kills it if it still runs, so a test that fails leaves nothing behind.
 */
final class ServiceProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("listening on http://127\\.0\\.0\\.1:([0-9]+) ");

    private final Process process;
    private final Path standardError;
    private int port = -1;

    private ServiceProcess(Process process, Path standardError) {
        this.process = process;
        this.standardError = standardError;
    }

    /**
     * Starts {@code certgate serve --store STORE --listen 127.0.0.1:0}, its standard error to a file beside the
     * store (a file never fills up and blocks the service, as an unread pipe would), and waits until it is ready.
     */
    static ServiceProcess start(Path store, String... more) {
        List<String> command = new ArrayList<>(List.of(
                Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"),
                "certgate.adapters.cli.Main", "serve", "--store", store.toString(), "--listen", "127.0.0.1:0"));
        command.addAll(List.of(more));
        Path standardError = store.resolveSibling("serve-" + System.nanoTime() + ".err");
        Process process;
        try {
            process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(standardError.toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ServiceProcess started = new ServiceProcess(process, standardError);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (started.lines().stream().noneMatch(line -> line.startsWith("certgate serve: ready:"))) {
            if (!process.isAlive() || System.nanoTime() - deadline > 0) {
                started.close();
                throw new AssertionError("certgate serve did not get ready in 60 s:\n" + started.lastLines());
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                started.close();
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        for (String line : started.lines()) {
            Matcher m = LISTENING.matcher(line);
            if (m.find()) {
                started.port = Integer.parseInt(m.group(1));
            }
        }
        return started;
    }

    private List<String> lines() {
        try {
            return Files.readAllLines(standardError, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return List.of();
        }
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    /** SIGKILL: no hook runs, nothing is flushed. */
    void kill() {
        process.destroyForcibly();
        awaitExit();
    }

    /** SIGTERM: the service drains and stops; its exit status. */
    int terminate() {
        process.destroy();
        return awaitExit();
    }

    private int awaitExit() {
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("certgate serve (pid " + pid() + ") did not exit in 60 s");
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Its lines on standard error other than the request log. */
    List<String> notes() {
        return lines().stream().filter(line -> !line.startsWith("certgate serve: POST")
                && !line.startsWith("certgate serve: GET")).toList();
    }

    String lastLines() {
        List<String> all = lines();
        return String.join("\n", all.subList(Math.max(0, all.size() - 40), all.size()));
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
