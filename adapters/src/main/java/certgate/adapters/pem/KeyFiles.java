package certgate.adapters.pem;

import certgate.adapters.pem.PkiFileException.Problem;
import certgate.eventstore.Blob;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Files;
import java.util.Set;
import java.util.EnumSet;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.PosixFilePermission;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.crypto.params.RSAPrivateCrtKeyParameters;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.operator.InputDecryptorProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;

/**
 * The one reader of key files: a private key as PKCS#8 (RFC 5958; PEM {@code PRIVATE KEY} or {@code ENCRYPTED
 * PRIVATE KEY}, or DER), plain or encrypted under a passphrase (PBES2, as OpenSSL 3 and {@code certgate keygen}
 * write it), and a public key as a SubjectPublicKeyInfo (PEM {@code PUBLIC KEY}, or DER), with the same size
 * bound and strict PEM rules as certificates ({@link PkiFiles}). A private key comes back with its public key,
 * derived from the private one (PKCS#8 need not carry it). A key is named by its fingerprint: the SHA-256 of its
 * DER SubjectPublicKeyInfo, in hex ({@code openssl pkey -pubout -outform DER | sha256sum} prints the same).
 *
 * <p>What a key is good for (its algorithm, its size, who may read its file) is for the caller to judge.
 */
public final class KeyFiles {
    private static final Set<PosixFilePermission> OWNER_ONLY = EnumSet.of(PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);
    private static final Map<String, String> OTHER_ALGORITHMS = Map.of(
            "1.3.101.110", "X25519",
            "1.3.101.111", "X448",
            "1.3.101.113", "Ed448",
            "1.2.840.10040.4.1", "DSA");

    private KeyFiles() {
    }

    /** The algorithms of the keys certgate signs with. */
    public enum Algorithm { RSA, EC, ED25519 }

    /**
     * A private key read from a file, with the public key derived from it.
     *
     * @param bits the RSA modulus size, or the EC curve's field size; 256 for Ed25519
     */
    public record PrivateKeyFile(PrivateKey privateKey, PublicKey publicKey, Algorithm algorithm, int bits) {
        public PrivateKeyFile {
            Objects.requireNonNull(privateKey, "privateKey");
            Objects.requireNonNull(publicKey, "publicKey");
            Objects.requireNonNull(algorithm, "algorithm");
        }

        /** The public key's fingerprint. */
        public String fingerprint() {
            return KeyFiles.fingerprint(publicKey.getEncoded());
        }
    }

    /** A public key read from a file. */
    public record PublicKeyFile(PublicKey key, Optional<Algorithm> algorithm, String algorithmName) {
        public PublicKeyFile {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(algorithm, "algorithm");
            Objects.requireNonNull(algorithmName, "algorithmName");
        }

