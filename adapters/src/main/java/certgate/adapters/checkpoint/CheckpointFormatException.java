package certgate.adapters.checkpoint;

/** A checkpoint line (or JSON object) that is not one: the message says what is wrong, in one line. */
public final class CheckpointFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    CheckpointFormatException(String message) {
        super(message);
    }
}
