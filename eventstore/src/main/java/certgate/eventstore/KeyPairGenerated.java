package certgate.eventstore;

import java.util.Objects;

/**
 * {@code certgate keygen} made the gateway's key pair: the public key (its SubjectPublicKeyInfo, DER) and the
 * file the private key was written to. The private key itself never enters the log. {@code keyType} names the
 * algorithm and size as the command took them ({@code rsa-2048}, {@code ec-p256}, {@code ed25519}). The engine's
 * state does not depend on it.
 */
public record KeyPairGenerated(Blob publicKey, String keyType, String file) implements Event {
    public KeyPairGenerated {
        Objects.requireNonNull(publicKey, "publicKey");
        Objects.requireNonNull(keyType, "keyType");
        Objects.requireNonNull(file, "file");
    }

    /** The public key's fingerprint: the SHA-256 of its SubjectPublicKeyInfo, hex. */
    public String fingerprint() {
        return publicKey.sha256Hex();
    }
}
