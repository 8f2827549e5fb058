package certgate.adapters.checkpoint;

import certgate.adapters.pem.KeyFiles;
import certgate.adapters.pem.PkiFileException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Optional;

/**
 * The keys of checkpoints: an Ed25519 private key in PKCS#8 ({@code openssl genpkey -algorithm ed25519}) that
 * signs, and its public key as a SubjectPublicKeyInfo ({@code openssl pkey -pubout}) that verifies, both read by
 * {@link KeyFiles}. A key is named by its fingerprint ({@link KeyFiles#fingerprint}).
 */
public final class CheckpointKeys {
    private static final String GENERATE = "openssl genpkey -algorithm ed25519 -out KEY";

    private CheckpointKeys() {
    }

    /** A private key that signs checkpoints, with the fingerprint of its public key. */
    public record SigningKey(PrivateKey key, String fingerprint) {
    }

    /** A public key that verifies checkpoints, with its fingerprint. */
    public record VerifyingKey(PublicKey key, String fingerprint) {
    }

    /**
     * Reads a signing key. Like ssh, it refuses a key file that its group or others may access: a checkpoint is
     * only worth what the secrecy of its key is.
     */
    public static SigningKey signing(Path file) throws KeyFileException {
        KeyFiles.PrivateKeyFile key;
        try {
            key = KeyFiles.readPrivate(file, Optional.empty());
        } catch (PkiFileException e) {
            if (e.problem() == PkiFileException.Problem.PASSPHRASE_NEEDED) {
                throw new KeyFileException(file + ": the private key is encrypted; checkpoints need an unencrypted"
                        + " PKCS#8 Ed25519 key ('openssl pkey -in KEY -out PLAIN' decrypts it)");
            }
            throw new KeyFileException(e.getMessage() + hint(e));
        }
        requireOwnerOnly(file);
        requireEd25519(file, key.algorithm(), key.algorithm().name(), "private");
        return new SigningKey(key.privateKey(), key.fingerprint());
    }

    /** Reads a verifying key: an Ed25519 SubjectPublicKeyInfo ({@code PUBLIC KEY}). */
    public static VerifyingKey verifying(Path file) throws KeyFileException {
        KeyFiles.PublicKeyFile key;
        try {
            key = KeyFiles.readPublic(file);
        } catch (PkiFileException e) {
            throw new KeyFileException(e.getMessage());
        }
        requireEd25519(file, key.algorithm().orElse(null), key.algorithmName(), "public");
        return new VerifyingKey(key.key(), key.fingerprint());
    }

    private static String hint(PkiFileException e) {
        return e.problem() == PkiFileException.Problem.UNSUPPORTED_KEY
                || e.problem() == PkiFileException.Problem.WRONG_LABEL
                ? ": checkpoints are signed with an Ed25519 key ('" + GENERATE + "')" : "";
    }

    private static void requireEd25519(Path file, KeyFiles.Algorithm algorithm, String name, String which)
            throws KeyFileException {
        if (algorithm != KeyFiles.Algorithm.ED25519) {
            throw new KeyFileException(file + ": a " + which + " key of type " + name + ", not Ed25519:"
                    + " checkpoints are signed with Ed25519 ('" + GENERATE + "')");
        }
    }

    private static void requireOwnerOnly(Path file) throws KeyFileException {
        Optional<String> permissions = KeyFiles.openToOthers(file);
        if (permissions.isPresent()) {
            throw new KeyFileException(file + ": the private key is accessible by group or others (permissions "
                    + permissions.get() + "); a signing key must be readable by its owner only: chmod 600 " + file);
        }
    }
}
