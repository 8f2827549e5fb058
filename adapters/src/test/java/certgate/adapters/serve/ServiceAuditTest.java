package certgate.adapters.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import certgate.adapters.cli.Main;
import certgate.adapters.store.Audit;
import certgate.adapters.store.Progress;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Determinism: decisions made through the service, concurrently and while the state changes under them (a policy
 * activated, a CRL loaded), audit identically from the log; and the commands that read keep working beside the
 * service, which holds the writer lock.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ServiceAuditTest {
    @TempDir
    Path dir;
    ServeFixture serve;

    @BeforeEach
    void start() throws IOException {
        serve = ServeFixture.start(dir);
    }

    @AfterEach
    void stop() {
        serve.close();
    }

    @Test
    void concurrent_decisions_across_state_changes_audit_identically() throws Exception {
        String policy = Files.readString(ServeFixture.pki("../example-pki.yaml"));
        String crl = ServeFixture.pem("issuing-ca.crl");
        String garbage = "{\"peer\": \"" + java.util.Base64.getEncoder().encodeToString(new byte[] {0x30, 3, 1, 1,
                1}) + "\", \"at\": \"" + ServeFixture.AT + "\"}";
        List<String> bodies = List.of(
                ServeFixture.decisionBody("gw-good.pem", "fqdn:gw1.example.net"),
                ServeFixture.decisionBody("gw-revoked.pem", "fqdn:gw2.example.net"),
                ServeFixture.decisionBody("gw-good.pem", "fqdn:nobody.example.net"),
                ServeFixture.decisionBody("gw-good.pem", "dn:CN=gw1.example.net, OU=VPN, O=Example, C=US"),
                garbage);
        ExecutorService clients = Executors.newFixedThreadPool(16);
        List<Future<Integer>> answers = new ArrayList<>();
        try {
            for (int i = 0; i < 300; i++) {
                String body = bodies.get(i % bodies.size());
                answers.add(clients.submit(() -> serve.post("/v1/decisions?explain=false", body).status()));
                if (i == 100) {
                    answers.add(clients.submit(() -> serve.post("/v1/policies", policy).status()));
                }
                if (i == 200) {
                    answers.add(clients.submit(() -> serve.post("/v1/crls", crl).status()));
                }
            }
            for (Future<Integer> answer : answers) {
                assertEquals(200, answer.get(60, TimeUnit.SECONDS));
            }
        } finally {
            clients.shutdownNow();
        }

        Audit.Result audit = Audit.run(serve.store, Optional.empty(), Optional.empty(), mismatch -> { },
                Progress.silent());
        assertEquals(300, audit.audited());
        assertEquals(300, audit.matched(), "decisions that audit differently");
        assertTrue(audit.passed());
    }

    @Test
    void replay_explain_audit_and_log_verify_work_beside_the_running_service() {
        String id = serve.decide("gw-revoked.pem", "fqdn:gw2.example.net").get("requestId").asText();

        for (List<String> command : List.of(List.of("replay"), List.of("explain", id), List.of("audit"),
                List.of("log", "verify"))) {
            List<String> argv = new ArrayList<>(command);
            argv.addAll(List.of("--store", serve.store.toString()));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int status = Main.standard(Clock.systemUTC()).run(argv, new ByteArrayInputStream(new byte[0]),
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true,
                            StandardCharsets.UTF_8));
            assertEquals(0, status, command + ": " + err.toString(StandardCharsets.UTF_8));
        }
        serve.decide("gw-good.pem", "fqdn:gw1.example.net");
    }

    @Test
    void a_writing_command_beside_the_service_is_told_the_store_is_busy() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.standard(Clock.systemUTC()).run(List.of("load", "crl", ServeFixture.pki("issuing-ca.crl")
                        .toString(), "--store", serve.store.toString()), new ByteArrayInputStream(new byte[0]),
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8));

        assertEquals(4, status, err.toString(StandardCharsets.UTF_8));
    }
}
