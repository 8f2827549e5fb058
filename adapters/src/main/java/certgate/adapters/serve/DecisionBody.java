package certgate.adapters.serve;

import certgate.adapters.pem.PkiFileException;
import certgate.adapters.pem.PkiFiles;
import certgate.adapters.text.StrictJson;
import certgate.adapters.text.Times;
import certgate.adapters.text.Utf8;
import certgate.eventstore.Blob;
import certgate.eventstore.IkeIdentity;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The body of {@code POST /v1/decisions}: {@code {"peer": CERT, "chain": [CERT, ...], "id": "fqdn:...",
 * "gateway": NAME, "at": TIME}}, {@code peer} required, a certificate as PEM text or base64 DER. Parsed strictly,
 * as the {@code --requests} lines are: duplicate or unknown keys, other types, trailing content and non-UTF-8 are
 * errors. The transport is checked here (a PEM armor or base64 that does not decode is refused, nothing recorded);
 * what the bytes hold is the engine's to judge, so a certificate that does not parse is decided (rejected with
 * MALFORMED_CERTIFICATE) and recorded like any other decision.
 */
record DecisionBody(Blob peer, List<Blob> chain, Optional<IkeIdentity> id, Optional<String> gateway,
                    Optional<Instant> at) {
    static final Set<String> FIELDS = Set.of("peer", "chain", "id", "gateway", "at");
    /** More certificates than any path certgate validates (at most 16 CA levels), with room to spare. */
    static final int MAX_CHAIN = 32;


    DecisionBody {
        chain = List.copyOf(chain);
    }

    static DecisionBody parse(byte[] body, Formats formats) throws ApiError {
        JsonNode root = object(body, "a decision request is a JSON object {\"peer\": CERT, ...}");
        for (Map.Entry<String, JsonNode> field : root.properties()) {
            if (!FIELDS.contains(field.getKey())) {
                throw new ApiError(ApiError.Code.UNKNOWN_FIELD, "unknown field '" + Gate.printable(field.getKey())
                        + "'; a decision request has peer, chain, id, gateway, at");
            }
        }
        JsonNode peerNode = root.get("peer");
        if (peerNode == null) {
            throw new ApiError(ApiError.Code.MISSING_FIELD, "field 'peer' (the peer's certificate, PEM or base64"
                    + " DER) is missing");
        }
        List<Blob> peer = certificates(string(peerNode, "peer"), "peer");
        List<Blob> chain = new ArrayList<>(peer.subList(1, peer.size()));
        JsonNode chainNode = root.get("chain");
        if (chainNode != null) {
            if (!chainNode.isArray()) {
                throw new ApiError(ApiError.Code.WRONG_TYPE, "field 'chain' must be an array of certificates, was "
                        + typeOf(chainNode));
            }
            for (int i = 0; i < chainNode.size(); i++) {
                chain.addAll(certificates(string(chainNode.get(i), "chain[" + i + "]"), "chain[" + i + "]"));
            }
        }
        if (chain.size() > MAX_CHAIN) {
            throw new ApiError(ApiError.Code.BAD_PARAMETER, "the chain has " + chain.size() + " certificates; at"
                    + " most " + MAX_CHAIN + " are accepted");
        }
        Optional<IkeIdentity> id = Optional.empty();
        if (root.get("id") != null) {
            try {
                id = Optional.of(formats.ikeId(string(root.get("id"), "id")));
            } catch (IllegalArgumentException e) {
                throw new ApiError(ApiError.Code.BAD_ID, "field 'id': " + Gate.printable(e.getMessage()));
            }
        }
        Optional<String> gateway = Optional.empty();
        if (root.get("gateway") != null) {
            String name = string(root.get("gateway"), "gateway");
            if (name.isEmpty() || name.length() > 255 || !name.equals(Gate.printable(name))) {
                throw new ApiError(ApiError.Code.BAD_PARAMETER, "field 'gateway' must be a gateway's name: 1 to"
                        + " 255 printable characters");
            }
            gateway = Optional.of(name);
        }
        Optional<Instant> at = Optional.empty();
        if (root.get("at") != null) {
            try {
                at = Optional.of(Times.parse(string(root.get("at"), "at")));
            } catch (IllegalArgumentException e) {
                throw new ApiError(ApiError.Code.BAD_TIME, "field 'at': " + Gate.printable(e.getMessage()));
            }
        }
        return new DecisionBody(peer.get(0), chain, id, gateway, at);
    }

    /** A JSON object from {@code body}, strictly, or the error that says why not. */
    static JsonNode object(byte[] body, String expected) throws ApiError {
        String text;
        try {
            text = Utf8.decode(body);
        } catch (CharacterCodingException e) {
            throw new ApiError(ApiError.Code.NOT_UTF8, "the body is not UTF-8 text");
        }
        JsonNode root;
        try {
            root = StrictJson.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr();
            String message = e.getOriginalMessage() == null ? "" : e.getOriginalMessage().lines().findFirst()
                    .orElse("");
            throw new ApiError(ApiError.Code.NOT_JSON, "the body is not JSON" + where + ": "
                    + Gate.printable(message));
        }
        if (root == null || !root.isObject()) {
            throw new ApiError(ApiError.Code.NOT_AN_OBJECT, expected + ", found "
                    + (root == null || root.isMissingNode() ? "nothing" : typeOf(root)));
        }
        return root;
    }

    /** The certificates in {@code text}: PEM blocks (all of them, in order), or one base64 DER certificate. */
    private static List<Blob> certificates(String text, String field) throws ApiError {
        String trimmed = text.strip();
        if (trimmed.isEmpty()) {
            throw new ApiError(ApiError.Code.BAD_ENCODING, "field '" + field + "' is empty");
        }
        if (trimmed.startsWith("-----BEGIN")) {
            try {
                return PkiFiles.decode(field, trimmed.getBytes(StandardCharsets.UTF_8), PkiFiles.Kind.CERTIFICATE);
            } catch (PkiFileException e) {
                throw new ApiError(ApiError.Code.BAD_ENCODING, "field '" + field + "': " + Gate.printable(
                        e.getMessage()));
            }
        }
        try {
            byte[] der = Base64.getDecoder().decode(withoutWhitespace(trimmed));
            if (der.length == 0) {
                throw new IllegalArgumentException("no bytes");
            }
            return List.of(Blob.of(der));
        } catch (IllegalArgumentException e) {
            throw new ApiError(ApiError.Code.BAD_ENCODING, "field '" + field + "' is neither PEM ('-----BEGIN"
                    + " CERTIFICATE-----') nor base64 DER: " + Gate.printable(String.valueOf(e.getMessage())));
        }
    }

    /**
     * {@code text} without the whitespace a regex's {@code \s} names (base64 wrapped in lines); itself when it has
     * none, as most has.
     */
    private static String withoutWhitespace(String text) {
        int i = 0;
        while (i < text.length() && !isSpace(text.charAt(i))) {
            i++;
        }
        if (i == text.length()) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length()).append(text, 0, i);
        for (; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!isSpace(c)) {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r';
    }

    private static String string(JsonNode node, String field) throws ApiError {
        if (!node.isTextual()) {
            throw new ApiError(ApiError.Code.WRONG_TYPE, "field '" + field + "' must be a string, was "
                    + typeOf(node));
        }
        return node.textValue();
    }

    private static String typeOf(JsonNode node) {
        return node.getNodeType().name().toLowerCase(Locale.ROOT);
    }
}
