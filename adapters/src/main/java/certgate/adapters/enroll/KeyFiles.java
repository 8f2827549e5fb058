package certgate.adapters.enroll;

import certgate.adapters.pem.PkiFileException;
import certgate.adapters.pem.PkiFiles;
import certgate.eventstore.Blob;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.crypto.params.RSAPrivateCrtKeyParameters;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.InputDecryptorProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.OutputEncryptor;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.util.io.pem.PemGenerationException;

/**
 * The gateway's private key file: made with the JDK's {@link KeyPairGenerator}, written as PKCS#8 PEM (RFC 5958,
 * RFC 7468 labels {@code PRIVATE KEY} and {@code ENCRYPTED PRIVATE KEY}), read back from PEM or DER.
 *
 * <p>A key file is created owner-only ({@code rw-------}) in the same call that creates it, never widened and
 * narrowed afterwards, so no other user can open it in between; an existing file is never overwritten. An
 * encrypted key uses PBES2 (PBKDF2 with HMAC-SHA256, AES-256-CBC), which OpenSSL 3 reads with
 * {@code openssl pkey -passin}.
 */
public final class KeyFiles {
    private static final int PBKDF2_ITERATIONS = 100_000;

    private KeyFiles() {
    }

    /** A new key pair of {@code spec}. */
    public static GatewayKey generate(KeySpec spec) {
        try {
            KeyPairGenerator generator;
            switch (spec.algorithm()) {
                case RSA -> {
                    generator = KeyPairGenerator.getInstance("RSA");
                    generator.initialize(spec.bits(), new SecureRandom());
                }
                case EC -> {
                    generator = KeyPairGenerator.getInstance("EC");
                    generator.initialize(new ECGenParameterSpec(spec.bits() == 256 ? "secp256r1" : "secp384r1"),
                            new SecureRandom());
                }
                default -> generator = KeyPairGenerator.getInstance("Ed25519");
            }
            KeyPair pair = generator.generateKeyPair();
            return new GatewayKey(spec, pair.getPrivate(), pair.getPublic());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the Java runtime cannot make a " + spec.name() + " key pair", e);
        }
    }

    /**
     * Writes {@code key}'s private key to {@code file}, which must not exist, as PKCS#8 PEM, encrypted under
     * {@code passphrase} when one is given; the file is owner-only from its creation.
     */
    public static void write(Path file, GatewayKey key, Optional<char[]> passphrase) throws EnrollException {
        byte[] pem = passphrase.isPresent()
                ? pem("ENCRYPTED PRIVATE KEY", encrypt(key.privateKey(), passphrase.get()))
                : pem("PRIVATE KEY", key.privateKey().getEncoded());
        try {
            NewFiles.createOwnerOnly(file, pem);
        } finally {
            Arrays.fill(pem, (byte) 0);
        }
    }

    /**
     * Reads a PKCS#8 private key file (PEM or DER; encrypted or not) and derives its public key.
     *
     * @param passphrase required when the key is encrypted
     */
    public static GatewayKey read(Path file, Optional<char[]> passphrase) throws EnrollException {
        byte[] content;
        try {
            content = PkiFiles.read(file, PkiFiles.Kind.PRIVATE_KEY);
        } catch (PkiFileException e) {
            throw new EnrollException(e.getMessage(), e);
        }
        return parse(file.toString(), content, passphrase);
    }

    /** {@link #read} of a file's content, named {@code name} in messages. */
    public static GatewayKey parse(String name, byte[] content, Optional<char[]> passphrase)
            throws EnrollException {
        byte[] der;
        try {
            List<Blob> objects = PkiFiles.decode(name, content, PkiFiles.Kind.PRIVATE_KEY);
            if (objects.size() != 1) {
                throw new EnrollException(name + ": holds " + objects.size() + " PEM blocks, expected one private"
                        + " key");
            }
            der = objects.get(0).bytes();
            PkiFiles.check(name, der, PkiFiles.Kind.PRIVATE_KEY);
        } catch (PkiFileException e) {
            throw new EnrollException(e.getMessage(), e);
        }
        PrivateKeyInfo info = isEncrypted(name, der) ? decrypt(name, der, passphrase) : plain(name, der);
        return fromPrivateKeyInfo(name, info);
    }

    /** An EncryptedPrivateKeyInfo starts with an AlgorithmIdentifier; a PrivateKeyInfo with its version. */
    private static boolean isEncrypted(String name, byte[] der) throws EnrollException {
        try {
            ASN1Sequence outer = ASN1Sequence.getInstance(ASN1Primitive.fromByteArray(der));
            if (outer.size() < 2) {
                throw new EnrollException(name + ": not a PKCS#8 private key: a SEQUENCE of " + outer.size()
                        + " element(s)");
            }
            if (outer.getObjectAt(0) instanceof ASN1Sequence) {
                return true;
            }
            if (outer.getObjectAt(0) instanceof ASN1Integer) {
                return false;
            }
            throw new EnrollException(name + ": not a PKCS#8 private key: it starts with neither a version nor an"
                    + " encryption algorithm");
        } catch (IOException | RuntimeException e) {
            throw new EnrollException(name + ": not a PKCS#8 private key: " + e.getMessage(), e);
        }
    }

