package certgate.der;

import java.util.Optional;

/**
 * Whether bytes are one well-framed DER element, answered before any ASN.1 library sees them: BouncyCastle parses
 * BER leniently and recurses on nesting, and this {@link DerCursor.Walk#FRAMING} walk bounds both, so a hostile
 * input costs at most one linear pass.
 */
public final class Der {
    private Der() {
    }

    /** The first problem found in {@code der} as exactly one DER element, or empty when it is well-formed. */
    public static Optional<String> problem(byte[] der) {
        return problem(der, 0, der.length);
    }

    public static Optional<String> problem(byte[] der, int offset, int length) {
        return problem(der, offset, length, 0);
    }

    /**
     * As {@link #problem(byte[], int, int)} for an element nested {@code depth} levels deep in a larger one, so
     * that a part checked on its own is held to the same depth bound as when its container was checked whole.
     * Offsets in the answer count from {@code offset}.
     */
    public static Optional<String> problem(byte[] der, int offset, int length, int depth) {
        int end = offset + length;
        DerCursor<Malformed> in = new DerCursor<>(der, offset, Malformed::new);
        try {
            in.header(end, "");
            in.checkStructure(offset, in.end(), depth, DerCursor.Walk.FRAMING, "");
            if (in.end() != end) {
                return Optional.of((end - in.end()) + " bytes after the end of the DER element (at byte offset "
                        + (in.end() - offset) + ")");
            }
            return Optional.empty();
        } catch (Malformed e) {
            return Optional.of(e.getMessage() + " (at byte offset " + (e.at - offset) + ")");
        }
    }

    /** A broken rule, on its way to becoming the answer of {@link #problem}; no stack trace to fill. */
    private static final class Malformed extends Exception {
        private static final long serialVersionUID = 1L;

        private final int at;

        Malformed(String message, int at) {
            super(message, null, false, false);
            this.at = at;
        }
    }
}