        /** The key's fingerprint. */
        public String fingerprint() {
            return KeyFiles.fingerprint(key.getEncoded());
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

    /**
     * Reads a private key file.
     *
     * @param passphrase needed when the key is encrypted; the caller wipes it
     */
    public static PrivateKeyFile readPrivate(Path file, Optional<char[]> passphrase) throws PkiFileException {
        byte[] content = PkiFiles.read(file, PkiFiles.Kind.PRIVATE_KEY);
        try {
            return parsePrivate(file.toString(), content, passphrase);
        } finally {
            Arrays.fill(content, (byte) 0);
        }
    }

    /** {@link #readPrivate} of a file's content, named {@code name} in messages. */
    public static PrivateKeyFile parsePrivate(String name, byte[] content, Optional<char[]> passphrase)
            throws PkiFileException {
        byte[] der = only(name, content, PkiFiles.Kind.PRIVATE_KEY);
        try {
            PrivateKeyInfo info = isEncrypted(name, der) ? decrypt(name, der, passphrase) : plain(name, der);
            return derive(name, info);
        } finally {
            Arrays.fill(der, (byte) 0);
        }
    }

    /** Reads a public key file: one SubjectPublicKeyInfo. */
    public static PublicKeyFile readPublic(Path file) throws PkiFileException {
        return parsePublic(file.toString(), PkiFiles.read(file, PkiFiles.Kind.PUBLIC_KEY));
    }

    /** {@link #readPublic} of a file's content, named {@code name} in messages. */
    public static PublicKeyFile parsePublic(String name, byte[] content) throws PkiFileException {
        byte[] der = only(name, content, PkiFiles.Kind.PUBLIC_KEY);
        SubjectPublicKeyInfo info;
        byte[] encoded;
        try {
            info = SubjectPublicKeyInfo.getInstance(ASN1Primitive.fromByteArray(der));
            encoded = info.getEncoded(ASN1Encoding.DER);
        } catch (IOException | RuntimeException e) {
            // BouncyCastle's structure classes signal malformed DER with assorted runtime exceptions.
            throw new PkiFileException(name, Problem.NOT_A_PUBLIC_KEY, "not a well-formed public key ("
                    + e.getMessage() + ")");
        }
        String oid = info.getAlgorithm().getAlgorithm().getId();
        Optional<Algorithm> algorithm = algorithm(oid);
        String jcaName = algorithm.map(a -> a == Algorithm.ED25519 ? "Ed25519" : a.name())
                .orElse(OTHER_ALGORITHMS.getOrDefault(oid, ""));
        try {
            PublicKey key = KeyFactory.getInstance(jcaName.isEmpty() ? oid : jcaName)
                    .generatePublic(new X509EncodedKeySpec(encoded));
            return new PublicKeyFile(key, algorithm, algorithmName(oid));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new PkiFileException(name, Problem.UNSUPPORTED_KEY, "a public key of type " + algorithmName(oid)
                    + " that cannot be used: " + e.getMessage());
        }
    }

    /** A key algorithm's name for messages: RSA, EC, Ed25519, X25519..., or its OID. */
    public static String algorithmName(String oid) {
        return algorithm(oid).map(a -> a == Algorithm.ED25519 ? "Ed25519" : a.name())
                .orElse(OTHER_ALGORITHMS.getOrDefault(oid, "algorithm " + oid));
    }

    private static Optional<Algorithm> algorithm(String oid) {
        if (oid.equals(PKCSObjectIdentifiers.rsaEncryption.getId())) {
            return Optional.of(Algorithm.RSA);
        }
        if (oid.equals(X9ObjectIdentifiers.id_ecPublicKey.getId())) {
            return Optional.of(Algorithm.EC);
        }
        if (oid.equals(EdECObjectIdentifiers.id_Ed25519.getId())) {
            return Optional.of(Algorithm.ED25519);
        }
        return Optional.empty();
    }

    /** The one object of a key file, its DER framing checked. */
    private static byte[] only(String name, byte[] content, PkiFiles.Kind kind) throws PkiFileException {
        List<Blob> objects = PkiFiles.decode(name, content, kind);
        if (objects.size() != 1) {
            throw new PkiFileException(name, Problem.BAD_PEM, "holds " + objects.size() + " PEM blocks; a key file"
                    + " holds one");
        }
        byte[] der = objects.get(0).bytes();
        PkiFiles.check(name, der, kind);
        return der;
    }

    /** An EncryptedPrivateKeyInfo starts with an AlgorithmIdentifier; a PrivateKeyInfo with its version. */
    private static boolean isEncrypted(String name, byte[] der) throws PkiFileException {
        try {
            ASN1Sequence outer = ASN1Sequence.getInstance(ASN1Primitive.fromByteArray(der));
            if (outer.size() < 2) {
                throw notPkcs8(name, "a SEQUENCE of " + outer.size() + " element(s)");
            }
            if (outer.getObjectAt(0) instanceof ASN1Sequence) {
                return true;
            }
            if (outer.getObjectAt(0) instanceof ASN1Integer) {
                return false;
            }
            throw notPkcs8(name, "it starts with neither a version nor an encryption algorithm");
        } catch (IOException | RuntimeException e) {
            throw notPkcs8(name, e.getMessage());
        }
    }

    private static PkiFileException notPkcs8(String name, String why) {
        return new PkiFileException(name, Problem.NOT_A_PRIVATE_KEY, "not a PKCS#8 private key: " + why);
    }

    private static PrivateKeyInfo plain(String name, byte[] der) throws PkiFileException {
        try {
            return PrivateKeyInfo.getInstance(ASN1Primitive.fromByteArray(der));
        } catch (IOException | RuntimeException e) {
            throw notPkcs8(name, e.getMessage());
        }
    }

    private static PrivateKeyInfo decrypt(String name, byte[] der, Optional<char[]> passphrase)
            throws PkiFileException {
        if (passphrase.isEmpty()) {
            throw new PkiFileException(name, Problem.PASSPHRASE_NEEDED, "the private key is encrypted: its"
                    + " passphrase is needed");
        }
        PKCS8EncryptedPrivateKeyInfo encrypted;
        try {
            encrypted = new PKCS8EncryptedPrivateKeyInfo(der);
        } catch (IOException | RuntimeException e) {
            throw new PkiFileException(name, Problem.NOT_A_PRIVATE_KEY, "not an encrypted PKCS#8 private key: "
                    + e.getMessage());
        }
        try {
            InputDecryptorProvider decryptor = new JceOpenSSLPKCS8DecryptorProviderBuilder()
                    .setProvider(BouncyCastle.PROVIDER).build(passphrase.get());
            return encrypted.decryptPrivateKeyInfo(decryptor);
        } catch (PKCSException | RuntimeException e) {
            throw new PkiFileException(name, Problem.WRONG_PASSPHRASE, "cannot decrypt the private key: wrong"
                    + " passphrase (or a damaged file)");
        } catch (OperatorCreationException e) {
            throw new PkiFileException(name, Problem.UNSUPPORTED_KEY, "cannot decrypt the private key: "
                    + e.getMessage());
        }
    }

    /** The key in JDK form, with its public key derived from the private one. */
    private static PrivateKeyFile derive(String name, PrivateKeyInfo info) throws PkiFileException {
        String oid = info.getPrivateKeyAlgorithm().getAlgorithm().getId();
        Optional<Algorithm> known = algorithm(oid);
        if (known.isEmpty()) {
            throw new PkiFileException(name, Problem.UNSUPPORTED_KEY, "a private key of type " + algorithmName(oid)
                    + "; certgate signs with RSA, EC or Ed25519 keys");
        }
        try {
            AsymmetricKeyParameter privateParameters = PrivateKeyFactory.createKey(info);
            AsymmetricKeyParameter publicParameters;
            int bits;
            if (privateParameters instanceof RSAPrivateCrtKeyParameters rsa) {
                publicParameters = new RSAKeyParameters(false, rsa.getModulus(), rsa.getPublicExponent());
                bits = rsa.getModulus().bitLength();
            } else if (privateParameters instanceof ECPrivateKeyParameters ec) {
                ECDomainParameters domain = ec.getParameters();
                publicParameters = new ECPublicKeyParameters(domain.getG().multiply(ec.getD()).normalize(), domain);
                bits = domain.getCurve().getFieldSize();
            } else if (privateParameters instanceof Ed25519PrivateKeyParameters ed) {
                publicParameters = ed.generatePublicKey();
                bits = 256;
            } else {
                throw new PkiFileException(name, Problem.UNSUPPORTED_KEY, "a " + algorithmName(oid) + " private key"
                        + " of a form certgate cannot use");
            }
            String jcaName = known.get() == Algorithm.ED25519 ? "Ed25519" : known.get().name();
            SubjectPublicKeyInfo publicInfo = SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(
                    publicParameters);
            KeyFactory factory = KeyFactory.getInstance(jcaName);
            PrivateKey privateKey = factory.generatePrivate(new PKCS8EncodedKeySpec(info.getEncoded()));
            PublicKey publicKey = factory.generatePublic(new X509EncodedKeySpec(publicInfo.getEncoded()));
            return new PrivateKeyFile(privateKey, publicKey, known.get(), bits);
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new PkiFileException(name, Problem.NOT_A_PRIVATE_KEY, "not a private key certgate can use: "
                    + e.getMessage());
        }
    }

    /**
     * The permissions of the private key file {@code file} ({@code rw-r--r--}) when its group or others have any;
     * empty when only its owner does. Also empty where the file system has no POSIX permissions (its access control
     * is not ours to judge) or they cannot be read (reading the key reports what is wrong with the file).
     */
    public static Optional<String> openToOthers(Path file) {
        Set<PosixFilePermission> permissions;
        try {
            permissions = Files.getPosixFilePermissions(file);
        } catch (UnsupportedOperationException | IOException e) {
            return Optional.empty();
        }
        return OWNER_ONLY.containsAll(permissions) ? Optional.empty()
                : Optional.of(PosixFilePermissions.toString(permissions));
    }
}
