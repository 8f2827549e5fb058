package certgate.adapters.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A crash (SIGKILL) at any moment of {@code certgate fetch} - starting, mid-transfer from a distribution point
 * that sends slowly, appending - leaves a store that verifies and audits, and that the next fetch opens.
 */
class FetchCrashTest {
    private static final Path POLICIES = Path.of("..", "policies", "examples").toAbsolutePath().normalize();
    /** Kills per run; {@code -Dcertgate.fetch.crashes=N} for more by hand. */
    private static final int CRASHES = Integer.getInteger("certgate.fetch.crashes", 6);

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void sigkill_during_a_fetch_leaves_a_store_that_verifies_and_audits() throws Exception {
        byte[] crl = Files.readAllBytes(POLICIES.resolve("pki/issuing-ca.crl"));
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/issuing-ca.crl", exchange -> {
            try (exchange) {
                exchange.sendResponseHeaders(200, crl.length);
                OutputStream out = exchange.getResponseBody();
                for (int at = 0; at < crl.length; at += 64) {
                    out.write(crl, at, Math.min(64, crl.length - at));
                    out.flush();
                    Thread.sleep(15);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException clientGone) {
                // the fetch was killed mid-transfer: what this test is about
            }
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
        try {
            Path store = dir.resolve("store");
            Path policy = dir.resolve("http-cdp.yaml");
            Files.writeString(policy, Files.readString(POLICIES.resolve("http-cdp.yaml")).replace(
                    "http://127.0.0.1:8000/", "http://127.0.0.1:" + server.getAddress().getPort() + "/"));
            assertEquals(ExitStatus.OK, certgate("load", "ca", POLICIES.resolve("pki/issuing-ca.pem").toString(),
                    "--profile", "example", "--store", store.toString()));
            assertEquals(ExitStatus.OK, certgate("policy", "activate", policy.toString(), "--store",
                    store.toString()));
            Random random = new Random(Long.getLong("certgate.seed", System.nanoTime()));
            List<String> notes = new ArrayList<>();
            for (int i = 0; i < CRASHES; i++) {
                long killAfter = 300 + random.nextInt(2_200);
                Process fetch = new ProcessBuilder(Paths.get(System.getProperty("java.home"), "bin", "java")
                        .toString(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp",
                        System.getProperty("java.class.path"), "certgate.adapters.cli.Main", "fetch", "--store",
                        store.toString()).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
                try {
                    boolean ended = fetch.waitFor(killAfter, TimeUnit.MILLISECONDS);
                    notes.add("kill after " + killAfter + " ms: " + (ended ? "had ended, status " + fetch.exitValue()
                            : "killed"));
                } finally {
                    fetch.destroyForcibly();
                    fetch.waitFor(10, TimeUnit.SECONDS);
                }
                assertEquals(ExitStatus.OK, certgate("log", "verify", "--store", store.toString()), notes::toString);
                assertEquals(ExitStatus.OK, certgate("audit", "--store", store.toString()), notes::toString);
            }
            assertEquals(ExitStatus.OK, certgate("fetch", "--store", store.toString()), notes::toString);
            assertTrue(notes.size() == CRASHES, notes::toString);
        } finally {
            server.stop(0);
        }
    }

    private static int certgate(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        return Main.standard(Clock.systemUTC()).run(List.of(args), new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(out, true, StandardCharsets.UTF_8));
    }
}
