package certgate.adapters.http;

import com.sun.net.httpserver.Headers;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * A request line and its header fields, read strictly (RFC 9112): {@code METHOD SP target SP HTTP/1.x}, lines
 * ending in CRLF, field names that are tokens, no line folding, at most one {@code Content-Length} of one value
 * and no {@code Transfer-Encoding}. Anything else is a {@link Refusal} with the status to answer.
 */
record RequestHead(String method, URI uri, String protocol, Headers headers, long contentLength, boolean keepAlive,
                   boolean expectsContinue) {

    /** Why a request is refused before any handler sees it, and with which status. */
    static final class Refusal extends Exception {
        private static final long serialVersionUID = 1L;
        private final int status;

        Refusal(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }

        int status() {
            return status;
        }
    }

    /** The path of the request target, as the client sent it (still percent-encoded). */
    String path() {
        String raw = uri.getRawPath();
        return raw == null ? "" : raw;
    }

    /**
     * Reads the head in {@code bytes[0, end)}, {@code end} just past the blank line that ends it; at most
     * {@code maxHeaders} header lines.
     */
    static RequestHead parse(byte[] bytes, int end, int maxHeaders) throws Refusal {
        int lineEnd = lineEnd(bytes, 0, end);
        String requestLine = ascii(bytes, 0, lineEnd);
        String[] parts = requestLine.split(" ", -1);
        if (parts.length != 3 || parts[0].isEmpty() || !isToken(parts[0]) || parts[1].isEmpty()) {
            throw new Refusal(400, "the request line is not 'METHOD TARGET HTTP/1.1'");
        }
        String protocol = parts[2];
        if (!protocol.equals("HTTP/1.1") && !protocol.equals("HTTP/1.0")) {
            throw new Refusal(protocol.startsWith("HTTP/") ? 505 : 400, "only HTTP/1.1 and HTTP/1.0 are served");
        }
        URI uri;
        try {
            uri = new URI(parts[1]);
        } catch (URISyntaxException e) {
            throw new Refusal(400, "the request target is not a URI");
        }
        if (uri.getRawPath() == null || !uri.getRawPath().startsWith("/")) {
            throw new Refusal(400, "the request target is not an absolute path");
        }
        Headers headers = new Headers();
        int lines = 0;
        int at = lineEnd + 2;
        while (true) {
            int next = lineEnd(bytes, at, end);
            if (next == at) {
                break; // the blank line
            }
            if (++lines > maxHeaders) {
                throw new Refusal(431, "more than " + maxHeaders + " header lines");
            }
            if (bytes[at] == ' ' || bytes[at] == '\t') {
                throw new Refusal(400, "a folded header line (obsolete, RFC 9112 5.2)");
            }
            String line = new String(bytes, at, next - at, StandardCharsets.ISO_8859_1);
            int colon = line.indexOf(':');
            if (colon <= 0 || !isToken(line.substring(0, colon))) {
                throw new Refusal(400, "a header line is not 'Name: value'");
            }
            headers.add(line.substring(0, colon), line.substring(colon + 1).strip());
            at = next + 2;
        }
        if (headers.containsKey("Transfer-Encoding")) {
            throw new Refusal(411, "a body with a Transfer-Encoding is not accepted; send a Content-Length");
        }
        long length = contentLength(headers.get("Content-Length"));
        String connection = String.valueOf(headers.getFirst("Connection")).toLowerCase(Locale.ROOT);
        boolean keepAlive = protocol.equals("HTTP/1.1") ? !connection.contains("close")
                : connection.contains("keep-alive");
        boolean expectsContinue = protocol.equals("HTTP/1.1")
                && "100-continue".equalsIgnoreCase(String.valueOf(headers.getFirst("Expect")).strip());
        return new RequestHead(parts[0], uri, protocol, headers, length, keepAlive, expectsContinue);
    }

    /** Where the blank line ending a head starts in {@code bytes[0, length)}, plus 4; -1 when not there yet. */
    static int headEnd(byte[] bytes, int from, int length) {
        for (int i = Math.max(0, from); i + 3 < length; i++) {
            if (bytes[i] == '\r' && bytes[i + 1] == '\n' && bytes[i + 2] == '\r' && bytes[i + 3] == '\n') {
                return i + 4;
            }
        }
        return -1;
    }

    /** One Content-Length of one value: repeats, even equal ones, are refused, as a request smuggler sends them. */
    private static long contentLength(List<String> values) throws Refusal {
        if (values == null) {
            return 0;
        }
        String digits = values.get(0);
        if (values.size() != 1 || digits.isEmpty() || digits.length() > 18
                || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new Refusal(400, "Content-Length is not one decimal number");
        }
        return Long.parseLong(digits);
    }

    private static int lineEnd(byte[] bytes, int from, int end) throws Refusal {
        for (int i = from; i + 1 < end; i++) {
            if (bytes[i] == '\r') {
                if (bytes[i + 1] != '\n') {
                    throw new Refusal(400, "a bare CR in the request head");
                }
                return i;
            }
            if (bytes[i] == '\n') {
                throw new Refusal(400, "a line of the request head does not end in CRLF");
            }
            if (bytes[i] >= 0 && bytes[i] < 0x20 && bytes[i] != '\t' || bytes[i] == 0x7f) {
                throw new Refusal(400, "a control character in the request head");
            }
        }
        throw new Refusal(400, "the request head does not end in CRLF");
    }

    private static String ascii(byte[] bytes, int from, int to) throws Refusal {
        for (int i = from; i < to; i++) {
            if (bytes[i] < 0x21 && bytes[i] != ' ' || bytes[i] == 0x7f || bytes[i] < 0) {
                throw new Refusal(400, "the request line holds a byte that is not printable ASCII");
            }
        }
        return new String(bytes, from, to - from, StandardCharsets.US_ASCII);
    }

    private static boolean isToken(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return !text.isEmpty();
    }
}
