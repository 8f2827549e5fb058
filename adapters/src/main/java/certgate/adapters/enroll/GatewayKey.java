package certgate.adapters.enroll;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The gateway's key pair as certgate holds it in memory: made by {@link KeyPairs#generate} or read from its
 * PKCS#8 file by {@link KeyPairs#read}, the public key derived from the private one when read.
 */
public record GatewayKey(KeySpec spec, PrivateKey privateKey, PublicKey publicKey) {
    public GatewayKey {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(privateKey, "privateKey");
        Objects.requireNonNull(publicKey, "publicKey");
    }

    /** The public key's SubjectPublicKeyInfo, DER: what a certificate for this key holds. */
    public byte[] subjectPublicKeyInfo() {
        return publicKey.getEncoded();
    }

    /** The SHA-256 of {@link #subjectPublicKeyInfo()}, hex: how the log and the messages name the key. */
    public String fingerprint() {
        return sha256Hex(subjectPublicKeyInfo());
    }

    /**
     * The signature algorithm certgate signs with under this key (JCA name): SHA256withRSA, SHA256withECDSA on
     * P-256, SHA384withECDSA on P-384 (SHA512withECDSA on P-521, for a key made elsewhere), Ed25519.
     */
    public String signatureAlgorithm() {
        return switch (spec.algorithm()) {
            case RSA -> "SHA256withRSA";
            case EC -> spec.bits() <= 256 ? "SHA256withECDSA" : spec.bits() <= 384 ? "SHA384withECDSA"
                    : "SHA512withECDSA";
            case ED25519 -> "Ed25519";
        };
    }

    static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
