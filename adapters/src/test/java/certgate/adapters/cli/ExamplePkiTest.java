package certgate.adapters.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The example PKI shipped in policies/examples/pki: the files are what {@link ExamplePkiGenerator} makes, and
 * the good and the revoked peer decide as the README says.
 */
class ExamplePkiTest {
    private static String shipped(String name) {
        return Repository.examplePki().resolve(name).toString();
    }

    @Test
    void the_shipped_good_peer_is_accepted() {
        Cli.Run run = Cli.run("verify", "--trust", shipped("issuing-ca.pem"), "--crl", shipped("issuing-ca.crl"),
                "--at", "2030-01-01T00:00:00Z", "--id", "fqdn:gw1.example.net", "--peer", shipped("gw-good.pem"));
        assertEquals(0, run.status(), run.toString());
        assertEquals("accept OK", run.outLines().get(0));
    }

    @Test
    void the_shipped_revoked_peer_is_rejected_as_revoked() {
        Cli.Run run = Cli.run("verify", "--trust", shipped("issuing-ca.pem"), "--crl", shipped("issuing-ca.crl"),
                "--at", "2030-01-01T00:00:00Z", "--peer", shipped("gw-revoked.pem"));
        assertEquals(1, run.status(), run.toString());
        assertEquals("reject REVOKED", run.outLines().get(0));
    }

    @Test
    void the_shipped_files_are_exactly_what_the_generator_makes() throws IOException {
        for (Map.Entry<String, byte[]> file : ExamplePkiGenerator.files().entrySet()) {
            Path shipped = Repository.examplePki().resolve(file.getKey());
            assertTrue(Files.exists(shipped), shipped + " is missing; regenerate (policies/examples/pki/README.md)");
            assertArrayEquals(file.getValue(), Files.readAllBytes(shipped),
                    shipped + " differs from the generator's output; regenerate (policies/examples/pki/README.md)");
        }
    }
}
