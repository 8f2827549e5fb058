package certgate.adapters.serve;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The secret a client must present as {@code Authorization: Bearer TOKEN}, read from a file (as Vault and Consul
 * read theirs), so it is on no command line. Compared in constant time: both sides are hashed first, so neither
 * the token's length nor its first differing byte shows in the time an answer takes.
 */
public final class BearerToken {
    /** Shorter tokens are refused: a guessable token is no protection off loopback. */
    static final int MIN_LENGTH = 16;

    private final byte[] digest;

    private BearerToken(byte[] digest) {
        this.digest = digest;
    }

    /** The token in {@code file}: its first line, without surrounding white space. */
    public static BearerToken read(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8).strip();
        int newline = text.indexOf('\n');
        if (newline >= 0) {
            throw new IOException(file + ": the token file holds more than one line");
        }
        if (text.length() < MIN_LENGTH) {
            throw new IOException(file + ": the token has " + text.length() + " characters; at least " + MIN_LENGTH
                    + " are required (openssl rand -hex 32 > FILE makes one)");
        }
        return new BearerToken(sha256(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** Whether the {@code Authorization} header's value presents this token. */
    boolean accepts(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        byte[] presented = sha256(authorization.substring(7).strip().getBytes(StandardCharsets.UTF_8));
        return MessageDigest.isEqual(presented, digest);
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
