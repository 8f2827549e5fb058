package certgate.adapters.ocsp;

import certgate.adapters.serve.ServiceState;
import certgate.adapters.store.OpenedStore;
import certgate.adapters.store.Progress;
import certgate.engine.Engine;
import certgate.engine.testpki.PemText;
import certgate.engine.testpki.TestCert;
import certgate.engine.testpki.TestPki;
import certgate.eventstore.Blob;
import certgate.eventstore.CaCertificateLoaded;
import certgate.eventstore.CrlLoaded;
import certgate.eventstore.Event;
import certgate.eventstore.OcspAnswered;
import certgate.eventstore.RecordedEvent;
import certgate.eventstore.log.FileEventLog;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A running OCSP responder and CRL endpoint for a test: a real store (a {@link FileEventLog} in a temporary
 * directory, read through {@link OpenedStore}), a CA with a delegated responder and two peers (one good, one to
 * revoke), the handlers on the JDK's HTTP server at 127.0.0.1 on a free port, and the PEM files an
 * {@code openssl ocsp} client needs (ca.pem, responder.pem, good.pem, revoked.pem). {@link #close} stops the
 * server and closes the log.
 */
final class OcspFixture implements AutoCloseable {
    static final String OCSP_SIGNING = "1.3.6.1.5.5.7.3.9";

    final Path dir;
    final TestPki ca = TestPki.root("CN=OCSP Test CA, O=Example");
    final TestCert responder = ca.issue(TestPki.spec("CN=OCSP Responder, O=Example")
            .extendedKeyUsage(false, OCSP_SIGNING));
    final TestCert good = ca.leaf("CN=gw1.example.net", TestPki.dns("gw1.example.net"));
    final TestCert revoked = ca.leaf("CN=gw2.example.net", TestPki.dns("gw2.example.net"));
    final Service service;
    final List<String> problems = new CopyOnWriteArrayList<>();
    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);

    /** The service over the store, as {@code certgate serve} provides it to the endpoints. */
    static final class Service implements ServiceState {
        private final FileEventLog log;
        private final OpenedStore store;
        private volatile Engine state;

        Service(FileEventLog log) {
            this.log = log;
            this.store = OpenedStore.appending(log, Progress.silent());
            this.state = store.state();
        }

        @Override
        public Engine state() {
            return state;
        }

        @Override
        public List<Long> appendDurably(List<? extends Event> events) {
            return log.append(events);
        }

        /** Loads (appends durably, then serves) CA certificates and CRLs, as {@code certgate load} would. */
        synchronized void load(Event... events) {
            store.append(List.of(events));
            state = store.state();
        }

        List<OcspAnswered> answers() {
            List<OcspAnswered> answers = new ArrayList<>();
            log.read(0, (RecordedEvent recorded) -> {
                if (recorded.event() instanceof OcspAnswered answered) {
                    answers.add(answered);
                }
            });
            return answers;
        }
    }

    OcspFixture(Path dir, Clock clock) {
        this.dir = dir;
        try {
            write("ca.pem", ca.certificate().pem());
            write("responder.pem", responder.pem());
            write("good.pem", good.pem());
            write("revoked.pem", revoked.pem());
            write("responder.key", PemText.block("PRIVATE KEY", responder.keyPair().getPrivate().getEncoded()));
            Files.setPosixFilePermissions(dir.resolve("responder.key"), PosixFilePermissions.fromString("rw-------"));
            service = new Service(FileEventLog.openForAppend(dir.resolve("store"), Clock.systemUTC()));
            service.load(new CaCertificateLoaded("default", ca.certificate().blob()));
            OcspResponders responders = OcspResponders.load(List.of(new OcspResponders.Files(
                    dir.resolve("responder.pem"), dir.resolve("responder.key"))), service.state(), clock.instant());
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/ocsp", new OcspHandler(service, responders, clock, problems::add));
            server.createContext("/crls", new CrlHandler(service));
            server.setExecutor(executor);
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ResponderException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    /** A CRL of the test CA, current at {@code now}, revoking {@link #revoked} (keyCompromise, a day before). */
    byte[] crlRevokingOne(Instant now) {
        return ca.crl().thisUpdate(now.minusSeconds(3_600)).nextUpdate(now.plusSeconds(86_400))
                .revoke(revoked.serial(), now.minusSeconds(86_400), 1).build();
    }

    void loadCrl(byte[] crl) {
        service.load(new CrlLoaded(Blob.of(crl), "file:test.crl"));
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    String url(String path) {
        return uri(path).toString();
    }

    private void write(String name, String text) throws IOException {
        Files.writeString(dir.resolve(name), text);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        service.log.close();
    }
}
