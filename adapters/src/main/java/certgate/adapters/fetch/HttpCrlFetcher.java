package certgate.adapters.fetch;

import certgate.adapters.fetch.FetchOutcome.Failed;
import certgate.adapters.fetch.FetchOutcome.Fetched;
import certgate.adapters.fetch.FetchOutcome.NotModified;
import certgate.adapters.fetch.FetchOutcome.Validators;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

/**
 * Fetches a CRL over HTTP or HTTPS within {@link FetchLimits}.
 *
 * <p>Built on {@link HttpClient} rather than {@code HttpURLConnection}, for three reasons. The whole-transfer
 * limit must hold against a server that trickles a byte a second, and a read timeout (all that
 * {@code HttpURLConnection} offers) restarts with every byte; with {@link HttpClient#sendAsync} the wait is one
 * {@link CompletableFuture#get(long, TimeUnit)} on the deadline, and cancelling the future aborts the exchange
 * (since JDK 16). The body goes to a {@link Flow.Subscriber} of our own, which counts bytes as they arrive,
 * refuses a Content-Length over the limit before reading any, and copies each network buffer once into one array
 * sized from Content-Length: no stream-to-buffer-to-array copies of a 42 MB CRL. And {@code HttpClient} parses a
 * response strictly (a garbage status line is an error), where {@code HttpURLConnection} falls back to HTTP/0.9
 * and reads garbage as a body.
 *
 * <p>Redirects are followed here, not by the client, so that each hop is checked: at most
 * {@link FetchLimits#maxRedirects()}, only to http or https, never to a URL with credentials, never back to a URL
 * already visited. The same deadline covers every hop.
 */
