package certgate.adapters.cli;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A stand-in for {@code certgate serve}'s CRL endpoint in the IKE tests: serves the files of a directory over HTTP
 * ({@code GET /crls/by-issuer/SHA256.crl} is the file crls/by-issuer/SHA256.crl), as application/pkix-crl. It runs
 * as a process of its own so that {@code ip netns exec} can start it inside the responder's network namespace,
 * where {@code certgate serve} will run instead: {@code java -cp CLASSPATH certgate.adapters.cli.CrlFileServer
 * ADDRESS PORT DIRECTORY}. It prints "listening" once bound.
 */
public final class CrlFileServer {
    private CrlFileServer() {
    }

    public static void main(String[] args) throws IOException {
        Path root = Path.of(args[2]).toAbsolutePath().normalize();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(args[0]),
                Integer.parseInt(args[1])), 16);
        server.createContext("/", exchange -> {
            try (exchange) {
                Path file = root.resolve(exchange.getRequestURI().getPath().substring(1)).normalize();
                if (!exchange.getRequestMethod().equals("GET") || !file.startsWith(root) || !Files.isRegularFile(file)) {
                    exchange.sendResponseHeaders(404, -1);
                    return;
                }
                byte[] body = Files.readAllBytes(file);
                exchange.getResponseHeaders().set("Content-Type", "application/pkix-crl");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        });
        server.start();
        System.out.println("listening");
        System.out.flush();
    }
}
