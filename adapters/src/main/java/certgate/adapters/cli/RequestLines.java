package certgate.adapters.cli;

import certgate.adapters.cli.RequestLineException.Code;
import certgate.adapters.text.StrictJson;
import certgate.adapters.text.Suggest;
import certgate.adapters.text.Times;
import certgate.adapters.text.Utf8;
import certgate.eventstore.IkeIdentity;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.CharacterCodingException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code --requests} line format: one JSON object per line,
 * {@code {"peer": PEM, "chain": [PEM, ...], "id": "fqdn:gw1.example.net", "at": "2030-01-01T00:00:00Z"}},
 * with {@code peer} required and the rest optional. Parsed strictly: duplicate or unknown keys, other types,
 * trailing content and non-UTF-8 bytes are errors, so a damaged line is reported, never half-read.
 */
final class RequestLines {
    /** The longest line read; a request is a few certificates, so this is generous. */
    static final int MAX_LINE_BYTES = 1 << 20;
    static final Set<String> FIELDS = Set.of("peer", "chain", "id", "at");


    private RequestLines() {
    }

    /** A request as the line gave it: PEM text as written (decoded later, like a file's). */
    record Request(String peer, List<String> chain, Optional<IkeIdentity> id, Optional<Instant> at) {
        Request {
            chain = List.copyOf(chain);
        }
    }

    static Request parse(byte[] line) throws RequestLineException {
        if (line.length > MAX_LINE_BYTES) {
            throw new RequestLineException(Code.LINE_TOO_LONG, "line longer than " + MAX_LINE_BYTES + " bytes");
        }
        String text = utf8(line);
        JsonNode root;
        try {
            root = StrictJson.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at column " + e.getLocation().getColumnNr();
            throw new RequestLineException(Code.NOT_JSON, "not JSON" + where + ": "
                    + firstLine(e.getOriginalMessage()));
        }
        if (root == null || !root.isObject()) {
            throw new RequestLineException(Code.NOT_AN_OBJECT, "a request is a JSON object {\"peer\": PEM, ...}, "
                    + "found " + (root == null ? "nothing" : root.getNodeType().name().toLowerCase(Locale.ROOT)));
        }
        for (Map.Entry<String, JsonNode> field : root.properties()) {
            String name = field.getKey();
            if (!FIELDS.contains(name)) {
                throw new RequestLineException(Code.UNKNOWN_FIELD, "unknown field '" + Terminal.safe(name) + "'"
                        + Suggest.hint(name, FIELDS) + "; a request has peer, chain, id, at");
            }
        }
        JsonNode peer = root.get("peer");
        if (peer == null) {
            throw new RequestLineException(Code.MISSING_FIELD, "field 'peer' (the peer's certificate, PEM) is missing");
        }
        return new Request(string(peer, "peer"), chain(root.get("chain")), id(root.get("id")), at(root.get("at")));
    }

    private static List<String> chain(JsonNode chain) throws RequestLineException {
        if (chain == null) {
            return List.of();
        }
        if (!chain.isArray()) {
            throw new RequestLineException(Code.WRONG_TYPE, "field 'chain' must be an array of PEM strings, was "
                    + typeOf(chain));
        }
        List<String> certificates = new ArrayList<>();
        for (int i = 0; i < chain.size(); i++) {
            certificates.add(string(chain.get(i), "chain[" + i + "]"));
        }
        return certificates;
    }

    private static Optional<IkeIdentity> id(JsonNode id) throws RequestLineException {
        if (id == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(IkeIds.parse(string(id, "id")));
        } catch (IllegalArgumentException e) {
            throw new RequestLineException(Code.BAD_ID, "field 'id': " + Terminal.safe(e.getMessage()));
        }
    }

    private static Optional<Instant> at(JsonNode at) throws RequestLineException {
        if (at == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Times.parse(string(at, "at")));
        } catch (IllegalArgumentException e) {
            throw new RequestLineException(Code.BAD_TIME, "field 'at': " + Terminal.safe(e.getMessage()));
        }
    }

    private static String string(JsonNode node, String field) throws RequestLineException {
        if (!node.isTextual()) {
            throw new RequestLineException(Code.WRONG_TYPE, "field '" + field + "' must be a string, was "
                    + typeOf(node));
        }
        return node.textValue();
    }

    private static String typeOf(JsonNode node) {
        return node.getNodeType().name().toLowerCase(Locale.ROOT);
    }

    private static String utf8(byte[] line) throws RequestLineException {
        try {
            return Utf8.decode(line);
        } catch (CharacterCodingException e) {
            throw new RequestLineException(Code.NOT_UTF8, "the line is not UTF-8 text");
        }
    }

    private static String firstLine(String message) {
        String text = message == null ? "" : message;
        int newline = text.indexOf('\n');
        return Terminal.safe(newline < 0 ? text : text.substring(0, newline));
    }
}
