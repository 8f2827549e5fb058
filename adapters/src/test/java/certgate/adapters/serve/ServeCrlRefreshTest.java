package certgate.adapters.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import certgate.adapters.cli.CrlFileServer;
import certgate.adapters.cli.ExitStatus;
import certgate.adapters.cli.Main;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve} refreshes CRLs in the background: a CA whose CRL is missing gets it from its distribution point
 * without any decision asking, and the fetch is in the log like any other.
 */
class ServeCrlRefreshTest {
    private static final Path POLICIES = Path.of("..", "policies", "examples").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void a_missing_crl_is_fetched_in_the_background_and_recorded() throws Exception {
        Path store = dir.resolve("store");
        try (CrlFileServer server = CrlFileServer.start(POLICIES.resolve("pki"))) {
            String url = "http://127.0.0.1:" + server.port() + "/issuing-ca.crl";
            Path policy = dir.resolve("http-cdp.yaml");
            Files.writeString(policy, Files.readString(POLICIES.resolve("http-cdp.yaml"))
                    .replace("http://127.0.0.1:8000/issuing-ca.crl", url));
            assertEquals(ExitStatus.OK, certgate("load", "ca", POLICIES.resolve("pki/issuing-ca.pem").toString(),
                    "--profile", "example", "--store", store.toString()));
            assertEquals(ExitStatus.OK, certgate("policy", "activate", policy.toString(), "--store",
                    store.toString()));

            boolean fetched = false;
            try (ServiceProcess service = ServiceProcess.start(store, "--crl-refresh-every", "1s")) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (!fetched && System.nanoTime() - deadline < 0) {
                    fetched = service.notes().stream().anyMatch(line -> line.startsWith("certgate serve: CRL"
                            + " refresh: CN=Example Issuing CA, O=Example, C=US: fetched from " + url));
                    Thread.sleep(50);
                }
                assertTrue(fetched, "no background fetch in 30 s:\n" + service.lastLines());
                assertEquals(143, service.terminate());
            }
        }
        ByteArrayOutputStream dump = new ByteArrayOutputStream();
        assertEquals(ExitStatus.OK, Main.standard(Clock.systemUTC()).run(List.of("log", "dump", "--store",
                store.toString()), new ByteArrayInputStream(new byte[0]), new PrintStream(dump, true,
                StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));
        String events = dump.toString(StandardCharsets.UTF_8);
        assertTrue(events.contains("CrlLoaded"), events);
        assertEquals(ExitStatus.OK, certgate("audit", "--store", store.toString()));
    }

    private static int certgate(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        return Main.standard(Clock.systemUTC()).run(List.of(args), new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(out, true, StandardCharsets.UTF_8));
    }
}
