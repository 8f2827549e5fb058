package certgate.adapters.cli;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The real {@code openssl} (3.x) as the other side of the enrolment commands: it reads the keys certgate writes,
 * verifies its requests, and plays the CA that signs them. Where it is absent, tests that need it are skipped
 * with one line on stderr saying how to get it; with {@code CI=true} (as {@code .ci/run} sets, after installing
 * it) its absence fails them instead.
 */
public final class OpenSsl {
    private static final boolean AVAILABLE = probe();
    private static final AtomicBoolean WARNED = new AtomicBoolean();

    private OpenSsl() {
    }

    public record Result(int status, String output) {
    }

    private static boolean probe() {
        try {
            Process process = new ProcessBuilder("openssl", "version").redirectErrorStream(true).start();
            String version = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0
                    && version.startsWith("OpenSSL 3");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public static void assumeAvailable() {
        if (AVAILABLE) {
            return;
        }
        String why = "OpenSSL 3 is not on the PATH: the interoperability tests need it (apt-get install openssl)";
        if ("true".equals(System.getenv("CI"))) {
            throw new AssertionError(why + "; CI=true requires it");
        }
        if (!WARNED.getAndSet(true)) {
            System.err.println("certgate: " + why + "; skipping them");
        }
        assumeTrue(false, why);
    }

    /** Runs {@code openssl ARGS} in {@code dir}; standard output and error together. */
    public static Result run(Path dir, String... args) {
        assumeAvailable();
        List<String> command = new ArrayList<>();
        command.add("openssl");
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("openssl " + args[0] + " did not finish in 60 s");
            }
            return new Result(process.exitValue(), output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Runs it and fails the test, with openssl's output, unless it exits 0. */
    public static String ok(Path dir, String... args) {
        Result result = run(dir, args);
        if (result.status() != 0) {
            throw new AssertionError("openssl " + String.join(" ", args) + " exited " + result.status() + ":\n"
                    + result.output());
        }
        return result.output();
    }

    /** A self-signed EC P-256 CA, ca.pem and ca.key in {@code dir}, valid from now for ten years. */
    static void makeCa(Path dir, String prefix, String subject) {
        try {
            Files.writeString(dir.resolve(prefix + ".cnf"), """
                    [req]
                    distinguished_name = dn
                    x509_extensions = v3_ca
                    prompt = no
                    [dn]
                    CN = placeholder
                    [v3_ca]
                    basicConstraints = critical,CA:true
                    keyUsage = critical,keyCertSign,cRLSign
                    subjectKeyIdentifier = hash
                    authorityKeyIdentifier = keyid:always
                    """);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ok(dir, "req", "-x509", "-config", prefix + ".cnf", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                "-nodes", "-keyout", prefix + ".key", "-out", prefix + ".pem", "-subj", subject, "-days", "3650");
    }

    /** The CA {@code prefix} signs {@code request} into {@code out}, copying its extensions (subjectAltName). */
    static void sign(Path dir, String prefix, String request, String out, int days) {
        ok(dir, "x509", "-req", "-in", request, "-CA", prefix + ".pem", "-CAkey", prefix + ".key",
                "-CAcreateserial", "-days", String.valueOf(days), "-copy_extensions", "copy", "-out", out);
    }
}
