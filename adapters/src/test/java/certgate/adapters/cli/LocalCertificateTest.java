package certgate.adapters.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import certgate.adapters.enroll.EnrollException;
import certgate.adapters.enroll.LocalCertificates;
import certgate.adapters.pem.PkiFileException;
import certgate.adapters.pem.PkiFiles;
import certgate.eventstore.LocalCertificateLoaded;
import certgate.eventstore.RecordedEvent;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole enrolment with OpenSSL as the CA: keygen, request, the CA signs it, load local; then replay and
 * status list the certificate. Each check of load local refuses on its own, naming itself, appending nothing.
 */
class LocalCertificateTest {
    private static final String SUBJECT = "CN=gw1.example.net, O=Example, C=US";

    @TempDir
    Path dir;
    private StoreFixture fixture;

    @BeforeEach
    void enrol() {
        OpenSsl.assumeAvailable();
        fixture = new StoreFixture(dir);
        // OpenSSL dates its certificates from the real clock.
        fixture.clock.set(Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofMinutes(1)));
        OpenSsl.makeCa(dir, "ca", "/O=Example/CN=Enrolment CA");
        ok("load", "ca", "ca.pem");
        ok("keygen", "--type", "ec", "--out", "gw.key");
        ok("request", "--key", "gw.key", "--subject", SUBJECT, "--san", "fqdn:gw1.example.net", "--out", "gw.p10");
        OpenSsl.sign(dir, "ca", "gw.p10", "gw.pem", 20);
        // An hour into the certificate's life, whatever second OpenSSL signed it in: 19 whole days remain.
        fixture.clock.set(notBefore("gw.pem").plus(Duration.ofHours(1)));
    }

    private Instant notBefore(String file) {
        try {
            return LocalCertificates.describe(PkiFiles.certificates(dir.resolve(file)).get(0)).notBefore();
        } catch (PkiFileException | EnrollException e) {
            throw new AssertionError(e);
        }
    }

    private StoreFixture.Result ok(String... args) {
        StoreFixture.Result run = fixture.run(args);
        assertEquals(0, run.status(), run.toString());
        return run;
    }

    private void refused(String expected, String... args) {
        long before = fixture.storeBytes();
        StoreFixture.Result run = fixture.run(args);
        assertEquals(2, run.status(), run.toString());
        assertTrue(run.err().contains(expected), run.err());
        assertEquals(before, fixture.storeBytes(), "something was appended");
    }

    @Test
    void the_certificate_openssl_issued_for_the_request_is_loaded_and_listed_by_replay_and_status() {
        StoreFixture.Result load = ok("load", "local", "gw.pem", "--key", "gw.key", "--gateway", "gw1");

        assertTrue(load.out().contains("local certificate loaded at sequence 3: " + SUBJECT + " for gateway gw1"),
                load.out());
        List<RecordedEvent> events = fixture.events();
        LocalCertificateLoaded loaded = (LocalCertificateLoaded) events.get(events.size() - 1).event();
        assertEquals(Optional.of("gw1"), loaded.gateway());

        StoreFixture.Result replay = ok("replay");
        assertTrue(replay.out().contains("local certificates: 1\n  " + SUBJECT + "\n      gateway gw1  issuer"
                + " CN=Enrolment CA, O=Example  serial "), replay.out());
        assertTrue(replay.out().contains("19 day(s) to expiry"), replay.out());
        JsonNode json = parse(ok("replay", "--format", "json").out());
        assertEquals(SUBJECT, json.get("localCertificates").get(0).get("subject").asText());
        assertEquals(19, json.get("localCertificates").get(0).get("daysToExpiry").asLong());

        StoreFixture.Result soon = fixture.run("status", "--expiring", "30d");
        assertEquals(1, soon.status(), soon.toString());
        assertTrue(soon.out().contains(": 1 of 1\n  " + SUBJECT), soon.out());
        StoreFixture.Result later = fixture.run("status", "--expiring", "7d");
        assertEquals(0, later.status(), later.toString());
        assertTrue(later.out().contains(": 0 of 1\n"), later.out());
        assertEquals(1, parse(fixture.run("status", "--format", "json").out()).get("expiring").size());

        StoreFixture.Result again = ok("load", "local", "gw.pem", "--key", "gw.key", "--gateway", "gw1");
        assertTrue(again.out().contains("already loaded"), again.out());
        assertEquals(events.size(), fixture.events().size());
    }

    @Test
    void log_dump_shows_the_three_enrolment_events_with_their_fields() {
        ok("load", "local", "gw.pem", "--key", "gw.key", "--gateway", "gw1");

        List<JsonNode> events = ok("log", "dump", "--format", "json").out().lines().map(LocalCertificateTest::parse)
                .filter(node -> node.get("kind").asText().equals("event")).toList();
        JsonNode key = events.get(1).get("event");
        assertEquals("KeyPairGenerated", events.get(1).get("type").asText());
        assertEquals("ec-p256", key.get("keyType").asText());
        assertEquals("gw.key", key.get("file").asText());
        assertEquals(key.get("publicKey").get("sha256").asText(), key.get("fingerprint").asText());
        JsonNode request = events.get(2).get("event");
        assertEquals(SUBJECT, request.get("subject").asText());
        assertEquals("fqdn:gw1.example.net", request.get("subjectAltNames").get(0).asText());
        assertEquals(key.get("fingerprint").asText(), request.get("publicKeySha256").asText());
        assertEquals("gw1", events.get(3).get("event").get("gateway").asText());
        assertEquals("LocalCertificateLoaded", events.get(3).get("type").asText());
        String text = ok("log", "dump").out();
        assertTrue(text.contains("KeyPairGenerated v1") && text.contains("keyType=ec-p256"), text);
        assertTrue(text.contains("CertificateRequestGenerated v1") && text.contains("san=fqdn:gw1.example.net"),
                text);
        assertTrue(text.contains("LocalCertificateLoaded v1") && text.contains("gateway=gw1"), text);
    }

    @Test
    void an_encrypted_key_is_read_with_its_passphrase_and_refused_with_a_wrong_one() throws Exception {
        Files.writeString(dir.resolve("pass.txt"), "s3cret\n");
        Files.writeString(dir.resolve("wrong.txt"), "guess\n");
        OpenSsl.ok(dir, "pkcs8", "-topk8", "-in", "gw.key", "-out", "gw-encrypted.key", "-passout",
                "file:pass.txt");

        refused("cannot decrypt the private key: wrong passphrase", "load", "local", "gw.pem", "--key",
                "gw-encrypted.key", "--passphrase-file", "wrong.txt");
        ok("load", "local", "gw.pem", "--key", "gw-encrypted.key", "--passphrase-file", "pass.txt");
    }

    @Test
    void the_options_of_load_local_belong_to_it_alone() {
        refused("--key applies to 'load local' only", "load", "ca", "ca.pem", "--key", "gw.key");
        refused("--profile applies to 'load ca' only", "load", "local", "gw.pem", "--key", "gw.key", "--profile",
                "corp");
        refused("missing --key KEY.pem", "load", "local", "gw.pem");
    }

    @Test
    void a_certificate_for_another_key_is_refused_by_the_key_check() {
        ok("keygen", "--type", "ec", "--out", "other.key");
        refused("gw.pem: refused (key check): the certificate's public key", "load", "local", "gw.pem", "--key",
                "other.key");
    }

    @Test
    void a_certificate_from_a_ca_not_in_the_store_is_refused_by_the_chain_check() {
        OpenSsl.makeCa(dir, "stranger", "/CN=Stranger CA");
        OpenSsl.sign(dir, "stranger", "gw.p10", "stranger-gw.pem", 20);
        refused("stranger-gw.pem: refused (chain check): it does not chain to a CA certificate loaded in the"
                + " store", "load", "local", "stranger-gw.pem", "--key", "gw.key");
    }

    @Test
    void an_expired_certificate_is_refused_by_the_validity_check() {
        fixture.clock.advance(Duration.ofDays(21));
        refused("gw.pem: refused (validity check): the certificate expired at", "load", "local", "gw.pem",
                "--key", "gw.key");
    }

    @Test
    void without_a_store_the_certificate_is_refused_and_no_store_is_created() throws Exception {
        StoreFixture.Result run = fixture.run("load", "local", "gw.pem", "--key", "gw.key", "--store", "elsewhere");
        assertEquals(2, run.status(), run.toString());
        assertTrue(run.err().contains("refused (chain check)"), run.err());
        assertTrue(Files.notExists(dir.resolve("elsewhere")));
    }

    private static JsonNode parse(String json) {
        try {
            return DecisionFormat.JSON.readTree(json);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }
}
