package certgate.adapters.serve;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What every request passes through, whichever handler answers it: refused while the service drains, refused
 * without the bearer token (where one is required), errors as JSON with their stable code and never a stack
 * trace, one log line on standard error (method, path without its query, status, latency, decision id: no
 * bodies, no tokens) and the request counters.
 */
final class Gate {
    /** Exchange attribute: the decision id a request produced, for the log line. */
    static final String DECISION_ID = "certgate.decisionId";
    /** Exchange attribute: the route template that matched, for the metrics. */
    static final String ROUTE = "certgate.route";

    /** A handler that may refuse with an {@link ApiError}. */
    interface Handler {
        void handle(HttpExchange exchange) throws ApiError, IOException;
    }

    private final Optional<BearerToken> token;
    private final PrintStream log;
    private final Metrics metrics;
    private final int maxBodyBytes;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean draining;

    Gate(Optional<BearerToken> token, PrintStream log, Metrics metrics, int maxBodyBytes) {
        this.token = token;
        this.log = log;
        this.metrics = metrics;
        this.maxBodyBytes = maxBodyBytes;
    }

    /** {@code inner} behind the gate; {@code open} routes (health, readiness) need no token. */
    HttpHandler wrap(String route, boolean open, Handler inner) {
        return exchange -> {
            long started = System.nanoTime();
            inFlight.incrementAndGet();
            try {
                exchange.setAttribute(ROUTE, route);
                serve(exchange, open, inner);
            } finally {
                if (exchange.getAttribute(ServiceState.ANSWERED_LATER) instanceof CompletableFuture<?> later) {
                    later.whenComplete((answered, failure) -> {
                        inFlight.decrementAndGet();
                        finish(exchange, started);
                    });
                } else {
                    inFlight.decrementAndGet();
                    finish(exchange, started);
                }
            }
        };
    }

    /** A handler mounted by another part of certgate (OCSP, CRLs): the gate, and the body limit by its length. */
    HttpHandler mount(String path, Handler mounted) {
        return wrap(path, true, exchange -> {
            String declared = exchange.getRequestHeaders().getFirst("Content-Length");
            if (declared != null && isLength(declared.trim()) && Long.parseLong(declared.trim()) > maxBodyBytes) {
                Http.body(exchange, maxBodyBytes);
            }
            mounted.handle(exchange);
        });
    }

    /** 1 to 18 ASCII digits: a length that fits a long (by hand: String.matches compiles its pattern each call). */
    private static boolean isLength(String value) {
        if (value.isEmpty() || value.length() > 18) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) < '0' || value.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private void serve(HttpExchange exchange, boolean open, Handler inner) throws IOException {
        try {
            if (draining) {
                exchange.getResponseHeaders().set("Connection", "close");
                throw new ApiError(ApiError.Code.SHUTTING_DOWN, "the service is shutting down; retry on another"
                        + " instance or after it restarts");
            }
            if (!open && token.isPresent()
                    && !token.get().accepts(exchange.getRequestHeaders().getFirst("Authorization"))) {
                exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"certgate\"");
                throw new ApiError(ApiError.Code.UNAUTHENTICATED, "this service requires 'Authorization: Bearer"
                        + " TOKEN' with the token from its --token-file");
            }
            inner.handle(exchange);
        } catch (ApiError | RuntimeException | Error e) {
            answerThrown(exchange, e);
        }
    }

    /**
     * Answers what {@code thrown} says went wrong: an {@link ApiError} as itself, the store's failures with their
     * codes, anything else as an internal error (a bug: one line in the service's log, never a stack trace to the
     * client). For handlers that answer later, on whatever thread found the failure.
     */
    void answerThrown(HttpExchange exchange, Throwable thrown) throws IOException {
        if (thrown instanceof ApiError e) {
            answer(exchange, e);
        } else if (thrown instanceof DurableState.Closing e) {
            exchange.getResponseHeaders().set("Connection", "close");
            answer(exchange, new ApiError(ApiError.Code.SHUTTING_DOWN, e.getMessage()));
        } else if (thrown instanceof DurableState.StoreFailure e) {
            log.println("certgate serve: " + printable(e.getMessage()));
            answer(exchange, new ApiError(ApiError.Code.STORE_FAILED, "the event store failed to record this"
                    + " request; nothing was acknowledged (see the service's log)"));
        } else {
            // A bug: fail closed, say what broke in the service's log (one line), never to the client.
            log.println("certgate serve: internal error on " + exchange.getRequestMethod() + " "
                    + printable(exchange.getRequestURI().getRawPath()) + ": " + thrown.getClass().getName() + ": "
                    + printable(String.valueOf(thrown.getMessage())) + "; please report it");
            answer(exchange, new ApiError(ApiError.Code.INTERNAL_ERROR, "internal error (a bug in certgate; it is"
                    + " in the service's log); nothing was decided"));
        }
    }

    private static void answer(HttpExchange exchange, ApiError error) throws IOException {
        if (exchange.getResponseCode() == -1) {
            Http.error(exchange, error);
        } else {
            exchange.close();
        }
    }

    private void finish(HttpExchange exchange, long started) {
        long nanos = System.nanoTime() - started;
        int status = exchange.getResponseCode();
        String route = String.valueOf(exchange.getAttribute(ROUTE));
        metrics.counter("certgate_http_requests_total", "HTTP requests answered, by route and status.",
                Metrics.Labels.of("route", route, "status", Integer.toString(status))).increment();
        metrics.histogram("certgate_http_request_duration_seconds", "HTTP request latency, by route.",
                Metrics.Labels.of("route", route)).observe(nanos);
        Object decision = exchange.getAttribute(DECISION_ID);
        // Built by hand: String.format cost more than the rest of a no-op request's handling.
        long micros = nanos / 1_000;
        String fraction = Long.toString(1_000 + micros % 1_000).substring(1);
        StringBuilder line = new StringBuilder(96).append("certgate serve: ")
                .append(printable(exchange.getRequestMethod())).append(' ')
                .append(printable(exchange.getRequestURI().getRawPath())).append(' ').append(status).append(' ')
                .append(micros / 1_000).append('.').append(fraction).append("ms");
        if (decision != null) {
            line.append(' ').append(decision);
        }
        log.println(line);
    }

    /** Starts refusing new requests; those in flight finish. */
    void drain() {
        draining = true;
    }

    boolean draining() {
        return draining;
    }

    int inFlight() {
        return inFlight.get();
    }

    /** Text from a client, safe for one log line: control characters as \\uXXXX, at most 200 characters. */
    static String printable(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length() && out.length() < 200; i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return text.length() > 200 ? out + "..." : out.toString();
    }
}
