package certgate.bench.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The load generator against small real servers: what it counts is what the server did. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class LoadGeneratorTest {
    private static final byte[] REQUEST = request("x");
    private static final String OK = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";

    private HttpServer jdkServer;
    private RawServer rawServer;

    @AfterEach
    void stopServers() {
        if (jdkServer != null) {
            jdkServer.stop(0);
        }
        if (rawServer != null) {
            rawServer.close();
        }
    }

    @Test
    void a_closed_loop_counts_exactly_the_answers_the_server_sent() throws IOException {
        AtomicInteger served = new AtomicInteger();
        int port = jdkServer(exchange -> {
            served.incrementAndGet();
            answer(exchange, 200);
        });

        LoadGenerator.Result result = LoadGenerator.closedLoop(port, 4, 0.3, i -> REQUEST);

        assertTrue(result.answered() > 0, "some answers in 0.3 s");
        assertEquals(served.get(), result.answered());
        assertEquals(0, result.failed());
        assertEquals(4, result.connections(), "kept alive: one connection per client for the whole run");
        assertEquals(result.answered(), result.latencyNanos().length);
        assertTrue(result.generatorCpuNanos() > 0, "the generator's own CPU is measured");
    }

    @Test
    void answers_other_than_200_are_counted_failed() throws IOException {
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        AtomicInteger served = new AtomicInteger();
        int port = jdkServer(exchange -> {
            if (served.incrementAndGet() % 3 == 0) {
                errors.incrementAndGet();
                answer(exchange, 500);
            } else {
                ok.incrementAndGet();
                answer(exchange, 200);
            }
        });

        LoadGenerator.Result result = LoadGenerator.closedLoop(port, 2, 0.3, i -> REQUEST);

        assertTrue(errors.get() > 0, "the server answered 500 at least once");
        assertEquals(errors.get(), result.failed());
        assertEquals(ok.get(), result.answered());
    }

    @Test
    void the_supply_running_out_ends_a_closed_loop_early() throws IOException {
        int port = jdkServer(exchange -> answer(exchange, 200));
        long start = System.nanoTime();

        LoadGenerator.Result result = LoadGenerator.closedLoop(port, 3, 5, i -> i < 10 ? REQUEST : null);

        assertEquals(10, result.answered());
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(3), "it did not wait for the 5 s");
    }

    @Test
    void a_server_that_says_it_closes_after_each_answer_gets_a_new_connection_for_each_request() {
        rawServer = new RawServer(false, i -> new RawServer.Reply(OK.replace("\r\n\r\n",
                "\r\nConnection: close\r\n\r\n"), true));

        LoadGenerator.Result result = LoadGenerator.closedLoop(rawServer.port(), 2, 0.3, i -> REQUEST);

        assertTrue(result.answered() > 10, "it kept going: " + result.answered());
        assertEquals(rawServer.requests(), result.answered());
        assertEquals(0, result.failed());
        assertEquals(result.answered(), result.connections());
    }

    @Test
    void a_kept_alive_connection_the_server_closed_silently_is_made_again_and_the_request_sent_once_more() {
        rawServer = new RawServer(false, i -> new RawServer.Reply(OK, true));

        LoadGenerator.Result result = LoadGenerator.closedLoop(rawServer.port(), 2, 0.3, i -> REQUEST);

        assertTrue(result.answered() > 10, "it kept going: " + result.answered());
        assertEquals(rawServer.requests(), result.answered(), "every request the server saw was counted answered");
        assertEquals(0, result.failed(), "a stale connection is the generator's, not the server's failure");
    }

    @Test
    void one_connection_per_request_serves_a_server_that_takes_one_connection_at_a_time() {
        rawServer = new RawServer(true, i -> new RawServer.Reply(OK, true));
        LoadGenerator.Target target = LoadGenerator.Target.onePerRequest(rawServer.address());
        byte[] closing = KeepAliveClient.request("POST", "/", List.of(), new byte[] {'x'}, false);

        LoadGenerator.Result result = LoadGenerator.closedLoop(target, 4, 0.3, i -> closing);

        assertTrue(result.answered() > 10, "the 4 clients took turns: " + result.answered());
        assertEquals(rawServer.requests(), result.answered());
        assertEquals(0, result.failed());
        assertEquals(result.answered(), result.connections());
    }

    @Test
    void a_body_without_length_ends_with_the_connection_when_the_server_closes_after_it() {
        rawServer = new RawServer(false, i -> new RawServer.Reply("HTTP/1.0 200 OK\r\n\r\nthe body", true));

        LoadGenerator.Result result = LoadGenerator.closedLoop(rawServer.port(), 1, 0.2, i -> REQUEST);

        assertTrue(result.answered() > 0);
        assertEquals(rawServer.requests(), result.answered());
        assertEquals(0, result.failed());
    }

    @Test
    void a_response_without_content_length_on_a_kept_alive_connection_is_a_failure_not_a_wait() {
        assertEveryRequestFails("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nhello", false);
    }

    @Test
    void a_garbage_status_line_is_a_failure() {
        assertEveryRequestFails("SSH-2.0-OpenSSH_9.6\r\n\r\n", false);
    }

    @Test
    void a_body_cut_short_by_the_server_closing_is_a_failure() {
        assertEveryRequestFails("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nshort", true);
    }

    @Test
    void a_chunked_answer_is_a_failure() {
        assertEveryRequestFails("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n", false);
    }

    private void assertEveryRequestFails(String reply, boolean close) {
        rawServer = new RawServer(false, i -> new RawServer.Reply(reply, close));
        long start = System.nanoTime();

        LoadGenerator.Result result = LoadGenerator.closedLoop(rawServer.port(), 1, 0.2, i -> REQUEST);

        assertEquals(0, result.answered());
        assertTrue(result.failed() > 0);
        assertEquals(rawServer.requests(), result.failed(), "each request the server answered so is one failure");
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(2), "it did not hang");
    }

    @Test
    void requests_a_server_never_answers_fail_after_the_patience() {
        rawServer = new RawServer(false, i -> null);
        LoadGenerator.Target target = LoadGenerator.Target.keptAlive(rawServer.port())
                .withPatience(Duration.ofMillis(200));
        long start = System.nanoTime();

        LoadGenerator.Result result = LoadGenerator.closedLoop(target, 3, 0.1, i -> REQUEST);

        long tookMillis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(0, result.answered());
        assertEquals(3, result.failed(), "one request in flight on each connection");
        assertTrue(tookMillis >= 300 && tookMillis < 2_000, "0.1 s and 0.2 s of patience, took " + tookMillis + " ms");
    }

    @Test
    void an_open_loop_sends_rate_times_seconds_requests_over_the_seconds() {
        rawServer = new RawServer(false, i -> new RawServer.Reply(OK, false));

        LoadGenerator.Result result = LoadGenerator.openLoop(rawServer.port(), 16, 100, 0.5, i -> REQUEST);

        assertEquals(50, result.answered());
        assertEquals(50, rawServer.requests());
        assertEquals(0, result.failed());
        // About 0.5 s; the upper bound leaves room for a busy CI machine.
        assertTrue(result.seconds() > 0.45 && result.seconds() < 2.0, "the last answer came after about 0.5 s: "
                + result.seconds());
        assertTrue(result.connections() <= 16);
    }

    @Test
    void an_open_loop_on_one_slow_connection_shows_the_queue_in_its_latencies() {
        // 40 requests a second to a server that takes 50 ms each, on one connection: each request waits 25 ms
        // more than the one before, counted from its due time.
        rawServer = new RawServer(false, i -> {
            sleep(50);
            return new RawServer.Reply(OK, false);
        });

        LoadGenerator.Result result = LoadGenerator.openLoop(rawServer.port(), 1, 40, 0.25, i -> REQUEST);

        assertEquals(10, result.answered());
        assertEquals(1, result.connections());
        long[] millis = Arrays.stream(result.latencyNanos()).map(n -> n / 1_000_000).toArray();
        assertTrue(millis[0] >= 50, "the first waits for its own answer: " + Arrays.toString(millis));
        for (int k = 1; k < millis.length; k++) {
            assertTrue(millis[k] > millis[k - 1] + 10, "each waits longer than the one before: "
                    + Arrays.toString(millis));
        }
        assertTrue(millis[9] >= 270, "the tenth is due at 225 ms and answered at 500 ms or later: "
                + Arrays.toString(millis));
    }

    @Test
    void an_open_loop_sends_a_due_request_on_another_connection_while_one_answer_is_slow() {
        // Request 0 takes 400 ms; the others, due every 20 ms meanwhile, must not queue behind it.
        rawServer = new RawServer(false, i -> {
            if (i == 0) {
                sleep(400);
            }
            return new RawServer.Reply(OK, false);
        });
        IntFunction<byte[]> requests = i -> request(Integer.toString(i));

        LoadGenerator.Result result = LoadGenerator.openLoop(rawServer.port(), 8, 50, 0.2, requests);

        assertEquals(10, result.answered());
        long[] millis = Arrays.stream(result.latencyNanos()).map(n -> n / 1_000_000).sorted().toArray();
        // Held up behind the slow one, they would take 400 ms or more; 300 leaves room for a busy CI machine.
        assertTrue(millis[8] < 300, "the nine fast ones were not held up: " + Arrays.toString(millis));
        assertTrue(millis[9] >= 400, "the slow one: " + Arrays.toString(millis));
    }

    private static byte[] request(String body) {
        return KeepAliveClient.request("POST", "/", List.of(), body.getBytes(StandardCharsets.US_ASCII), true);
    }

    private int jdkServer(ExchangeHandler handler) throws IOException {
        jdkServer = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        jdkServer.createContext("/", exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                handler.handle(exchange);
            }
        });
        jdkServer.start();
        return jdkServer.getAddress().getPort();
    }

    private interface ExchangeHandler {
        void handle(HttpExchange exchange) throws IOException;
    }

    private static void answer(HttpExchange exchange, int status) throws IOException {
        byte[] body = ("status " + status).getBytes(StandardCharsets.US_ASCII);
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * A server on raw sockets, to answer what no well-behaved server would: each request (the {@code i}-th the
     * server read, counted from 0, or the number in its body) gets the reply {@code replies} gives, written as it is,
     * then the connection is closed if the reply says so; a null reply is no answer at all.
     */
    private static final class RawServer implements AutoCloseable {
        record Reply(String text, boolean close) {
        }

        private final ServerSocket socket;
        private final ExecutorService threads = Executors.newCachedThreadPool();
        private final IntFunction<Reply> replies;
        private final AtomicInteger requests = new AtomicInteger();

        /** @param oneAtATime serve one connection at a time, as {@code openssl ocsp} does */
        RawServer(boolean oneAtATime, IntFunction<Reply> replies) {
            this.replies = replies;
            try {
                socket = new ServerSocket(0, 64, InetAddress.getLoopbackAddress());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            threads.submit(() -> {
                while (!socket.isClosed()) {
                    try {
                        Socket connection = socket.accept();
                        if (oneAtATime) {
                            serve(connection);
                        } else {
                            threads.submit(() -> serve(connection));
                        }
                    } catch (IOException e) {
                        return; // closed
                    }
                }
            });
        }

        int port() {
            return socket.getLocalPort();
        }

        InetSocketAddress address() {
            return (InetSocketAddress) socket.getLocalSocketAddress();
        }

        int requests() {
            return requests.get();
        }

        private void serve(Socket connection) {
            try (connection) {
                InputStream in = new BufferedInputStream(connection.getInputStream());
                OutputStream out = connection.getOutputStream();
                while (true) {
                    String body = readRequest(in);
                    if (body == null) {
                        return;
                    }
                    int counted = requests.getAndIncrement();
                    int index = !body.isEmpty() && body.chars().allMatch(Character::isDigit) ? Integer.parseInt(body)
                            : counted;
                    Reply reply = replies.apply(index);
                    if (reply == null) {
                        in.readAllBytes(); // until the client gives up
                        return;
                    }
                    out.write(reply.text().getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                    if (reply.close()) {
                        return;
                    }
                }
            } catch (IOException e) {
                // the client closed first: that connection is done
            }
        }

        /** The body of the next request, or null at the end of the connection. */
        private static String readRequest(InputStream in) throws IOException {
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    return null;
                }
                head.append((char) b);
            }
            int length = 0;
            for (String line : head.toString().split("\r\n")) {
                if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                    length = Integer.parseInt(line.substring("content-length:".length()).trim());
                }
            }
            return new String(in.readNBytes(length), StandardCharsets.ISO_8859_1);
        }

        @Override
        public void close() {
            try {
                socket.close();
            } catch (IOException e) {
                // closing: nothing to do
            }
            threads.shutdownNow();
        }
    }
}
