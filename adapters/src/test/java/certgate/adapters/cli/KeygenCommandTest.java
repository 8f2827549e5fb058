package certgate.adapters.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import certgate.adapters.enroll.EnrollException;
import certgate.adapters.enroll.GatewayKey;
import certgate.adapters.enroll.KeyPairs;
import certgate.eventstore.KeyPairGenerated;
import certgate.eventstore.RecordedEvent;
import certgate.testkit.Bytes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

class KeygenCommandTest {
    @TempDir
    Path dir;

    private StoreFixture fixture() {
        return new StoreFixture(dir, Map.of("KEY_PASSPHRASE", "correct horse battery staple"));
    }

    @TestFactory
    Stream<DynamicTest> keygen_writes_an_owner_only_pkcs8_key_that_openssl_reads_and_records_only_its_public_key() {
        return Stream.of(List.of("rsa", "--size", "3072", "rsa-3072"), List.of("ec", "--curve", "p256", "ec-p256"),
                List.of("ec", "--curve", "p384", "ec-p384"), List.of("ed25519", "ed25519"))
                .map(c -> DynamicTest.dynamicTest(c.get(c.size() - 1), () -> keygen(c)));
    }

    private void keygen(List<String> aCase) throws Exception {
        Path dir = Files.createTempDirectory(this.dir, "keygen");
        String keyType = aCase.get(aCase.size() - 1);
        StoreFixture fixture = new StoreFixture(dir);
        List<String> argv = new ArrayList<>(List.of("keygen", "--type", aCase.get(0), "--out", "gw.key"));
        if (aCase.size() == 4) {
            argv.addAll(aCase.subList(1, 3));
        }
        StoreFixture.Result run = fixture.run(argv.toArray(String[]::new));

        assertEquals(0, run.status(), run.toString());
        Path key = dir.resolve("gw.key");
        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(key));
        assertTrue(Files.readString(key).startsWith("-----BEGIN PRIVATE KEY-----\n"));
        OpenSsl.ok(dir, "pkey", "-in", "gw.key", "-noout");
        GatewayKey read = KeyPairs.read(key, Optional.empty());
        List<RecordedEvent> events = fixture.events();
        assertEquals(1, events.size());
        KeyPairGenerated generated = (KeyPairGenerated) events.get(0).event();
        assertEquals(keyType, generated.keyType());
        assertEquals("gw.key", generated.file());
        assertArrayEquals(read.subjectPublicKeyInfo(), generated.publicKey().bytes());
        assertEquals(read.fingerprint(), generated.fingerprint());
        assertTrue(run.out().contains(read.fingerprint()), run.out());
        byte[] privateKey = read.privateKey().getEncoded();
        for (Path segment : fixture.segments()) {
            assertEquals(-1, Bytes.indexOf(Files.readAllBytes(segment), privateKey), "the private key is in the log");
        }
    }

    @Test
    void an_encrypted_key_opens_with_its_passphrase_in_openssl_and_certgate_and_not_with_another()
            throws Exception {
        StoreFixture fixture = fixture();
        StoreFixture.Result run = fixture.run("keygen", "--type", "ec", "--out", "gw.key", "--passphrase-env",
                "KEY_PASSPHRASE");

        assertEquals(0, run.status(), run.toString());
        assertTrue(Files.readString(dir.resolve("gw.key")).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----\n"));
        assertEquals(PosixFilePermissions.fromString("rw-------"),
                Files.getPosixFilePermissions(dir.resolve("gw.key")));
        Files.writeString(dir.resolve("pass.txt"), "correct horse battery staple\n");
        Files.writeString(dir.resolve("wrong.txt"), "incorrect horse\n");
        OpenSsl.ok(dir, "pkey", "-in", "gw.key", "-passin", "file:pass.txt", "-noout");
        assertNotEquals(0, OpenSsl.run(dir, "pkey", "-in", "gw.key", "-passin", "file:wrong.txt", "-noout")
                .status());
        GatewayKey key = KeyPairs.read(dir.resolve("gw.key"),
                Optional.of("correct horse battery staple".toCharArray()));
        assertArrayEquals(key.subjectPublicKeyInfo(),
                ((KeyPairGenerated) fixture.events().get(0).event()).publicKey().bytes());
        EnrollException wrong = assertThrows(EnrollException.class,
                () -> KeyPairs.read(dir.resolve("gw.key"), Optional.of("incorrect horse".toCharArray())));
        assertTrue(wrong.getMessage().contains("wrong passphrase"), wrong.getMessage());
    }

    @Test
    void certgate_reads_a_key_openssl_made_encrypted() throws Exception {
        Files.writeString(dir.resolve("pass.txt"), "s3cret\n");
        OpenSsl.ok(dir, "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-aes-256-cbc",
                "-pass", "file:pass.txt", "-out", "openssl.key");
        GatewayKey key = KeyPairs.read(dir.resolve("openssl.key"), Optional.of("s3cret".toCharArray()));
        String publicPem = OpenSsl.ok(dir, "pkey", "-in", "openssl.key", "-passin", "file:pass.txt", "-pubout");
        assertTrue(publicPem.contains(Base64.getMimeEncoder(64, new byte[] {'\n'})
                .encodeToString(key.subjectPublicKeyInfo()).lines().findFirst().orElseThrow()), publicPem);
    }

    @Test
    void an_existing_file_is_never_overwritten_and_nothing_is_appended() throws IOException {
        StoreFixture fixture = fixture();
        Files.writeString(dir.resolve("gw.key"), "precious");

        StoreFixture.Result run = fixture.run("keygen", "--type", "ec", "--out", "gw.key");

        assertEquals(2, run.status(), run.toString());
        assertTrue(run.err().contains("gw.key: already exists; certgate never overwrites a file"), run.err());
        assertEquals("precious", Files.readString(dir.resolve("gw.key")));
        assertEquals(0, fixture.storeBytes());
    }

    @Test
    void rsa_below_2048_bits_is_refused() {
        StoreFixture fixture = fixture();
        StoreFixture.Result run = fixture.run("keygen", "--type", "rsa", "--size", "1024", "--out", "gw.key");

        assertEquals(2, run.status(), run.toString());
        assertTrue(run.err().contains("--size 1024 is refused: an RSA key has at least 2048 bits"), run.err());
        assertFalse(Files.exists(dir.resolve("gw.key")));
        assertEquals(0, fixture.storeBytes());
    }

    @Test
    void options_of_another_key_type_and_unknown_types_are_usage_errors() {
        StoreFixture fixture = fixture();
        assertTrue(fixture.run("keygen", "--type", "dsa", "--out", "k").err()
                .contains("--type 'dsa' is not rsa, ec or ed25519"));
        assertTrue(fixture.run("keygen", "--type", "ec", "--size", "2048", "--out", "k").err()
                .contains("--size applies to --type rsa only"));
        assertTrue(fixture.run("keygen", "--type", "ec", "--curve", "p521", "--out", "k").err()
                .contains("--curve 'p521' is not p256 or p384"));
        assertEquals(2, fixture.run("keygen", "--type", "ec").status());
        assertEquals(0, fixture.storeBytes());
    }

    @Test
    void the_passphrase_file_gives_its_first_line_and_an_unset_variable_is_an_error() throws IOException {
        StoreFixture fixture = fixture();
        Files.writeString(dir.resolve("pass.txt"), "line one\r\nline two\n");
        assertEquals(0, fixture.run("keygen", "--type", "ed25519", "--out", "a.key", "--passphrase-file",
                "pass.txt").status());
        Files.writeString(dir.resolve("one.txt"), "line one\n");
        OpenSsl.ok(dir, "pkey", "-in", "a.key", "-passin", "file:one.txt", "-noout");

        StoreFixture.Result unset = fixture.run("keygen", "--type", "ed25519", "--out", "b.key",
                "--passphrase-env", "NOT_SET");
        assertEquals(2, unset.status(), unset.toString());
        assertTrue(unset.err().contains("--passphrase-env NOT_SET: the environment variable is not set or empty"),
                unset.err());
        assertFalse(Files.exists(dir.resolve("b.key")));
        assertEquals(1, fixture.events().size());
    }
}
