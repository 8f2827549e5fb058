package certgate.adapters.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import certgate.adapters.cli.StoreFixture.Pki;
import certgate.adapters.cli.StoreFixture.Result;
import certgate.engine.testpki.TestPki;
import certgate.eventstore.Reason;
import certgate.eventstore.ValidationDecided;
import certgate.eventstore.Verdict;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExplainCommandTest {
    @TempDir
    Path dir;
    StoreFixture fixture;
    Pki pki;

    @BeforeEach
    void setUp() {
        fixture = new StoreFixture(dir);
        pki = Pki.create().writeTo(fixture);
    }

    @Test
    void prints_the_trace_of_a_recorded_decision_and_says_it_matches() {
        fixture.loadAll();
        fixture.run("validate", "--peer", "gw2.pem", "--at", "2025-01-01", "--id", "fqdn:gw2.example.net");

        Result result = fixture.run("explain", "d-4");

        assertEquals(0, result.status(), result.toString());
        String out = result.out();
        assertTrue(out.startsWith("request d-4 at sequence 4 (appended " + StoreFixture.START
                + "), validation time 2025-01-01T00:00:00Z, id fqdn:gw2.example.net, peer sha256 "), out);
        assertTrue(out.contains("re-decided from the 4 events before it:\nreject REVOKED\n"), out);
        assertTrue(out.contains("  revocation   fail"), out);
        assertTrue(out.contains("recorded: reject REVOKED (at sequence 5, appended"), out);
        assertTrue(out.endsWith("matches recorded decision: yes\n"), out);
    }

    @Test
    void decides_in_the_state_before_the_request_not_the_state_now() {
        fixture.run("load", "ca", "root.pem", "issuing.pem");
        fixture.run("validate", "--peer", "gw2.pem", "--at", "2025-01-01");
        fixture.run("load", "crl", "root.crl", "issuing.crl");
        fixture.run("validate", "--peer", "gw2.pem", "--at", "2025-01-01");

        Result before = fixture.run("explain", "d-2");
        Result after = fixture.run("explain", "d-6");

        assertTrue(before.out().contains("re-decided from the 2 events before it:\nreject CRL_UNAVAILABLE"),
                before.out());
        assertEquals(0, before.status(), before.toString());
        assertTrue(after.out().contains("reject REVOKED"), after.out());
        assertEquals(0, after.status(), after.toString());
    }

    @Test
    void a_recorded_decision_that_a_replay_does_not_reproduce_is_a_mismatch() {
        fixture.loadAll();
        fixture.appendDirectly(StoreFixture.request("forged", pki.revoked(), TestPki.NOW),
                new ValidationDecided("forged", Verdict.ACCEPT, Reason.OK));

        Result result = fixture.run("explain", "forged");

        assertEquals(1, result.status(), result.toString());
        assertTrue(result.out().contains("reject REVOKED"), result.out());
        assertTrue(result.out().contains("recorded: accept OK"), result.out());
        assertTrue(result.out().endsWith("matches recorded decision: no\n"), result.out());
    }

    @Test
    void a_request_without_a_recorded_decision_does_not_match() {
        fixture.loadAll();
        fixture.appendDirectly(StoreFixture.request("cut-short", pki.good(), TestPki.NOW));

        Result result = fixture.run("explain", "cut-short");

        assertEquals(1, result.status(), result.toString());
        assertTrue(result.out().contains("accept OK"), result.out());
        assertTrue(result.out().contains("recorded: no decision"), result.out());
    }

    @Test
    void an_unknown_id_is_an_error() {
        fixture.loadAll();

        Result result = fixture.run("explain", "d-99");

        assertEquals(2, result.status(), result.toString());
        assertTrue(result.err().contains("no request with id 'd-99'"), result.err());
    }

    @Test
    void needs_exactly_one_id() {
        assertTrue(fixture.run("explain").err().contains("missing DECISION-ID"));
        assertTrue(fixture.run("explain", "d-1", "d-2").err().contains("too many arguments"));
    }

    @Test
    void format_json_prints_the_decision_object_with_the_request_and_the_record() throws Exception {
        fixture.loadAll();
        fixture.run("validate", "--peer", "gw2.pem", "--at", "2025-01-01", "--id", "fqdn:gw2.example.net");

        Result result = fixture.run("explain", "d-4", "--format", "json");

        assertEquals(0, result.status(), result.toString());
        JsonNode explained = DecisionFormat.JSON.readTree(result.out());
        assertEquals("d-4", explained.get("requestId").asText());
        assertEquals("REVOKED", explained.get("reason").asText());
        assertEquals("revocation", explained.get("trace").get(explained.get("trace").size() - 1).get("step")
                .asText());
        assertEquals(4, explained.get("request").get("sequence").asLong());
        assertEquals("fqdn:gw2.example.net", explained.get("request").get("id").asText());
        assertEquals("REVOKED", explained.get("recorded").get("reason").asText());
        assertEquals(5, explained.get("recorded").get("sequence").asLong());
        assertTrue(explained.get("matches").asBoolean(), result.out());
    }
}
