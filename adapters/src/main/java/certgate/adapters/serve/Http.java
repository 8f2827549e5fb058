package certgate.adapters.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Reading requests and writing answers, the same way for every route. */
final class Http {
    static final ObjectMapper JSON = JsonMapper.builder().build();
    /**
     * A body over the limit is read and dropped up to this many bytes before the 413 goes out, so that a client
     * still sending sees the answer instead of a reset connection; past it the connection is closed.
     */
    static final long DISCARD_AT_MOST = 16L << 20;

    private Http() {
    }

    /** The request body, at most {@code max} bytes; more is {@link ApiError.Code#BODY_TOO_LARGE}. */
    static byte[] body(HttpExchange exchange, int max) throws ApiError, IOException {
        String declared = exchange.getRequestHeaders().getFirst("Content-Length");
        if (declared != null) {
            long length;
            try {
                length = Long.parseLong(declared.trim());
            } catch (NumberFormatException e) {
                throw new ApiError(ApiError.Code.BAD_PARAMETER, "Content-Length is not a number");
            }
            if (length > max) {
                tooLarge(exchange, max, length);
            }
        }
        InputStream in = exchange.getRequestBody();
        byte[] body = in.readNBytes(max + 1);
        if (body.length > max) {
            tooLarge(exchange, max, -1);
        }
        return body;
    }

    private static void tooLarge(HttpExchange exchange, int max, long declared) throws ApiError, IOException {
        if (declared > DISCARD_AT_MOST || declared < 0 && discard(exchange.getRequestBody()) > DISCARD_AT_MOST) {
            exchange.getResponseHeaders().set("Connection", "close");
        } else if (declared > 0) {
            discard(exchange.getRequestBody());
        }
        throw new ApiError(ApiError.Code.BODY_TOO_LARGE, "the body" + (declared > 0 ? " has " + declared
                + " bytes" : " is larger than that") + "; at most " + max + " bytes are accepted");
    }

    private static long discard(InputStream in) throws IOException {
        byte[] buffer = new byte[64 << 10];
        long total = 0;
        int n;
        while (total <= DISCARD_AT_MOST && (n = in.read(buffer)) >= 0) {
            total += n;
        }
        return total;
    }

    /** Sends {@code body} as JSON with {@code status}. */
    static void json(HttpExchange exchange, int status, ObjectNode body) throws IOException {
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings and numbers always serializes", e);
        }
        send(exchange, status, "application/json", bytes);
    }

    /** Sends {@code text} as plain text. */
    static void text(HttpExchange exchange, int status, String contentType, String text) throws IOException {
        send(exchange, status, contentType, text.getBytes(StandardCharsets.UTF_8));
    }

    /** The error body: {@code {"error": {"code": ..., "message": ...}}}. */
    static ObjectNode errorBody(ApiError.Code code, String message) {
        ObjectNode root = JSON.createObjectNode();
        root.putObject("error").put("code", code.name()).put("message", message);
        return root;
    }

    static void error(HttpExchange exchange, ApiError error) throws IOException {
        json(exchange, error.code().status(), errorBody(error.code(), error.getMessage()));
    }

    private static void send(HttpExchange exchange, int status, String contentType, byte[] bytes)
            throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        } else {
            exchange.close();
        }
    }
}
