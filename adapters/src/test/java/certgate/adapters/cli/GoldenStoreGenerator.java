package certgate.adapters.cli;

import certgate.adapters.cli.StoreFixture.Pki;
import certgate.adapters.cli.StoreFixture.Result;
import certgate.engine.testpki.TestPki;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the golden store of event format v1, which {@link GoldenStoreTest} reads in every later release. Run it
 * once, for a new version directory, never to refresh an existing one: the point of a golden store is that its
 * bytes were written by the release that wrote them.
 *
 * <p>Run from the repository root, with the adapters' test classpath:
 * {@code java -cp adapters/target/test-classes:adapters/target/classes:<dependencies>
 * certgate.adapters.cli.GoldenStoreGenerator adapters/src/test/resources/golden/v1}.
 *
 * <p>What it writes: the scenario PKI of {@link StoreFixture} (a root and an issuing CA, EC P-256, fresh keys), a
 * second root under profile {@code partner}, both CAs' CRLs, and {@link #REQUESTS}, one decision each, with append
 * times one minute apart from {@link #FIRST_APPEND}. The PEM inputs are kept beside the store, for a person.
 */
public final class GoldenStoreGenerator {
    static final Instant FIRST_APPEND = Instant.parse("2025-01-01T08:00:00Z");

    /** Each validation of the golden store: its arguments after {@code validate}. */
    static final List<List<String>> REQUESTS = List.of(
            List.of("--peer", "gw1.pem", "--id", "fqdn:gw1.example.net", "--at", "2025-01-01T12:00:00Z"),
            List.of("--peer", "gw2.pem", "--id", "fqdn:gw2.example.net", "--at", "2025-01-01T12:00:00Z"),
            List.of("--peer", "gw1.pem", "--id", "fqdn:gw2.example.net", "--at", "2025-01-01T12:00:00Z"),
            List.of("--peer", "gw1.pem", "--at", "2019-06-01T00:00:00Z"),
            List.of("--peer", "gw1.pem", "--at", "2041-01-01T00:00:00Z", "--revocation-check", "disable"),
            List.of("--peer", "malformed.der", "--at", "2025-01-01T12:00:00Z"),
            List.of("--peer", "gw2.pem", "--at", "2025-01-01T12:00:00Z", "--revocation-check", "disable"),
            List.of("--peer", "stranger.pem", "--at", "2025-01-01T12:00:00Z"),
            List.of("--peer", "gw1.pem", "--at", "2025-03-01T00:00:00Z"),
            List.of("--peer", "gw1.pem", "--at", "2025-03-01T00:00:00Z", "--on-download-failure", "accept"),
            List.of("--peer", "gw1.pem", "--chain", "issuing.pem", "--path-validation", "full",
                    "--at", "2025-01-01T12:00:00Z"),
            List.of("--peer", "gw1.pem", "--path-validation", "full", "--max-ca-levels", "1",
                    "--at", "2025-01-01T12:00:00Z"),
            List.of("--peer", "partner-gw.pem", "--id", "ip:192.0.2.7", "--at", "2025-01-01T12:00:00Z",
                    "--crl", "partner.crl"));

    private GoldenStoreGenerator() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: GoldenStoreGenerator VERSION-DIRECTORY (for example golden/v1)");
            System.exit(2);
        }
        Path target = Path.of(args[0]).toAbsolutePath();
        Path store = target.resolve("store");
        if (Files.exists(store)) {
            System.err.println(store + " exists: a golden store is written once, never regenerated");
            System.exit(2);
        }
        Path inputs = Files.createDirectories(target.resolve("inputs"));
        StoreFixture fixture = new StoreFixture(inputs);
        Pki pki = Pki.create().writeTo(fixture);
        TestPki partner = TestPki.root("CN=Partner Root CA, O=partner, C=DE");
        fixture.writePem("partner-root.pem", partner.certificate());
        fixture.writePem("partner-gw.pem", partner.leaf("CN=vpn.partner.example, O=partner", TestPki.ip("192.0.2.7")));
        fixture.writeCrl("partner.crl", partner.crl().build());
        fixture.writePem("stranger.pem", TestPki.root("CN=Stranger Root").leaf("CN=stranger", TestPki.dns("x.test")));
        fixture.write("malformed.der", new byte[] {0x30, 0x03, 0x02, 0x01, 0x07});
        fixture.clock.set(FIRST_APPEND);

        List<String> log = new ArrayList<>();
        run(fixture, store, log, "load", "ca", "root.pem", "issuing.pem");
        run(fixture, store, log, "load", "ca", "partner-root.pem", "--profile", "partner");
        run(fixture, store, log, "load", "crl", "root.crl", "issuing.crl");
        for (List<String> request : REQUESTS) {
            List<String> argv = new ArrayList<>(List.of("validate"));
            argv.addAll(request);
            run(fixture, store, log, argv.toArray(new String[0]));
        }
        Files.deleteIfExists(store.resolve("LOCK"));
        Result verify = fixture.run("log", "verify", "--store", store.toString());
        log.add(("$ certgate log verify\n" + verify.out()).replace(store.toString(), "golden/v1/store"));
        Files.writeString(target.resolve("transcript.txt"), String.join("\n", log), StandardCharsets.UTF_8);
        System.out.println("wrote " + store + " (" + pki.root().subject() + " ...)\n" + verify.out());
    }

    private static void run(StoreFixture fixture, Path store, List<String> log, String... args) {
        fixture.clock.advance(Duration.ofMinutes(1));
        List<String> argv = new ArrayList<>(List.of(args));
        argv.add("--store");
        argv.add(store.toString());
        Result result = fixture.runExactly(argv);
        if (result.status() > 1) {
            throw new IllegalStateException("certgate " + String.join(" ", args) + " failed:\n" + result);
        }
        String transcript = "$ certgate " + String.join(" ", args) + "   (at " + fixture.clock.instant() + ", exit "
                + result.status() + ")\n" + result.out() + result.err();
        log.add(transcript.replace(store.toString(), "golden/v1/store"));
    }
}
