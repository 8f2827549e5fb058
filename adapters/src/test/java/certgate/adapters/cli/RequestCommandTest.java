package certgate.adapters.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import certgate.adapters.enroll.CertificateRequests;
import certgate.adapters.enroll.GatewayKey;
import certgate.adapters.enroll.KeyPairs;
import certgate.eventstore.CertificateRequestGenerated;
import certgate.eventstore.IkeIdentity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

class RequestCommandTest {
    private static final String SUBJECT = "CN=gw1.example.net, OU=VPN, O=Example, C=US";

    @TempDir
    Path dir;

    @TestFactory
    Stream<DynamicTest> openssl_verifies_the_request_for_every_key_type_in_pem_and_der() {
        return Stream.of(List.of("rsa"), List.of("ec", "--curve", "p256"), List.of("ec", "--curve", "p384"),
                List.of("ed25519")).flatMap(type -> Stream.of(false, true).map(der -> DynamicTest.dynamicTest(
                        String.join(" ", type) + (der ? " DER" : " PEM"), () -> request(type, der))));
    }

    private void request(List<String> type, boolean der) throws Exception {
        Path dir = Files.createTempDirectory(this.dir, "request");
        StoreFixture fixture = new StoreFixture(dir);
        List<String> keygen = new ArrayList<>(List.of("keygen", "--type"));
        keygen.addAll(type);
        keygen.addAll(List.of("--out", "gw.key"));
        assertEquals(0, fixture.run(keygen.toArray(String[]::new)).status());
        StoreFixture.Result run = der
                ? fixture.run("request", "--key", "gw.key", "--subject", SUBJECT, "--san", "fqdn:GW1.example.net.",
                        "--san", "ip:192.0.2.1", "ufqdn:vpn@example.net", "--out", "gw.p10", "--der")
                : fixture.run("request", "--key", "gw.key", "--subject", SUBJECT, "--san", "fqdn:GW1.example.net.",
                        "--san", "ip:192.0.2.1", "ufqdn:vpn@example.net", "--out", "gw.p10");

        assertEquals(0, run.status(), run.toString());
        String text = OpenSsl.ok(dir, "req", "-verify", "-in", "gw.p10", "-inform", der ? "DER" : "PEM", "-noout",
                "-text");
        assertTrue(text.contains("DNS:gw1.example.net"), text);
        assertTrue(text.contains("IP Address:192.0.2.1"), text);
        assertTrue(text.contains("email:vpn@example.net"), text);
        CertificateRequestGenerated event = (CertificateRequestGenerated) fixture.events().get(1).event();
        assertEquals(SUBJECT, event.subject());
        assertEquals(List.of(IkeIdentity.parse("fqdn:gw1.example.net"), IkeIdentity.parse("ip:192.0.2.1"),
                IkeIdentity.parse("ufqdn:vpn@example.net")), event.subjectAltNames());
        GatewayKey key = KeyPairs.read(dir.resolve("gw.key"), Optional.empty());
        assertEquals(key.fingerprint(), event.publicKeySha256());
        CertificateRequests.Request read = CertificateRequests.parse("gw.p10",
                Files.readAllBytes(dir.resolve("gw.p10")));
        assertEquals(read.sha256(), event.requestSha256());
        assertTrue(read.signatureVerifies());
    }

    private StoreFixture withKey() {
        StoreFixture fixture = new StoreFixture(dir, Map.of("PW", "right"));
        StoreFixture.Result keygen = fixture.run("keygen", "--type", "ec", "--out", "gw.key", "--passphrase-env",
                "PW");
        assertEquals(0, keygen.status(), keygen.toString());
        return fixture;
    }

    private static void refused(StoreFixture fixture, String expected, String... args) {
        long before = fixture.storeBytes();
        StoreFixture.Result run = fixture.run(args);
        assertEquals(2, run.status(), run.toString());
        assertTrue(run.err().contains(expected), run.err());
        assertEquals(before, fixture.storeBytes(), "something was appended");
        assertFalse(Files.exists(fixture.dir.resolve("gw.p10")), "a request was written");
    }

    @Test
    void a_request_without_a_subject_alt_name_is_refused_with_the_junos_rule() {
        refused(withKey(), "you must define at least one IP address, FQDN, or U-FQDN/e-mail address when you"
                + " generate a certificate request", "request", "--key", "gw.key", "--passphrase-env", "PW",
                "--subject", SUBJECT, "--out", "gw.p10");
    }

    @Test
    void a_malformed_san_is_refused_naming_it() {
        StoreFixture fixture = withKey();
        refused(fixture, "--san ip:999.1.1.1: '999.1.1.1' is not an IP address", "request", "--key", "gw.key",
                "--passphrase-env", "PW", "--subject", SUBJECT, "--san", "ip:999.1.1.1", "--out", "gw.p10");
        refused(fixture, "--san 'gw1.example.net' is not TYPE:VALUE with TYPE ip, fqdn or ufqdn", "request",
                "--key", "gw.key", "--passphrase-env", "PW", "--subject", SUBJECT, "--san", "gw1.example.net",
                "--out", "gw.p10");
        refused(fixture, "--san ufqdn:no-at: 'no-at' is not an e-mail address", "request", "--key", "gw.key",
                "--passphrase-env", "PW", "--subject", SUBJECT, "--san", "ufqdn:no-at", "--out", "gw.p10");
        refused(fixture, "a DN is not a subjectAltName of a request", "request", "--key", "gw.key",
                "--passphrase-env", "PW", "--subject", SUBJECT, "--san", "dn:CN=x", "--out", "gw.p10");
    }

    @Test
    void a_subject_of_bad_syntax_is_refused_naming_the_column() {
        refused(withKey(), "--subject 'CN=gw1, garbage' is not a DN", "request", "--key", "gw.key",
                "--passphrase-env", "PW", "--subject", "CN=gw1, garbage", "--san", "fqdn:gw1.example.net",
                "--out", "gw.p10");
    }

    @Test
    void a_wrong_passphrase_is_refused() {
        StoreFixture fixture = withKey();
        refused(new StoreFixture(dir, Map.of("PW", "wrong")), "cannot decrypt the private key: wrong passphrase",
                "request", "--key", "gw.key", "--passphrase-env", "PW", "--subject", SUBJECT, "--san",
                "fqdn:gw1.example.net", "--out", "gw.p10");
        refused(fixture, "the private key is encrypted: give its passphrase", "request", "--key", "gw.key",
                "--subject", SUBJECT, "--san", "fqdn:gw1.example.net", "--out", "gw.p10");
    }

    @Test
    void an_existing_output_file_is_never_overwritten() throws Exception {
        StoreFixture fixture = withKey();
        Files.writeString(dir.resolve("old.p10"), "keep me");
        long before = fixture.storeBytes();
        StoreFixture.Result run = fixture.run("request", "--key", "gw.key", "--passphrase-env", "PW", "--subject",
                SUBJECT, "--san", "fqdn:gw1.example.net", "--out", "old.p10");
        assertEquals(2, run.status(), run.toString());
        assertTrue(run.err().contains("old.p10: already exists; certgate never overwrites a file"), run.err());
        assertEquals("keep me", Files.readString(dir.resolve("old.p10")));
        assertEquals(before, fixture.storeBytes());
    }
}
