package certgate.engine.x509;

/** Bytes that are not a certificate certgate can read; the message says what is wrong and where. */
public final class CertificateFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    public CertificateFormatException(String message) {
        super(message);
    }

    /** The refusal for {@code message} about the byte at {@code offset} (the readers' {@code DerFailure}). */
    static CertificateFormatException at(String message, int offset) {
        return new CertificateFormatException(message + " (at byte offset " + offset + ")");
    }
}
