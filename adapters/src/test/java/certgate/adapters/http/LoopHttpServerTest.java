package certgate.adapters.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
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
        try (Client client = new Client(server)) {
            client.send(request("POST", "/one", "a") + request("POST", "/two", "bb") + request("GET", "/three", ""));
            assertEquals("POST /one a", client.response().body());
            assertEquals("POST /two bb", client.response().body());
            assertEquals("GET /three ", client.response().body());
        }
    }

    @Test
    void a_handler_may_answer_after_it_returned_from_another_thread() throws IOException {
        try (Client client = new Client(server)) {
            client.send(request("POST", "/later/x", "late"));
            Response response = client.response();
            assertEquals(200, response.status());
            assertEquals("POST /later/x late", response.body());
            client.send(request("GET", "/after", ""));
            assertEquals("GET /after ", client.response().body());
        }
    }

    @Test
    void expect_100_continue_gets_its_interim_answer_before_the_body() throws IOException {
        try (Client client = new Client(server)) {
            client.send("POST /x HTTP/1.1\r\nHost: h\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n");
            assertEquals(100, client.response().status());
            client.send("body");
            assertEquals("POST /x body", client.response().body());
        }
    }

    @Test
    void a_body_over_the_limit_reaches_the_handler_empty_and_is_dropped_while_the_connection_stays_usable()
            throws IOException {
        try (Client client = new Client(server)) {
            String big = "z".repeat(SETTINGS.maxBodyBytes() + 10);
            client.send(request("POST", "/big", big) + request("GET", "/next", ""));
            assertEquals("POST /big ", client.response().body());
            assertEquals("GET /next ", client.response().body());
        }
    }

    @Test
    void a_head_over_the_limit_is_431_and_the_connection_closed() throws IOException {
        try (Client client = new Client(server)) {
            client.send("GET / HTTP/1.1\r\nX-Long: " + "y".repeat(2_000) + "\r\n\r\n");
            assertEquals(431, client.response().status());
            assertEquals(-1, client.in.read());
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
        try (Client client = new Client(server)) {
            boolean dropped = false;
            for (int i = 0; i < 10 && !dropped; i++) {
                try {
                    client.send("G");
                    Thread.sleep(500);
                } catch (IOException e) {
                    dropped = true;
                }
                client.socket.setSoTimeout(10);
                try {
                    dropped = client.in.read() == -1;
                } catch (java.net.SocketTimeoutException stillOpen) {
                    // not yet
                } catch (IOException reset) {
                    dropped = true;
                }
            }
            assertTrue(dropped, "still connected");
        }
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
        assertTrue(seconds <= SETTINGS.requestTimeout().toSeconds() + 2, "dropped after " + seconds + " s");
    }

    @Test
    void connections_over_the_limit_are_closed_at_once_and_the_others_served() throws IOException {
        List<Client> clients = new ArrayList<>();
        try {
            for (int i = 0; i < SETTINGS.maxConnections(); i++) {
                Client client = new Client(server);
                client.send(request("GET", "/" + i, ""));
                client.response();
                clients.add(client);
            }
            try (Client oneTooMany = new Client(server)) {
                oneTooMany.socket.setSoTimeout(5_000);
                assertEquals(-1, oneTooMany.in.read(), "over the limit: closed without an answer");
            }
            clients.get(0).send(request("GET", "/still", ""));
            assertEquals("GET /still ", clients.get(0).response().body());
        } finally {
            for (Client client : clients) {
                client.close();
            }
        }
    }

    @Test
    void http_1_0_and_connection_close_end_the_connection_after_the_answer() throws IOException {
        try (Client client = new Client(server)) {
            client.send("GET /old HTTP/1.0\r\n\r\n");
            Response response = client.response();
            assertEquals("GET /old ", response.body());
            assertEquals(-1, client.in.read());
        }
        try (Client client = new Client(server)) {
            client.send("GET /bye HTTP/1.1\r\nConnection: close\r\n\r\n");
            assertTrue(client.response().head().contains("Connection: close"));
            assertEquals(-1, client.in.read());
        }
    }

    private int statusOf(String head) throws IOException {
        try (Client client = new Client(server)) {
            client.send(head);
            return client.response().status();
        }
    }

    static String request(String method, String path, String body) {
        return method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: "
                + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
    }

    record Response(int status, String head, String body) {
    }

    /** A raw socket client: writes what it is given, reads one response at a time by its Content-Length. */
    static final class Client implements AutoCloseable {
        final Socket socket;
        final InputStream in;

        Client(LoopHttpServer server) throws IOException {
            socket = new Socket(InetAddress.getLoopbackAddress(), server.getAddress().getPort());
            socket.setSoTimeout(10_000);
            in = socket.getInputStream();
        }

        void send(String text) throws IOException {
            socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
        }

        Response response() throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int matched = 0;
            while (matched < 4) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("closed before a whole response head: " + head);
                }
                head.write(b);
                matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : b == '\r' ? 1 : 0;
            }
            String text = head.toString(StandardCharsets.ISO_8859_1);
            int status = Integer.parseInt(text.substring(9, 12));
            int length = 0;
            for (String line : text.split("\r\n")) {
                if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                    length = Integer.parseInt(line.substring(15).strip());
                }
            }
            byte[] body = in.readNBytes(length);
            return new Response(status, text, new String(body, StandardCharsets.UTF_8));
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
