package certgate.bench.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Reads one HTTP/1.1 response at a time from a connection's bytes as they arrive, in whatever pieces: the status
 * line, the header fields the load generator needs (Content-Length, Connection, Transfer-Encoding), and the body,
 * skipped. Just enough HTTP to count answers honestly, and strict where guessing would count a broken answer as
 * one: a body must have a Content-Length unless the connection closes after it, a chunked body is refused, and a
 * connection that ends mid-response is a broken response.
 */
final class ResponseParser {
    /** A response that is not one; the connection it came on cannot be used again. */
    static final class MalformedResponseException extends IOException {
        private static final long serialVersionUID = 1L;

        MalformedResponseException(String message) {
            super(message);
        }
    }

    private static final int MAX_LINE_BYTES = 8 * 1024;
    private static final int MAX_HEADER_LINES = 100;

    private enum Part { STATUS_LINE, HEADERS, BODY, BODY_TO_END, DONE }

    private final byte[] line = new byte[MAX_LINE_BYTES];
    private int lineLength;
    private Part part = Part.DONE;
    private boolean requestAskedClose;
    private boolean started;
    private int status;
    private boolean closeAfter;
    private long contentLength;
    private long bodyLeft;
    private int headerLines;

    /** Makes ready for the response to the next request; {@code requestAskedClose}: it said Connection: close. */
    void expectResponse(boolean requestAskedClose) {
        this.requestAskedClose = requestAskedClose;
        part = Part.STATUS_LINE;
        lineLength = 0;
        started = false;
        status = 0;
        closeAfter = requestAskedClose;
        contentLength = -1;
        bodyLeft = 0;
        headerLines = 0;
    }

    /**
     * Consumes the bytes of {@code in} that belong to the response; true when it is complete, with any bytes after
     * it left in {@code in}.
     */
    boolean feed(ByteBuffer in) throws MalformedResponseException {
        if (in.hasRemaining()) {
            started = true;
        }
        while (in.hasRemaining()) {
            switch (part) {
                case STATUS_LINE, HEADERS -> {
                    if (takeLine(in)) {
                        String text = new String(line, 0, lineLength, StandardCharsets.ISO_8859_1);
                        lineLength = 0;
                        if (part == Part.STATUS_LINE) {
                            statusLine(text);
                        } else if (!text.isEmpty()) {
                            header(text);
                        } else {
                            endOfHeaders();
                            if (part == Part.DONE) {
                                return true;
                            }
                        }
                    }
                }
                case BODY -> {
                    int skipped = (int) Math.min(in.remaining(), bodyLeft);
                    in.position(in.position() + skipped);
                    bodyLeft -= skipped;
                    if (bodyLeft == 0) {
                        part = Part.DONE;
                        return true;
                    }
                }
                case BODY_TO_END -> in.position(in.limit());
                case DONE -> throw new IllegalStateException("no response expected: call expectResponse first");
            }
        }
        return false;
    }

    /**
     * The connection ended (the peer closed it); true when that completes the response, a body read to the end of
     * a connection that was to close after it.
     */
    boolean endOfStream() throws MalformedResponseException {
        if (part == Part.BODY_TO_END) {
            part = Part.DONE;
            return true;
        }
        throw new MalformedResponseException(started ? "the connection closed mid-response (" + part + ")"
                : "the connection closed before a response");
    }

    /** Whether any byte of the response has come: a kept-alive connection that ends before one may be retried. */
    boolean started() {
        return started;
    }

    /** The status code of the response complete or under way. */
    int status() {
        return status;
    }

    /** Whether the connection closes after this response (its own choice or the request's). */
    boolean closeAfter() {
        return closeAfter;
    }

    /** Moves bytes up to the end of a line into {@link #line} (without CR LF); true when the line is complete. */
    private boolean takeLine(ByteBuffer in) throws MalformedResponseException {
        while (in.hasRemaining()) {
            byte b = in.get();
            if (b == '\n') {
                if (lineLength > 0 && line[lineLength - 1] == '\r') {
                    lineLength--;
                }
                return true;
            }
            if (lineLength == line.length) {
                throw new MalformedResponseException("a header line longer than " + MAX_LINE_BYTES + " bytes");
            }
            line[lineLength++] = b;
        }
        return false;
    }

    private void statusLine(String text) throws MalformedResponseException {
        // HTTP/1.x SP 3DIGIT SP reason (the reason may be empty, and some servers omit the space before it)
        if (text.length() < 12 || !text.startsWith("HTTP/1.") || text.charAt(8) != ' '
                || (text.length() > 12 && text.charAt(12) != ' ')) {
            throw new MalformedResponseException("not an HTTP/1.x status line: '" + printable(text) + "'");
        }
        status = 0;
        for (int i = 9; i < 12; i++) {
            char digit = text.charAt(i);
            if (digit < '0' || digit > '9') {
                throw new MalformedResponseException("not a status code: '" + printable(text) + "'");
            }
            status = status * 10 + digit - '0';
        }
        if (text.charAt(7) == '0') {
            closeAfter = true; // HTTP/1.0 closes unless it says keep-alive
        } else if (text.charAt(7) != '1') {
            throw new MalformedResponseException("not HTTP/1.0 or 1.1: '" + printable(text) + "'");
        }
        part = Part.HEADERS;
    }

    private void header(String text) throws MalformedResponseException {
        if (++headerLines > MAX_HEADER_LINES) {
            throw new MalformedResponseException("more than " + MAX_HEADER_LINES + " header lines");
        }
        int colon = text.indexOf(':');
        if (colon <= 0) {
            throw new MalformedResponseException("not a header field: '" + printable(text) + "'");
        }
        String name = text.substring(0, colon).trim().toLowerCase(Locale.ROOT);
        String value = text.substring(colon + 1).trim();
        switch (name) {
            case "content-length" -> {
                long length = contentLength(value);
                if (contentLength >= 0 && contentLength != length) {
                    throw new MalformedResponseException("two Content-Lengths: " + contentLength + ", " + length);
                }
                contentLength = length;
            }
            case "connection" -> {
                String option = value.toLowerCase(Locale.ROOT);
                if (option.equals("close")) {
                    closeAfter = true;
                } else if (option.equals("keep-alive")) {
                    closeAfter = requestAskedClose;
                }
            }
            case "transfer-encoding" -> throw new MalformedResponseException("Transfer-Encoding: " + value
                    + " (the load generator needs a Content-Length)");
            default -> {
                // not needed to count an answer
            }
        }
    }

    private static long contentLength(String value) throws MalformedResponseException {
        if (value.isEmpty() || value.length() > 18 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new MalformedResponseException("not a Content-Length: '" + printable(value) + "'");
        }
        return Long.parseLong(value);
    }

    private void endOfHeaders() throws MalformedResponseException {
        boolean noBody = status / 100 == 1 || status == 204 || status == 304;
        if (noBody) {
            part = Part.DONE;
        } else if (contentLength >= 0) {
            bodyLeft = contentLength;
            part = bodyLeft == 0 ? Part.DONE : Part.BODY;
        } else if (closeAfter) {
            part = Part.BODY_TO_END; // the end of the connection ends the body
        } else {
            throw new MalformedResponseException("a response without Content-Length on a kept-alive connection");
        }
    }

    private static String printable(String text) {
        String shown = text.length() > 80 ? text.substring(0, 80) + "..." : text;
        return shown.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
