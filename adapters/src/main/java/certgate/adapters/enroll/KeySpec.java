package certgate.adapters.enroll;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The key pair {@code certgate keygen} makes: RSA of 2048, 3072 or 4096 bits, EC on P-256 or P-384, or Ed25519.
 * Its {@link #name()} ({@code rsa-2048}, {@code ec-p256}, {@code ed25519}) is what the log records.
 */
public record KeySpec(Algorithm algorithm, int bits) {
    /** The smallest RSA modulus certgate makes or signs with (NIST SP 800-131A: 112-bit security). */
    public static final int MIN_RSA_BITS = 2048;

    public enum Algorithm { RSA, EC, ED25519 }

    /**
     * The spec {@code --type}, {@code --size} and {@code --curve} ask for: RSA defaults to 2048 bits, EC to P-256.
     *
     * @throws EnrollException naming the option and the values it takes
     */
    public static KeySpec of(String type, Optional<String> size, Optional<String> curve) throws EnrollException {
        String algorithm = type.toLowerCase(Locale.ROOT);
        if (algorithm.equals("rsa")) {
            if (curve.isPresent()) {
                throw new EnrollException("--curve applies to --type ec only");
            }
            return new KeySpec(Algorithm.RSA, rsaBits(size.orElse("2048")));
        }
        if (algorithm.equals("ec")) {
            if (size.isPresent()) {
                throw new EnrollException("--size applies to --type rsa only; an EC key's size is its --curve");
            }
            String name = curve.orElse("p256").toLowerCase(Locale.ROOT);
            if (List.of("p256", "p-256", "secp256r1", "prime256v1").contains(name)) {
                return new KeySpec(Algorithm.EC, 256);
            }
            if (List.of("p384", "p-384", "secp384r1").contains(name)) {
                return new KeySpec(Algorithm.EC, 384);
            }
            throw new EnrollException("--curve '" + curve.orElse("") + "' is not p256 or p384");
        }
        if (algorithm.equals("ed25519")) {
            if (size.isPresent() || curve.isPresent()) {
                throw new EnrollException("an ed25519 key takes neither --size nor --curve");
            }
            return new KeySpec(Algorithm.ED25519, 256);
        }
        throw new EnrollException("--type '" + type + "' is not rsa, ec or ed25519");
    }

    private static int rsaBits(String size) throws EnrollException {
        int bits;
        try {
            bits = Integer.parseInt(size);
        } catch (NumberFormatException e) {
            throw new EnrollException("--size '" + size + "' is not a number of bits: 2048, 3072 or 4096");
        }
        if (bits < MIN_RSA_BITS) {
            throw new EnrollException("--size " + bits + " is refused: an RSA key has at least " + MIN_RSA_BITS
                    + " bits (2048, 3072 or 4096)");
        }
        if (bits != 2048 && bits != 3072 && bits != 4096) {
            throw new EnrollException("--size " + bits + " is not 2048, 3072 or 4096");
        }
        return bits;
    }

    /** {@code rsa-2048}, {@code ec-p256}, {@code ed25519}. */
    public String name() {
        return switch (algorithm) {
            case RSA -> "rsa-" + bits;
            case EC -> "ec-p" + bits;
            case ED25519 -> "ed25519";
        };
    }
}
