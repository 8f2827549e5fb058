package certgate.adapters.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import certgate.adapters.cli.RequestLineException.Code;
import certgate.adapters.cli.RequestLines.Request;
import certgate.eventstore.IkeIdentity;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RequestLinesTest {

    private static Request parse(String line) throws RequestLineException {
        return RequestLines.parse(line.getBytes(StandardCharsets.UTF_8));
    }

    private static RequestLineException error(String line) {
        return assertThrows(RequestLineException.class, () -> parse(line));
    }

    @Test
    void a_full_request_reads_every_field() throws Exception {
        Request request = parse("{\"peer\": \"P\", \"chain\": [\"A\", \"B\"], \"id\": \"fqdn:gw1.example.net\", "
                + "\"at\": \"2030-01-01T00:00:00Z\"}");
        assertEquals(new Request("P", List.of("A", "B"), Optional.of(IkeIdentity.parse("fqdn:gw1.example.net")),
                Optional.of(Instant.parse("2030-01-01T00:00:00Z"))), request);
    }

    @Test
    void only_the_peer_is_required() throws Exception {
        assertEquals(new Request("P", List.of(), Optional.empty(), Optional.empty()), parse("{\"peer\":\"P\"}"));
    }

    @Test
    void a_missing_peer_is_named() {
        RequestLineException e = error("{\"chain\": []}");
        assertEquals(Code.MISSING_FIELD, e.code());
        assertTrue(e.getMessage().contains("'peer'"), e.getMessage());
    }

    @Test
    void an_unknown_field_suggests_the_right_one() {
        RequestLineException e = error("{\"peer\": \"P\", \"chian\": []}");
        assertEquals(Code.UNKNOWN_FIELD, e.code());
        assertTrue(e.getMessage().contains("unknown field 'chian' (did you mean 'chain'?)"), e.getMessage());
    }

    @Test
    void wrong_types_are_refused_rather_than_coerced() {
        assertEquals(Code.WRONG_TYPE, error("{\"peer\": 42}").code());
        assertEquals(Code.WRONG_TYPE, error("{\"peer\": null}").code());
        assertEquals(Code.WRONG_TYPE, error("{\"peer\": \"P\", \"chain\": \"A\"}").code());
        RequestLineException e = error("{\"peer\": \"P\", \"chain\": [\"A\", 1]}");
        assertEquals(Code.WRONG_TYPE, e.code());
        assertTrue(e.getMessage().contains("chain[1]"), e.getMessage());
    }

    @Test
    void duplicate_keys_are_refused_so_no_value_silently_wins() {
        assertEquals(Code.NOT_JSON, error("{\"peer\": \"P\", \"peer\": \"Q\"}").code());
    }

    @Test
    void trailing_content_after_the_object_is_refused() {
        assertEquals(Code.NOT_JSON, error("{\"peer\": \"P\"} {\"peer\": \"Q\"}").code());
        assertEquals(Code.NOT_JSON, error("{\"peer\": \"P\"} x").code());
    }

    @Test
    void broken_json_says_where() {
        RequestLineException e = error("{\"peer\": \"P\"");
        assertEquals(Code.NOT_JSON, e.code());
        assertTrue(e.getMessage().startsWith("not JSON at column"), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void a_json_value_that_is_not_an_object_is_refused() {
        assertEquals(Code.NOT_AN_OBJECT, error("[\"P\"]").code());
        assertEquals(Code.NOT_AN_OBJECT, error("\"P\"").code());
    }

    @Test
    void bad_ids_and_times_get_their_own_codes() {
        assertEquals(Code.BAD_ID, error("{\"peer\": \"P\", \"id\": \"host:x\"}").code());
        assertEquals(Code.BAD_TIME, error("{\"peer\": \"P\", \"at\": \"yesterday\"}").code());
        RequestLineException e = error("{\"peer\": \"P\", \"at\": \"2030-01-01T00:00:00\"}");
        assertEquals(Code.BAD_TIME, e.code());
        assertTrue(e.getMessage().contains("no time zone"), e.getMessage());
    }

    @Test
    void bytes_that_are_not_utf8_are_refused() {
        byte[] line = {'{', '"', 'p', 'e', 'e', 'r', '"', ':', '"', (byte) 0xc3, '"', '}'};
        assertEquals(Code.NOT_UTF8, assertThrows(RequestLineException.class, () -> RequestLines.parse(line)).code());
    }

    @Test
    void deep_nesting_is_refused_cleanly() {
        String deep = "{\"peer\": \"P\", \"chain\": " + "[".repeat(10_000) + "]".repeat(10_000) + "}";
        assertEquals(Code.NOT_JSON, error(deep).code());
    }
}
