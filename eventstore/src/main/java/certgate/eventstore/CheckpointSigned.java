package certgate.eventstore;

import java.util.Base64;
import java.util.Objects;

/**
 * A signed checkpoint of the log ({@code certgate checkpoint}), in the manner of Certificate Transparency's signed
 * tree heads (RFC 9162 section 4.10): the holder of a signing key vouches that the log's records before
 * {@code sequence} have the chain value {@code head}. The event itself is recorded at {@code sequence}, and
 * {@code head} is the chain value of the last record before it (64 zeroes for an empty log), so a copy of the
 * checkpoint kept elsewhere later proves that the log still holds those records unaltered.
 *
 * <p>{@code keyFingerprint} is the SHA-256 of the signer's SubjectPublicKeyInfo (hex), {@code signature} the
 * Ed25519 signature (base64) over the versioned encoding the adapters define; the private key never enters the
 * log. The engine's state does not depend on it.
 */
public record CheckpointSigned(long sequence, String head, String keyFingerprint, String signature)
        implements Event {
    /** The longest signature stored: an Ed25519 signature has 64 bytes, this leaves room for another scheme. */
    public static final int MAX_SIGNATURE_BYTES = 512;

    public CheckpointSigned {
        if (sequence < 0) {
            throw new IllegalArgumentException("checkpoint sequence must not be negative, was " + sequence);
        }
        requireSha256Hex("head", head);
        requireSha256Hex("keyFingerprint", keyFingerprint);
        Objects.requireNonNull(signature, "signature");
        int length = signatureBytes(signature).length;
        if (length == 0 || length > MAX_SIGNATURE_BYTES) {
            throw new IllegalArgumentException("checkpoint signature of " + length + " bytes (1.."
                    + MAX_SIGNATURE_BYTES + " allowed)");
        }
    }

    /** The signature's bytes. */
    public byte[] signatureBytes() {
        return signatureBytes(signature);
    }

    private static byte[] signatureBytes(String signature) {
        try {
            return Base64.getDecoder().decode(signature);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("checkpoint signature is not base64: " + e.getMessage(), e);
        }
    }

    private static void requireSha256Hex(String field, String value) {
        Objects.requireNonNull(value, field);
        if (!value.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("checkpoint " + field + " is not a SHA-256 in lower-case hex"
                    + " (64 digits)");
        }
    }
}