    private static PrivateKeyInfo plain(String name, byte[] der) throws EnrollException {
        try {
            return PrivateKeyInfo.getInstance(ASN1Primitive.fromByteArray(der));
        } catch (IOException | RuntimeException e) {
            throw new EnrollException(name + ": not a PKCS#8 private key: " + e.getMessage(), e);
        }
    }

    private static PrivateKeyInfo decrypt(String name, byte[] der, Optional<char[]> passphrase)
            throws EnrollException {
        if (passphrase.isEmpty()) {
            throw new EnrollException(name + ": the private key is encrypted: give its passphrase with"
                    + " --passphrase-file FILE or --passphrase-env VARIABLE");
        }
        PKCS8EncryptedPrivateKeyInfo encrypted;
        try {
            encrypted = new PKCS8EncryptedPrivateKeyInfo(der);
        } catch (IOException | RuntimeException e) {
            throw new EnrollException(name + ": not an encrypted PKCS#8 private key: " + e.getMessage(), e);
        }
        try {
            InputDecryptorProvider decryptor = new JceOpenSSLPKCS8DecryptorProviderBuilder()
                    .setProvider(BouncyCastle.PROVIDER).build(passphrase.get());
            return encrypted.decryptPrivateKeyInfo(decryptor);
        } catch (PKCSException | RuntimeException e) {
            throw new EnrollException(name + ": cannot decrypt the private key: wrong passphrase (or a damaged"
                    + " file)", e);
        } catch (OperatorCreationException e) {
            throw new EnrollException(name + ": cannot decrypt the private key: " + e.getMessage(), e);
        }
    }

    private static byte[] encrypt(PrivateKey key, char[] passphrase) {
        try {
            OutputEncryptor encryptor = new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
                    .setProvider(BouncyCastle.PROVIDER).setPRF(PKCS8Generator.PRF_HMACSHA256)
                    .setIterationCount(PBKDF2_ITERATIONS).setPassword(passphrase).build();
            return new JcaPKCS8Generator(key, encryptor).generate().getContent();
        } catch (OperatorCreationException | PemGenerationException e) {
            throw new IllegalStateException("cannot encrypt the private key: " + e.getMessage(), e);
        }
    }

    /** The key in JDK form, with its public key derived from the private one (PKCS#8 need not carry it). */
    private static GatewayKey fromPrivateKeyInfo(String name, PrivateKeyInfo info) throws EnrollException {
        try {
            return derive(name, info, PrivateKeyFactory.createKey(info));
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new EnrollException(name + ": not a private key certgate can use: " + e.getMessage(), e);
        }
    }

    private static GatewayKey derive(String name, PrivateKeyInfo info, AsymmetricKeyParameter privateParameters)
            throws EnrollException, IOException, GeneralSecurityException {
        AsymmetricKeyParameter publicParameters;
        KeySpec spec;
        String jcaName;
        if (privateParameters instanceof RSAPrivateCrtKeyParameters rsa) {
            BigInteger modulus = rsa.getModulus();
            if (modulus.bitLength() < KeySpec.MIN_RSA_BITS) {
                throw new EnrollException(name + ": an RSA key of " + modulus.bitLength() + " bits is refused: at"
                        + " least " + KeySpec.MIN_RSA_BITS);
            }
            publicParameters = new RSAKeyParameters(false, modulus, rsa.getPublicExponent());
            spec = new KeySpec(KeySpec.Algorithm.RSA, modulus.bitLength());
            jcaName = "RSA";
        } else if (privateParameters instanceof ECPrivateKeyParameters ec) {
            ECDomainParameters domain = ec.getParameters();
            publicParameters = new ECPublicKeyParameters(domain.getG().multiply(ec.getD()).normalize(), domain);
            spec = new KeySpec(KeySpec.Algorithm.EC, domain.getCurve().getFieldSize());
            jcaName = "EC";
        } else if (privateParameters instanceof Ed25519PrivateKeyParameters ed) {
            publicParameters = ed.generatePublicKey();
            spec = new KeySpec(KeySpec.Algorithm.ED25519, 256);
            jcaName = "Ed25519";
        } else {
            throw new EnrollException(name + ": a " + info.getPrivateKeyAlgorithm().getAlgorithm().getId()
                    + " key; certgate signs with RSA, EC or Ed25519 keys");
        }
        SubjectPublicKeyInfo publicInfo = SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(publicParameters);
        KeyFactory factory = KeyFactory.getInstance(jcaName);
        PrivateKey privateKey = factory.generatePrivate(new PKCS8EncodedKeySpec(info.getEncoded()));
        PublicKey publicKey = factory.generatePublic(new X509EncodedKeySpec(publicInfo.getEncoded()));
        return new GatewayKey(spec, privateKey, publicKey);
    }

    /** RFC 7468 text: the label's boundaries around base64 in lines of 64. */
    static byte[] pem(String label, byte[] der) {
        String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
        return ("-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n")
                .getBytes(StandardCharsets.US_ASCII);
    }
}
