package certgate.adapters.fetch;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server on 127.0.0.1 and a random port (the JDK's {@link HttpServer}) that serves one CRL and every
 * fault a distribution point can show, each at a path of its own:
 *
 * <pre>
 * /crl                 the CRL, with ETag and Last-Modified; 304 to a conditional GET that names them
 * /crl-chunked         the CRL without Content-Length
 * /missing, /broken    404, 500
 * /garbage             200 with bytes that are no CRL
 * /oversize            200 with a Content-Length of {@code oversize} bytes (and that many sent)
 * /oversize-chunked    200 without Content-Length, {@code oversize} bytes sent
 * /short               a Content-Length larger than the body, then the connection closed
 * /silent              accepts, reads the request, never answers
 * /trickle             the CRL, one byte every {@code trickleMillis}
 * /hops/N              N redirects (302), then the CRL
 * /loop-a, /loop-b     redirects to each other; /self redirects to itself
 * /to-file, /to-ftp    a redirect to file:///etc/passwd, to ftp://127.0.0.1/crl
 * /gated               the CRL, once {@link #openGate()} is called
 * </pre>
 *
 * Every request is counted by path. {@link #close()} stops the server and its handler threads, including those
 * held by /silent, /trickle and /gated.
 */
final class CrlHttpServer implements AutoCloseable {
    static final String ETAG = "\"crl-v1\"";
    static final String LAST_MODIFIED = "Wed, 01 Jan 2025 00:00:00 GMT";

    private final HttpServer server;
    private final ExecutorService handlers = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "crl-http-server");
        thread.setDaemon(true);
        return thread;
    });
    private final byte[] crl;
    private final int oversize;
    private final long trickleMillis;
    private final CountDownLatch closing = new CountDownLatch(1);
    private final CountDownLatch gate = new CountDownLatch(1);
    private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();

    private CrlHttpServer(byte[] crl, int oversize, long trickleMillis) throws IOException {
        this.crl = crl.clone();
        this.oversize = oversize;
        this.trickleMillis = trickleMillis;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.setExecutor(handlers);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Serves {@code crl}; /oversize sends {@code oversize} bytes; /trickle one byte every {@code trickleMillis}. */
    static CrlHttpServer start(byte[] crl, int oversize, long trickleMillis) {
        try {
            return new CrlHttpServer(crl, oversize, trickleMillis);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    int requests(String path) {
        AtomicInteger count = requests.get(path);
        return count == null ? 0 : count.get();
    }

    void openGate() {
        gate.countDown();
    }

    /** A loopback port on which nothing listens: connecting to it is refused. */
    static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        requests.computeIfAbsent(path, key -> new AtomicInteger()).incrementAndGet();
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            if (path.startsWith("/hops/")) {
                int left = Integer.parseInt(path.substring("/hops/".length()));
                if (left == 0) {
                    send(exchange, 200, crl);
                } else {
                    redirect(exchange, "/hops/" + (left - 1));
                }
                return;
            }
            switch (path) {
                case "/crl" -> conditional(exchange);
                case "/crl-chunked" -> chunked(exchange, crl);
                case "/missing" -> send(exchange, 404, "not here".getBytes(UTF_8));
                case "/broken" -> send(exchange, 500, "oops".getBytes(UTF_8));
                case "/garbage" -> send(exchange, 200, "<html>this is not a CRL</html>"
                        .getBytes(UTF_8));
                case "/oversize" -> send(exchange, 200, new byte[oversize]);
                case "/oversize-chunked" -> chunked(exchange, new byte[oversize]);
                case "/short" -> {
                    exchange.sendResponseHeaders(200, crl.length);
                    exchange.getResponseBody().write(crl, 0, crl.length / 2);
                    exchange.getResponseBody().flush(); // closing now ends the connection early
                }
                case "/silent" -> await(closing);
                case "/trickle" -> trickle(exchange);
                case "/loop-a" -> redirect(exchange, "/loop-b");
                case "/loop-b" -> redirect(exchange, "/loop-a");
                case "/self" -> redirect(exchange, "/self");
                case "/to-file" -> redirect(exchange, "file:///etc/passwd");
                case "/to-ftp" -> redirect(exchange, "ftp://127.0.0.1/crl");
                case "/gated" -> {
                    await(gate);
                    send(exchange, 200, crl);
                }
                default -> send(exchange, 404, new byte[0]);
            }
        }
    }

    private void conditional(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().add("ETag", ETAG);
        exchange.getResponseHeaders().add("Last-Modified", LAST_MODIFIED);
        String ifNoneMatch = exchange.getRequestHeaders().getFirst("If-None-Match");
        String ifModifiedSince = exchange.getRequestHeaders().getFirst("If-Modified-Since");
        if (ETAG.equals(ifNoneMatch) || (ifNoneMatch == null && LAST_MODIFIED.equals(ifModifiedSince))) {
            exchange.sendResponseHeaders(304, -1);
            return;
        }
        send(exchange, 200, crl);
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "application/pkix-crl");
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            exchange.getResponseBody().write(body);
        }
    }

    private static void chunked(HttpExchange exchange, byte[] body) throws IOException {
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        for (int offset = 0; offset < body.length; offset += 8192) {
            out.write(body, offset, Math.min(8192, body.length - offset));
        }
    }

    private static void redirect(HttpExchange exchange, String location) throws IOException {
        exchange.getResponseHeaders().add("Location", location);
        exchange.sendResponseHeaders(302, -1);
    }

    private void trickle(HttpExchange exchange) throws IOException {
        exchange.sendResponseHeaders(200, crl.length);
        OutputStream out = exchange.getResponseBody();
        for (byte b : crl) {
            out.write(b);
            out.flush();
            if (await(closing, trickleMillis)) {
                return;
            }
        }
    }

    private static void await(CountDownLatch latch) {
        await(latch, TimeUnit.MINUTES.toMillis(5));
    }

    /** Whether the latch opened (rather than the time passing). */
    private static boolean await(CountDownLatch latch, long millis) {
        try {
            return latch.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    @Override
    public void close() {
        closing.countDown();
        gate.countDown();
        server.stop(0);
        handlers.shutdownNow();
        try {
            handlers.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
