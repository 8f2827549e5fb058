package certgate.adapters.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import certgate.adapters.cli.StoreFixture.Pki;
import certgate.adapters.cli.StoreFixture.Result;
import certgate.engine.testpki.TestPki;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplayCommandTest {
    @TempDir
    Path dir;
    StoreFixture fixture;

    @BeforeEach
    void setUp() {
        fixture = new StoreFixture(dir);
        Pki.create().writeTo(fixture);
    }

    /** CAs at 10:00, CRLs at 11:00, two decisions at 12:00 and 13:00 (append times, 2024-12-31). */
    private void history() {
        Instant day = Instant.parse("2024-12-31T00:00:00Z");
        fixture.clock.set(day.plus(Duration.ofHours(10)));
        fixture.run("load", "ca", "root.pem", "issuing.pem");
        fixture.clock.set(day.plus(Duration.ofHours(11)));
        fixture.run("load", "crl", "root.crl", "issuing.crl");
        fixture.clock.set(day.plus(Duration.ofHours(12)));
        fixture.run("validate", "--peer", "gw1.pem", "--at", "2025-01-01");
        fixture.clock.set(day.plus(Duration.ofHours(13)));
        fixture.run("validate", "--peer", "gw2.pem", "--at", "2025-01-01");
        fixture.clock.set(TestPki.NOW);
    }

    @Test
    void shows_the_trusted_cas_the_crls_and_the_decisions_by_verdict_and_reason() {
        history();

        Result result = fixture.run("replay");

        assertEquals(0, result.status(), result.toString());
        String out = result.out();
        assertTrue(out.contains("state after sequence 7 (appended 2024-12-31T13:00:00Z): 8 events"), out);
        assertTrue(out.contains("trusted CA certificates: 2\n"), out);
        assertTrue(out.contains("  CN=Store Root CA, O=certgate test, C=US\n      profiles default"), out);
        assertTrue(out.contains("CRLs: 2\n"), out);
        assertTrue(out.contains("fresh  thisUpdate 2024-12-31T00:00:00Z"), out);
        assertTrue(out.contains("file:issuing.crl"), out);
        assertTrue(out.contains("decisions: 2 (accept 1, reject 1)\n"), out);
        assertTrue(out.matches("(?s).*\\n  OK +1\\n  REVOKED +1\\n.*"), out);
        assertTrue(out.contains("requests without a decision: 0\n"), out);
    }

    @Test
    void until_seq_gives_the_state_after_that_event_included() {
        history();

        Result result = fixture.run("replay", "--until-seq", "1");

        String out = result.out();
        assertEquals(0, result.status(), result.toString());
        assertTrue(out.contains("state after sequence 1 (appended 2024-12-31T10:00:00Z): 2 events"), out);
        assertTrue(out.contains("trusted CA certificates: 2\n"), out);
        assertTrue(out.contains("CRLs: 0\n"), out);
        assertTrue(out.contains("decisions: 0 (accept 0, reject 0)"), out);
        assertTrue(out.contains("freshness judged at 2024-12-31T10:00:00Z"), out);
    }

    @Test
    void until_time_takes_the_events_appended_up_to_it() {
        history();

        Result atNoon = fixture.run("replay", "--until", "2024-12-31T12:30:00Z");
        Result beforeAll = fixture.run("replay", "--until", "2024-12-31T09:00:00Z");

        assertTrue(atNoon.out().contains("state after sequence 5 (appended 2024-12-31T12:00:00Z): 6 events"),
                atNoon.out());
        assertTrue(atNoon.out().contains("decisions: 1 (accept 1, reject 0)"), atNoon.out());
        assertTrue(beforeAll.out().contains("state: empty (no event appended at or before 2024-12-31T09:00:00Z)"),
                beforeAll.out());
    }

    @Test
    void a_crl_past_its_next_update_shows_stale() {
        history();
        fixture.clock.set(TestPki.NOW.plus(Duration.ofDays(60)));

        String now = fixture.run("replay").out();
        String then = fixture.run("replay", "--until", "2024-12-31T23:00:00Z").out();

        assertTrue(now.contains("STALE  thisUpdate") && !now.contains("fresh  thisUpdate"), now);
        assertTrue(then.contains("fresh  thisUpdate") && !then.contains("STALE"), then);
    }

    @Test
    void an_until_seq_past_the_end_says_the_log_ends_before_it() {
        history();

        Result result = fixture.run("replay", "--until-seq", "100");

        assertTrue(result.out().contains("note: the log ends before sequence 100"), result.out());
    }

    @Test
    void a_request_left_without_decision_is_listed() {
        history();
        fixture.appendDirectly(StoreFixture.request("d-8", Pki.create().good(), TestPki.NOW));

        Result result = fixture.run("replay");

        assertTrue(result.out().contains("requests without a decision: 1\n  d-8 at sequence 8"), result.out());
    }

    @Test
    void an_existing_empty_store_replays_to_the_empty_state() throws Exception {
        Files.createDirectories(fixture.store());

        Result result = fixture.run("replay");

        assertEquals(0, result.status(), result.toString());
        assertTrue(result.out().contains("state: empty (no event)"), result.out());
    }

    @Test
    void a_missing_store_is_an_error_and_is_not_created() {
        Result result = fixture.run("replay");

        assertEquals(2, result.status(), result.toString());
        assertTrue(result.err().contains("no event store at " + fixture.store()), result.err());
        assertFalse(Files.exists(fixture.store()));
    }

    @Test
    void usage_errors_name_the_option() {
        assertTrue(fixture.run("replay", "--until", "2025-01-01", "--until-seq", "3").err()
                .contains("exclude each other"));
        assertTrue(fixture.run("replay", "--until-seq", "-1").err().contains("'-1' is not a sequence number"));
        assertTrue(fixture.run("replay", "--until", "noon").err().contains("--until:"));
    }

    @Test
    void format_json_prints_one_object_with_the_same_facts() throws Exception {
        history();

        Result result = fixture.run("replay", "--format", "json");

        assertEquals(0, result.status(), result.toString());
        assertEquals(1, result.out().lines().count(), result.out());
        JsonNode state = DecisionFormat.JSON.readTree(result.out());
        assertEquals(8, state.get("events").asLong());
        assertEquals(7, state.get("lastSequence").asLong());
        assertEquals(2, state.get("trustedCaCertificates").size());
        assertEquals(java.util.Set.of("CN=Store Root CA, O=certgate test, C=US",
                "CN=Store Issuing CA, O=certgate test, C=US"), java.util.Set.of(
                state.get("trustedCaCertificates").get(0).get("subject").asText(),
                state.get("trustedCaCertificates").get(1).get("subject").asText()));
        assertEquals(2, state.get("crls").size());
        assertTrue(state.get("crls").get(0).get("fresh").asBoolean(), result.out());
        assertTrue(state.get("activePolicy").isNull(), result.out());
        assertEquals(1, state.get("decisions").get("byReason").get("REVOKED").asLong());
        assertEquals(1, state.get("decisions").get("accept").asLong());
        assertEquals(0, state.get("requestsWithoutDecision").size());
    }
}
