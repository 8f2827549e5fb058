package certgate.adapters.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import certgate.adapters.checkpoint.CheckpointKeys;
import certgate.adapters.checkpoint.Checkpoints;
import certgate.adapters.cli.StoreFixture.Pki;
import certgate.adapters.cli.StoreFixture.Result;
import certgate.eventstore.CheckpointSigned;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointCommandTest {
    private static final String LINE = "certgate-checkpoint v1 (\\d+) ([0-9a-f]{64}) ([0-9a-f]{64}) (\\S{88})";

    @TempDir
    Path dir;
    StoreFixture fixture;
    KeyPair signer;

    @BeforeEach
    void setUp() {
        fixture = new StoreFixture(dir);
        Pki.create().writeTo(fixture);
        signer = SigningKeys.writeEd25519(dir, "signer.key");
    }

    private String checkpoint() {
        Result result = fixture.run("checkpoint", "--key", "signer.key");
        assertEquals(0, result.status(), result.toString());
        String line = result.out().strip();
        assertTrue(line.matches(LINE), line);
        return line;
    }

    private Result verify(String line, String pubkey) {
        return fixture.run("log", "verify", "--checkpoint", line, "--pubkey", pubkey);
    }

    private static String field(String line, int index) {
        return line.split(" ")[index];
    }

    private static String withField(String line, int index, String value) {
        String[] fields = line.split(" ");
        fields[index] = value;
        return String.join(" ", fields);
    }

    /** The byte offset in the first segment of the first record that carries {@code sequence}. */
    private long offsetOf(long sequence) throws Exception {
        for (String line : fixture.run("log", "dump", "--format", "json").out().split("\n")) {
            JsonNode record = DecisionFormat.JSON.readTree(line);
            if (record.get("sequence").asLong() == sequence) {
                return record.get("offset").asLong();
            }
        }
        throw new AssertionError("no record at sequence " + sequence);
    }

    private static void flipByte(Path file, long offset) throws Exception {
        byte[] bytes = Files.readAllBytes(file);
        bytes[(int) offset] ^= 0x01;
        Files.write(file, bytes);
    }

    @Test
    void a_checkpoint_signs_the_head_before_its_own_record_and_verifies_with_the_public_key() {
        fixture.loadAll();
        String headBefore = LogCommandTest.head(fixture.run("log", "verify"));

        String line = checkpoint();

        assertEquals("4", field(line, 2), "the checkpoint is recorded at sequence 4, after the 4 loaded events");
        assertEquals(headBefore, field(line, 3));
        CheckpointSigned recorded = (CheckpointSigned) fixture.events().get(4).event();
        assertEquals(line, String.join(" ", "certgate-checkpoint", "v1", Long.toString(recorded.sequence()),
                recorded.head(), recorded.keyFingerprint(), recorded.signature()));
        assertTrue(fixture.run("log", "dump").out().contains("EVENT CheckpointSigned v1 covers=0..3 head="
                + headBefore.substring(0, 16)));

        fixture.run("validate", "--peer", "gw1.pem", "--at", "2025-01-01");
        Result verified = verify(line, "signer.key.pub");

        assertEquals(0, verified.status(), verified.toString());
        assertTrue(verified.out().contains("checkpoint verified: signed by key " + field(line, 4)
                + "; the log holds every record before sequence 4 unaltered"), verified.out());
    }

    @Test
    void the_json_checkpoint_has_the_same_fields_and_verifies_too() throws Exception {
        fixture.loadAll();
        Result result = fixture.run("checkpoint", "--key", "signer.key", "--format", "json");
        assertEquals(0, result.status(), result.toString());
        JsonNode json = DecisionFormat.JSON.readTree(result.out());
        assertEquals("certgate-checkpoint", json.get("checkpoint").asText());
        assertEquals(4, json.get("sequence").asLong());

        Result verified = verify(result.out().strip(), "signer.key.pub");
        assertEquals(0, verified.status(), verified.toString());
        Result asJson = fixture.run("log", "verify", "--checkpoint", result.out().strip(), "--pubkey",
                "signer.key.pub", "--format", "json");
        JsonNode report = DecisionFormat.JSON.readTree(asJson.out());
        assertEquals("verified", report.get("checkpoint").get("outcome").asText());
        assertTrue(report.get("checkpoint").get("verified").asBoolean());
    }

    @Test
    void the_private_key_never_enters_the_log() throws Exception {
        fixture.loadAll();
        checkpoint();
        byte[] pkcs8 = signer.getPrivate().getEncoded();
        byte[] seed = Arrays.copyOfRange(pkcs8, pkcs8.length - 32, pkcs8.length);

        for (Path segment : fixture.segments()) {
            byte[] bytes = Files.readAllBytes(segment);
            for (int i = 0; i + seed.length <= bytes.length; i++) {
                assertFalse(Arrays.equals(bytes, i, i + seed.length, seed, 0, seed.length),
                        "the private key is in " + segment + " at " + i);
            }
        }
    }

    @Test
    void a_byte_changed_before_the_checkpoint_is_named_as_the_first_bad_record() throws Exception {
        fixture.loadAll();
        String line = checkpoint();
        long offset = offsetOf(2);
        flipByte(fixture.segments().get(0), offset + 30);

        Result result = verify(line, "signer.key.pub");

        assertEquals(ExitStatus.REJECTED, result.status(), result.toString());
        assertTrue(result.err().contains("the log was altered before the checkpoint's sequence 4: first bad record:"
                + " segment " + fixture.segments().get(0).getFileName() + " offset " + offset + " (sequence 2)"),
                result.err());
    }

    @Test
    void damage_after_the_checkpoint_leaves_the_checkpoint_holding_but_fails() throws Exception {
        fixture.loadAll();
        String line = checkpoint();
        fixture.run("validate", "--peer", "gw1.pem", "--at", "2025-01-01");
        Path segment = fixture.segments().get(0);
        flipByte(segment, Files.size(segment) - 40);

        Result result = verify(line, "signer.key.pub");

        assertEquals(ExitStatus.REJECTED, result.status(), result.toString());
        assertTrue(result.err().contains("the checkpoint holds: the log holds every record before sequence 4"
                + " unaltered") && result.err().contains("but the log is damaged after it"), result.err());
    }

    @Test
    void a_forged_signature_or_a_changed_claim_is_a_bad_signature() {
        fixture.loadAll();
        String line = checkpoint();
        byte[] signature = Base64.getDecoder().decode(field(line, 5));
        signature[10] ^= 0x40;
        String forged = withField(line, 5, Base64.getEncoder().encodeToString(signature));
        String otherHead = withField(line, 3, "0".repeat(64));
        String otherSequence = withField(line, 2, "3");

        for (String bad : List.of(forged, otherHead, otherSequence)) {
            Result result = verify(bad, "signer.key.pub");
            assertEquals(ExitStatus.CHECKPOINT_BAD_SIGNATURE, result.status(), bad + "\n" + result);
            assertTrue(result.err().contains("the checkpoint's signature is not valid for key "), result.err());
        }
    }

    @Test
    void a_checkpoint_signed_by_another_key_names_both_keys() {
        fixture.loadAll();
        String line = checkpoint();
        SigningKeys.writeEd25519(dir, "other.key");

        Result result = verify(line, "other.key.pub");

        assertEquals(ExitStatus.CHECKPOINT_OTHER_KEY, result.status(), result.toString());
        assertTrue(result.err().contains("the checkpoint was signed by another key: it names key "
                + field(line, 4)), result.err());
    }

    @Test
    void a_checkpoint_of_another_store_does_not_match_this_log() {
        fixture.loadAll();
        checkpoint();
        StoreFixture other = new StoreFixture(dir.resolve("other"));
        try {
            Files.createDirectories(other.dir);
            Files.copy(dir.resolve("signer.key"), other.dir.resolve("signer.key"), StandardCopyOption.COPY_ATTRIBUTES);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        Pki.create().writeTo(other);
        other.clock.advance(Duration.ofSeconds(1));
        other.loadAll();
        Result otherCheckpoint = other.run("checkpoint", "--key", "signer.key");
        assertEquals(0, otherCheckpoint.status(), otherCheckpoint.toString());

        Result result = verify(otherCheckpoint.out().strip(), "signer.key.pub");

        assertEquals(ExitStatus.CHECKPOINT_OTHER_LOG, result.status(), result.toString());
        assertTrue(result.err().contains("the log's chain value before sequence 4 is not the checkpoint's head"
                + " " + field(otherCheckpoint.out().strip(), 3) + ": the checkpoint is of another store"),
                result.err());
    }

    @Test
    void a_head_of_the_log_signed_with_the_wrong_sequence_does_not_verify() throws Exception {
        fixture.run("load", "ca", "root.pem", "issuing.pem");
        String headAfterTwo = LogCommandTest.head(fixture.run("log", "verify"));
        fixture.run("load", "crl", "root.crl", "issuing.crl");
        CheckpointKeys.SigningKey key = CheckpointKeys.signing(dir.resolve("signer.key"));
        String misplaced = Checkpoints.line(Checkpoints.sign(key, 4, headAfterTwo));
        String placed = Checkpoints.line(Checkpoints.sign(key, 2, headAfterTwo));

        Result result = verify(misplaced, "signer.key.pub");

        assertEquals(ExitStatus.CHECKPOINT_OTHER_LOG, result.status(), result.toString());
        assertEquals(0, verify(placed, "signer.key.pub").status(), "the same head at its own sequence verifies");
    }

    @Test
    void a_log_truncated_before_the_checkpoint_is_reported_as_truncated() throws Exception {
        fixture.loadAll();
        String line = checkpoint();
        long cut = offsetOf(2);
        try (FileChannel channel = FileChannel.open(fixture.segments().get(0), StandardOpenOption.WRITE)) {
            channel.truncate(cut);
        }

        Result result = verify(line, "signer.key.pub");
        assertEquals(ExitStatus.CHECKPOINT_TRUNCATED, result.status(), result.toString());
        assertTrue(result.err().contains("the log was truncated before the checkpoint's sequence 4: "),
                result.err());

        // Without the writer checkpoint (a store from before it, or one whose CHECKPOINT was cut too), the log
        // itself verifies; only the checkpoint kept elsewhere shows what was dropped.
        Files.delete(fixture.store().resolve("CHECKPOINT"));
        assertEquals(0, fixture.run("log", "verify").status());
        Result withoutWriterCheckpoint = verify(line, "signer.key.pub");
        assertEquals(ExitStatus.CHECKPOINT_TRUNCATED, withoutWriterCheckpoint.status(),
                withoutWriterCheckpoint.toString());
        assertTrue(withoutWriterCheckpoint.err().contains("it ends with sequence 1"), withoutWriterCheckpoint.err());
    }

    @Test
    void keys_that_must_not_sign_are_refused_and_nothing_is_appended() throws Exception {
        fixture.loadAll();
        long before = fixture.storeBytes();
        Files.setPosixFilePermissions(dir.resolve("signer.key"), PosixFilePermissions.fromString("rw-r--r--"));
        SigningKeys.write(dir, "ec.key", SigningKeys.generate("EC"));

        Result readable = fixture.run("checkpoint", "--key", "signer.key");
        Result ec = fixture.run("checkpoint", "--key", "ec.key");
        Result publicKey = fixture.run("checkpoint", "--key", "signer.key.pub");
        Result missing = fixture.run("checkpoint");

        assertEquals(ExitStatus.USAGE, readable.status(), readable.toString());
        assertTrue(readable.err().contains("accessible by group or others (permissions rw-r--r--)")
                && readable.err().contains("chmod 600"), readable.err());
        assertEquals(ExitStatus.USAGE, ec.status(), ec.toString());
        assertTrue(ec.err().contains("a private key of type EC, not Ed25519"), ec.err());
        assertEquals(ExitStatus.USAGE, publicKey.status(), publicKey.toString());
        assertTrue(publicKey.err().contains("is 'PUBLIC KEY', expected 'PRIVATE KEY' (a public key: the private key is needed here)"), publicKey.err());
        assertEquals(ExitStatus.USAGE, missing.status(), missing.toString());
        assertTrue(missing.err().contains("--key KEY is required"), missing.err());
        assertEquals(before, fixture.storeBytes(), "nothing appended");
    }

    @Test
    void verifying_takes_a_public_key_only() {
        fixture.loadAll();
        String line = checkpoint();

        Result result = verify(line, "signer.key");

        assertEquals(ExitStatus.USAGE, result.status(), result.toString());
        assertTrue(result.err().contains("is 'PRIVATE KEY', expected 'PUBLIC KEY' (a private key: the public key is needed here"), result.err());
        assertEquals(ExitStatus.USAGE, fixture.run("log", "verify", "--checkpoint", line).status());
        assertEquals(ExitStatus.USAGE, fixture.run("log", "verify", "--pubkey", "signer.key.pub").status());
    }

    @Test
    void a_log_that_does_not_verify_is_not_signed() throws Exception {
        fixture.loadAll();
        flipByte(fixture.segments().get(0), offsetOf(1) + 30);
        long before = fixture.storeBytes();

        Result result = fixture.run("checkpoint", "--key", "signer.key");

        assertTrue(result.status() == ExitStatus.REJECTED || result.status() == ExitStatus.STORE_DAMAGED,
                result.toString());
        assertEquals("", result.out());
        assertEquals(before, fixture.storeBytes(), "nothing appended");
    }

    @Test
    void a_key_made_by_openssl_signs_and_is_named_by_the_sha256_of_its_public_key() throws Exception {
        OpenSsl.assumeAvailable();
        assertTrue(openssl("genpkey", "-algorithm", "ed25519", "-out", "ossl.key"));
        Files.setPosixFilePermissions(dir.resolve("ossl.key"), PosixFilePermissions.fromString("rw-------"));
        assertTrue(openssl("pkey", "-in", "ossl.key", "-pubout", "-out", "ossl.pub"));
        assertTrue(openssl("pkey", "-pubin", "-in", "ossl.pub", "-outform", "DER", "-out", "ossl.der"));
        String fingerprint = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(Files.readAllBytes(dir.resolve("ossl.der"))));
        fixture.loadAll();

        Result result = fixture.run("checkpoint", "--key", "ossl.key");

        assertEquals(0, result.status(), result.toString());
        assertEquals(fingerprint, field(result.out().strip(), 4));
        assertEquals(0, verify(result.out().strip(), "ossl.pub").status());
    }

    private boolean openssl(String... args) throws InterruptedException {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        }
    }
}
