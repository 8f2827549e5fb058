package certgate.adapters.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import certgate.testkit.Gen;
import certgate.testkit.Gens;
import certgate.testkit.Property;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Damaged requests (bytes flipped, cut, inserted, moved) get a clear answer from certgate's HTTP server: a
 * request it reads goes to the handler, anything else is refused with a 4xx or 505 or the connection closed; never
 * a hang, never a crash, never a head that is not HTTP/1.1 handed to a handler, and the server keeps serving.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class LoopHttpServerProperties {
    private static final byte[] VALID = ("POST /v1/decisions?explain=false HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            + "Content-Type: application/json\r\nContent-Length: 13\r\n\r\n{\"peer\": \"x\"}")
            .getBytes(StandardCharsets.ISO_8859_1);
    private static final String TCHAR = "[!#$%&'*+.^_`|~0-9A-Za-z-]";
    /** An independent reading of RFC 9112's head, for the heads this server must accept and no others. */
    private static final Pattern REQUEST_LINE = Pattern.compile(TCHAR + "+ /[\\x21-\\x7e]* HTTP/1\\.[01]");
    private static final Pattern FIELD_LINE = Pattern.compile(TCHAR + "+:[\\t\\x20-\\x7e\\x80-\\xff]*");

    private static Gen<byte[]> damagedRequests() {
        return Gens.damaged(VALID);
    }

    /** Whether {@code head} (without its blank line) is one this server must read. */
    private static boolean wellFormed(String head) {
        List<String> lines = List.of(head.split("\r\n", -1));
        if (!REQUEST_LINE.matcher(lines.get(0)).matches()) {
            return false;
        }
        boolean contentLength = false;
        for (String line : lines.subList(1, lines.size())) {
            if (!FIELD_LINE.matcher(line).matches() || line.regionMatches(true, 0, "Transfer-Encoding:", 0, 18)) {
                return false;
            }
            if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                if (contentLength || !line.substring(15).strip().matches("[0-9]{1,18}")) {
                    return false;
                }
                contentLength = true;
            }
        }
        try {
            java.net.URI.create(lines.get(0).split(" ")[1]);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return true;
    }

    @Test
    void a_damaged_head_is_read_only_when_it_is_well_formed_and_refused_with_a_status_otherwise() {
        Property.forAll(damagedRequests()).tries(3_000).check(damaged -> {
            int end = RequestHead.headEnd(damaged, 0, damaged.length);
            if (end < 0) {
                return;
            }
            String head = new String(damaged, 0, end - 4, StandardCharsets.ISO_8859_1);
            try {
                RequestHead.parse(damaged, end, 100);
                assertTrue(wellFormed(head), "read a head that is not HTTP/1.1: " + head);
            } catch (RequestHead.Refusal refusal) {
                assertTrue(Set.of(400, 411, 431, 505).contains(refusal.status()), "status " + refusal.status());
                assertTrue(!wellFormed(head) || refusal.status() == 400, "refused a well-formed head ("
                        + refusal.getMessage() + "): " + head);
            }
        });
    }

    @Test
    void a_damaged_request_over_a_socket_is_answered_or_closed_and_the_server_keeps_serving() throws Exception {
        AtomicInteger handled = new AtomicInteger();
        LoopHttpServer server = LoopHttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                50, LoopHttpServerTest.SETTINGS);
        ExecutorService handlers = Executors.newFixedThreadPool(2);
        server.setExecutor(handlers);
        server.createContext("/", exchange -> {
            handled.incrementAndGet();
            LoopHttpServerTest.ECHO.handle(exchange);
        });
        server.start();
        try {
            Property.forAll(damagedRequests()).tries(150).check(damaged -> {
                int before = handled.get();
                int status;
                try (RawHttp client = new RawHttp(server.getAddress().getPort())) {
                    client.socket.getOutputStream().write(damaged);
                    client.socket.shutdownOutput(); // a request cut short ends here, not at the request timeout
                    client.socket.setSoTimeout(5_000);
                    status = client.read().status();
                } catch (IOException closed) {
                    status = -1; // closed without an answer: a cut request, or one the server would not read
                }
                assertTrue(status == -1 || status == 200 || status >= 400 && status < 500 || status == 505,
                        "status " + status);
                if (status == 200) {
                    assertEquals(before + 1, handled.get());
                    int end = RequestHead.headEnd(damaged, 0, damaged.length);
                    assertTrue(end > 0 && wellFormed(new String(damaged, 0, end - 4, StandardCharsets.ISO_8859_1)),
                            "answered 200 to " + new String(damaged, StandardCharsets.ISO_8859_1));
                }
            });
            try (RawHttp client = new RawHttp(server.getAddress().getPort())) {
                assertEquals(200, client.exchange(RawHttp.request("GET", "/still", "")).status());
            }
        } finally {
            server.stop(0);
            handlers.shutdownNow();
        }
    }
}
