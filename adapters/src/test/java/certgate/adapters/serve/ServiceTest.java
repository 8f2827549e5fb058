package certgate.adapters.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import certgate.adapters.http.RawHttp;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The decision service over real sockets: what each route answers, and that bad requests leave it serving. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ServiceTest {
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
    void decides_a_good_and_a_revoked_peer_and_answers_only_once_both_events_are_in_the_log() {
        JsonNode good = serve.decide("gw-good.pem", "fqdn:gw1.example.net");
        JsonNode revoked = serve.decide("gw-revoked.pem", "fqdn:gw2.example.net");

        assertEquals("accept", good.get("verdict").asText(), good.toString());
        assertEquals("OK", good.get("reason").asText());
        assertEquals("reject", revoked.get("verdict").asText());
        assertEquals("REVOKED", revoked.get("reason").asText());
        long requestSequence = good.get("requestSequence").asLong();
        assertEquals("d-" + requestSequence, good.get("requestId").asText(), "ids name the request's sequence");
        assertEquals(requestSequence + 1, good.get("sequence").asLong());
        assertTrue(good.get("trace").size() >= 5, good.toString());
        assertEquals(AtSeconds.of(ServeFixture.AT), good.get("at").asText());
        JsonNode recorded = serve.get("/v1/decisions/" + good.get("requestId").asText()).json();
        assertEquals("accept", recorded.get("verdict").asText());
        assertEquals(requestSequence, recorded.get("requestSequence").asLong());
        assertEquals("fqdn:gw1.example.net", recorded.get("id").asText());
    }

    @Test
    void a_decision_the_service_does_not_remember_is_read_from_the_log_at_its_sequence() throws IOException {
        JsonNode asked = serve.decide("gw-revoked.pem", "fqdn:gw2.example.net");
        String id = asked.get("requestId").asText();
        JsonNode remembered = serve.get("/v1/decisions/" + id).json();
        long next = asked.get("sequence").asLong() + 1;
        serve.close();
        serve = ServeFixture.start(dir);

        JsonNode read = serve.get("/v1/decisions/" + id).json();
        ServeFixture.Answer notARequest = serve.get("/v1/decisions/d-" + (next - 1));
        ServeFixture.Answer pastTheEnd = serve.get("/v1/decisions/d-" + (next + 1_000));

        assertEquals(remembered, read, "a new service, which remembers nothing, reads what the first answered");
        assertEquals(404, notARequest.status(), "the event at a decision's own sequence is no request");
        assertEquals(404, pastTheEnd.status());
    }

    @Test
    void metrics_say_how_old_the_newest_snapshot_is_and_how_many_events_a_restart_would_replay()
            throws IOException {
        serve.decide("gw-good.pem", "fqdn:gw1.example.net");
        serve.close(); // a clean shutdown writes a snapshot of everything
        serve = ServeFixture.start(dir);
        String afterRestart = serve.get("/metrics").body();
        serve.decide("gw-good.pem", "fqdn:gw1.example.net");

        assertTrue(afterRestart.contains("# TYPE certgate_snapshot_age_seconds gauge"), afterRestart);
        double age = Double.parseDouble(afterRestart.lines().filter(l -> l.startsWith("certgate_snapshot_age_seconds "))
                .findFirst().orElseThrow().substring("certgate_snapshot_age_seconds ".length()));
        assertTrue(age >= 0 && age < 60, "written moments ago: " + age);
        assertTrue(afterRestart.contains("\ncertgate_snapshot_events_behind 0"), afterRestart);
        assertEquals(2, metric("certgate_snapshot_events_behind"), "a decision is a request and its decision");
    }

    @Test
    void explain_false_leaves_the_trace_out_and_explain_re_decides_from_the_log() {
        ServeFixture.Answer answer = serve.post("/v1/decisions?explain=false",
                ServeFixture.decisionBody("gw-revoked.pem", "fqdn:gw2.example.net"));

        assertEquals(200, answer.status(), answer.body());
        assertFalse(answer.json().has("trace"), answer.body());
        String id = answer.json().get("requestId").asText();
        JsonNode explained = serve.get("/v1/decisions/" + id + "/explain").json();
        assertTrue(explained.get("matches").asBoolean(), explained.toString());
        assertEquals("REVOKED", explained.get("recorded").get("reason").asText());
        assertTrue(explained.get("trace").size() >= 5);
    }

    @Test
    void a_peer_as_base64_der_is_decided_as_its_pem() {
        String body = "{\"peer\": \"" + ServeFixture.base64Der("gw-good.pem") + "\", \"id\": \"fqdn:gw1.example.net\","
                + " \"at\": \"" + ServeFixture.AT + "\"}";

        ServeFixture.Answer answer = serve.post("/v1/decisions", body);

        assertEquals(200, answer.status(), answer.body());
        assertEquals("OK", answer.json().get("reason").asText());
    }

    @Test
    void a_certificate_that_is_not_one_is_decided_and_recorded_as_malformed() {
        String body = "{\"peer\": \"" + java.util.Base64.getEncoder().encodeToString("garbage".getBytes(
                StandardCharsets.US_ASCII)) + "\", \"at\": \"" + ServeFixture.AT + "\"}";

        ServeFixture.Answer answer = serve.post("/v1/decisions", body);

        assertEquals(200, answer.status(), answer.body());
        assertEquals("MALFORMED_CERTIFICATE", answer.json().get("reason").asText());
    }

    @Test
    void bad_bodies_are_400_with_a_stable_code_and_the_service_keeps_serving() {
        String pemWithGarbage = ServeFixture.pem("gw-good.pem").replace("MII", "M*I");
        Map<String, String> bodies = Map.of(
                "{\"peer\": ", "NOT_JSON",
                "[1, 2]", "NOT_AN_OBJECT",
                "{\"peer\": \"x\", \"peer\": \"y\"}", "NOT_JSON",
                "{\"pier\": \"x\"}", "UNKNOWN_FIELD",
                "{}", "MISSING_FIELD",
                "{\"peer\": 7}", "WRONG_TYPE",
                "{\"peer\": " + Http.JSON.valueToTree(pemWithGarbage) + "}", "BAD_ENCODING",
                "{\"peer\": \"%%%\"}", "BAD_ENCODING",
                "{\"peer\": \"" + ServeFixture.base64Der("gw-good.pem") + "\", \"id\": \"ip:999.1.1.1\"}", "BAD_ID",
                "{\"peer\": \"" + ServeFixture.base64Der("gw-good.pem") + "\", \"at\": \"yesterday\"}", "BAD_TIME");
        long before = events();

        for (Map.Entry<String, String> body : bodies.entrySet()) {
            ServeFixture.Answer answer = serve.post("/v1/decisions", body.getKey());
            assertEquals(400, answer.status(), body.getKey() + " -> " + answer.body());
            assertEquals(body.getValue(), answer.code(), body.getKey() + " -> " + answer.body());
            assertFalse(answer.body().contains("Exception"), answer.body());
        }
        ServeFixture.Answer notUtf8 = serve.post("/v1/decisions", new byte[] {'{', (byte) 0xff, '}'});
        assertEquals("NOT_UTF8", notUtf8.code());

        assertEquals(before, events(), "nothing appended for a refused request");
        serve.decide("gw-good.pem", "fqdn:gw1.example.net");
    }

    @Test
    void a_ten_mebibyte_body_is_413_and_the_service_keeps_serving() {
        byte[] huge = new byte[10 << 20];
        Arrays.fill(huge, (byte) 'a');

        ServeFixture.Answer answer = serve.post("/v1/decisions", huge);

        assertEquals(413, answer.status(), answer.body());
        assertEquals("BODY_TOO_LARGE", answer.code());
        serve.decide("gw-good.pem", "fqdn:gw1.example.net");
    }

    @Test
    void an_unknown_route_is_404_and_a_wrong_method_405_with_allow() {
        ServeFixture.Answer unknown = serve.get("/v2/anything");
        ServeFixture.Answer wrongMethod = serve.get("/v1/decisions");
        ServeFixture.Answer noSuchDecision = serve.get("/v1/decisions/d-999999");

        assertEquals(404, unknown.status());
        assertEquals("NOT_FOUND", unknown.code());
        assertEquals(405, wrongMethod.status());
        assertEquals("METHOD_NOT_ALLOWED", wrongMethod.code());
        assertEquals(List.of("POST"), wrongMethod.headers().get("allow"));
        assertEquals(404, noSuchDecision.status());
    }

    @Test
    void a_header_flood_is_refused_and_the_service_keeps_serving() throws IOException {
        StringBuilder head = new StringBuilder("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        for (int i = 0; i < 5_000; i++) {
            head.append("X-Flood-").append(i).append(": ").append("y".repeat(20)).append("\r\n");
        }
        head.append("\r\n");
        try (RawHttp raw = new RawHttp(serve.port())) {
            try {
                raw.write(head.toString().getBytes(StandardCharsets.US_ASCII));
                RawHttp.Response response = raw.read();
                assertTrue(response.status() >= 400 && response.status() < 500, "status " + response.status());
            } catch (IOException closed) {
                // The JDK server may close the connection instead of answering: refused either way.
            }
        }
        assertEquals(200, serve.get("/health").status());
    }

    @Test
    void a_client_that_sends_one_byte_a_second_is_dropped_while_others_are_served() throws Exception {
        byte[] request = RawHttp.request("POST", "/v1/decisions",
                ServeFixture.decisionBody("gw-good.pem", "fqdn:gw1.example.net"));
        long started = System.nanoTime();
        boolean dropped = false;
        try (RawHttp slow = new RawHttp(serve.port())) {
            for (int i = 0; i < 20 && !dropped; i++) {
                try {
                    slow.write(new byte[] {request[i]});
                } catch (IOException e) {
                    dropped = true;
                    break;
                }
                serve.decide("gw-good.pem", "fqdn:gw1.example.net");
                slow.socket.setSoTimeout(1_000);
                try {
                    dropped = slow.closedByServer();
                } catch (RuntimeException e) {
                    dropped = true;
                }
            }
        }
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
        assertTrue(dropped, "a trickling client was not dropped within 20 s");
        assertTrue(seconds <= ServeFixture.LIMITS.requestTimeout().toSeconds() + 3, "dropped after " + seconds
                + " s");
    }

    @Test
    void two_hundred_concurrent_connections_are_all_decided_in_shared_group_commits() throws Exception {
        long appendsBefore = metric("certgate_log_appends_total");
        byte[] request = RawHttp.request("POST", "/v1/decisions?explain=false",
                ServeFixture.decisionBody("gw-good.pem", "fqdn:gw1.example.net"));
        List<RawHttp> connections = new ArrayList<>();
        ExecutorService clients = Executors.newFixedThreadPool(200);
        try {
            for (int i = 0; i < 200; i++) {
                connections.add(new RawHttp(serve.port()));
            }
            List<Future<RawHttp.Response>> answers = new ArrayList<>();
            for (RawHttp connection : connections) {
                answers.add(clients.submit(() -> connection.exchange(request)));
            }
            Set<String> ids = new HashSet<>();
            for (Future<RawHttp.Response> answer : answers) {
                RawHttp.Response response = answer.get(60, TimeUnit.SECONDS);
                assertEquals(200, response.status(), response.body());
                ids.add(Http.JSON.readTree(response.body()).get("requestId").asText());
            }
            assertEquals(200, ids.size(), "every decision has its own id");
        } finally {
            clients.shutdownNow();
            for (RawHttp connection : connections) {
                connection.close();
            }
        }
        long appends = metric("certgate_log_appends_total") - appendsBefore;
        assertTrue(appends < 200, "200 concurrent decisions took " + appends + " appends: not grouped");
    }

    @Test
    void nagle_is_off_so_a_keep_alive_exchange_does_not_wait_for_a_delayed_ack() throws IOException {
        assertEquals("true", System.getProperty("sun.net.httpserver.nodelay"));
        // /health, not a decision: its answer does not wait for the disk, so only the network shows.
        byte[] request = RawHttp.request("GET", "/health", "");
        long[] nanos = new long[40];
        try (RawHttp raw = new RawHttp(serve.port())) {
            for (int i = 0; i < nanos.length; i++) {
                long started = System.nanoTime();
                assertEquals(200, raw.exchange(request).status());
                nanos[i] = System.nanoTime() - started;
            }
        }
        Arrays.sort(nanos);
        long medianMillis = TimeUnit.NANOSECONDS.toMillis(nanos[nanos.length / 2]);
        assertTrue(medianMillis < 20, "median exchange " + medianMillis + " ms: a response waits for a delayed ACK");
    }

    @Test
    void operator_routes_answer_health_readiness_and_prometheus_metrics() {
        serve.decide("gw-good.pem", "fqdn:gw1.example.net");

        ServeFixture.Answer health = serve.get("/health");
        ServeFixture.Answer ready = serve.get("/ready");
        ServeFixture.Answer metrics = serve.get("/metrics");

        assertEquals(200, health.status());
        assertEquals(200, ready.status(), ready.body());
        assertEquals(200, metrics.status());
        assertTrue(metrics.headers().get("content-type").get(0).startsWith("text/plain; version=0.0.4"));
        for (String expected : List.of(
                "# TYPE certgate_decisions_total counter",
                "certgate_decisions_total{verdict=\"accept\",reason=\"OK\",gateway=\"\"} 1",
                "# TYPE certgate_decision_duration_seconds histogram",
                "certgate_decision_duration_seconds_bucket{le=\"+Inf\"} 1",
                "# TYPE certgate_log_append_seconds histogram",
                "certgate_crl_age_seconds{issuer=\"CN=Example Issuing CA, O=Example, C=US\"}",
                "certgate_crl_fetch_failures_total 0")) {
            assertTrue(metrics.body().contains(expected), expected + " missing from:\n" + metrics.body());
        }
    }

    @Test
    void state_is_what_replay_prints() {
        serve.decide("gw-revoked.pem", "fqdn:gw2.example.net");

        JsonNode state = serve.get("/v1/state").json();

        assertEquals(2, state.get("trustedCaCertificates").size(), state.toString());
        assertEquals(1, state.get("decisions").get("reject").asInt());
        assertEquals(0, state.get("requestsWithoutDecision").size());
    }

    @Test
    void each_request_is_one_log_line_without_bodies_or_tokens() {
        JsonNode decided = serve.decide("gw-good.pem", "fqdn:gw1.example.net");
        serve.get("/nowhere?secret=1");

        String log = serve.awaitRequestLog("GET /nowhere");
        assertTrue(log.contains("certgate serve: POST /v1/decisions 200 "), log);
        assertTrue(log.contains(" " + decided.get("requestId").asText() + "\n"), log);
        assertTrue(log.contains("certgate serve: GET /nowhere 404 "), log);
        assertFalse(log.contains("BEGIN CERTIFICATE") || log.contains("MII") || log.contains("secret"), log);
    }

    @Test
    void off_loopback_a_token_or_client_certificates_are_required() throws IOException {
        InetSocketAddress any = new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 0);
        Path file = dir.resolve("token-file");
        Files.writeString(file, ServeFixture.TOKEN);

        Service.Config open = new Service.Config(any, Optional.empty(), Optional.empty(), 4, ServeFixture.LIMITS,
                Map.of());
        Service.Config withToken = new Service.Config(any, Optional.of(BearerToken.read(file)), Optional.empty(), 4,
                ServeFixture.LIMITS, Map.of());

        assertTrue(open.refusal().orElseThrow().contains("--token-file"), open.refusal().toString());
        assertEquals(Optional.empty(), withToken.refusal());
    }

    @Test
    void a_policy_posted_is_in_force_for_the_requests_after_its_answer() throws IOException {
        JsonNode before = serve.decide("gw-good.pem", "fqdn:gw1.example.net");
        String policy = Files.readString(ServeFixture.pki("../example-pki.yaml"));

        ServeFixture.Answer activated = serve.post("/v1/policies", policy);
        JsonNode after = serve.decide("gw-good.pem", "fqdn:gw1.example.net");
        ServeFixture.Answer again = serve.post("/v1/policies", policy);
        ServeFixture.Answer broken = serve.post("/v1/policies", "version: 1\nike: [");

        assertEquals(200, activated.status(), activated.body());
        assertTrue(activated.json().get("activated").asBoolean());
        assertTrue(before.get("gateway").isNull(), before.toString());
        assertEquals("gw1", after.get("gateway").asText(), after.toString());
        assertFalse(again.json().get("activated").asBoolean(), "already active: nothing appended");
        assertEquals(400, broken.status());
        assertEquals("POLICY_ERRORS", broken.code());
    }

    @Test
    void cas_and_crls_are_loaded_with_the_checks_of_load() throws IOException {
        ServeFixture.Answer again = serve.post("/v1/crls", Files.readAllBytes(ServeFixture.pki("issuing-ca.crl")));
        ServeFixture.Answer notACa = serve.post("/v1/cas?profile=default", ServeFixture.pem("gw-good.pem"));
        ServeFixture.Answer garbage = serve.post("/v1/cas", "-----BEGIN CERTIFICATE-----\nAAAA\n");

        assertEquals(200, again.status(), again.body());
        assertEquals("already-loaded", again.json().get("outcomes").get(0).get("outcome").asText(), again.body());
        assertEquals(400, notACa.status(), notACa.body());
        assertEquals("REFUSED", notACa.code());
        assertEquals(400, garbage.status(), garbage.body());
    }

    private long events() {
        return serve.service.state().orElseThrow() instanceof DurableState state
                ? state.withReplay(replay -> replay.events()) : -1;
    }

    private long metric(String name) {
        for (String line : serve.get("/metrics").body().split("\n")) {
            if (line.startsWith(name + " ")) {
                return Long.parseLong(line.substring(name.length() + 1).trim());
            }
        }
        return 0;
    }

    /** The service prints times as Instant does. */
    private static final class AtSeconds {
        static String of(String iso) {
            return java.time.Instant.parse(iso).toString();
        }
    }
}
