package certgate.adapters.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import certgate.adapters.cli.StoreFixture.Result;
import certgate.eventstore.log.FileEventLog;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code certgate serve}'s refusals to start; the service itself is tested in the serve package. */
class ServeCommandTest {
    @TempDir
    Path dir;
    StoreFixture fixture;

    @BeforeEach
    void setUp() {
        fixture = new StoreFixture(dir);
    }

    @Test
    void refuses_to_listen_off_loopback_without_a_token_or_client_certificates() {
        Result result = fixture.run("serve", "--listen", "0.0.0.0:0");

        assertEquals(ExitStatus.USAGE, result.status(), result.toString());
        assertTrue(result.err().startsWith("certgate serve: refusing to start: listening on 0.0.0.0, which is not a"
                + " loopback address, requires --token-file FILE or --tls-cert/--tls-key with --client-ca FILE"),
                result.err());
    }

    @Test
    void refuses_a_short_token_a_lone_tls_option_and_a_bad_address() {
        fixture.write("token", "short\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));

        Result token = fixture.run("serve", "--token-file", "token");
        Result tls = fixture.run("serve", "--tls-cert", "cert.pem");
        Result clientCa = fixture.run("serve", "--client-ca", "ca.pem");
        Result address = fixture.run("serve", "--listen", "localhost");

        assertEquals(ExitStatus.USAGE, token.status());
        assertTrue(token.err().contains("at least 16"), token.err());
        assertTrue(tls.err().contains("--tls-cert and --tls-key go together"), tls.err());
        assertTrue(clientCa.err().contains("--client-ca needs --tls-cert"), clientCa.err());
        assertTrue(address.err().contains("is not HOST:PORT"), address.err());
    }

    @Test
    @SuppressWarnings("try")
    void a_store_another_writer_holds_is_busy() {
        try (FileEventLog writer = FileEventLog.openForAppend(fixture.store(), fixture.clock)) {
            Result result = fixture.run("serve", "--listen", "127.0.0.1:0");

            assertEquals(ExitStatus.STORE_BUSY, result.status(), result.toString());
        }
    }

    @Test
    void a_policy_with_errors_is_refused_before_anything_starts() {
        fixture.write("broken.yaml", "version: 1\nike: [\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));

        Result result = fixture.run("serve", "--policy", "broken.yaml", "--listen", "127.0.0.1:0");

        assertEquals(ExitStatus.USAGE, result.status(), result.toString());
        assertTrue(result.err().contains("--policy broken.yaml has"), result.err());
    }
}
