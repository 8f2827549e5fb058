package certgate.adapters.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import certgate.adapters.cli.ExitStatus;
import certgate.adapters.cli.Main;
import certgate.adapters.cli.SigningKeys;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code serve --checkpoint-key}: the service signs checkpoints of its log as it runs, as the CLI would. */
class ServeCheckpointTest {
    private static final String PREFIX = "certgate serve: checkpoint ";

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void a_running_service_signs_checkpoints_that_log_verify_accepts() throws Exception {
        Path store = dir.resolve("store");
        ServeFixture.loadExamplePki(store);
        SigningKeys.writeEd25519(dir, "signer.key");
        Optional<String> line = Optional.empty();
        try (ServiceProcess service = ServiceProcess.start(store, "--checkpoint-key",
                dir.resolve("signer.key").toString(), "--checkpoint-every", "1s")) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (line.isEmpty() && System.nanoTime() - deadline < 0) {
                line = service.notes().stream().filter(note -> note.startsWith(PREFIX)).findFirst()
                        .map(note -> note.substring(PREFIX.length()));
                Thread.sleep(50);
            }
            assertTrue(line.isPresent(), "no checkpoint line in 30 s:\n" + service.lastLines());
            assertEquals(143, service.terminate());
        }

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.standard(Clock.systemUTC()).run(List.of("log", "verify", "--checkpoint", line.get(),
                        "--pubkey", dir.resolve("signer.key.pub").toString(), "--store", store.toString()),
                new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(ExitStatus.OK, status, out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8));
    }
}
