package certgate.adapters.pem;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import certgate.testkit.Gens;
import certgate.testkit.Property;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The one reader of key files, fed damaged files: it gives the key back (the public key as written, the private
 * key with the public key derived from it) or one line naming the file and what is wrong, never another
 * exception or a hang.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class KeyFilesProperties {
    private static final String NAME = "damaged-key";

    private static List<KeyPair> pairs() throws Exception {
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        return List.of(ec.generateKeyPair(), rsa.generateKeyPair(),
                KeyPairGenerator.getInstance("Ed25519").generateKeyPair(),
                KeyPairGenerator.getInstance("X25519").generateKeyPair());
    }

    private static void clearError(PkiFileException e) {
        assertTrue(e.getMessage().startsWith(NAME + ": "), e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    }

    @Test
    void every_key_reads_back_as_written() throws Exception {
        for (KeyPair pair : pairs()) {
            byte[] publicPem = Pem.encode("PUBLIC KEY", pair.getPublic().getEncoded());
            assertArrayEquals(pair.getPublic().getEncoded(), KeyFiles.parsePublic(NAME, publicPem).key().getEncoded());
            byte[] privatePem = Pem.encode("PRIVATE KEY", pair.getPrivate().getEncoded());
            if (pair.getPublic().getAlgorithm().equals("XDH")) {
                PkiFileException e = assertThrows(PkiFileException.class,
                        () -> KeyFiles.parsePrivate(NAME, privatePem, Optional.empty()));
                assertEquals(PkiFileException.Problem.UNSUPPORTED_KEY, e.problem());
                assertTrue(e.getMessage().contains("a private key of type X25519"), e.getMessage());
                continue;
            }
            assertArrayEquals(pair.getPublic().getEncoded(), KeyFiles.parsePrivate(NAME, privatePem, Optional.empty())
                    .publicKey().getEncoded(), "the public key derived from the private one is the pair's");
        }
    }

    @Test
    void a_damaged_public_key_file_gives_a_clear_error_or_a_key() throws Exception {
        for (KeyPair pair : pairs()) {
            byte[] der = pair.getPublic().getEncoded();
            for (byte[] valid : List.of(Pem.encode("PUBLIC KEY", der), der)) {
                Property.forAll(Gens.damaged(valid)).tries(150).check(damaged -> {
                    try {
                        KeyFiles.parsePublic(NAME, damaged);
                    } catch (PkiFileException e) {
                        clearError(e);
                    }
                });
            }
        }
    }

    @Test
    void a_damaged_private_key_file_gives_a_clear_error_or_a_key() throws Exception {
        for (KeyPair pair : pairs()) {
            byte[] der = pair.getPrivate().getEncoded();
            for (byte[] valid : List.of(Pem.encode("PRIVATE KEY", der), der)) {
                Property.forAll(Gens.damaged(valid)).tries(100).check(damaged -> {
                    try {
                        KeyFiles.parsePrivate(NAME, damaged, Optional.empty());
                    } catch (PkiFileException e) {
                        clearError(e);
                    }
                });
            }
        }
    }

    @Test
    void a_private_key_where_a_public_key_belongs_and_the_reverse_are_named_for_what_they_are() throws Exception {
        KeyPair pair = pairs().get(0);
        PkiFileException publicAsPrivate = assertThrows(PkiFileException.class,
                () -> KeyFiles.parsePrivate(NAME, Pem.encode("PUBLIC KEY", pair.getPublic().getEncoded()),
                        Optional.empty()));
        assertTrue(publicAsPrivate.getMessage().contains("(a public key: the private key is needed here)"),
                publicAsPrivate.getMessage());
        PkiFileException privateAsPublic = assertThrows(PkiFileException.class,
                () -> KeyFiles.parsePublic(NAME, Pem.encode("PRIVATE KEY", pair.getPrivate().getEncoded())));
        assertTrue(privateAsPublic.getMessage().contains("(a private key: the public key is needed here"),
                privateAsPublic.getMessage());
    }
}
