package certgate.adapters.serve;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The real {@code curl} (with {@code openssl} and {@code bash}) running the README's commands against the
 * service. Where they are absent, the tests that need them are skipped with one line saying how to get them;
 * with {@code CI=true} their absence fails them instead (as {@code cli.OpenSsl} does for openssl).
 */
final class Curl {
    private static final boolean AVAILABLE = probe();
    private static final AtomicBoolean WARNED = new AtomicBoolean();

    private Curl() {
    }

    record Result(int status, String output) {
    }

    private static boolean probe() {
        try {
            Process process = new ProcessBuilder("bash", "-c", "curl --version && openssl version")
                    .redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static void assumeAvailable() {
        if (AVAILABLE) {
            return;
        }
        String why = "curl and openssl are not on the PATH: the README's service examples need them"
                + " (apt-get install curl openssl)";
        if ("true".equals(System.getenv("CI"))) {
            throw new AssertionError(why + "; CI=true requires them");
        }
        if (!WARNED.getAndSet(true)) {
            System.err.println("certgate: " + why + "; skipping them");
        }
        assumeTrue(false, why);
    }

    /** Runs {@code script} with bash in {@code dir}; standard output and error together. */
    static Result bash(Path dir, String script) {
        assumeAvailable();
        try {
            Process process = new ProcessBuilder("bash", "-c", script).directory(dir.toFile())
                    .redirectErrorStream(true).start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("bash -c '" + script + "' did not finish in 60 s");
            }
            return new Result(process.exitValue(), output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
