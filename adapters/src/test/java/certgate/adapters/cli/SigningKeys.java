package certgate.adapters.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;

/** Key files for checkpoint tests, made with the JDK's generators and written as openssl writes them. */
public final class SigningKeys {
    private SigningKeys() {
    }

    static KeyPair generate(String algorithm) {
        try {
            return KeyPairGenerator.getInstance(algorithm).generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String pem(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + label + "-----\n";
    }

    /** Writes the private key (PKCS#8, owner-only) as {@code name} and its public key as {@code name.pub}. */
    static KeyPair write(Path dir, String name, KeyPair pair) {
        try {
            Path key = dir.resolve(name);
            Files.writeString(key, pem("PRIVATE KEY", pair.getPrivate().getEncoded()), StandardCharsets.US_ASCII);
            Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
            Files.writeString(dir.resolve(name + ".pub"), pem("PUBLIC KEY", pair.getPublic().getEncoded()),
                    StandardCharsets.US_ASCII);
            return pair;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static KeyPair writeEd25519(Path dir, String name) {
        return write(dir, name, generate("Ed25519"));
    }
}
