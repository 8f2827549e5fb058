package certgate.adapters.checkpoint;

import certgate.adapters.pem.KeyFiles;
import certgate.adapters.pem.PkiFileException;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;

/**
 * The keys of checkpoints: an Ed25519 private key in PKCS#8 PEM ({@code openssl genpkey -algorithm ed25519})
 * that signs, and its public key in SubjectPublicKeyInfo PEM ({@code openssl pkey -pubout}) that verifies. A key
 * is named by its fingerprint: the SHA-256 of its DER SubjectPublicKeyInfo, in hex
 * ({@code openssl pkey -pubin -outform DER | sha256sum} prints the same).
 */
public final class CheckpointKeys {
    private static final Map<String, String> KNOWN_ALGORITHMS = Map.of(
            "1.2.840.113549.1.1.1", "RSA",
            "1.2.840.10045.2.1", "EC",
            "1.3.101.110", "X25519",
            "1.3.101.111", "X448",
            "1.3.101.113", "Ed448",
            "1.2.840.10040.4.1", "DSA");
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
        KeyFiles.PemObject pem = pem(file);
        if (pem.label().equals("ENCRYPTED PRIVATE KEY")) {
            throw new KeyFileException(file + ": the private key is encrypted; checkpoints need an unencrypted"
                    + " PKCS#8 Ed25519 key ('openssl pkey -in KEY -out PLAIN' decrypts it)");
        }
        if (pem.label().equals("PUBLIC KEY")) {
            throw new KeyFileException(file + ": holds a public key; signing needs the private key");
        }
        if (!pem.label().equals("PRIVATE KEY")) {
            throw new KeyFileException(file + ": holds a '" + pem.label() + "' block, not a PKCS#8 'PRIVATE KEY':"
                    + " checkpoints are signed with an Ed25519 key ('" + GENERATE + "')");
        }
        requireOwnerOnly(file);
        PrivateKeyInfo info;
        byte[] seed;
        try {
            info = PrivateKeyInfo.getInstance(ASN1Primitive.fromByteArray(pem.der()));
            requireEd25519(file, info.getPrivateKeyAlgorithm().getAlgorithm(), "private");
            seed = ASN1OctetString.getInstance(info.parsePrivateKey()).getOctets();
        } catch (IOException | RuntimeException e) {
            // BouncyCastle's structure classes signal malformed DER with assorted runtime exceptions.
            throw new KeyFileException(file + ": not a well-formed PKCS#8 private key (" + e.getMessage() + ")");
        }
        if (seed.length != Ed25519PrivateKeyParameters.KEY_SIZE) {
            throw new KeyFileException(file + ": an Ed25519 private key of " + seed.length + " bytes, not "
                    + Ed25519PrivateKeyParameters.KEY_SIZE);
        }
        byte[] publicKey = new Ed25519PrivateKeyParameters(seed, 0).generatePublicKey().getEncoded();
        try {
            byte[] spki = new SubjectPublicKeyInfo(new AlgorithmIdentifier(EdECObjectIdentifiers.id_Ed25519),
                    publicKey).getEncoded(ASN1Encoding.DER);
            PrivateKey key = KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(pem.der()));
            return new SigningKey(key, fingerprint(spki));
        } catch (IOException | GeneralSecurityException e) {
            throw new KeyFileException(file + ": the Ed25519 private key cannot be used: " + e.getMessage());
        }
    }

    /** Reads a verifying key: an Ed25519 SubjectPublicKeyInfo in PEM ({@code PUBLIC KEY}). */
    public static VerifyingKey verifying(Path file) throws KeyFileException {
        KeyFiles.PemObject pem = pem(file);
        if (pem.label().endsWith("PRIVATE KEY")) {
            throw new KeyFileException(file + ": holds a private key; verifying takes the public key only"
                    + " ('openssl pkey -in KEY -pubout -out KEY.pub' writes it)");
        }
        if (!pem.label().equals("PUBLIC KEY")) {
            throw new KeyFileException(file + ": holds a '" + pem.label() + "' block, not a 'PUBLIC KEY'");
        }
        SubjectPublicKeyInfo info;
        byte[] spki;
        try {
            info = SubjectPublicKeyInfo.getInstance(ASN1Primitive.fromByteArray(pem.der()));
            spki = info.getEncoded(ASN1Encoding.DER);
        } catch (IOException | RuntimeException e) {
            throw new KeyFileException(file + ": not a well-formed public key (" + e.getMessage() + ")");
        }
        requireEd25519(file, info.getAlgorithm().getAlgorithm(), "public");
        try {
            PublicKey key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
            return new VerifyingKey(key, fingerprint(spki));
        } catch (GeneralSecurityException e) {
            throw new KeyFileException(file + ": the Ed25519 public key cannot be used: " + e.getMessage());
        }
    }

    /** The SHA-256 of a DER SubjectPublicKeyInfo, in hex. */
    public static String fingerprint(byte[] subjectPublicKeyInfo) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(subjectPublicKeyInfo));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private static void requireEd25519(Path file, ASN1ObjectIdentifier algorithm, String which)
            throws KeyFileException {
        if (!algorithm.equals(EdECObjectIdentifiers.id_Ed25519)) {
            String name = KNOWN_ALGORITHMS.getOrDefault(algorithm.getId(), "algorithm " + algorithm.getId());
            throw new KeyFileException(file + ": a " + which + " key of type " + name + ", not Ed25519:"
                    + " checkpoints are signed with Ed25519 ('" + GENERATE + "')");
        }
    }

    private static KeyFiles.PemObject pem(Path file) throws KeyFileException {
        try {
            return KeyFiles.single(file);
        } catch (PkiFileException e) {
            throw new KeyFileException(e.getMessage());
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
