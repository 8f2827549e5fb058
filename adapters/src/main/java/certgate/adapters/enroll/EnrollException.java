package certgate.adapters.enroll;

/**
 * A key, request or local certificate that cannot be made, read or loaded, with what is wrong. The message is
 * one line that names the file (or option) it is about, so a command can print it as it is.
 */
public final class EnrollException extends Exception {
    private static final long serialVersionUID = 1L;

    public EnrollException(String message) {
        super(message);
    }

    EnrollException(String message, Throwable cause) {
        super(message, cause);
    }
}