final class HttpCrlFetcher {
    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);
    // A validator goes into the log with every refresh; one longer than this is not kept (the next fetch is then
    // unconditional, and an unchanged body is still recognised by its SHA-256).
    private static final int MAX_VALIDATOR_CHARS = 512;
    // A Java array holds at most this many bytes, whatever the limit says.
    private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    private final FetchLimits limits;
    private final HttpClient client;

    HttpCrlFetcher(FetchLimits limits, SSLContext tls) {
        this.limits = limits;
        this.client = HttpClient.newBuilder()
                .sslContext(tls)
                .connectTimeout(limits.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1) // no h2c upgrade dance with CRL servers
                .build();
    }

    FetchOutcome fetch(URI url, Validators previous) {
        long start = System.nanoTime();
        long deadline = start + limits.transferTimeout().toNanos();
        Set<String> visited = new HashSet<>();
        visited.add(loopKey(url));
        URI current = url;
        for (int redirects = 0; ; redirects++) {
            Exchange exchange = exchange(current, previous, deadline);
            if (exchange.failure().isPresent()) {
                Failed failed = exchange.failure().get();
                return new Failed(url, failed.failure(), failed.status(), failed.detail(), since(start));
            }
            HttpResponse<Body> response = exchange.response();
            int status = response.statusCode();
            if (REDIRECTS.contains(status)) {
                Optional<String> location = response.headers().firstValue("Location");
                if (location.isEmpty()) {
                    return failed(url, FetchFailure.REDIRECT, status, "HTTP " + status + " without a Location",
                            start);
                }
                URI next;
                try {
                    next = current.resolve(new URI(location.get().strip()));
                } catch (URISyntaxException | IllegalArgumentException e) {
                    return failed(url, FetchFailure.REDIRECT, status, "HTTP " + status + " to a Location that is "
                            + "not a URL: '" + Details.oneLine(location.get()) + "'", start);
                }
                String scheme = next.getScheme() == null ? "" : next.getScheme().toLowerCase(Locale.ROOT);
                if (!scheme.equals("http") && !scheme.equals("https")) {
                    return failed(url, FetchFailure.REDIRECT, status, "HTTP " + status + " to '"
                            + Details.oneLine(next.toString()) + "': a redirect may lead only to http or https",
                            start);
                }
                if (next.getRawUserInfo() != null || next.getHost() == null) {
                    return failed(url, FetchFailure.REDIRECT, status, "HTTP " + status + " to a URL with "
                            + (next.getHost() == null ? "no host" : "credentials in it") + ", not followed", start);
                }
                if (!visited.add(loopKey(next))) {
                    return failed(url, FetchFailure.REDIRECT, status, "redirect loop: HTTP " + status + " back to '"
                            + Details.oneLine(next.toString()) + "'", start);
                }
                if (redirects == limits.maxRedirects()) {
                    return failed(url, FetchFailure.REDIRECT, status, "more than " + limits.maxRedirects()
                            + " redirects", start);
                }
                current = next;
                continue;
            }
            Validators validators = validators(response);
            if (status == 304) {
                if (previous.etag() == null && previous.lastModified() == null) {
                    return failed(url, FetchFailure.HTTP_STATUS, status, "HTTP 304 Not Modified to a request that "
                            + "named no version", start);
                }
                return new NotModified(url, status, new Validators(
                        validators.etag() != null ? validators.etag() : previous.etag(),
                        validators.lastModified() != null ? validators.lastModified() : previous.lastModified()),
                        since(start));
            }
            if (status != 200) {
                return failed(url, FetchFailure.HTTP_STATUS, status, "HTTP " + status, start);
            }
            Body body = response.body();
            if (body instanceof Body.TooLarge tooLarge) {
                return failed(url, FetchFailure.TOO_LARGE, status, tooLarge.what() + ", over the limit of "
                        + limits.maxBytes() + " bytes", start);
            }
            if (!(body instanceof Body.Complete complete)) {
                throw new IllegalStateException("a 200 response without its body: " + body);
            }
            return new Fetched(url, current, status, validators, complete.bytes(), since(start));
        }
    }

    /** One request and its response, or why there is none; the response's body is read in full when 200. */
    private record Exchange(HttpResponse<Body> response, Optional<Failed> failure) {
    }

    private Exchange exchange(URI target, Validators previous, long deadline) {
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
            return failure(FetchFailure.TIMEOUT, 0, "no complete answer within " + seconds(limits.transferTimeout()));
        }
        HttpRequest.Builder request;
        try {
            request = HttpRequest.newBuilder(target).GET().timeout(Duration.ofNanos(remaining))
                    .header("Accept", "application/pkix-crl, application/x-pkcs7-crl, */*");
            if (previous.etag() != null) {
                request.header("If-None-Match", previous.etag());
            }
            if (previous.lastModified() != null) {
                request.header("If-Modified-Since", previous.lastModified());
            }
        } catch (IllegalArgumentException e) {
            return failure(FetchFailure.PROTOCOL, 0, "cannot make a request of it: " + Details.oneLine(e.getMessage()));
        }
        CompletableFuture<HttpResponse<Body>> future;
        try {
            future = client.sendAsync(request.build(), this::subscriber);
        } catch (IllegalArgumentException e) {
            return failure(FetchFailure.PROTOCOL, 0, "cannot make a request of it: " + Details.oneLine(e.getMessage()));
        }
        try {
            return new Exchange(future.get(remaining, TimeUnit.NANOSECONDS), Optional.empty());
        } catch (TimeoutException e) {
            future.cancel(true);
            return failure(FetchFailure.TIMEOUT, 0, "no complete answer within " + seconds(limits.transferTimeout()));
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            return failure(FetchFailure.PROTOCOL, 0, "interrupted while fetching");
        } catch (CancellationException e) {
            return failure(FetchFailure.PROTOCOL, 0, "the fetch was cancelled");
        } catch (ExecutionException e) {
            return thrown(target, e.getCause());
        }
    }

    private Exchange thrown(URI target, Throwable cause) {
        Throwable root = cause;
        while (root instanceof java.util.concurrent.CompletionException && root.getCause() != null) {
            root = root.getCause();
        }
        if (root instanceof HttpConnectTimeoutException) {
            return failure(FetchFailure.TIMEOUT, 0, "no connection within " + seconds(limits.connectTimeout()));
        }
        if (root instanceof HttpTimeoutException) {
            return failure(FetchFailure.TIMEOUT, 0, "no answer within " + seconds(limits.transferTimeout()));
        }
        if (root instanceof ConnectException) {
            String why = root.getMessage() == null && root.getCause() != null ? root.getCause().toString()
                    : root.getMessage();
            return failure(FetchFailure.REFUSED, 0, "cannot connect: " + Details.oneLine(why));
        }
        if (root instanceof SSLException sslFailure) {
            return failure(FetchFailure.PROTOCOL, 0, TlsFailures.reason(
                    Details.oneLine(target.getScheme() + "://" + target.getRawAuthority()), sslFailure));
        }
        if (root instanceof IOException) {
            return failure(FetchFailure.PROTOCOL, 0, "HTTP exchange failed: "
                    + Details.oneLine(root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage()));
        }
        if (root instanceof RuntimeException) {
            // The JDK's client reading what the server sent and failing on it (JDK 17 lets a Content-Length
            // that is not a number escape as a NumberFormatException): the server's fault, not ours.
            return failure(FetchFailure.PROTOCOL, 0, "malformed HTTP answer: " + Details.oneLine(root.toString()));
        }
        if (root instanceof Error error) {
            throw error;
        }
        throw new IllegalStateException("unexpected failure of an HTTP exchange", root);
    }

    private static Exchange failure(FetchFailure failure, int status, String detail) {
        return new Exchange(null, Optional.of(new Failed(null, failure, status, detail, Duration.ZERO)));
    }

    private static Failed failed(URI url, FetchFailure failure, int status, String detail, long start) {
        return new Failed(url, failure, status, detail, since(start));
    }

    private static Duration since(long start) {
        return Duration.ofNanos(System.nanoTime() - start);
    }

    private static String seconds(Duration limit) {
        return limit.toMillis() % 1000 == 0 ? limit.toSeconds() + " s" : limit.toMillis() + " ms";
    }

    private static Validators validators(HttpResponse<?> response) {
        return new Validators(validator(response, "ETag"), validator(response, "Last-Modified"));
    }

    private static String validator(HttpResponse<?> response, String header) {
        return response.headers().firstValue(header).map(String::strip)
                .filter(value -> !value.isEmpty() && value.length() <= MAX_VALIDATOR_CHARS)
                .filter(value -> value.chars().allMatch(c -> c >= 0x20 && c < 0x7f))
                .orElse(null);
    }

    /** Two URLs a redirect could loop between: scheme and host without case, the path normalised. */
    private static String loopKey(URI url) {
        URI normal = url.normalize();
        String scheme = String.valueOf(normal.getScheme()).toLowerCase(Locale.ROOT);
        int port = normal.getPort() >= 0 ? normal.getPort() : scheme.equals("https") ? 443 : 80;
        return scheme + "://" + String.valueOf(normal.getHost()).toLowerCase(Locale.ROOT) + ":" + port
                + normal.getRawPath() + (normal.getRawQuery() == null ? "" : "?" + normal.getRawQuery());
    }

    // --- the body --------------------------------------------------------------------------------------------

    /** What became of a response's body. */
    sealed interface Body {
        /** Read in full. */
        record Complete(byte[] bytes) implements Body {
        }

        /** Over the limit: declared so, or counted so; the rest was not read. */
        record TooLarge(String what) implements Body {
        }

        /** Not read, because the status says there is nothing to use in it. */
        record Skipped() implements Body {
        }
    }

    private HttpResponse.BodySubscriber<Body> subscriber(HttpResponse.ResponseInfo info) {
        if (info.statusCode() != 200) {
            return new Skipping();
        }
        long max = Math.min(limits.maxBytes(), MAX_ARRAY);
        OptionalLong declared;
        try {
            declared = info.headers().firstValueAsLong("Content-Length");
        } catch (NumberFormatException e) {
            return new Failing("a Content-Length that is not a number");
        }
        if (declared.isPresent() && declared.getAsLong() < 0) {
            return new Failing("a negative Content-Length");
        }
        if (declared.isPresent() && declared.getAsLong() > max) {
            return new Refusing("Content-Length " + declared.getAsLong());
        }
        return new Buffering(declared.isPresent() ? declared.getAsLong() : -1, max);
    }

    /** Reads nothing: cancels at once, which closes the connection. */
    private static final class Skipping extends Completing {
        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            subscription.cancel();
            result.complete(new Body.Skipped());
        }
    }

    /** Reads nothing of a body whose framing cannot be trusted; the exchange fails as malformed. */
    private static final class Failing extends Completing {
        private final String what;

        Failing(String what) {
            this.what = what;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            subscription.cancel();
            result.completeExceptionally(new IOException("malformed answer: " + what));
        }
    }

    /** Refuses the body before reading any of it. */
    private static final class Refusing extends Completing {
        private final String what;

        Refusing(String what) {
            this.what = what;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            subscription.cancel();
            result.complete(new Body.TooLarge(what));
        }
    }

    /**
     * Copies the body into one array: sized from Content-Length when the server sent one (then no other copy is
     * made), else grown by doubling and trimmed once at the end. Stops reading at the limit.
     */
    private static final class Buffering extends Completing {
        private final long declared;
        private final long max;
        private byte[] buffer;
        private int count;
        private Flow.Subscription subscription;

        Buffering(long declared, long max) {
            this.declared = declared;
            this.max = max;
            this.buffer = new byte[declared >= 0 ? (int) declared : 64 << 10];
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            subscription.request(1);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            for (ByteBuffer item : items) {
                int length = item.remaining();
                if ((long) count + length > max) {
                    subscription.cancel();
                    result.complete(new Body.TooLarge("more than " + max + " bytes sent"));
                    return;
                }
                if (count + length > buffer.length) {
                    if (declared >= 0) {
                        subscription.cancel();
                        result.completeExceptionally(new IOException("more body than its Content-Length "
                                + declared));
                        return;
                    }
                    buffer = Arrays.copyOf(buffer, (int) Math.min(max, Math.max(2L * buffer.length,
                            (long) count + length)));
                }
                item.get(buffer, count, length);
                count += length;
            }
            subscription.request(1);
        }

        @Override
        public void onError(Throwable throwable) {
            buffer = null;
            result.completeExceptionally(throwable);
        }

        @Override
        public void onComplete() {
            if (result.isDone()) {
                return;
            }
            if (declared >= 0 && count != declared) {
                result.completeExceptionally(new IOException("the body ended after " + count + " of its "
                        + declared + " bytes"));
                return;
            }
            byte[] bytes = count == buffer.length ? buffer : Arrays.copyOf(buffer, count);
            buffer = null;
            result.complete(new Body.Complete(bytes));
        }
    }

    private abstract static class Completing implements HttpResponse.BodySubscriber<Body> {
        final CompletableFuture<Body> result = new CompletableFuture<>();

        @Override
        public CompletionStage<Body> getBody() {
            return result;
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
        }

        @Override
        public void onError(Throwable throwable) {
            result.completeExceptionally(throwable);
        }

        @Override
        public void onComplete() {
            if (!result.isDone()) {
                result.complete(new Body.Skipped());
            }
        }
    }
}
