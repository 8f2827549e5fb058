package certgate.adapters.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import certgate.adapters.cli.RequestLines.Request;
import certgate.adapters.text.Times;
import certgate.eventstore.IkeIdentity;
import certgate.testkit.Gens;
import certgate.testkit.Property;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Damaged {@code --requests} lines: each gives a typed error, or exactly the request a strict JSON reading of
 * the damaged line holds. Never another exception, never a repaired or half-read line.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class RequestLinesProperties {
    /** An independent strict reading: duplicate keys and trailing tokens are errors. */
    private static final ObjectMapper ORACLE = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private static final byte[] VALID_LINE = validLine();

    private static byte[] validLine() {
        Map<String, byte[]> pki = ExamplePkiGenerator.files();
        ObjectNode line = ORACLE.createObjectNode();
        line.put("peer", new String(pki.get("gw-good.pem"), StandardCharsets.US_ASCII));
        line.putArray("chain").add(new String(pki.get("issuing-ca.pem"), StandardCharsets.US_ASCII));
        line.put("id", "fqdn:gw1.example.net");
        line.put("at", "2030-01-01T00:00:00Z");
        return line.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void the_valid_line_reads_as_written() throws Exception {
        Request request = RequestLines.parse(VALID_LINE);
        assertEquals(Optional.of(IkeIdentity.parse("fqdn:gw1.example.net")), request.id());
        assertEquals(oracle(VALID_LINE), request);
    }

    @Test
    void a_damaged_line_gives_a_typed_error_or_exactly_what_strict_json_reads_in_it() {
        Property.forAll(Gens.damaged(VALID_LINE)).tries(500).check(damaged -> {
            Request parsed;
            try {
                parsed = RequestLines.parse(damaged);
            } catch (RequestLineException e) {
                assertNotNull(e.code());
                assertFalse(e.getMessage().isBlank());
                assertFalse(e.getMessage().contains("\n"), e.getMessage());
                return;
            }
            assertEquals(oracle(damaged), parsed);
        });
    }

    @Test
    void random_bytes_give_a_typed_error_or_a_request_strict_json_agrees_with() {
        Property.forAll(Gens.bytes(0, 200)).tries(300).check(bytes -> {
            Request parsed;
            try {
                parsed = RequestLines.parse(bytes);
            } catch (RequestLineException e) {
                assertNotNull(e.code());
                return;
            }
            assertEquals(oracle(bytes), parsed);
        });
    }

    /** What the line holds, read by the oracle and mapped field by field; fails when the oracle refuses it. */
    private static Request oracle(byte[] line) {
        JsonNode tree;
        try {
            tree = ORACLE.readTree(new String(line, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError("the parser accepted a line strict JSON refuses: " + e.getMessage(), e);
        }
        assertTrue(tree.isObject(), "accepted a non-object");
        tree.fieldNames().forEachRemaining(name -> assertTrue(RequestLines.FIELDS.contains(name), name));
        assertTrue(tree.get("peer").isTextual());
        List<String> chain = new ArrayList<>();
        if (tree.has("chain")) {
            tree.get("chain").forEach(element -> {
                assertTrue(element.isTextual());
                chain.add(element.textValue());
            });
        }
        Optional<IkeIdentity> id = tree.has("id") ? Optional.of(IkeIdentity.parse(tree.get("id").textValue()))
                : Optional.empty();
        Optional<Instant> at = tree.has("at") ? Optional.of(Times.parse(tree.get("at").textValue()))
                : Optional.empty();
        return new Request(tree.get("peer").textValue(), chain, id, at);
    }
}
