package certgate.adapters.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;

import certgate.adapters.cli.Repository;
import certgate.adapters.cli.ServeCommand;
import certgate.adapters.pem.PkiFileException;
import certgate.adapters.pem.PkiFiles;
import certgate.adapters.store.LoadCheck;
import certgate.adapters.store.OpenedStore;
import certgate.adapters.store.Progress;
import certgate.eventstore.Blob;
import certgate.eventstore.Event;
import certgate.eventstore.log.FileEventLog;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A store holding the example PKI (policies/examples/pki: root and issuing CA, their CRLs) and a service on it,
 * listening on 127.0.0.1 at a free port; {@link #close()} stops it. One set of limits for every service in the
 * test JVM (the JDK reads them once), with a 2 s request timeout so that a slow client is dropped quickly.
 */
public final class ServeFixture implements AutoCloseable {
    public static final Limits LIMITS = new Limits(1 << 20, Duration.ofSeconds(2), Duration.ofSeconds(5), 1_000, 100);
    static final String AT = "2030-01-01T00:00:00Z";
    static final String TOKEN = "0123456789abcdef0123456789abcdef";

    final Path store;
    final Service service;
    final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final ByteArrayOutputStream requestLog;
    private final Optional<String> token;

    private ServeFixture(Path store, Service service, Optional<String> token, ByteArrayOutputStream requestLog) {
        this.store = store;
        this.service = service;
        this.token = token;
        this.requestLog = requestLog;
    }

    /** The example PKI loaded in a new store under {@code dir}, served without a token. */
    static ServeFixture start(Path dir) throws IOException {
        return start(dir, Optional.empty(), Map.of());
    }

    static ServeFixture start(Path dir, Optional<String> token, Map<String, java.util.function.Function<ServiceState,
            com.sun.net.httpserver.HttpHandler>> mounts) throws IOException {
        Path store = dir.resolve("store");
        if (!Files.exists(store)) {
            loadExamplePki(store);
        }
        Optional<BearerToken> bearer = Optional.empty();
        if (token.isPresent()) {
            Path file = dir.resolve("token");
            Files.writeString(file, token.get() + "\n");
            bearer = Optional.of(BearerToken.read(file));
        }
        ByteArrayOutputStream requestLog = new ByteArrayOutputStream();
        Service.Config config = new Service.Config(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                bearer, Optional.empty(), 32, LIMITS, mounts);
        FileEventLog log = FileEventLog.openForAppend(store, Clock.systemUTC());
        Service service;
        try {
            service = Service.start(config, ServeCommand.FORMATS, Clock.systemUTC(),
                    new PrintStream(requestLog, true, StandardCharsets.UTF_8));
            service.ready(log, OpenedStore.appending(log, Progress.silent()).replay());
        } catch (IOException | RuntimeException e) {
            log.close();
            throw e;
        }
        return new ServeFixture(store, service, token, requestLog);
    }

    /** What the service wrote on its standard error so far: one line per request. */
    String requestLog() {
        return requestLog.toString(StandardCharsets.UTF_8);
    }

    /** The request log once it holds {@code text} (a line is written just after its response is sent). */
    String awaitRequestLog(String text) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!requestLog().contains(text) && System.nanoTime() - deadline < 0) {
            java.util.concurrent.locks.LockSupport.parkNanos(10_000_000);
        }
        return requestLog();
    }

    /** Loads the example PKI's CA certificates and CRLs into a new store at {@code store}, as 'load' does. */
    static void loadExamplePki(Path store) {
        try (FileEventLog log = FileEventLog.openForAppend(store, Clock.systemUTC())) {
            OpenedStore opened = OpenedStore.appending(log, Progress.silent());
            List<Event> events = new ArrayList<>();
            for (LoadCheck.Outcome outcome : opened.check().caCertificates(named("root-ca.pem", PkiFiles.Kind
                    .CERTIFICATE), "default")) {
                events.add(((LoadCheck.Accepted) outcome).event());
            }
            opened.append(events);
            events.clear();
            for (LoadCheck.Outcome outcome : opened.check().caCertificates(named("issuing-ca.pem", PkiFiles.Kind
                    .CERTIFICATE), "default")) {
                events.add(((LoadCheck.Accepted) outcome).event());
            }
            opened.append(events);
            events.clear();
            List<LoadCheck.Named> crls = new ArrayList<>(named("root-ca.crl", PkiFiles.Kind.CRL));
            crls.addAll(named("issuing-ca.crl", PkiFiles.Kind.CRL));
            for (LoadCheck.Outcome outcome : opened.check().crls(crls, java.time.Instant.parse(AT))) {
                events.add(((LoadCheck.Accepted) outcome).event());
            }
            opened.append(events);
        }
    }

    private static List<LoadCheck.Named> named(String file, PkiFiles.Kind kind) {
        try {
            List<Blob> blobs = PkiFiles.parse(file, Files.readAllBytes(pki(file)), kind);
            List<LoadCheck.Named> named = new ArrayList<>();
            for (int i = 0; i < blobs.size(); i++) {
                named.add(new LoadCheck.Named(file, i + 1, blobs.size(), blobs.get(i)));
            }
            return named;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (PkiFileException e) {
            throw new IllegalStateException(e);
        }
    }

    static Path pki(String file) {
        return Repository.examplePki().resolve(file);
    }

    static String pem(String file) {
        try {
            return Files.readString(pki(file), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The body of a decision request for one of the example PKI's gateways, at {@link #AT}. */
    static String decisionBody(String peerFile, String id) {
        ObjectNode body = Http.JSON.createObjectNode();
        body.put("peer", pem(peerFile));
        body.put("id", id);
        body.put("at", AT);
        return body.toString();
    }

    /** The same as base64 DER, as the README's curl example sends it. */
    static String base64Der(String peerFile) {
        try {
            return Base64.getEncoder().encodeToString(PkiFiles.parse(peerFile, Files.readAllBytes(pki(peerFile)),
                    PkiFiles.Kind.CERTIFICATE).get(0).bytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (PkiFileException e) {
            throw new IllegalStateException(e);
        }
    }

    URI uri(String path) {
        InetSocketAddress address = service.address();
        return URI.create("http://127.0.0.1:" + address.getPort() + path);
    }

    int port() {
        return service.address().getPort();
    }

    /** A response: status and body, the body parsed when it is JSON. */
    record Answer(int status, String body, Map<String, List<String>> headers) {
        JsonNode json() {
            try {
                return Http.JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + body, e);
            }
        }

        String code() {
            return json().path("error").path("code").asText();
        }
    }

    Answer get(String path) {
        return send(request(path).GET().build());
    }

    Answer post(String path, String body) {
        return send(request(path).POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    Answer post(String path, byte[] body) {
        return send(request(path).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30));
        token.ifPresent(t -> builder.header("Authorization", "Bearer " + t));
        return builder;
    }

    Answer send(HttpRequest request) {
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body(), response.headers().map());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Asks for a decision and checks it was answered (200). */
    JsonNode decide(String peerFile, String id) {
        Answer answer = post("/v1/decisions", decisionBody(peerFile, id));
        assertEquals(200, answer.status(), answer.body());
        return answer.json();
    }

    @Override
    public void close() {
        service.close();
    }
}
