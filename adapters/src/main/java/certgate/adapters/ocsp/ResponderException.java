package certgate.adapters.ocsp;

/** A responder certificate or key that {@code serve} refuses at start; the message is one line saying why. */
public final class ResponderException extends Exception {
    private static final long serialVersionUID = 1L;

    ResponderException(String message) {
        super(message);
    }

    ResponderException(String message, Throwable cause) {
        super(message, cause);
    }
}
