package certgate.adapters.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** With a token file: every route but /health and /ready wants the bearer token. */
@Timeout(value = 1, unit = TimeUnit.MINUTES)
class ServiceTokenTest {
    @TempDir
    Path dir;
    ServeFixture serve;

    @BeforeEach
    void start() throws IOException {
        serve = ServeFixture.start(dir, Optional.of(ServeFixture.TOKEN), Map.of());
    }

    @AfterEach
    void stop() {
        serve.close();
    }

    private ServeFixture.Answer without(String path, String authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(serve.uri(path))
                .POST(HttpRequest.BodyPublishers.ofString(ServeFixture.decisionBody("gw-good.pem",
                        "fqdn:gw1.example.net")));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return serve.send(request.build());
    }

    @Test
    void a_call_without_the_token_or_with_another_is_401_and_appends_nothing() {
        ServeFixture.Answer none = without("/v1/decisions", null);
        ServeFixture.Answer wrong = without("/v1/decisions", "Bearer " + ServeFixture.TOKEN.replace('0', '1'));
        ServeFixture.Answer basic = without("/v1/decisions", "Basic " + ServeFixture.TOKEN);

        for (ServeFixture.Answer answer : new ServeFixture.Answer[] {none, wrong, basic}) {
            assertEquals(401, answer.status(), answer.body());
            assertEquals("UNAUTHENTICATED", answer.code());
        }
        assertTrue(none.headers().get("www-authenticate").get(0).startsWith("Bearer"));
        assertEquals(200, serve.post("/v1/decisions", ServeFixture.decisionBody("gw-good.pem",
                "fqdn:gw1.example.net")).status(), "with the token");
        assertEquals(1, serve.get("/v1/state").json().get("decisions").get("total").asInt());
        assertTrue(!serve.requestLog().contains(ServeFixture.TOKEN), "the token is never logged");
    }

    @Test
    void health_and_readiness_need_no_token_metrics_does() {
        assertEquals(200, serve.send(HttpRequest.newBuilder(serve.uri("/health")).build()).status());
        assertEquals(200, serve.send(HttpRequest.newBuilder(serve.uri("/ready")).build()).status());
        assertEquals(401, serve.send(HttpRequest.newBuilder(serve.uri("/metrics")).build()).status());
    }
}
