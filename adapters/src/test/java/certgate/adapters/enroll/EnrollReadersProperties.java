package certgate.adapters.enroll;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import certgate.adapters.pem.Pem;
import certgate.dsl.dn.DistinguishedName;
import certgate.dsl.dn.DnSyntaxException;
import certgate.eventstore.IkeIdentity;
import certgate.testkit.Gens;
import certgate.testkit.Property;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Damaged key and request files, PEM and DER, plain and encrypted: the readers give an {@link EnrollException}
 * naming the file, or a key or request, never another exception. A damaged key that still reads is a key (its
 * public key derived from what the file holds); a damaged request that still reads says whether its signature
 * verifies.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class EnrollReadersProperties {
    private static final String NAME = "damaged-input";
    private static final char[] PASSPHRASE = "passphrase".toCharArray();

    private static byte[] keyPem(KeySpec spec) {
        return Pem.encode("PRIVATE KEY", KeyPairs.generate(spec).privateKey().getEncoded());
    }

    private static void readsCleanly(byte[] content, Optional<char[]> passphrase) {
        try {
            KeyPairs.parse(NAME, content, passphrase);
        } catch (EnrollException e) {
            assertTrue(e.getMessage().startsWith(NAME + ": "), e.getMessage());
            assertTrue(e.getMessage().lines().count() == 1, e.getMessage());
        }
    }

    private static void requestReadsCleanly(byte[] content) {
        try {
            CertificateRequests.parse(NAME, content);
        } catch (EnrollException e) {
            assertTrue(e.getMessage().startsWith(NAME + ": "), e.getMessage());
        }
    }

    @Test
    void a_damaged_key_file_gives_a_clear_error_or_a_key() {
        for (KeySpec spec : List.of(new KeySpec(KeySpec.Algorithm.RSA, 2048), new KeySpec(KeySpec.Algorithm.EC, 256),
                new KeySpec(KeySpec.Algorithm.ED25519, 256))) {
            byte[] pem = keyPem(spec);
            byte[] der = Base64.getMimeDecoder().decode(new String(pem, StandardCharsets.US_ASCII)
                    .replaceAll("-----[A-Z ]+-----", ""));
            Property.forAll(Gens.damaged(pem)).tries(150).check(damaged -> readsCleanly(damaged, Optional.empty()));
            Property.forAll(Gens.damaged(der)).tries(150).check(damaged -> readsCleanly(damaged, Optional.empty()));
        }
    }

    @Test
    void a_damaged_encrypted_key_file_gives_a_clear_error_or_a_key() throws Exception {
        GatewayKey key = KeyPairs.generate(new KeySpec(KeySpec.Algorithm.EC, 256));
        Path dir = Files.createTempDirectory("enroll-readers");
        Path file = dir.resolve("k.pem");
        KeyPairs.write(file, key, Optional.of(PASSPHRASE));
        byte[] pem = Files.readAllBytes(file);
        Files.delete(file);
        Files.delete(dir);
        assertArrayEquals(key.subjectPublicKeyInfo(), KeyPairs.parse(NAME, pem, Optional.of(PASSPHRASE))
                .subjectPublicKeyInfo());
        Property.forAll(Gens.damaged(pem)).tries(60).check(damaged -> readsCleanly(damaged,
                Optional.of(PASSPHRASE)));
    }

    @Test
    void a_damaged_request_gives_a_clear_error_or_a_request() throws DnSyntaxException, EnrollException {
        GatewayKey key = KeyPairs.generate(new KeySpec(KeySpec.Algorithm.EC, 256));
        CertificateRequests.Request request = CertificateRequests.build(key,
                DistinguishedName.parse("CN=gw1.example.net, O=Example"),
                List.of(IkeIdentity.parse("fqdn:gw1.example.net"), IkeIdentity.parse("ip:192.0.2.1")));
        Property.forAll(Gens.damaged(request.pem())).tries(300).check(EnrollReadersProperties::requestReadsCleanly);
        Property.forAll(Gens.damaged(request.der())).tries(300).check(EnrollReadersProperties::requestReadsCleanly);
    }
}
