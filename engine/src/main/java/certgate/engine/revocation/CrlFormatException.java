package certgate.engine.revocation;

/** A CRL that is not a strict DER CertificateList; the message names what is wrong and the byte offset. */
public final class CrlFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    private final long offset;

    CrlFormatException(String message, long offset) {
        super(message + " (at byte offset " + offset + ")");
        this.offset = offset;
    }

    /** The byte offset in the DER at which the problem was found. */
    public long offset() {
        return offset;
    }
}
