package certgate.adapters.ocsp;

import certgate.adapters.http.HttpDate;
import certgate.adapters.http.LoopHttpServer;
import certgate.adapters.serve.ServiceState;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * certgate's OCSP endpoint (RFC 6960 appendix A), to mount at {@code /ocsp}: {@code POST /ocsp} with an
 * {@code application/ocsp-request} body, or {@code GET /ocsp/{base64 of the request, URL-encoded}}. Every answer
 * is appended to the log ({@code OcspAnswered}) and made durable before the response is sent; if the log refuses
 * it, the client gets {@code internalError} and no answer. Any OCSP outcome is HTTP 200 with an
 * {@code application/ocsp-response} body, as the RFC has it; a malformed request gets {@code malformedRequest},
 * never an HTTP error or a dropped connection.
 *
 * <p>A signed answer to a GET without a nonce carries RFC 5019's caching headers (section 6), so that an HTTP cache
 * between certgate and the gateways can answer in its stead until the CRL it came from is due: {@code Cache-Control:
 * max-age=N, public, no-transform, must-revalidate} (N the whole seconds until nextUpdate, 0 once it is past),
 * {@code Last-Modified} (thisUpdate), {@code Expires} (nextUpdate) and {@code ETag} (the SHA-256 of the response);
 * a conditional GET for the same response ({@code If-None-Match}, else {@code If-Modified-Since}) gets 304 without a
 * body, its answer recorded all the same. A POST is not cacheable in HTTP, so its answer carries none; nor does an
 * unsigned one (tryLater, malformedRequest), one with a nonce, or one with an answer that has no nextUpdate
 * ({@code unknown}).
 *
 * <pre>{@code
 * server.createContext("/ocsp", new OcspHandler(state, responders, Clock.systemUTC(), System.err::println));
 * }</pre>
 */
public final class OcspHandler implements LoopHttpServer.NonBlocking {
    private static final String RESPONSE_TYPE = "application/ocsp-response";

    private final ServiceState state;
    private final OcspResponder responder;
    private final Clock clock;
    private final Consumer<String> problems;

    /**
     * @param problems where to report what the client is not told (why a request was malformed, a failed append),
     *                 one line each
     */
    public OcspHandler(ServiceState state, OcspResponders responders, Clock clock, Consumer<String> problems) {
        this.state = Objects.requireNonNull(state, "state");
        this.responder = new OcspResponder(Objects.requireNonNull(responders, "responders"));
        this.clock = Objects.requireNonNull(clock, "clock");
        this.problems = Objects.requireNonNull(problems, "problems");
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        boolean answeredLater = false;
        try {
            String path = exchange.getRequestURI().getRawPath();
            String method = exchange.getRequestMethod();
            byte[] request;
            boolean get = false;
            if (method.equals("POST") && (path.equals("/ocsp") || path.equals("/ocsp/"))) {
                request = body(exchange);
            } else if (method.equals("GET") && path.startsWith("/ocsp/")) {
                get = true;
                // An empty request (GET /ocsp/) is a malformed OCSP request, answered as one (RFC 6960 A.1).
                request = fromUrl(path.substring("/ocsp/".length()));
            } else if (path.equals("/ocsp") || path.startsWith("/ocsp/")) {
                exchange.getResponseHeaders().set("Allow", "GET, POST");
                plain(exchange, 405, "OCSP requests are POST /ocsp (application/ocsp-request) or GET /ocsp/BASE64\n");
                return;
            } else {
                plain(exchange, 404, "no such resource\n");
                return;
            }
            Instant now = clock.instant();
            OcspResponder.Reply reply = respond(request, now);
            if (reply.answers().isEmpty()) {
                reply(exchange, get, reply, now);
                return;
            }
            boolean cacheableGet = get;
            if (LoopHttpServer.answersLater(exchange)) {
                // Answered by the thread that makes the answers durable; this one is free at once.
                ServiceState.answerWhenDone(exchange, appendLater(reply), (sequences, failure) ->
                        reply(exchange, cacheableGet, failure == null ? reply : refused(failure), now));
                answeredLater = true;
                return;
            }
            OcspResponder.Reply durable;
            try {
                state.appendDurably(reply.answers());
                durable = reply;
            } catch (RuntimeException e) {
                durable = refused(e);
            }
            reply(exchange, get, durable, now);
        } finally {
            if (!answeredLater) {
                exchange.close();
            }
        }
    }

    /** Sends {@code reply}, with RFC 5019's caching headers to a GET where it may be cached, or 304. */
    private static void reply(HttpExchange exchange, boolean get, OcspResponder.Reply reply, Instant now)
            throws IOException {
        Optional<OcspResponder.Freshness> cacheable = get ? reply.freshness() : Optional.empty();
        cacheable.ifPresent(freshness -> cacheable(exchange.getResponseHeaders(), freshness, now));
        if (cacheable.isPresent() && CrlHandler.notModified(exchange, etag(cacheable.get()),
                cacheable.get().thisUpdate())) {
            // The client holds this very response; it was told again, and that is recorded like any answer.
            exchange.sendResponseHeaders(304, -1);
            return;
        }
        send(exchange, reply.response());
    }

