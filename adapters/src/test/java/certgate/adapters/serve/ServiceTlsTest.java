package certgate.adapters.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import certgate.adapters.cli.ServeCommand;
import certgate.adapters.store.OpenedStore;
import certgate.adapters.store.Progress;
import certgate.eventstore.log.FileEventLog;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTPS with client certificates, the real openssl making the keys and certificates and the real curl as the
 * client: with a certificate from the client CA the service answers, without one the handshake fails, and the
 * configuration may listen off loopback without a token.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ServiceTlsTest {
    @TempDir
    Path dir;

    private static final String MAKE_CERTIFICATES = String.join(" && ",
            "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout server.key -out server.pem"
                    + " -subj /CN=certgate-test -addext subjectAltName=IP:127.0.0.1 -days 2 2>/dev/null",
            "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout client-ca.key"
                    + " -out client-ca.pem -subj /CN=client-ca -days 2 2>/dev/null",
            "openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout client.key -out client.csr"
                    + " -subj /CN=gateway-1 2>/dev/null",
            "openssl x509 -req -in client.csr -CA client-ca.pem -CAkey client-ca.key -CAcreateserial -days 2"
                    + " -out client.pem 2>/dev/null");

    @Test
    void https_with_a_client_certificate_answers_and_without_one_refuses() throws IOException {
        Curl.Result made = Curl.bash(dir, MAKE_CERTIFICATES);
        assertEquals(0, made.status(), made.output());
        Tls tls = Tls.read(dir.resolve("server.pem"), dir.resolve("server.key"),
                Optional.of(dir.resolve("client-ca.pem")));
        Path store = dir.resolve("store");
        ServeFixture.loadExamplePki(store);
        Service.Config config = new Service.Config(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                Optional.empty(), Optional.of(tls), 4, ServeFixture.LIMITS, Map.of());
        Service.Config offLoopback = new Service.Config(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 0),
                Optional.empty(), Optional.of(tls), 4, ServeFixture.LIMITS, Map.of());
        assertEquals(Optional.empty(), offLoopback.refusal(), "client certificates suffice off loopback");

        FileEventLog log = FileEventLog.openForAppend(store, Clock.systemUTC());
        Service service;
        try {
            service = Service.start(config, ServeCommand.FORMATS, Clock.systemUTC(),
                    new PrintStream(OutputStream.nullOutputStream()));
        } catch (IOException | RuntimeException e) {
            log.close();
            throw e;
        }
        try {
            service.ready(log, OpenedStore.appending(log, Progress.silent()).replay());
            String url = "https://127.0.0.1:" + service.address().getPort();
            Curl.Result withCertificate = Curl.bash(dir, "curl -s --cacert server.pem --cert client.pem --key"
                    + " client.key " + url + "/health");
            Curl.Result without = Curl.bash(dir, "curl -s --cacert server.pem " + url + "/health");

            assertEquals(0, withCertificate.status(), withCertificate.output());
            assertEquals("{\"status\":\"alive\"}", withCertificate.output());
            assertNotEquals(0, without.status(), "no client certificate: " + without.output());
            assertTrue(!without.output().contains("alive"), without.output());
        } finally {
            service.close();
        }
    }
}
