package certgate.adapters.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import certgate.engine.Decision;
import certgate.engine.PathCertificate;
import certgate.engine.PathCertificate.Source;
import certgate.engine.trace.TraceStep;
import certgate.engine.trace.TraceStep.Outcome;
import certgate.engine.trace.TraceStep.Step;
import certgate.eventstore.Reason;
import certgate.eventstore.Verdict;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DecisionFormatTest {
    private static final Decision REVOKED = new Decision(Verdict.REJECT, Reason.REVOKED,
            List.of(new TraceStep(Step.CHAIN, Outcome.PASS, "path of 2"),
                    new TraceStep(Step.REVOCATION, Outcome.FAIL, "serial 1002 is on the CRL\nsince 2026-03-01")),
            List.of(new PathCertificate("CN=gw2", "CN=CA", "1002", "ab".repeat(32), Source.PEER),
                    new PathCertificate("CN=CA", "CN=Root", "02", "cd".repeat(32), Source.TRUSTED)));

    @Test
    void text_puts_verdict_and_reason_first_then_the_trace_then_the_path() {
        assertEquals("""
                reject REVOKED
                  chain        pass     path of 2
                  revocation   fail     serial 1002 is on the CRL
                                        since 2026-03-01
                path:
                  peer     CN=gw2
                           issuer CN=CA
                           serial 1002  sha256 %s
                  trusted  CN=CA
                           issuer CN=Root
                           serial 02  sha256 %s
                """.formatted("ab".repeat(32), "cd".repeat(32)), DecisionFormat.text(REVOKED));
    }

    @Test
    void text_says_when_no_path_was_built() {
        Decision malformed = new Decision(Verdict.REJECT, Reason.MALFORMED_CERTIFICATE,
                List.of(new TraceStep(Step.CHAIN, Outcome.FAIL, "peer certificate cannot be parsed")), List.of());
        assertEquals("reject MALFORMED_CERTIFICATE\n  chain        fail     peer certificate cannot be parsed\n"
                + "path: none built\n", DecisionFormat.text(malformed));
    }

    @Test
    void text_neutralises_terminal_escapes_from_certificates() {
        Decision evil = new Decision(Verdict.ACCEPT, Reason.OK, List.of(),
                List.of(new PathCertificate("CN=\u001b[31mred", "CN=CA\rX", "01", "00", Source.PEER)));
        String text = DecisionFormat.text(evil);
        assertFalse(text.contains("\u001b"), text);
        assertFalse(text.contains("\r"), text);
        assertEquals("  peer     CN=\\u001b[31mred", text.lines().toList().get(2));
    }

    @Test
    void json_has_the_documented_fields_and_lowercase_words() throws Exception {
        JsonNode json = DecisionFormat.JSON.readTree(DecisionFormat.oneLine(DecisionFormat.json("req-7", REVOKED)));
        assertEquals(List.of("requestId", "verdict", "reason", "trace", "chain"), fieldNames(json));
        assertEquals("req-7", json.get("requestId").asText());
        assertEquals("reject", json.get("verdict").asText());
        assertEquals("REVOKED", json.get("reason").asText());
        assertEquals(List.of("step", "outcome", "detail"), fieldNames(json.get("trace").get(1)));
        assertEquals("revocation", json.get("trace").get(1).get("step").asText());
        assertEquals("fail", json.get("trace").get(1).get("outcome").asText());
        assertEquals("serial 1002 is on the CRL\nsince 2026-03-01", json.get("trace").get(1).get("detail").asText());
        assertEquals(List.of("subject", "issuer", "serial", "sha256", "source"), fieldNames(json.get("chain").get(0)));
        assertEquals("trusted", json.get("chain").get(1).get("source").asText());
        assertEquals("1002", json.get("chain").get(0).get("serial").asText());
    }

    @Test
    void json_is_one_line() {
        assertFalse(DecisionFormat.oneLine(DecisionFormat.json("req-1", REVOKED)).contains("\n"));
    }

    @Test
    void an_error_object_names_the_line_and_a_code() throws Exception {
        JsonNode json = DecisionFormat.JSON.readTree(
                DecisionFormat.oneLine(DecisionFormat.error("req-3", 3, "NOT_JSON", "line 3: not JSON")));
        assertEquals(List.of("requestId", "line", "error"), fieldNames(json));
        assertEquals(3, json.get("line").asInt());
        assertEquals("NOT_JSON", json.get("error").get("code").asText());
    }

    private static List<String> fieldNames(JsonNode node) {
        return node.properties().stream().map(Map.Entry::getKey).toList();
    }
}
