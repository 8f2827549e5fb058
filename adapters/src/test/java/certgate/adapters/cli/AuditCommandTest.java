package certgate.adapters.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import certgate.adapters.cli.StoreFixture.Pki;
import certgate.adapters.cli.StoreFixture.Result;
import certgate.engine.testpki.TestPki;
import certgate.eventstore.Event;
import certgate.eventstore.Reason;
import certgate.eventstore.ValidationDecided;
import certgate.eventstore.Verdict;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditCommandTest {
    @TempDir
    Path dir;
    StoreFixture fixture;
    Pki pki;

    @BeforeEach
    void setUp() {
        fixture = new StoreFixture(dir);
        pki = Pki.create().writeTo(fixture);
    }

    private void validations() {
        fixture.loadAll();
        fixture.run("validate", "--peer", "gw1.pem", "--at", "2025-01-01", "--id", "fqdn:gw1.example.net");
        fixture.run("validate", "--peer", "gw2.pem", "--at", "2025-01-01");
        fixture.run("validate", "--peer", "gw1.pem", "--at", "2041-01-01");
    }

    @Test
    void passes_when_every_decision_re_decides_the_same() {
        validations();

        Result result = fixture.run("audit");

        assertEquals(0, result.status(), result.toString());
        assertTrue(result.out().contains("10 events, 3 decisions (accept 1, reject 2)"), result.out());
        assertTrue(result.out().contains("audited 3 decisions: 3 re-decided the same, 0 mismatches"), result.out());
        assertTrue(result.out().endsWith("audit passed\n"), result.out());
    }

    @Test
    void lists_every_mismatch_and_exits_1() {
        validations();
        fixture.appendDirectly(StoreFixture.request("forged", pki.revoked(), TestPki.NOW),
                new ValidationDecided("forged", Verdict.ACCEPT, Reason.OK),
                new ValidationDecided("orphan", Verdict.REJECT, Reason.EXPIRED));

        Result result = fixture.run("audit");

        assertEquals(1, result.status(), result.toString());
        assertTrue(result.out().contains("MISMATCH forged (decision at sequence 11): recorded accept OK, re-decided"
                + " reject REVOKED (request at sequence 10)"), result.out());
        assertTrue(result.out().contains("MISMATCH orphan (decision at sequence 12): recorded reject EXPIRED answers"
                + " no request recorded before it"), result.out());
        assertTrue(result.out().contains("audited 5 decisions: 3 re-decided the same, 2 mismatches"), result.out());
        assertTrue(result.out().endsWith("audit FAILED\n"), result.out());
    }

    @Test
    void the_number_of_threads_changes_neither_the_counts_nor_the_order_of_mismatches() {
        fixture.loadAll();
        // Enough decisions for several batches per thread, with mismatches spread through them.
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < 1_200; i++) {
            if (i % 97 == 0) {
                events.add(StoreFixture.request("forged-" + i, pki.revoked(), TestPki.NOW));
                events.add(new ValidationDecided("forged-" + i, Verdict.ACCEPT, Reason.OK));
            } else if (i % 331 == 0) {
                events.add(new ValidationDecided("orphan-" + i, Verdict.REJECT, Reason.EXPIRED));
            } else {
                boolean good = i % 2 == 0;
                events.add(StoreFixture.request("r-" + i, good ? pki.good() : pki.revoked(), TestPki.NOW));
                events.add(new ValidationDecided("r-" + i, good ? Verdict.ACCEPT : Verdict.REJECT,
                        good ? Reason.OK : Reason.REVOKED));
            }
        }
        fixture.appendDirectly(events.toArray(Event[]::new));

        Result one = fixture.run("audit", "--threads", "1");
        Result three = fixture.run("audit", "--threads", "3");

        assertEquals(1, one.status(), one.toString());
        assertTrue(one.out().contains("audited 1200 decisions: 1184 re-decided the same, 16 mismatches"), one.out());
        assertEquals(one.out(), three.out());
        assertEquals(1, three.status());
    }

    @Test
    void threads_must_be_a_positive_number() {
        validations();
        Result zero = fixture.run("audit", "--threads", "0");
        assertEquals(2, zero.status(), zero.toString());
        assertTrue(zero.err().contains("--threads '0' is not a number from 1 to 256"), zero.err());
    }

    @Test
    void the_window_selects_decisions_by_the_append_time_of_their_request() {
        fixture.loadAll();
        fixture.clock.set(Instant.parse("2025-01-01T10:00:00Z"));
        fixture.run("validate", "--peer", "gw1.pem", "--at", "2025-01-01");
        fixture.clock.set(Instant.parse("2025-01-01T12:00:00Z"));
        fixture.appendDirectly(StoreFixture.request("forged", pki.revoked(), TestPki.NOW),
                new ValidationDecided("forged", Verdict.ACCEPT, Reason.OK));

        Result before = fixture.run("audit", "--until", "2025-01-01T11:00:00Z");
        Result after = fixture.run("audit", "--from", "2025-01-01T11:00:00Z");

        assertEquals(0, before.status(), before.toString());
        assertTrue(before.out().contains("audited 1 decisions until 2025-01-01T11:00:00Z: 1 re-decided the same,"
                + " 0 mismatches (1 outside the window)"), before.out());
        assertEquals(1, after.status(), after.toString());
        assertTrue(after.out().contains("audited 1 decisions from 2025-01-01T11:00:00Z: 0 re-decided the same,"
                + " 1 mismatch (1 outside the window)"), after.out());
    }

    @Test
    void a_request_left_without_decision_is_listed_but_is_no_mismatch() {
        validations();
        fixture.appendDirectly(StoreFixture.request("cut-short", pki.good(), TestPki.NOW));

        Result result = fixture.run("audit");

        assertEquals(0, result.status(), result.toString());
        assertTrue(result.out().contains("requests without a decision: 1\n  cut-short at sequence 10"), result.out());
    }

    @Test
    void usage_errors_name_the_option() {
        fixture.clock.advance(Duration.ZERO);
        assertTrue(fixture.run("audit", "--from", "2025-02-01", "--until", "2025-01-01").err()
                .contains("is after --until"));
        assertEquals(2, fixture.run("audit").status(), "no store yet");
    }

    @Test
    void format_json_prints_a_line_per_mismatch_then_the_summary() throws Exception {
        validations();
        fixture.appendDirectly(StoreFixture.request("forged", pki.revoked(), TestPki.NOW),
                new ValidationDecided("forged", Verdict.ACCEPT, Reason.OK));

        Result result = fixture.run("audit", "--format", "json");

        assertEquals(1, result.status(), result.toString());
        List<String> lines = result.out().lines().toList();
        assertEquals(2, lines.size(), result.out());
        JsonNode mismatch = DecisionFormat.JSON.readTree(lines.get(0)).get("mismatch");
        assertEquals("forged", mismatch.get("requestId").asText());
        assertEquals("OK", mismatch.get("recorded").get("reason").asText());
        assertEquals("REVOKED", mismatch.get("redecided").get("reason").asText());
        assertEquals(10, mismatch.get("requestSequence").asLong());
        JsonNode summary = DecisionFormat.JSON.readTree(lines.get(1)).get("summary");
        assertEquals(4, summary.get("audited").asLong());
        assertEquals(3, summary.get("matched").asLong());
        assertEquals(1, summary.get("mismatched").asLong());
        assertFalse(summary.get("passed").asBoolean());
    }
}
