package certgate.adapters.enroll;

import java.util.Arrays;
import java.util.Optional;

/**
 * A private key's passphrase while it is needed, or none: closing it overwrites its characters, so the secret does
 * not linger in memory until a garbage collection happens to reuse it. Use it in try-with-resources.
 */
public final class Passphrase implements AutoCloseable {
    private static final Passphrase NONE = new Passphrase(null);

    private final char[] chars;

    private Passphrase(char[] chars) {
        this.chars = chars;
    }

    /** No passphrase: the key is not encrypted, or is not to be. */
    public static Passphrase none() {
        return NONE;
    }

    /** Takes {@code chars} over (no copy is made): closing the passphrase overwrites them. */
    static Passphrase of(char[] chars) {
        return new Passphrase(chars);
    }

    /** The characters themselves, not a copy, until {@link #close()}; empty for none. */
    public Optional<char[]> chars() {
        return Optional.ofNullable(chars);
    }

    /** Whether there is a passphrase. */
    public boolean isPresent() {
        return chars != null;
    }

    @Override
    public void close() {
        if (chars != null) {
            Arrays.fill(chars, '\0');
        }
    }
}
