package certgate.adapters.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Serves the files of a directory over HTTP as a plain web server would ({@code GET /a/b.crl} is the file a/b.crl,
 * as application/pkix-crl; anything else is 404), with an {@code ETag} (from the file's SHA-256) and
 * {@code Last-Modified} (the file's time), answering 304 to a conditional GET that names the file's current
 * version. Two uses:
 * <ul>
 * <li>a stand-in for {@code certgate serve}'s CRL endpoint in the IKE tests, as a process of its own so that
 * {@code ip netns exec} can start it inside the responder's network namespace: {@code java -cp CLASSPATH
 * certgate.adapters.cli.CrlFileServer ADDRESS PORT DIRECTORY}; it prints "listening" once bound;</li>
 * <li>in-process ({@link #start(Path)}), on 127.0.0.1 and a random port: the README's one-line server of
 * {@code policies/examples/pki} for the CRL distribution point tests, remembering every request it answered.</li>
 * </ul>
 */
public final class CrlFileServer implements AutoCloseable {
    /** One request answered: the path asked, the version the client said it holds (or null), the status sent. */
    record Request(String path, String ifNoneMatch, String ifModifiedSince, int status) {
    }

    /** RFC 9110's IMF-fixdate (two-digit day, unlike {@link DateTimeFormatter#RFC_1123_DATE_TIME}). */
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'",
            Locale.US).withZone(ZoneOffset.UTC);

    private final HttpServer server;
    private final Path root;
    private final List<Request> requests = new CopyOnWriteArrayList<>();

    private CrlFileServer(InetSocketAddress address, Path root) throws IOException {
        this.root = root.toAbsolutePath().normalize();
        this.server = HttpServer.create(address, 16);
        server.createContext("/", this::handle);
        server.start();
    }

    public static void main(String[] args) throws IOException {
        new CrlFileServer(new InetSocketAddress(InetAddress.getByName(args[0]), Integer.parseInt(args[1])),
                Path.of(args[2]));
        System.out.println("listening");
        System.out.flush();
    }

    /** Serves {@code root} on 127.0.0.1 and a port of the system's choosing, until {@link #close()}. */
    public static CrlFileServer start(Path root) {
        try {
            return new CrlFileServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Every request answered so far, in order. */
    List<Request> requests() {
        return List.copyOf(requests);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String ifNoneMatch = exchange.getRequestHeaders().getFirst("If-None-Match");
            String ifModifiedSince = exchange.getRequestHeaders().getFirst("If-Modified-Since");
            Path file = root.resolve(path.substring(1)).normalize();
            if (!exchange.getRequestMethod().equals("GET") || !file.startsWith(root) || !Files.isRegularFile(file)) {
                answered(exchange, new Request(path, ifNoneMatch, ifModifiedSince, 404), null);
                return;
            }
            byte[] body = Files.readAllBytes(file);
            String etag = "\"" + sha256(body).substring(0, 32) + "\"";
            String lastModified = HTTP_DATE.format(Files.getLastModifiedTime(file).toInstant());
            exchange.getResponseHeaders().set("Content-Type", "application/pkix-crl");
            exchange.getResponseHeaders().set("ETag", etag);
            exchange.getResponseHeaders().set("Last-Modified", lastModified);
            boolean current = ifNoneMatch != null ? ifNoneMatch.equals(etag) : lastModified.equals(ifModifiedSince);
            answered(exchange, new Request(path, ifNoneMatch, ifModifiedSince, current ? 304 : 200),
                    current ? null : body);
        }
    }

    private void answered(HttpExchange exchange, Request request, byte[] body) throws IOException {
        requests.add(request);
        exchange.sendResponseHeaders(request.status(), body == null ? -1 : body.length);
        if (body != null) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static String sha256(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
