package certgate.adapters.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import certgate.adapters.cli.Repository;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's "Running certgate as a service" commands, run with the real curl against a service on the example
 * PKI under the example policy (only the port differs: the test takes a free one).
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ServiceReadmeTest {
    /** The README's commands, as proposed in NOTES-serve.md, the test puts its port for 8470. */
    static final String READY = "curl -s http://127.0.0.1:8470/ready";
    static final String DECIDE = "P=policies/examples/pki; curl -s 'http://127.0.0.1:8470/v1/decisions?explain=false'"
            + " -H 'Content-Type: application/json' -d '{\"peer\": \"'\"$(openssl x509 -in $P/gw-good.pem -outform"
            + " DER | base64 -w0)\"'\", \"id\": \"fqdn:gw1.example.net\", \"at\": \"2030-01-01T00:00:00Z\"}'";
    static final String DECIDE_REVOKED = "P=policies/examples/pki; curl -s -X POST"
            + " http://127.0.0.1:8470/v1/decisions -H 'Content-Type: application/json' -d '{\"peer\": \"'\"$(openssl"
            + " x509 -in $P/gw-revoked.pem -outform DER | base64 -w0)\"'\", \"id\": \"dn:CN=gw2.example.net, OU=VPN, O=Example, C=US\", \"at\":"
            + " \"2030-01-01T00:00:00Z\"}'";
    static final String RECORDED = "curl -s http://127.0.0.1:8470/v1/decisions/$ID";

    @TempDir
    Path dir;
    ServeFixture serve;

    @BeforeEach
    void start() throws IOException {
        serve = ServeFixture.start(dir);
        String policy = Files.readString(Repository.root().resolve("policies/examples/example-pki.yaml"));
        assertEquals(200, serve.post("/v1/policies", policy).status());
    }

    @AfterEach
    void stop() {
        serve.close();
    }

    private String run(String command) {
        Curl.Result result = Curl.bash(Repository.root(), command.replace(":8470/", ":" + serve.port() + "/"));
        assertEquals(0, result.status(), result.output());
        return result.output();
    }

    @Test
    void the_readme_asks_the_service_with_curl() {
        assertEquals("{\"ready\":true}", run(READY));

        String accepted = run(DECIDE);
        String revoked = run(DECIDE_REVOKED);

        assertTrue(accepted.startsWith("{\"requestId\":\"d-"), accepted);
        assertTrue(accepted.contains("\"verdict\":\"accept\",\"reason\":\"OK\""), accepted);
        assertTrue(accepted.contains("\"gateway\":\"gw1\""), accepted);
        assertTrue(!accepted.contains("\"trace\""), accepted);
        assertTrue(revoked.contains("\"verdict\":\"reject\",\"reason\":\"REVOKED\""), revoked);
        assertTrue(revoked.contains("\"gateway\":\"vpn-by-dn\""), revoked);
        assertTrue(revoked.contains("\"trace\":[{\"step\":\"gateway\""), revoked);
        String id = serve.get("/v1/state").json().get("lastSequence").asText();
        String recorded = run("ID=d-" + (Long.parseLong(id) - 1) + "; " + RECORDED);
        assertTrue(recorded.contains("\"reason\":\"REVOKED\""), recorded);
    }
}
