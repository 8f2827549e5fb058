package certgate.adapters.http;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpPrincipal;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One request and its answer on a {@link LoopHttpServer}. The request body is whole in memory; the answer is
 * gathered in memory and handed to the loop, which writes it, when the exchange is closed (by {@link #close()} or
 * by closing the response body), on whatever thread that happens. As with the JDK's exchange, a length of -1 in
 * {@link #sendResponseHeaders} means no body and 0 a body of a length not known yet (sent here with its
 * {@code Content-Length} all the same, since it is whole before it goes out).
 */
final class LoopExchange extends HttpExchange {
    private static final Map<Integer, String> REASONS = Map.ofEntries(Map.entry(200, "OK"),
            Map.entry(204, "No Content"), Map.entry(304, "Not Modified"), Map.entry(400, "Bad Request"),
            Map.entry(401, "Unauthorized"), Map.entry(403, "Forbidden"), Map.entry(404, "Not Found"),
            Map.entry(405, "Method Not Allowed"), Map.entry(409, "Conflict"), Map.entry(411, "Length Required"),
            Map.entry(413, "Content Too Large"), Map.entry(415, "Unsupported Media Type"),
            Map.entry(422, "Unprocessable Content"), Map.entry(431, "Request Header Fields Too Large"),
            Map.entry(500, "Internal Server Error"), Map.entry(503, "Service Unavailable"),
            Map.entry(505, "HTTP Version Not Supported"));

    private final Connection connection;
    private final HttpContext context;
    private final RequestHead request;
    private final Headers responseHeaders = new Headers();
    private final Map<String, Object> attributes = new ConcurrentHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final ResponseBody responseBody = new ResponseBody();
    private InputStream requestBody;
    private volatile int responseCode = -1;
    private long declaredLength;

    LoopExchange(Connection connection, HttpContext context, RequestHead request, byte[] body) {
        this.connection = connection;
        this.context = context;
        this.request = request;
        this.requestBody = new ByteArrayInputStream(body);
    }

    /** Runs {@code handler}; one that fails before answering gets a 500 and the connection closed. */
    void handle(HttpHandler handler) {
        try {
            handler.handle(this);
        } catch (IOException | RuntimeException | Error e) {
            if (responseCode == -1) {
                answerText(500, "internal error", true);
            } else if (closed.compareAndSet(false, true)) {
                connection.answer(LoopHttpServer.NOTHING, true);
            }
        }
    }

    /** A request refused before any handler saw it: {@code status}, {@code message} as text, then closed. */
    static void refusal(Connection connection, int status, String message) {
        RequestHead none = new RequestHead("GET", URI.create("/"), "HTTP/1.1", new Headers(), 0, false, false);
        new LoopExchange(connection, null, none, new byte[0]).answerText(status, message, true);
    }

    /** Answers {@code status} with {@code message} as text. */
    void refuse(int status, String message) {
        answerText(status, message, false);
    }

    private void answerText(int status, String message, boolean close) {
        byte[] text = (message + "\n").getBytes(StandardCharsets.UTF_8);
        responseHeaders.set("Content-Type", "text/plain; charset=utf-8");
        if (close) {
            responseHeaders.set("Connection", "close");
        }
        try {
            sendResponseHeaders(status, text.length);
            responseBody.write(text);
        } catch (IOException e) {
            throw new IllegalStateException("an answer in memory cannot fail", e);
        }
        close();
    }

    @Override
    public Headers getRequestHeaders() {
        return request.headers();
    }

    @Override
    public Headers getResponseHeaders() {
        return responseHeaders;
    }

    @Override
    public URI getRequestURI() {
        return request.uri();
    }

    @Override
    public String getRequestMethod() {
        return request.method();
    }

    @Override
    public HttpContext getHttpContext() {
        return context;
    }

    /**
     * The request body; empty when it was over the server's limit and dropped (the request's
     * {@code Content-Length} still says how large it was).
     */
    @Override
    public InputStream getRequestBody() {
        return requestBody;
    }

    @Override
    public OutputStream getResponseBody() {
        return responseBody;
    }

    @Override
    public synchronized void sendResponseHeaders(int code, long length) throws IOException {
        if (responseCode != -1) {
            throw new IOException("the response headers were sent already");
        }
        if (code < 200 || code > 999) {
            throw new IllegalArgumentException("status " + code + " is not a final status");
        }
        responseCode = code;
        declaredLength = length;
    }

    /** Hands the answer to the loop; without {@link #sendResponseHeaders} first, the connection is closed. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (responseCode == -1) {
            connection.answer(LoopHttpServer.NOTHING, true);
            return;
        }
        connection.answer(encode(), mustClose());
    }

    private boolean mustClose() {
        String asked = responseHeaders.getFirst("Connection");
        return !request.keepAlive() || asked != null && asked.toLowerCase(Locale.ROOT).contains("close");
    }

    private synchronized ByteBuffer encode() {
        boolean head = request.method().equals("HEAD");
        boolean noBody = declaredLength == -1 || responseCode == 204 || responseCode == 304;
        byte[] body = noBody || head ? new byte[0] : responseBody.bytes();
        StringBuilder text = new StringBuilder(256).append("HTTP/1.1 ").append(responseCode).append(' ')
                .append(REASONS.getOrDefault(responseCode, "")).append("\r\n");
        text.append("Date: ").append(HttpDate.format(Instant.now())).append("\r\n");
        if (!noBody) {
            long length = head && declaredLength > 0 ? declaredLength : responseBody.size();
            text.append("Content-Length: ").append(length).append("\r\n");
        }
        if (mustClose() && responseHeaders.getFirst("Connection") == null) {
            text.append("Connection: close\r\n");
        }
        for (Map.Entry<String, List<String>> header : responseHeaders.entrySet()) {
            if (header.getKey().equalsIgnoreCase("Content-Length")) {
                continue;
            }
            for (String value : header.getValue()) {
                text.append(header.getKey()).append(": ").append(value).append("\r\n");
            }
        }
        text.append("\r\n");
        byte[] start = text.toString().getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer bytes = ByteBuffer.allocate(start.length + body.length);
        return bytes.put(start).put(body).flip();
    }

    @Override
    public InetSocketAddress getRemoteAddress() {
        return connection.remote;
    }

    @Override
    public int getResponseCode() {
        return responseCode;
    }

    @Override
    public InetSocketAddress getLocalAddress() {
        return connection.local;
    }

    @Override
    public String getProtocol() {
        return request.protocol();
    }

    @Override
    public Object getAttribute(String name) {
        return attributes.get(name);
    }

    @Override
    public void setAttribute(String name, Object value) {
        if (value == null) {
            attributes.remove(name);
        } else {
            attributes.put(name, value);
        }
    }

    @Override
    public void setStreams(InputStream in, OutputStream out) {
        if (out != null) {
            throw new UnsupportedOperationException("the response body cannot be replaced");
        }
        if (in != null) {
            requestBody = in;
        }
    }

    @Override
    public HttpPrincipal getPrincipal() {
        return null;
    }

    /** The answer's body, gathered until the exchange closes; closing it closes the exchange. */
    private final class ResponseBody extends OutputStream {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] data, int offset, int length) throws IOException {
            synchronized (LoopExchange.this) {
                if (responseCode == -1) {
                    throw new IOException("the response headers must be sent before the body");
                }
                if (closed.get()) {
                    throw new IOException("the exchange is closed");
                }
                if (declaredLength == -1 && length > 0) {
                    throw new IOException("the response was declared without a body");
                }
                if (declaredLength > 0 && bytes.size() + (long) length > declaredLength) {
                    throw new IOException("more bytes than the declared length " + declaredLength);
                }
                bytes.write(data, offset, length);
            }
        }

        @Override
        public void close() {
            LoopExchange.this.close();
        }

        synchronized byte[] bytes() {
            return bytes.toByteArray();
        }

        int size() {
            return bytes.size();
        }
    }
}
