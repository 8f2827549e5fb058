package certgate.adapters.enroll;

import certgate.adapters.pem.BouncyCastle;
import certgate.adapters.pem.KeyFiles;
import certgate.adapters.pem.Pem;
import certgate.adapters.pem.PkiFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Optional;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.OutputEncryptor;
import org.bouncycastle.util.io.pem.PemGenerationException;

/**
 * The gateway's key pair: made with the JDK's {@link KeyPairGenerator}, its private key written as PKCS#8 PEM
 * (RFC 5958, RFC 7468 labels {@code PRIVATE KEY} and {@code ENCRYPTED PRIVATE KEY}) and read back with
 * {@link KeyFiles}, the one reader of key files.
 *
 * <p>A key file is created owner-only ({@code rw-------}) in the same call that creates it, never widened and
 * narrowed afterwards, so no other user can open it in between; an existing file is never overwritten. An
 * encrypted key uses PBES2 (PBKDF2 with HMAC-SHA256, AES-256-CBC), which OpenSSL 3 reads with
 * {@code openssl pkey -passin}.
 */
public final class KeyPairs {
    private static final int PBKDF2_ITERATIONS = 100_000;

    private KeyPairs() {
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
        byte[] der = passphrase.isPresent() ? encrypt(key.privateKey(), passphrase.get())
                : key.privateKey().getEncoded();
        byte[] pem = Pem.encode(passphrase.isPresent() ? "ENCRYPTED PRIVATE KEY" : "PRIVATE KEY", der);
        try {
            NewFiles.createOwnerOnly(file, pem);
        } finally {
            Arrays.fill(der, (byte) 0);
            Arrays.fill(pem, (byte) 0);
        }
    }

    /**
     * Reads the gateway's private key (PKCS#8, PEM or DER; encrypted or not) and derives its public key.
     *
     * @param passphrase required when the key is encrypted
     */
    public static GatewayKey read(Path file, Optional<char[]> passphrase) throws EnrollException {
        try {
            return gatewayKey(file.toString(), KeyFiles.readPrivate(file, passphrase));
        } catch (PkiFileException e) {
            throw enrollException(e);
        }
    }

    /** {@link #read} of a file's content, named {@code name} in messages. */
    public static GatewayKey parse(String name, byte[] content, Optional<char[]> passphrase)
            throws EnrollException {
        try {
            return gatewayKey(name, KeyFiles.parsePrivate(name, content, passphrase));
        } catch (PkiFileException e) {
            throw enrollException(e);
        }
    }

    private static EnrollException enrollException(PkiFileException e) {
        if (e.problem() == PkiFileException.Problem.PASSPHRASE_NEEDED) {
            return new EnrollException(e.file() + ": the private key is encrypted: give its passphrase with"
                    + " --passphrase-file FILE or --passphrase-env VARIABLE", e);
        }
        return new EnrollException(e.getMessage(), e);
    }

    private static GatewayKey gatewayKey(String name, KeyFiles.PrivateKeyFile key) throws EnrollException {
        KeySpec.Algorithm algorithm = switch (key.algorithm()) {
            case RSA -> KeySpec.Algorithm.RSA;
            case EC -> KeySpec.Algorithm.EC;
            case ED25519 -> KeySpec.Algorithm.ED25519;
        };
        if (algorithm == KeySpec.Algorithm.RSA && key.bits() < KeySpec.MIN_RSA_BITS) {
            throw new EnrollException(name + ": an RSA key of " + key.bits() + " bits is refused: at least "
                    + KeySpec.MIN_RSA_BITS);
        }
        return new GatewayKey(new KeySpec(algorithm, key.bits()), key.privateKey(), key.publicKey());
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
}
