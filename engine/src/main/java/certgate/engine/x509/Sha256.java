package certgate.engine.x509;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/** A SHA-256 digest as a map key: compared by content, hash precomputed. */
public final class Sha256 {
    private final byte[] digest;
    private final int hash;
    private volatile String hex;

    private Sha256(byte[] digest) {
        this.digest = digest;
        this.hash = Arrays.hashCode(digest);
    }

    /** Wraps a digest already computed (for example a {@code Blob}'s); copies it. */
    public static Sha256 ofDigest(byte[] digest) {
        if (digest.length != 32) {
            throw new IllegalArgumentException("a SHA-256 digest has 32 bytes, not " + digest.length);
        }
        return new Sha256(digest.clone());
    }

    public static Sha256 of(byte[] data) {
        try {
            return new Sha256(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    public byte[] bytes() {
        return digest.clone();
    }

    public String hex() {
        String text = hex;
        if (text == null) {
            text = HexFormat.of().formatHex(digest);
            hex = text;
        }
        return text;
    }

    /** The first 8 bytes in hex, as traces show a digest. */
    public String shortHex() {
        return hex().substring(0, 16);
    }

    @Override
    public boolean equals(Object other) {
        return this == other || other instanceof Sha256 sha && sha.hash == hash && Arrays.equals(sha.digest, digest);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return hex();
    }
}