    /** The responder's reply, not yet durable; {@code internalError} when the responder itself failed. */
    private OcspResponder.Reply respond(byte[] request, Instant now) {
        OcspResponder.Reply reply;
        try {
            reply = responder.respond(state.state(), request, now);
        } catch (RuntimeException e) {
            problems.accept("certgate serve: OCSP: internal error answering a request: " + e);
            return new OcspResponder.Reply(OcspResponder.internalError(), List.of(), "internalError");
        }
        if (reply.answers().isEmpty()) {
            problems.accept("certgate serve: OCSP: " + reply.summary());
        }
        return reply;
    }

    private CompletableFuture<List<Long>> appendLater(OcspResponder.Reply reply) {
        try {
            return state.appendDurablyLater(reply.answers());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** What a client is told when the log refused its answers: {@code internalError}, and no answer. */
    private OcspResponder.Reply refused(Throwable failure) {
        problems.accept("certgate serve: OCSP: the log refused the answer, so the client was told internalError: "
                + failure.getMessage());
        return new OcspResponder.Reply(OcspResponder.internalError(), List.of(), "internalError");
    }

    /** RFC 5019 6: the headers that let an HTTP cache serve {@code freshness}'s response until nextUpdate. */
    static void cacheable(Headers headers, OcspResponder.Freshness freshness, Instant now) {
        long maxAge = Math.max(0, Duration.between(now, freshness.nextUpdate()).getSeconds());
        headers.set("Cache-Control", "max-age=" + maxAge + ", public, no-transform, must-revalidate");
        headers.set("Last-Modified", HttpDate.format(freshness.thisUpdate()));
        headers.set("Expires", HttpDate.format(freshness.nextUpdate()));
        headers.set("ETag", etag(freshness));
    }

    /** The entity tag of {@code freshness}'s response: its SHA-256, quoted. */
    private static String etag(OcspResponder.Freshness freshness) {
        return "\"" + freshness.sha256() + "\"";
    }

    /**
     * The request body, or an empty array (malformed) when it is larger than any request. A body whose
     * Content-Length is given (every OCSP client sends one) and no Transfer-Encoding (which the server would
     * frame the body by instead) is read into an array of its size, in one pass.
     */
    private static byte[] body(HttpExchange exchange) throws IOException {
        InputStream in = exchange.getRequestBody();
        Headers headers = exchange.getRequestHeaders();
        long declared = headers.containsKey("Transfer-Encoding") ? -1
                : contentLength(headers.getFirst("Content-Length"));
        if (declared >= 0 && declared <= OcspRequest.MAX_BYTES) {
            return in.readNBytes((int) declared);
        }
        byte[] body = in.readNBytes(OcspRequest.MAX_BYTES + 1);
        if (body.length > OcspRequest.MAX_BYTES) {
            in.transferTo(OutputStream.nullOutputStream());
            return new byte[0];
        }
        return body;
    }

    /** A Content-Length of decimal digits only, or -1 (absent or not one: the body is then read to its end). */
    static long contentLength(String value) {
        if (value == null || value.isEmpty() || value.length() > 18) {
            return -1;
        }
        long length = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            length = length * 10 + (c - '0');
        }
        return length;
    }

    /**
     * The DER of a GET request's path: percent-decoded (a '+' stays a '+', as base64 has it, unlike form decoding)
     * and base64-decoded; an empty array (malformed) when it is neither.
     */
    static byte[] fromUrl(String encoded) {
        ByteArrayOutputStream text = new ByteArrayOutputStream(encoded.length());
        for (int i = 0; i < encoded.length(); i++) {
            char c = encoded.charAt(i);
            if (c == '%') {
                if (i + 2 >= encoded.length()) {
                    return new byte[0];
                }
                int high = Character.digit(encoded.charAt(i + 1), 16);
                int low = Character.digit(encoded.charAt(i + 2), 16);
                if (high < 0 || low < 0) {
                    return new byte[0];
                }
                text.write(high * 16 + low);
                i += 2;
            } else {
                text.write(c);
            }
        }
        try {
            return Base64.getDecoder().decode(text.toByteArray());
        } catch (IllegalArgumentException e) {
            return new byte[0];
        }
    }

    private static void send(HttpExchange exchange, byte[] response) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", RESPONSE_TYPE);
        exchange.sendResponseHeaders(200, response.length);
        exchange.getResponseBody().write(response);
    }

    static void plain(HttpExchange exchange, int status, String text) throws IOException {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        if (exchange.getRequestMethod().equals("HEAD")) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }
}
