package certgate.adapters.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import certgate.testkit.Gens;
import certgate.testkit.Property;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damaged request bodies on every route that reads one: a decision (200, when the damage left a request), or a
 * refusal with a stable code (400, 413); never a 500, never a stack trace, and the service keeps answering.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ServiceBodyProperties {
    private static final Set<Integer> ANSWERS = Set.of(200, 400, 413);
    private static final byte[] VALID = ServeFixture.decisionBody("gw-revoked.pem", "fqdn:gw2.example.net")
            .getBytes(StandardCharsets.UTF_8);

    @TempDir
    static Path dir;
    static ServeFixture serve;

    @BeforeAll
    static void start() throws IOException {
        serve = ServeFixture.start(dir);
    }

    @AfterAll
    static void stop() {
        serve.close();
    }

    private static void answeredCleanly(String route, ServeFixture.Answer answer) {
        assertTrue(ANSWERS.contains(answer.status()), route + ": status " + answer.status() + ": " + answer.body());
        assertFalse(answer.body().contains("Exception") || answer.body().contains("\tat "), answer.body());
        JsonNode json = answer.json();
        if (answer.status() != 200) {
            assertFalse(json.path("error").path("code").asText().isEmpty(), answer.body());
            assertFalse(json.path("error").path("message").asText().isEmpty(), answer.body());
        }
    }

    @Test
    void a_damaged_decision_request_is_decided_or_refused_with_a_code_never_a_500() {
        Property.forAll(Gens.damaged(VALID)).tries(200).check(damaged -> {
            ServeFixture.Answer answer = serve.post("/v1/decisions", damaged);
            answeredCleanly("/v1/decisions", answer);
            if (answer.status() == 200) {
                assertEquals(answer.json().get("requestId").asText(), serve.get("/v1/decisions/"
                        + answer.json().get("requestId").asText()).json().get("requestId").asText());
            }
        });
        assertEquals(200, serve.get("/health").status());
    }

    @Test
    void damaged_certificates_crls_and_policies_are_refused_with_a_code_never_a_500() throws IOException {
        byte[] crl = java.nio.file.Files.readAllBytes(ServeFixture.pki("issuing-ca.crl"));
        byte[] ca = java.nio.file.Files.readAllBytes(ServeFixture.pki("issuing-ca.pem"));
        byte[] policy = java.nio.file.Files.readAllBytes(ServeFixture.pki("../example-pki.yaml"));
        Property.forAll(Gens.damaged(crl)).tries(60).check(damaged ->
                answeredCleanly("/v1/crls", serve.post("/v1/crls", damaged)));
        Property.forAll(Gens.damaged(ca)).tries(60).check(damaged ->
                answeredCleanly("/v1/cas", serve.post("/v1/cas", damaged)));
        Property.forAll(Gens.damaged(policy)).tries(60).check(damaged ->
                answeredCleanly("/v1/policies", serve.post("/v1/policies", damaged)));
    }

    @Test
    void random_bytes_are_refused_with_a_code() {
        Property.forAll(Gens.bytes(0, 300)).tries(100).check(bytes ->
                answeredCleanly("/v1/decisions", serve.post("/v1/decisions", bytes)));
    }
}
