package certgate.adapters.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** certgate's own HTTP/1.1 server, over real sockets: what a client sees of each rule it keeps. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LoopHttpServerTest {
    static final LoopHttpServer.Settings SETTINGS = new LoopHttpServer.Settings(8, 1024, 20, 4096,
            Duration.ofSeconds(2), Duration.ofSeconds(2));

    private LoopHttpServer server;
    private ExecutorService handlers;
    private final ExecutorService later = Executors.newSingleThreadExecutor();

    /** Answers the method, path and body it got, as text. */
    static final HttpHandler ECHO = exchange -> {
        byte[] body = exchange.getRequestBody().readAllBytes();
        byte[] answer = (exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath() + " "
                + new String(body, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain");
        exchange.sendResponseHeaders(200, answer.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(answer);
        }
    };

    @BeforeEach
    void start() throws IOException {
        server = LoopHttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50, SETTINGS);
        handlers = Executors.newFixedThreadPool(4);
        server.setExecutor(handlers);
        server.createContext("/", ECHO);
        server.createContext("/later", this::answerFromAnotherThread);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
        handlers.shutdownNow();
        later.shutdownNow();
    }

    private void answerFromAnotherThread(HttpExchange exchange) {
        later.execute(() -> {
            try {
                ECHO.handle(exchange);
            } catch (IOException e) {
                exchange.close();
            }
        });
    }

    @Test
    void keep_alive_requests_sent_ahead_are_answered_in_order() throws IOException {
        try (RawHttp client = connect()) {
            client.write(bytes(request("POST", "/one", "a") + request("POST", "/two", "bb")
                    + request("GET", "/three", "")));
            assertEquals("POST /one a", client.read().body());
            assertEquals("POST /two bb", client.read().body());
            assertEquals("GET /three ", client.read().body());
        }
    }

    @Test
    void a_handler_may_answer_after_it_returned_from_another_thread() throws IOException {
        try (RawHttp client = connect()) {
            client.write(bytes(request("POST", "/later/x", "late")));
            RawHttp.Response response = client.read();
            assertEquals(200, response.status());
            assertEquals("POST /later/x late", response.body());
            client.write(bytes(request("GET", "/after", "")));
            assertEquals("GET /after ", client.read().body());
        }
    }

    @Test
    void expect_100_continue_gets_its_interim_answer_before_the_body() throws IOException {
        try (RawHttp client = connect()) {
            client.write(bytes("POST /x HTTP/1.1\r\nHost: h\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n"));
            assertEquals(100, client.read().status());
            client.write(bytes("body"));
            assertEquals("POST /x body", client.read().body());
        }
    }

    @Test
    void a_body_over_the_limit_reaches_the_handler_empty_and_is_dropped_while_the_connection_stays_usable()
            throws IOException {
        try (RawHttp client = connect()) {
            String big = "z".repeat(SETTINGS.maxBodyBytes() + 10);
            client.write(bytes(request("POST", "/big", big) + request("GET", "/next", "")));
            assertEquals("POST /big ", client.read().body());
            assertEquals("GET /next ", client.read().body());
        }
    }

    @Test
    void a_head_over_the_limit_is_431_and_the_connection_closed() throws IOException {
        try (RawHttp client = connect()) {
            client.write(bytes("GET / HTTP/1.1\r\nX-Long: " + "y".repeat(2_000) + "\r\n\r\n"));
            assertEquals(431, client.read().status());
            assertTrue(client.closedByServer());
        }
    }

    @Test
    void malformed_heads_are_400_a_transfer_encoding_411_another_version_505() throws IOException {
        assertEquals(400, statusOf("GET /\r\n\r\n"));
        assertEquals(400, statusOf("GET / HTTP/1.1\r\nNo colon\r\n\r\n"));
        assertEquals(400, statusOf("GET / HTTP/1.1\r\nX: a\r\n folded\r\n\r\n"));
        assertEquals(400, statusOf("GET / HTTP/1.1\r\nContent-Length: 1, 2\r\n\r\n"));
        assertEquals(400, statusOf("GET / HTTP/1.1\r\nX: a\u0001b\r\n\r\n"));
        assertEquals(400, statusOf("GET nothing HTTP/1.1\r\n\r\n"));
        assertEquals(411, statusOf("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"));
        assertEquals(505, statusOf("GET / HTTP/2.0\r\n\r\n"));
    }

    @Test
    void a_trickling_client_is_dropped_after_the_request_timeout() throws Exception {
        long started = System.nanoTime();
        try (RawHttp client = connect()) {
            boolean dropped = false;
            for (int i = 0; i < 10 && !dropped; i++) {
                try {
                    client.write(bytes("G"));
                    Thread.sleep(500);
                } catch (IOException e) {
                    dropped = true;
                }
                client.socket.setSoTimeout(10);
                dropped = closedWithin(client);
            }
            assertTrue(dropped, "still connected");
        }
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
        assertTrue(seconds <= SETTINGS.requestTimeout().toSeconds() + 2, "dropped after " + seconds + " s");
    }

    @Test
    void connections_over_the_limit_are_closed_at_once_and_the_others_served() throws IOException {
        List<RawHttp> clients = new ArrayList<>();
        try {
            for (int i = 0; i < SETTINGS.maxConnections(); i++) {
                RawHttp client = connect();
                client.write(bytes(request("GET", "/" + i, "")));
                client.read();
                clients.add(client);
            }
            try (RawHttp oneTooMany = connect()) {
                oneTooMany.socket.setSoTimeout(5_000);
                assertTrue(oneTooMany.closedByServer(), "over the limit: closed without an answer");
            }
            clients.get(0).write(bytes(request("GET", "/still", "")));
            assertEquals("GET /still ", clients.get(0).read().body());
        } finally {
            for (RawHttp client : clients) {
                client.close();
            }
        }
    }

    @Test
    void http_1_0_and_connection_close_end_the_connection_after_the_answer() throws IOException {
        try (RawHttp client = connect()) {
            client.write(bytes("GET /old HTTP/1.0\r\n\r\n"));
            RawHttp.Response response = client.read();
            assertEquals("GET /old ", response.body());
            assertTrue(client.closedByServer());
        }
        try (RawHttp client = connect()) {
            client.write(bytes("GET /bye HTTP/1.1\r\nConnection: close\r\n\r\n"));
            assertTrue(client.read().head().contains("Connection: close"));
            assertTrue(client.closedByServer());
        }
    }

    private int statusOf(String head) throws IOException {
        try (RawHttp client = connect()) {
            client.write(bytes(head));
            return client.read().status();
        }
    }

    static String request(String method, String path, String body) {
        return new String(RawHttp.request(method, path, body), StandardCharsets.UTF_8);
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Whether the server closed {@code client} (a read that times out means it is still open). */
    private static boolean closedWithin(RawHttp client) {
        try {
            return client.socket.getInputStream().read() < 0;
        } catch (java.net.SocketTimeoutException stillOpen) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    private RawHttp connect() throws IOException {
        return new RawHttp(server.getAddress().getPort());
    }
}
