package certgate.der;

/**
 * Makes the caller's exception for a broken DER rule, so that each reader throws its own type (a certificate's,
 * a CRL's, a PEM file's) straight from the cursor, with nothing to translate and nothing allocated unless it fails.
 */
@FunctionalInterface
public interface DerFailure<E extends Exception> {
    /** The exception for {@code message} about the byte at {@code offset} of the cursor's array. */
    E at(String message, int offset);
}
